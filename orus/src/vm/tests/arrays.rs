//! Arrays and string access: every array instruction, the slice rules of spec §10, index
//! errors, array printing, and the collector's handling of arrays.

use super::*;

/// Adds `ty` to the program's type table; returns its index.
fn add_type(p: &mut Program, ty: ValType) -> u32 {
    p.types.push(ty);
    p.types.len() as u32 - 1
}

fn array_of(elem: ValType) -> ValType {
    ValType::Array(Box::new(elem))
}

/// Runs `main` (with `num_regs` registers, all of them references) and returns its output.
fn run_main(
    num_regs: u16,
    code: Vec<Instr>,
    setup: impl FnOnce(&mut Program),
) -> (Result<(), RuntimeError>, String) {
    let refs: Vec<u16> = (0..num_regs).collect();
    let mut p = program(vec![func("main", 0, num_regs, &refs, code)]);
    setup(&mut p);
    run_with(&p, &VmConfig::default())
}

/// `R0 := [10, 20, 30, 40, 50]` as `i32`s, using R1..R5.
fn five_elements() -> Vec<Instr> {
    let mut code: Vec<Instr> = (0..5)
        .map(|k| LoadInt {
            dst: 1 + k,
            value: 10 * (i32::from(k) + 1),
        })
        .collect();
    code.push(NewArray {
        dst: 0,
        base: 1,
        count: 5,
        elem_ref: false,
    });
    code
}

#[test]
fn every_array_instruction() {
    let mut code = five_elements();
    code.extend([
        // R1 := a[1]; a[2] := 7; push(a, 99); R2 := pop(a); push(a, 60); R3 := len(a)
        LoadInt { dst: 6, value: 1 },
        ArrayGet {
            dst: 1,
            arr: 0,
            index: 6,
        },
        LoadInt { dst: 6, value: 2 },
        LoadInt { dst: 7, value: 7 },
        ArraySet {
            arr: 0,
            index: 6,
            src: 7,
        },
        LoadInt { dst: 7, value: 99 },
        ArrayPush { arr: 0, src: 7 },
        ArrayPop { dst: 2, arr: 0 },
        LoadInt { dst: 7, value: 60 },
        ArrayPush { arr: 0, src: 7 },
        ArrayLen { dst: 3, arr: 0 },
        // R4 := a[1..2]
        LoadInt { dst: 6, value: 1 },
        LoadInt { dst: 7, value: 2 },
        ArraySlice {
            dst: 4,
            arr: 0,
            start: 6,
            end: 7,
            has_start: true,
            has_end: true,
        },
        Print {
            base: 0,
            count: 5,
            format: 0,
        },
        ReturnVoid {},
    ]);
    let (result, out) = run_main(8, code, |p| {
        let arr = add_type(p, array_of(ValType::I32));
        print_format(p, &[arr, I32, I32, I32, arr]);
    });
    assert_eq!(result, Ok(()));
    assert_eq!(out, "10, 20, 7, 40, 50, 60 20 99 6 20, 7\n");
}

#[test]
fn string_length_and_bytes() {
    // R1 := len(s); R2 := s[0]; R3 := s[4]; R4 := s[0] again (the same cached string)
    let code = vec![
        LoadStr { dst: 0, index: 0 },
        StrLen { dst: 1, s: 0 },
        LoadInt { dst: 5, value: 0 },
        StrIndex {
            dst: 2,
            s: 0,
            index: 5,
        },
        LoadInt { dst: 5, value: 4 },
        StrIndex {
            dst: 3,
            s: 0,
            index: 5,
        },
        LoadInt { dst: 5, value: 0 },
        StrIndex {
            dst: 4,
            s: 0,
            index: 5,
        },
        EqInt { dst: 5, a: 2, b: 4 },
        Print {
            base: 1,
            count: 5,
            format: 0,
        },
        ReturnVoid {},
    ];
    let (result, out) = run_main(6, code, |p| {
        p.strings = vec![b"hello".to_vec()];
        print_format(p, &[I32, STR, STR, STR, BOOL]);
    });
    assert_eq!(result, Ok(()));
    assert_eq!(out, "5 h o h true\n");
}

