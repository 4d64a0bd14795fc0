//! `try`/`catch`: handlers, unwinding, `throw`, rethrow, and what is not caught.

use super::*;

/// `fn outer(a, b) -> i32: return inner(a, b)`.
fn outer() -> Function {
    func(
        "outer",
        2,
        2,
        &[],
        vec![Call { func: 2, base: 0 }, Return { src: 0 }],
    )
}

/// `fn inner(a, b) -> i32: return a / b`.
fn inner() -> Function {
    func(
        "inner",
        2,
        2,
        &[],
        vec![DivI32 { dst: 0, a: 0, b: 1 }, Return { src: 0 }],
    )
}

fn error_type(p: &mut Program) -> u32 {
    add_type(p, ValType::Error)
}

#[test]
fn catches_an_error_two_frames_down() {
    let mut p = program(vec![
        func(
            "main",
            0,
            3,
            &[0],
            vec![
                LoadInt { dst: 1, value: 7 },
                LoadInt { dst: 2, value: 0 },
                PushTry { dst: 0, offset: 4 },
                Call { func: 1, base: 1 },
                PopTry {},
                Print {
                    base: 1,
                    count: 1,
                    format: 0,
                },
                Jump { offset: 1 },
                Print {
                    base: 0,
                    count: 1,
                    format: 1,
                },
                LoadInt { dst: 1, value: 8 },
                LoadInt { dst: 2, value: 2 },
                Call { func: 1, base: 1 },
                Print {
                    base: 1,
                    count: 1,
                    format: 0,
                },
                ReturnVoid {},
            ],
        ),
        outer(),
        inner(),
    ]);
    let error_ty = error_type(&mut p);
    print_format(&mut p, &[I32]);
    print_format(&mut p, &[error_ty]);
    let expected = "Error: Division by zero\n4\n";
    assert_eq!(output(&p), expected);
    // Exactly three frames: if the catch had not popped outer and inner, the second
    // call would overflow.
    let config = VmConfig {
        max_frames: 3,
        ..VmConfig::default()
    };
    let mut out = Vec::new();
    let mut vm = Vm::new(&p, &config, &mut out).unwrap();
    vm.execute().unwrap();
    assert!(vm.handlers.is_empty());
    drop(vm);
    assert_eq!(String::from_utf8(out).unwrap(), expected);
}

