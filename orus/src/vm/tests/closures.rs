//! Cells, closures, `CallValue`, and the collector on cyclic garbage.

use super::*;
use crate::bytecode::StructLayout;

/// `fn inc()`: adds 1 to the cell it captured.
fn inc() -> Function {
    func(
        "inc",
        0,
        2,
        &[0],
        vec![
            GetCapture { dst: 0, index: 0 },
            GetCell { dst: 1, cell: 0 },
            AddI32Imm {
                dst: 1,
                a: 1,
                imm: 1,
            },
            SetCell { cell: 0, src: 1 },
            ReturnVoid {},
        ],
    )
}

/// `fn get() -> i32`: the contents of the cell it captured.
fn get() -> Function {
    func(
        "get",
        0,
        1,
        &[0],
        vec![
            GetCapture { dst: 0, index: 0 },
            GetCell { dst: 0, cell: 0 },
            Return { src: 0 },
        ],
    )
}

#[test]
fn two_closures_share_a_cell() {
    let mut p = program(vec![
        func(
            "main",
            0,
            6,
            &[1, 2, 3, 4],
            vec![
                LoadInt { dst: 0, value: 0 },
                NewCell { dst: 1, src: 0 },
                MakeClosure {
                    dst: 2,
                    func: 1,
                    base: 1,
                    count: 1,
                },
                MakeClosure {
                    dst: 3,
                    func: 2,
                    base: 1,
                    count: 1,
                },
                CallValue {
                    callee: 2,
                    base: 4,
                    arity: 0,
                },
                CallValue {
                    callee: 2,
                    base: 4,
                    arity: 0,
                },
                CallValue {
                    callee: 3,
                    base: 4,
                    arity: 0,
                },
                GetCell { dst: 5, cell: 1 },
                Print {
                    base: 4,
                    count: 2,
                    format: 0,
                },
                Print {
                    base: 2,
                    count: 1,
                    format: 1,
                },
                ReturnVoid {},
            ],
        ),
        inc(),
        get(),
    ]);
    let func_ty = add_type(&mut p, ValType::Func);
    print_format(&mut p, &[I32, I32]);
    print_format(&mut p, &[func_ty]);
    assert_eq!(output(&p), "2 2\n<fn inc>\n");
}

/// main: `c = make_counter(); for i in 0..n: s = i as string` (garbage to trigger
/// collections), then `print(c(), c(), c())`. `make_counter` returns a closure over a
/// cell that starts at 100 and counts up.
fn counter_program(n: i32) -> Program {
    let mut p = program(vec![
        func(
            "main",
            0,
            9,
            &[0, 4, 5, 6, 7],
            vec![
                Call { func: 1, base: 0 },
                LoadInt { dst: 1, value: 0 },
                LoadInt { dst: 2, value: n },
                LoadInt { dst: 3, value: 1 },
                ForPrepI32 {
                    base: 1,
                    inclusive: false,
                    offset: 2,
                },
                ToStr {
                    dst: 4,
                    src: 1,
                    ty: I32,
                },
                ForLoopI32 {
                    base: 1,
                    inclusive: false,
                    offset: -2,
                },
                CallValue {
                    callee: 0,
                    base: 5,
                    arity: 0,
                },
                CallValue {
                    callee: 0,
                    base: 6,
                    arity: 0,
                },
                CallValue {
                    callee: 0,
                    base: 7,
                    arity: 0,
                },
                Print {
                    base: 5,
                    count: 3,
                    format: 0,
                },
                ReturnVoid {},
            ],
        ),
        func(
            "make_counter",
            0,
            3,
            &[1, 2],
            vec![
                LoadInt { dst: 0, value: 100 },
                NewCell { dst: 1, src: 0 },
                MakeClosure {
                    dst: 2,
                    func: 2,
                    base: 1,
                    count: 1,
                },
                Return { src: 2 },
            ],
        ),
        func(
            "count",
            0,
            2,
            &[0],
            vec![
                GetCapture { dst: 0, index: 0 },
                GetCell { dst: 1, cell: 0 },
                AddI32Imm {
                    dst: 1,
                    a: 1,
                    imm: 1,
                },
                SetCell { cell: 0, src: 1 },
                Return { src: 1 },
            ],
        ),
    ]);
    print_format(&mut p, &[I32, I32, I32]);
    p
}