#[test]
fn string_byte_values_and_their_fault() {
    // R1 := s[1] as a byte; R2 := s[5]: past the end, the fault of `s[i]`.
    let code = vec![
        LoadStr { dst: 0, index: 0 },
        LoadInt { dst: 3, value: 1 },
        StrByte {
            dst: 1,
            s: 0,
            index: 3,
        },
        Print {
            base: 1,
            count: 1,
            format: 0,
        },
        LoadInt { dst: 3, value: 5 },
        StrByte {
            dst: 2,
            s: 0,
            index: 3,
        },
        ReturnVoid {},
    ];
    let (result, out) = run_main(4, code, |p| {
        p.strings = vec![b"h\xE9llo".to_vec()];
        print_format(p, &[I32]);
    });
    assert_eq!(out, "233\n");
    let fault = result.expect_err("index 5 of a 5-byte string");
    assert_eq!(fault.code, Code::StringIndex);
    assert_eq!(fault.message, "String index out of bounds");
}

/// Runs `print(a[start..end])` on `a = [10, 20, 30, 40, 50][..len]`; `None` omits a bound.
fn slice_of(len: usize, start: Option<i32>, end: Option<i32>) -> Result<String, RuntimeError> {
    let mut code = five_elements();
    for _ in len..5 {
        code.push(ArrayPop { dst: 1, arr: 0 });
    }
    code.extend([
        LoadInt {
            dst: 6,
            value: start.unwrap_or(-99),
        },
        LoadInt {
            dst: 7,
            value: end.unwrap_or(-99),
        },
        ArraySlice {
            dst: 1,
            arr: 0,
            start: 6,
            end: 7,
            has_start: start.is_some(),
            has_end: end.is_some(),
        },
        ArrayLen { dst: 2, arr: 1 },
        Print {
            base: 1,
            count: 2,
            format: 0,
        },
        ReturnVoid {},
    ]);
    let (result, out) = run_main(8, code, |p| {
        let arr = add_type(p, array_of(ValType::I32));
        print_format(p, &[arr, I32]);
    });
    result.map(|()| out)
}

fn slice_error(len: usize, start: Option<i32>, end: Option<i32>) -> (Code, String) {
    let err = slice_of(len, start, end).expect_err("expected a slice error");
    (err.code, err.message)
}

#[test]
fn slice_end_is_inclusive() {
    assert_eq!(slice_of(5, Some(0), Some(1)).unwrap(), "10, 20 2\n");
    assert_eq!(slice_of(5, Some(1), Some(3)).unwrap(), "20, 30, 40 3\n");
    assert_eq!(slice_of(5, Some(2), Some(2)).unwrap(), "30 1\n");
}

#[test]
fn slice_omitted_bounds() {
    assert_eq!(slice_of(5, None, None).unwrap(), "10, 20, 30, 40, 50 5\n");
    assert_eq!(slice_of(5, None, Some(1)).unwrap(), "10, 20 2\n");
    assert_eq!(slice_of(5, Some(3), None).unwrap(), "40, 50 2\n");
    assert_eq!(slice_of(0, None, None).unwrap(), " 0\n");
    assert_eq!(slice_of(0, Some(0), Some(0)).unwrap(), " 0\n");
}

#[test]
fn slice_end_equal_to_len() {
    assert_eq!(slice_of(4, Some(0), Some(4)).unwrap(), "10, 20, 30, 40 4\n");
    assert_eq!(slice_of(4, Some(0), Some(3)).unwrap(), "10, 20, 30, 40 4\n");
    assert_eq!(slice_of(4, Some(3), Some(4)).unwrap(), "40 1\n");
    assert_eq!(slice_of(4, Some(1), Some(4)).unwrap(), "20, 30, 40 3\n");
}

#[test]
fn slice_from_len_is_empty() {
    assert_eq!(slice_of(3, Some(3), None).unwrap(), " 0\n");
    assert_eq!(slice_of(3, Some(3), Some(3)).unwrap(), " 0\n");
    assert_eq!(slice_of(1, Some(1), None).unwrap(), " 0\n");
}

#[test]
fn slice_bound_errors() {
    let start = (
        Code::SliceBounds,
        "Array slice start out of bounds".to_string(),
    );
    let end = (
        Code::SliceBounds,
        "Array slice end out of bounds".to_string(),
    );
    let before = (
        Code::SliceBounds,
        "Array slice end before start".to_string(),
    );
    assert_eq!(slice_error(4, Some(5), None), start);
    assert_eq!(slice_error(4, Some(-1), None), start);
    assert_eq!(slice_error(4, Some(0), Some(5)), end);
    assert_eq!(slice_error(4, None, Some(-1)), end);
    assert_eq!(slice_error(4, Some(3), Some(1)), before);
    assert_eq!(slice_error(3, Some(3), Some(2)), before);
    assert_eq!(slice_error(0, Some(0), Some(1)), end);
}

