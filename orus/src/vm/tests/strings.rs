//! Strings, print formatting, globals and garbage collection.

use super::*;

#[test]
fn strings_concatenate_compare_and_print() {
    let mut p = program(vec![func(
        "main",
        0,
        6,
        &[0, 1, 2, 3, 4],
        vec![
            LoadStr { dst: 0, index: 0 },
            LoadStr { dst: 1, index: 1 },
            Concat { dst: 2, a: 0, b: 1 },
            LoadInt { dst: 5, value: 42 },
            ToStr {
                dst: 3,
                src: 5,
                ty: I32,
            },
            Concat { dst: 2, a: 2, b: 3 },
            LoadConst { dst: 5, index: 0 },
            ToStr {
                dst: 4,
                src: 5,
                ty: F64,
            },
            Concat { dst: 2, a: 2, b: 4 },
            Print {
                base: 2,
                count: 1,
                format: 0,
            },
            LtStr { dst: 3, a: 0, b: 1 },
            EqStr { dst: 4, a: 2, b: 2 },
            LoadStr { dst: 5, index: 2 },
            Print {
                base: 3,
                count: 3,
                format: 1,
            },
            ReturnVoid {},
        ],
    )]);
    p.strings = vec![b"hello".to_vec(), b" world".to_vec(), b"@x".to_vec()];
    p.consts = vec![f(1234567.0)];
    print_format(&mut p, &[STR]);
    print_format(&mut p, &[BOOL, BOOL, STR]);
    assert_eq!(output(&p), "hello world421.23457e+06\nfalse true @x\n");
}

#[test]
fn templates_and_empty_print() {
    let mut p = program(vec![func(
        "main",
        0,
        4,
        &[0],
        vec![
            LoadStr { dst: 0, index: 0 },
            LoadInt { dst: 1, value: -1 },
            LoadConst { dst: 2, index: 0 },
            LoadConst { dst: 3, index: 1 },
            Print {
                base: 0,
                count: 4,
                format: 0,
            },
            Print {
                base: 0,
                count: 0,
                format: 1,
            },
            Print {
                base: 1,
                count: 1,
                format: 2,
            },
            Print {
                base: 1,
                count: 1,
                format: 2,
            },
            ReturnVoid {},
        ],
    )]);
    p.strings = vec![b"@x|@.2f".to_vec()];
    p.consts = vec![f(2.0 / 3.0), u64::MAX];
    print_format(&mut p, &[STR, I32, F64, U64]);
    print_format(&mut p, &[]);
    p.print_formats.push(PrintFormat {
        arg_types: vec![I32],
        newline: false,
        append: false,
    });
    assert_eq!(
        output(&p),
        "ffffffffffffffff|0.67 18446744073709551615\n\n-1-1"
    );
}