#[test]
fn a_closure_outlives_its_frame_and_collections() {
    assert_eq!(output(&counter_program(0)), "101 102 103\n");
    let p = counter_program(200_000);
    let mut out = Vec::new();
    let mut vm = Vm::new(&p, &VmConfig::default(), &mut out).unwrap();
    vm.execute().unwrap();
    assert!(vm.heap.collections() > 0);
    drop(vm);
    assert_eq!(out, b"101 102 103\n");
}

#[test]
fn call_value_recurses() {
    // fact captures a cell holding fact itself.
    let mut p = program(vec![
        func(
            "main",
            0,
            4,
            &[0, 1],
            vec![
                LoadInt { dst: 3, value: 0 },
                NewCell { dst: 0, src: 3 },
                MakeClosure {
                    dst: 1,
                    func: 1,
                    base: 0,
                    count: 1,
                },
                SetCell { cell: 0, src: 1 },
                LoadInt { dst: 3, value: 10 },
                CallValue {
                    callee: 1,
                    base: 3,
                    arity: 1,
                },
                Print {
                    base: 3,
                    count: 1,
                    format: 0,
                },
                ReturnVoid {},
            ],
        ),
        func(
            "fact",
            1,
            3,
            &[1],
            vec![
                LoadInt { dst: 1, value: 2 },
                LtI32 { dst: 1, a: 0, b: 1 },
                JumpIfFalse { cond: 1, offset: 2 },
                LoadInt { dst: 0, value: 1 },
                Return { src: 0 },
                GetCapture { dst: 1, index: 0 },
                GetCell { dst: 1, cell: 1 },
                AddI32Imm {
                    dst: 2,
                    a: 0,
                    imm: -1,
                },
                CallValue {
                    callee: 1,
                    base: 2,
                    arity: 1,
                },
                MulI32 { dst: 0, a: 0, b: 2 },
                Return { src: 0 },
            ],
        ),
    ]);
    print_format(&mut p, &[I32]);
    assert_eq!(output(&p), "3628800\n");
    // The frame limit applies to CallValue as to Call.
    let config = VmConfig {
        max_frames: 5,
        ..VmConfig::default()
    };
    let err = error(&p, &config);
    assert_eq!(err.code, Code::StackOverflow);
    assert_eq!(err.trace.len(), 5);
}

#[test]
fn bad_closure_use_is_a_clean_error() {
    // GetCapture in a frame made by a plain Call.
    let p = program(vec![
        func(
            "main",
            0,
            1,
            &[],
            vec![Call { func: 1, base: 0 }, ReturnVoid {}],
        ),
        get(),
    ]);
    let err = error(&p, &VmConfig::default());
    assert_eq!(err.code, Code::Internal);
    assert_eq!(err.trace, vec![(1, 0), (0, 0)]);
    // A closure whose function takes another number of arguments than the call passes.
    let p = program(vec![
        func(
            "main",
            0,
            2,
            &[0],
            vec![
                MakeClosure {
                    dst: 0,
                    func: 1,
                    base: 0,
                    count: 0,
                },
                CallValue {
                    callee: 0,
                    base: 1,
                    arity: 1,
                },
                ReturnVoid {},
            ],
        ),
        func("two", 2, 2, &[], vec![ReturnVoid {}]),
    ]);
    assert_eq!(error(&p, &VmConfig::default()).code, Code::Internal);
}