#[test]
fn nested_handlers_and_throw() {
    let mut p = program(vec![func(
        "main",
        0,
        3,
        &[0, 1, 2],
        vec![
            PushTry { dst: 0, offset: 7 },
            PushTry { dst: 1, offset: 3 },
            LoadStr { dst: 2, index: 0 },
            ThrowStr { src: 2 },
            PopTry {},
            Print {
                base: 1,
                count: 1,
                format: 0,
            },
            LoadStr { dst: 2, index: 1 },
            ThrowStr { src: 2 },
            Print {
                base: 0,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    p.strings = vec![b"a".to_vec(), b"b c".to_vec()];
    let error_ty = error_type(&mut p);
    print_format(&mut p, &[error_ty]);
    assert_eq!(output(&p), "Error: a\nError: b c\n");
}

/// `try: (try: 0 / 0 catch e: throw e) catch e2: print(e2)`; without the outer `try`
/// when `outer_try` is false.
fn rethrow_program(outer_try: bool) -> Program {
    let mut code = vec![
        PushTry { dst: 0, offset: 6 },
        PushTry { dst: 1, offset: 3 },
        LoadInt { dst: 2, value: 0 },
        DivI32 { dst: 2, a: 2, b: 2 },
        PopTry {},
        Rethrow { src: 1 },
        PopTry {},
        Print {
            base: 0,
            count: 1,
            format: 0,
        },
        ReturnVoid {},
    ];
    if !outer_try {
        code[0] = Jump { offset: 0 };
    }
    let mut p = program(vec![func("main", 0, 3, &[0, 1], code)]);
    let error_ty = error_type(&mut p);
    print_format(&mut p, &[error_ty]);
    p
}

#[test]
fn rethrow_keeps_code_and_message() {
    assert_eq!(output(&rethrow_program(true)), "Error: Division by zero\n");
    let err = error(&rethrow_program(false), &VmConfig::default());
    assert_eq!(err.code, Code::DivisionByZero);
    assert_eq!(err.message, "Division by zero");
    assert_eq!(err.trace, vec![(0, 5)]);
}

#[test]
fn uncaught_throw_is_a_runtime_error() {
    let mut p = program(vec![
        func(
            "main",
            0,
            1,
            &[0],
            vec![
                LoadStr { dst: 0, index: 1 },
                Print {
                    base: 0,
                    count: 1,
                    format: 0,
                },
                Call { func: 1, base: 0 },
                ReturnVoid {},
            ],
        ),
        func(
            "fail",
            0,
            1,
            &[0],
            vec![
                LoadStr { dst: 0, index: 0 },
                ThrowStr { src: 0 },
                ReturnVoid {},
            ],
        ),
    ]);
    p.strings = vec![b"boom: bad input".to_vec(), b"before".to_vec()];
    print_format(&mut p, &[STR]);
    let (result, out) = run_with(&p, &VmConfig::default());
    let err = result.unwrap_err();
    assert_eq!(out, "before\n");
    assert_eq!(err.code, Code::Thrown);
    assert_eq!(err.message, "boom: bad input");
    assert_eq!(err.trace, vec![(1, 1), (0, 2)]);
}

/// `fn f() -> i32: try: return 5 catch e: return -1`; main calls f, then divides by
/// zero (inside its own `try` when `main_try`).
fn return_in_try(main_try: bool) -> Program {
    let mut p = program(vec![
        func(
            "main",
            0,
            3,
            &[2],
            vec![
                PushTry { dst: 2, offset: 5 },
                Call { func: 1, base: 0 },
                LoadInt { dst: 1, value: 0 },
                DivI32 { dst: 1, a: 0, b: 1 },
                PopTry {},
                Jump { offset: 1 },
                Print {
                    base: 2,
                    count: 1,
                    format: 0,
                },
                Print {
                    base: 0,
                    count: 1,
                    format: 1,
                },
                ReturnVoid {},
            ],
        ),
        func(
            "f",
            0,
            2,
            &[1],
            vec![
                PushTry { dst: 1, offset: 2 },
                LoadInt { dst: 0, value: 5 },
                Return { src: 0 },
                LoadInt { dst: 0, value: -1 },
                Return { src: 0 },
            ],
        ),
    ]);
    if !main_try {
        p.functions[0].code[0] = Jump { offset: 0 };
    }
    let error_ty = error_type(&mut p);
    print_format(&mut p, &[error_ty]);
    print_format(&mut p, &[I32]);
    p
}

#[test]
fn return_inside_try_discards_the_handler() {
    assert_eq!(output(&return_in_try(true)), "Error: Division by zero\n5\n");
    let err = error(&return_in_try(false), &VmConfig::default());
    assert_eq!(err.code, Code::DivisionByZero);
    assert_eq!(err.trace, vec![(0, 3)]);
}

#[test]
fn a_handler_in_a_closure_frame_keeps_its_captures() {
    let mut p = program(vec![
        func(
            "main",
            0,
            4,
            &[1, 2],
            vec![
                LoadInt { dst: 0, value: 42 },
                NewCell { dst: 1, src: 0 },
                MakeClosure {
                    dst: 2,
                    func: 1,
                    base: 1,
                    count: 1,
                },
                CallValue {
                    callee: 2,
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
        func(
            "guarded",
            0,
            2,
            &[0, 1],
            vec![
                PushTry { dst: 1, offset: 2 },
                Call { func: 2, base: 0 },
                Return { src: 0 },
                GetCapture { dst: 0, index: 0 },
                GetCell { dst: 0, cell: 0 },
                Return { src: 0 },
            ],
        ),
        func(
            "thrower",
            0,
            1,
            &[0],
            vec![
                LoadStr { dst: 0, index: 0 },
                ThrowStr { src: 0 },
                ReturnVoid {},
            ],
        ),
    ]);
    p.strings = vec![b"x".to_vec()];
    print_format(&mut p, &[I32]);
    assert_eq!(output(&p), "42\n");
}

#[test]
fn stack_overflow_is_caught_but_not_the_budget() {
    let mut p = program(vec![
        func(
            "main",
            0,
            2,
            &[0],
            vec![
                PushTry { dst: 0, offset: 2 },
                Call { func: 1, base: 1 },
                PopTry {},
                Print {
                    base: 0,
                    count: 1,
                    format: 0,
                },
                ReturnVoid {},
            ],
        ),
        func(
            "forever",
            0,
            1,
            &[],
            vec![Call { func: 1, base: 0 }, ReturnVoid {}],
        ),
    ]);
    let error_ty = error_type(&mut p);
    print_format(&mut p, &[error_ty]);
    let config = VmConfig {
        max_frames: 50,
        ..VmConfig::default()
    };
    let (result, out) = run_with(&p, &config);
    result.unwrap();
    assert_eq!(
        out,
        "Error: stack overflow: more than 50 frames on the call stack\n"
    );

    let config = VmConfig {
        instruction_budget: Some(1000),
        ..VmConfig::default()
    };
    assert_eq!(error(&p, &config).code, Code::BudgetExhausted);
    let spin = program(vec![func(
        "main",
        0,
        1,
        &[0],
        vec![
            PushTry { dst: 0, offset: 1 },
            Jump { offset: -1 },
            ReturnVoid {},
        ],
    )]);
    assert_eq!(error(&spin, &config).code, Code::BudgetExhausted);
}

#[test]
fn pop_try_without_a_handler_is_a_clean_error() {
    let p = program(vec![func(
        "main",
        0,
        1,
        &[],
        vec![PopTry {}, ReturnVoid {}],
    )]);
    let err = error(&p, &VmConfig::default());
    assert_eq!(err.code, Code::Internal);
    assert_eq!(err.trace, vec![(0, 0)]);
}

#[test]
fn running_out_of_memory_is_caught_like_any_runtime_error() {
    // Spec §14: any runtime error inside `try` goes to `catch`, the heap limit's too; what
    // the `try` block made is garbage once caught, so the program carries on.
    let src = "fn fill() -> i32:\n    xs: [[i32]] = []\n    while true:\n        push(xs, [1, 2, 3, 4, 5, 6, 7, 8])\n    return len(xs)\n\
               print(\"start\")\n\
               try:\n    print(fill())\n\
               catch e:\n    print(\"caught\", e)\n\
               ys = [1, 2, 3]\n\
               print(\"after\", ys)\n";
    let compiled = crate::driver::compile("t.orus", src.as_bytes()).expect("compiles");
    let config = VmConfig {
        heap_limit: Some(1 << 20),
        ..VmConfig::default()
    };
    let (result, out) = run_with(&compiled.program, &config);
    assert_eq!(result, Ok(()));
    assert_eq!(
        out,
        "start\ncaught Error: heap limit exceeded\nafter 1, 2, 3\n"
    );
}

#[test]
fn a_caught_error_leaves_no_roots_in_the_unwound_frames() {
    // `grow` fills the heap with 16 KiB arrays kept in one array in its R0, which is
    // main's R1: a reference register main has not written yet. After the catch, main
    // makes a 16 KiB array. Had the unwound frame's registers kept their values, main's
    // R1 would keep everything `grow` made alive, and the heap limit would refuse it.
    const WIDE: u16 = 2000;
    let p = program(vec![
        func(
            "main",
            0,
            3 + WIDE,
            &[0, 1],
            vec![
                PushTry { dst: 0, offset: 2 },
                Call { func: 1, base: 1 },
                PopTry {},
                NewArray {
                    dst: 2,
                    base: 3,
                    count: WIDE,
                    elem_ref: false,
                },
                ReturnVoid {},
            ],
        ),
        func(
            "grow",
            0,
            2 + WIDE,
            &[0, 1],
            vec![
                NewArray {
                    dst: 0,
                    base: 0,
                    count: 0,
                    elem_ref: true,
                },
                NewArray {
                    dst: 1,
                    base: 2,
                    count: WIDE,
                    elem_ref: false,
                },
                ArrayPush { arr: 0, src: 1 },
                Jump { offset: -3 },
            ],
        ),
    ]);
    let config = VmConfig {
        heap_limit: Some(1 << 20),
        ..VmConfig::default()
    };
    assert_eq!(run_with(&p, &config).0, Ok(()));
}