#[test]
fn globals_hold_values_and_roots() {
    let mut p = program(vec![func(
        "main",
        0,
        3,
        &[0, 1],
        vec![
            LoadStr { dst: 0, index: 0 },
            LoadInt { dst: 2, value: 5 },
            ToStr {
                dst: 0,
                src: 2,
                ty: I32,
            },
            SetGlobal { index: 1, src: 0 },
            SetGlobal { index: 0, src: 2 },
            LoadInt { dst: 0, value: 0 },
            GetGlobal { dst: 1, index: 1 },
            GetGlobal { dst: 2, index: 0 },
            Print {
                base: 1,
                count: 2,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    p.strings = vec![b"s".to_vec()];
    p.globals = vec![
        GlobalInfo {
            name: "N".into(),
            is_ref: false,
        },
        GlobalInfo {
            name: "S".into(),
            is_ref: true,
        },
    ];
    print_format(&mut p, &[STR, I32]);
    assert_eq!(output(&p), "5 5\n");
}

/// `for i in 0..n: s = (i as string) + "x"`, then print s. R3 and R4 are references.
fn allocation_loop(n: i32) -> Program {
    let mut p = program(vec![func(
        "main",
        0,
        6,
        &[3, 4, 5],
        vec![
            LoadInt { dst: 0, value: 0 },
            LoadInt { dst: 1, value: n },
            LoadInt { dst: 2, value: 1 },
            LoadStr { dst: 5, index: 0 },
            LoadStr { dst: 4, index: 0 },
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
            Concat { dst: 4, a: 3, b: 5 },
            ForLoopI32 {
                base: 0,
                inclusive: false,
                offset: -3,
            },
            Print {
                base: 4,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    p.strings = vec![b"x".to_vec()];
    print_format(&mut p, &[STR]);
    p
}

#[test]
fn collector_keeps_the_heap_bounded() {
    let p = allocation_loop(1_000_000);
    let mut out = Vec::new();
    let mut vm = Vm::new(&p, &VmConfig::default(), &mut out).unwrap();
    vm.execute().unwrap();
    assert!(vm.heap.collections() > 0);
    assert!(
        vm.heap.peak_object_count() < 200_000,
        "peak {} objects",
        vm.heap.peak_object_count()
    );
    drop(vm);
    assert_eq!(out, b"999999x\n");
}

#[test]
fn heap_limit_is_out_of_memory() {
    // s = "x"; loop forever: s = s + s
    let mut p = program(vec![func(
        "main",
        0,
        1,
        &[0],
        vec![
            LoadStr { dst: 0, index: 0 },
            Concat { dst: 0, a: 0, b: 0 },
            Jump { offset: -2 },
        ],
    )]);
    p.strings = vec![b"x".to_vec()];
    let config = VmConfig {
        heap_limit: Some(1 << 20),
        ..VmConfig::default()
    };
    let err = error(&p, &config);
    assert_eq!(err.code, Code::OutOfMemory);
    assert_eq!(err.message, "heap limit exceeded");
    // The allocation loop above stays far below a small limit: garbage is collected.
    let config = VmConfig {
        heap_limit: Some(256 << 10),
        ..VmConfig::default()
    };
    assert_eq!(run_with(&allocation_loop(100_000), &config).0, Ok(()));
}

#[test]
fn stale_reference_registers_are_harmless() {
    // R1 is listed as a reference but only ever holds integers, including values that
    // look like handles; collections triggered by the loop must not be confused.
    let mut p = allocation_loop(300_000);
    let main = &mut p.functions[0];
    main.ref_regs = [main.ref_regs.as_ref(), &[0, 1, 2]].concat().into();
    assert_eq!(output(&p), "299999x\n");
}

#[test]
fn concatenation_in_a_loop_is_linear() {
    // s = ""; for i in 0..200000: s = s + "0123456789". Quadratic copying would move
    // 200 GB here; appending in place moves 2 MB.
    let mut p = program(vec![func(
        "main",
        0,
        5,
        &[3, 4],
        vec![
            LoadInt { dst: 0, value: 0 },
            LoadConst { dst: 1, index: 0 },
            LoadInt { dst: 2, value: 1 },
            LoadStr { dst: 3, index: 0 },
            LoadStr { dst: 4, index: 1 },
            ForPrepI32 {
                base: 0,
                inclusive: false,
                offset: 2,
            },
            Concat { dst: 4, a: 4, b: 3 },
            ForLoopI32 {
                base: 0,
                inclusive: false,
                offset: -2,
            },
            ReturnVoid {},
        ],
    )]);
    p.consts = vec![200_000];
    p.strings = vec![b"0123456789".to_vec(), Vec::new()];
    let mut out = Vec::new();
    let mut vm = Vm::new(&p, &VmConfig::default(), &mut out).unwrap();
    vm.execute().unwrap();
    let s = vm.heap.get_str(vm.regs[4] as u32);
    assert_eq!(s.len(), 2_000_000);
    assert!(s.starts_with(b"01234567890123"));
    assert!(vm.heap.live_bytes() < 16 << 20, "{}", vm.heap.live_bytes());
}

#[test]
fn concat_fmt_writes_integer_parts_and_verify_bounds_it() {
    let code = |count: u16| {
        vec![
            LoadStr { dst: 0, index: 0 },
            LoadInt { dst: 1, value: -42 },
            LoadConst { dst: 2, index: 0 },
            ConcatFmt {
                dst: 3,
                base: 0,
                count,
                format: 1,
            },
            Print {
                base: 3,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ]
    };
    let mut p = program(vec![func("main", 0, 12, &[0, 3], code(3))]);
    p.strings = vec![b"n=".to_vec()];
    p.consts = vec![u64::MAX];
    print_format(&mut p, &[STR]);
    print_format(&mut p, &[STR, I32, U64]);
    assert_eq!(output(&p), "n=-4218446744073709551615\n");

    // A part of a type the instruction does not format is refused before running.
    p.print_formats[1].arg_types[2] = F64;
    let refused = super::verify::verify(&p).expect_err("an f64 part");
    assert!(
        refused.message.contains("concatenation part"),
        "{refused:?}"
    );

    // So is a join of more parts than the VM formats on its stack.
    let mut wide = program(vec![func("main", 0, 12, &[0, 3], code(9))]);
    wide.strings = vec![b"n=".to_vec()];
    wide.consts = vec![0];
    print_format(&mut wide, &[STR]);
    print_format(&mut wide, &[I32; 9]);
    let refused = super::verify::verify(&wide).expect_err("nine parts");
    assert!(refused.message.contains("9 formatted parts"), "{refused:?}");
}