/// `for i in 0..n`: two cells, two closures each capturing the other's cell, each cell
/// holding the other closure: a cycle that becomes garbage at the next iteration.
fn closure_cycles(n: i32) -> Program {
    let mut p = program(vec![
        func(
            "main",
            0,
            8,
            &[3, 4, 5, 6, 7],
            vec![
                LoadInt { dst: 0, value: 0 },
                LoadInt { dst: 1, value: n },
                LoadInt { dst: 2, value: 1 },
                ForPrepI32 {
                    base: 0,
                    inclusive: false,
                    offset: 7,
                },
                NewCell { dst: 4, src: 0 },
                NewCell { dst: 5, src: 0 },
                MakeClosure {
                    dst: 6,
                    func: 1,
                    base: 5,
                    count: 1,
                },
                MakeClosure {
                    dst: 7,
                    func: 1,
                    base: 4,
                    count: 1,
                },
                SetCell { cell: 4, src: 6 },
                SetCell { cell: 5, src: 7 },
                ForLoopI32 {
                    base: 0,
                    inclusive: false,
                    offset: -7,
                },
                // The last pair still works: 6 -> cell 5 -> 7 -> cell 4 -> 6.
                CallValue {
                    callee: 6,
                    base: 3,
                    arity: 0,
                },
                Print {
                    base: 3,
                    count: 1,
                    format: 0,
                },
                ReturnVoid {},
            ],
        ),
        // fn peer() -> fn: the closure in the captured cell.
        func(
            "peer",
            0,
            1,
            &[0],
            vec![
                GetCapture { dst: 0, index: 0 },
                GetCell { dst: 0, cell: 0 },
                Return { src: 0 },
            ],
        ),
    ]);
    let func_ty = add_type(&mut p, ValType::Func);
    print_format(&mut p, &[func_ty]);
    p
}

#[test]
fn cyclic_closures_are_collected() {
    let p = closure_cycles(1_000_000);
    let mut out = Vec::new();
    let mut vm = Vm::new(&p, &VmConfig::default(), &mut out).unwrap();
    vm.execute().unwrap();
    assert!(vm.heap.collections() > 10);
    assert!(
        vm.heap.peak_object_count() < 200_000,
        "peak {} objects",
        vm.heap.peak_object_count()
    );
    drop(vm);
    assert_eq!(out, b"<fn peer>\n");
}

/// `struct Node { peers: [Node], id: i32 }`; `for i in 0..n`: a and b list each other
/// as peers; at the end the last a is printed (the cycle prints as `...`).
fn struct_cycles(n: i32) -> Program {
    let mut p = program(vec![func(
        "main",
        0,
        8,
        &[3, 5, 6, 7],
        vec![
            LoadInt { dst: 0, value: 0 },
            LoadInt { dst: 1, value: n },
            LoadInt { dst: 2, value: 1 },
            ForPrepI32 {
                base: 0,
                inclusive: false,
                offset: 9,
            },
            NewArray {
                dst: 3,
                base: 0,
                count: 0,
                elem_ref: true,
            },
            Move { dst: 4, src: 0 },
            NewStruct {
                dst: 7,
                base: 3,
                count: 2,
                layout: 0,
            },
            NewArray {
                dst: 5,
                base: 0,
                count: 0,
                elem_ref: true,
            },
            AddI32Imm {
                dst: 6,
                a: 0,
                imm: 1,
            },
            NewStruct {
                dst: 6,
                base: 5,
                count: 2,
                layout: 0,
            },
            ArrayPush { arr: 3, src: 6 },
            ArrayPush { arr: 5, src: 7 },
            ForLoopI32 {
                base: 0,
                inclusive: false,
                offset: -9,
            },
            Print {
                base: 7,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    p.structs = vec![StructLayout {
        name: "Node".into(),
        fields: vec![
            ("peers".into(), ValType::Array(Box::new(ValType::Struct(0)))),
            ("id".into(), ValType::I32),
        ],
    }];
    let node = add_type(&mut p, ValType::Struct(0));
    print_format(&mut p, &[node]);
    p
}

#[test]
fn cyclic_structs_are_collected_and_print() {
    assert_eq!(output(&struct_cycles(1)), "..., 1, 0\n");
    let p = struct_cycles(1_000_000);
    let mut out = Vec::new();
    let mut vm = Vm::new(&p, &VmConfig::default(), &mut out).unwrap();
    vm.execute().unwrap();
    assert!(vm.heap.collections() > 10);
    assert!(
        vm.heap.peak_object_count() < 200_000,
        "peak {} objects",
        vm.heap.peak_object_count()
    );
    drop(vm);
    assert_eq!(out, b"..., 1000000, 999999\n");
}