#[test]
fn slice_is_a_new_array_sharing_elements() {
    // m = [[1], [2]]; s = m[..]; s[0] = [3] leaves m alone; push(s[1], 9) is seen in m.
    let code = vec![
        LoadInt { dst: 5, value: 1 },
        NewArray {
            dst: 1,
            base: 5,
            count: 1,
            elem_ref: false,
        },
        LoadInt { dst: 5, value: 2 },
        NewArray {
            dst: 2,
            base: 5,
            count: 1,
            elem_ref: false,
        },
        NewArray {
            dst: 0,
            base: 1,
            count: 2,
            elem_ref: true,
        },
        ArraySlice {
            dst: 3,
            arr: 0,
            start: 0,
            end: 0,
            has_start: false,
            has_end: false,
        },
        LoadInt { dst: 5, value: 3 },
        NewArray {
            dst: 4,
            base: 5,
            count: 1,
            elem_ref: false,
        },
        LoadInt { dst: 5, value: 0 },
        ArraySet {
            arr: 3,
            index: 5,
            src: 4,
        },
        LoadInt { dst: 5, value: 1 },
        ArrayGet {
            dst: 4,
            arr: 3,
            index: 5,
        },
        LoadInt { dst: 5, value: 9 },
        ArrayPush { arr: 4, src: 5 },
        Print {
            base: 0,
            count: 1,
            format: 0,
        },
        Print {
            base: 3,
            count: 1,
            format: 0,
        },
        ReturnVoid {},
    ];
    let (result, out) = run_main(6, code, |p| {
        let nested = add_type(p, array_of(array_of(ValType::I32)));
        print_format(p, &[nested]);
    });
    assert_eq!(result, Ok(()));
    assert_eq!(out, "1, 2, 9\n3, 2, 9\n");
}

#[test]
fn aliases_share_one_array() {
    // b = a; push(b, 4); print(a, len(a))
    let code = vec![
        LoadInt { dst: 3, value: 1 },
        NewArray {
            dst: 0,
            base: 3,
            count: 1,
            elem_ref: false,
        },
        Move { dst: 1, src: 0 },
        LoadInt { dst: 3, value: 4 },
        ArrayPush { arr: 1, src: 3 },
        ArrayLen { dst: 1, arr: 0 },
        Print {
            base: 0,
            count: 2,
            format: 0,
        },
        ReturnVoid {},
    ];
    let (result, out) = run_main(4, code, |p| {
        let arr = add_type(p, array_of(ValType::I32));
        print_format(p, &[arr, I32]);
    });
    assert_eq!(result, Ok(()));
    assert_eq!(out, "1, 4 2\n");
}

/// Runs `a = [1, 2]` then `instr` with R1 loaded from `index` (an i64 constant).
fn on_two_elements(index: u64, instr: Instr) -> RuntimeError {
    let code = vec![
        LoadInt { dst: 2, value: 1 },
        LoadInt { dst: 3, value: 2 },
        NewArray {
            dst: 0,
            base: 2,
            count: 2,
            elem_ref: false,
        },
        LoadConst { dst: 1, index: 0 },
        instr,
        ReturnVoid {},
    ];
    run_main(4, code, |p| p.consts = vec![index])
        .0
        .expect_err("expected an index error")
}

#[test]
fn array_index_errors() {
    let get = ArrayGet {
        dst: 2,
        arr: 0,
        index: 1,
    };
    let set = ArraySet {
        arr: 0,
        index: 1,
        src: 2,
    };
    for instr in [get, set] {
        let err = on_two_elements(2, instr);
        assert_eq!(
            (err.code, err.message.as_str()),
            (Code::IndexOutOfBounds, "Array index out of bounds")
        );
        assert_eq!(err.trace, vec![(0, 4)]);
        let err = on_two_elements(-1i64 as u64, instr);
        assert_eq!(
            (err.code, err.message.as_str()),
            (
                Code::NegativeIndex,
                "Array index must be a non-negative integer"
            )
        );
        // A u64 index at or above 2^63 is treated as negative; a big u32 is not.
        assert_eq!(on_two_elements(1 << 63, instr).code, Code::NegativeIndex);
        assert_eq!(
            on_two_elements(u64::from(u32::MAX), instr).code,
            Code::IndexOutOfBounds
        );
    }
}

#[test]
fn pop_on_empty_array() {
    let code = vec![
        NewArray {
            dst: 0,
            base: 0,
            count: 0,
            elem_ref: false,
        },
        ArrayPop { dst: 1, arr: 0 },
        ReturnVoid {},
    ];
    let err = run_main(2, code, |_| {}).0.unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (Code::ValueError, "Cannot pop from an empty array")
    );
}

#[test]
fn string_index_errors() {
    for (index, message) in [
        (3, "String index out of bounds"),
        (-1, "String index must be a non-negative integer"),
    ] {
        let code = vec![
            LoadStr { dst: 0, index: 0 },
            LoadInt {
                dst: 1,
                value: index,
            },
            StrIndex {
                dst: 2,
                s: 0,
                index: 1,
            },
            ReturnVoid {},
        ];
        let err = run_main(3, code, |p| p.strings = vec![b"abc".to_vec()])
            .0
            .unwrap_err();
        assert_eq!(
            (err.code, err.message.as_str()),
            (Code::StringIndex, message)
        );
    }
}

#[test]
fn nested_and_empty_arrays_print() {
    // R0 := [[1, 2], [3]]; R1 := [[], [1]]; R2 := []; R3 := ["x", "y"]
    let code = vec![
        LoadInt { dst: 6, value: 1 },
        LoadInt { dst: 7, value: 2 },
        NewArray {
            dst: 4,
            base: 6,
            count: 2,
            elem_ref: false,
        },
        LoadInt { dst: 6, value: 3 },
        NewArray {
            dst: 5,
            base: 6,
            count: 1,
            elem_ref: false,
        },
        NewArray {
            dst: 0,
            base: 4,
            count: 2,
            elem_ref: true,
        },
        NewArray {
            dst: 4,
            base: 0,
            count: 0,
            elem_ref: false,
        },
        LoadInt { dst: 6, value: 1 },
        NewArray {
            dst: 5,
            base: 6,
            count: 1,
            elem_ref: false,
        },
        NewArray {
            dst: 1,
            base: 4,
            count: 2,
            elem_ref: true,
        },
        NewArray {
            dst: 2,
            base: 0,
            count: 0,
            elem_ref: false,
        },
        LoadStr { dst: 4, index: 1 },
        LoadStr { dst: 5, index: 2 },
        NewArray {
            dst: 3,
            base: 4,
            count: 2,
            elem_ref: true,
        },
        // print(R0); print(R1); print("a", R2, "b"); print("@x|@", R0, R3); R4 := R3 as string
        Print {
            base: 0,
            count: 1,
            format: 0,
        },
        Print {
            base: 1,
            count: 1,
            format: 0,
        },
        LoadStr { dst: 4, index: 3 },
        Move { dst: 5, src: 2 },
        LoadStr { dst: 6, index: 4 },
        Print {
            base: 4,
            count: 3,
            format: 1,
        },
        LoadStr { dst: 4, index: 0 },
        Move { dst: 5, src: 0 },
        Move { dst: 6, src: 3 },
        Print {
            base: 4,
            count: 3,
            format: 2,
        },
        ToStr {
            dst: 4,
            src: 3,
            ty: 7 + 2,
        },
        Concat { dst: 4, a: 4, b: 4 },
        Print {
            base: 4,
            count: 1,
            format: 3,
        },
        ReturnVoid {},
    ];
    let (result, out) = run_main(8, code, |p| {
        p.strings = ["@x|@", "x", "y", "a", "b"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        let nested = add_type(p, array_of(array_of(ValType::I32)));
        let ints = add_type(p, array_of(ValType::I32));
        let strs = add_type(p, array_of(ValType::Str));
        assert_eq!(strs, 7 + 2);
        print_format(p, &[nested]);
        print_format(p, &[STR, ints, STR]);
        print_format(p, &[STR, nested, strs]);
        print_format(p, &[STR]);
    });
    assert_eq!(result, Ok(()));
    assert_eq!(out, "1, 2, 3\n, 1\na  b\n1, 2, 3|x, y\nx, yx, y\n");
}

/// `for i in 0..n: a = [i, i, i]` (or `a = []; push(a, i)` ×3 when `push`).
fn array_loop(n: i32, push: bool) -> Program {
    let body = if push {
        vec![
            NewArray {
                dst: 3,
                base: 0,
                count: 0,
                elem_ref: false,
            },
            ArrayPush { arr: 3, src: 0 },
            ArrayPush { arr: 3, src: 0 },
            ArrayPush { arr: 3, src: 0 },
            ArrayPush { arr: 3, src: 0 },
            ArrayPush { arr: 3, src: 0 },
        ]
    } else {
        vec![
            Move { dst: 4, src: 0 },
            Move { dst: 5, src: 0 },
            Move { dst: 6, src: 0 },
            NewArray {
                dst: 3,
                base: 4,
                count: 3,
                elem_ref: false,
            },
        ]
    };
    let len = body.len() as i32;
    let mut code = vec![
        LoadInt { dst: 0, value: 0 },
        LoadInt { dst: 1, value: n },
        LoadInt { dst: 2, value: 1 },
        NewArray {
            dst: 3,
            base: 0,
            count: 0,
            elem_ref: false,
        },
        ForPrepI32 {
            base: 0,
            inclusive: false,
            offset: len + 1,
        },
    ];
    code.extend(body);
    code.extend([
        ForLoopI32 {
            base: 0,
            inclusive: false,
            offset: -(len + 1),
        },
        Print {
            base: 3,
            count: 1,
            format: 0,
        },
        ReturnVoid {},
    ]);
    let mut p = program(vec![func("main", 0, 7, &[3], code)]);
    let arr = add_type(&mut p, array_of(ValType::I32));
    print_format(&mut p, &[arr]);
    p
}

#[test]
fn collector_frees_dropped_arrays() {
    for push in [false, true] {
        let p = array_loop(1_000_000, push);
        let mut out = Vec::new();
        let mut vm = Vm::new(&p, &VmConfig::default(), &mut out).unwrap();
        vm.execute().unwrap();
        assert!(vm.heap.collections() > 0);
        assert!(
            vm.heap.peak_object_count() < 100_000,
            "peak {} objects",
            vm.heap.peak_object_count()
        );
        assert!(vm.heap.object_count() < 100_000);
        drop(vm);
        let expected = if push {
            "999999, 999999, 999999, 999999, 999999\n"
        } else {
            "999999, 999999, 999999\n"
        };
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}

#[test]
fn dropped_arrays_fit_a_small_heap_limit() {
    let config = VmConfig {
        heap_limit: Some(256 << 10),
        ..VmConfig::default()
    };
    assert_eq!(run_with(&array_loop(200_000, true), &config).0, Ok(()));
}

#[test]
fn growing_one_array_forever_is_out_of_memory() {
    // a = []; loop: push(a, a) — every growth is charged against the limit.
    let mut p = program(vec![func(
        "main",
        0,
        1,
        &[0],
        vec![
            NewArray {
                dst: 0,
                base: 0,
                count: 0,
                elem_ref: false,
            },
            ArrayPush { arr: 0, src: 0 },
            Jump { offset: -2 },
        ],
    )]);
    p.types.push(array_of(ValType::I32));
    let config = VmConfig {
        heap_limit: Some(1 << 20),
        ..VmConfig::default()
    };
    let err = error(&p, &config);
    assert_eq!(err.code, Code::OutOfMemory);
}

#[test]
fn arrays_keep_their_strings_alive() {
    // a = [str(0), str(1), ..., str(99)] built by push, nested in b = [a]; only b stays in
    // a reference register. Then 200 000 garbage strings force collections; then print b.
    let mut p = program(vec![func(
        "main",
        0,
        8,
        &[3, 4, 5, 6],
        vec![
            NewArray {
                dst: 4,
                base: 0,
                count: 0,
                elem_ref: true,
            },
            LoadInt { dst: 0, value: 0 },
            LoadInt { dst: 1, value: 100 },
            LoadInt { dst: 2, value: 1 },
            ForPrepI32 {
                base: 0,
                inclusive: false,
                offset: 3,
            },
            ToStr {
                dst: 3,
                src: 0,
                ty: I32,
            },
            ArrayPush { arr: 4, src: 3 },
            ForLoopI32 {
                base: 0,
                inclusive: false,
                offset: -3,
            },
            NewArray {
                dst: 5,
                base: 4,
                count: 1,
                elem_ref: true,
            },
            // Overwrite the other references with non-handles.
            LoadInt { dst: 4, value: -1 },
            LoadInt { dst: 3, value: -1 },
            // Garbage.
            LoadInt { dst: 0, value: 0 },
            LoadConst { dst: 1, index: 0 },
            LoadInt { dst: 2, value: 1 },
            ForPrepI32 {
                base: 0,
                inclusive: false,
                offset: 2,
            },
            ToStr {
                dst: 6,
                src: 0,
                ty: I32,
            },
            ForLoopI32 {
                base: 0,
                inclusive: false,
                offset: -2,
            },
            Print {
                base: 5,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    p.consts = vec![200_000];
    let nested = add_type(&mut p, array_of(array_of(ValType::Str)));
    print_format(&mut p, &[nested]);
    let mut out = Vec::new();
    let mut vm = Vm::new(&p, &VmConfig::default(), &mut out).unwrap();
    vm.execute().unwrap();
    assert!(vm.heap.collections() > 0);
    drop(vm);
    let expected: Vec<String> = (0..100).map(|k| k.to_string()).collect();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{}\n", expected.join(", "))
    );
}

#[test]
fn string_indexing_in_a_loop_does_not_accumulate_objects() {
    // for i in 0..300000: c = s[i % 3]
    let mut p = program(vec![func(
        "main",
        0,
        7,
        &[4, 5],
        vec![
            LoadStr { dst: 4, index: 0 },
            LoadInt { dst: 0, value: 0 },
            LoadConst { dst: 1, index: 0 },
            LoadInt { dst: 2, value: 1 },
            LoadInt { dst: 6, value: 3 },
            ForPrepI32 {
                base: 0,
                inclusive: false,
                offset: 3,
            },
            RemI32 { dst: 3, a: 0, b: 6 },
            StrIndex {
                dst: 5,
                s: 4,
                index: 3,
            },
            ForLoopI32 {
                base: 0,
                inclusive: false,
                offset: -3,
            },
            Print {
                base: 5,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    p.consts = vec![300_000];
    p.strings = vec![b"abc".to_vec()];
    print_format(&mut p, &[STR]);
    let mut out = Vec::new();
    let mut vm = Vm::new(&p, &VmConfig::default(), &mut out).unwrap();
    vm.execute().unwrap();
    assert_eq!(vm.heap.peak_object_count(), 1 + 3);
    drop(vm);
    assert_eq!(out, b"c\n");
}

#[test]
fn verifier_checks_array_operands() {
    let bad = |instr: Instr| {
        let p = program(vec![func("main", 0, 3, &[], vec![instr, ReturnVoid {}])]);
        let err = error(&p, &VmConfig::default());
        assert_eq!(err.code, Code::Internal, "{err}");
        assert!(err.message.starts_with("invalid bytecode"), "{err}");
    };
    bad(NewArray {
        dst: 0,
        base: 1,
        count: 3,
        elem_ref: false,
    });
    bad(NewArray {
        dst: 3,
        base: 0,
        count: 0,
        elem_ref: false,
    });
    bad(ArrayGet {
        dst: 0,
        arr: 1,
        index: 3,
    });
    bad(ArraySet {
        arr: 3,
        index: 1,
        src: 0,
    });
    bad(ArrayLen { dst: 0, arr: 7 });
    bad(ArrayPush { arr: 0, src: 3 });
    bad(ArrayPop { dst: 3, arr: 0 });
    bad(ArraySlice {
        dst: 0,
        arr: 1,
        start: 2,
        end: 3,
        has_start: true,
        has_end: false,
    });
    bad(StrLen { dst: 0, s: 3 });
    bad(StrIndex {
        dst: 0,
        s: 1,
        index: 5,
    });
    // In range: accepted (and an empty array is made).
    let p = program(vec![func(
        "main",
        0,
        3,
        &[],
        vec![
            NewArray {
                dst: 2,
                base: 0,
                count: 3,
                elem_ref: false,
            },
            ReturnVoid {},
        ],
    )]);
    assert_eq!(run_with(&p, &VmConfig::default()).0, Ok(()));
}
