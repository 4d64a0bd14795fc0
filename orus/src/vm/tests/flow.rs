//! Range loops, calls, recursion limits, traces, the budget and the verifier.

use super::*;

/// `sum = 0; for i in start..end..step (or ..=): sum += i; print(sum)` over i32.
fn range_sum(start: i32, end: i32, step: i32, inclusive: bool) -> Program {
    let mut p = program(vec![func(
        "main",
        0,
        4,
        &[],
        vec![
            LoadInt { dst: 0, value: 0 },
            LoadInt {
                dst: 1,
                value: start,
            },
            LoadInt { dst: 2, value: end },
            LoadInt {
                dst: 3,
                value: step,
            },
            ForPrepI32 {
                base: 1,
                inclusive,
                offset: 2,
            },
            AddI32 { dst: 0, a: 0, b: 1 },
            ForLoopI32 {
                base: 1,
                inclusive,
                offset: -2,
            },
            Print {
                base: 0,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    print_format(&mut p, &[I32]);
    p
}

#[test]
fn for_loops_over_i32_ranges() {
    assert_eq!(output(&range_sum(1, 100, 1, true)), "5050\n");
    assert_eq!(output(&range_sum(1, 100, 1, false)), "4950\n");
    assert_eq!(output(&range_sum(10, 0, -5, true)), "15\n");
    assert_eq!(output(&range_sum(10, 0, -5, false)), "15\n");
    assert_eq!(output(&range_sum(3, 0, 1, false)), "0\n");
    assert_eq!(output(&range_sum(5, 5, 1, false)), "0\n");
    assert_eq!(output(&range_sum(5, 5, 1, true)), "5\n");
    // The index never overflows: ..=MAX runs exactly to MAX, ..=MIN down to MIN.
    assert_eq!(
        output(&range_sum(i32::MAX - 2, i32::MAX, 1, true)),
        "2147483642\n"
    );
    assert_eq!(output(&range_sum(i32::MIN + 1, i32::MIN, -1, true)), "1\n");
    assert_eq!(output(&range_sum(0, 10, 7, true)), "7\n");
    let err = error(&range_sum(0, 10, 0, false), &VmConfig::default());
    assert_eq!(err.code, Code::InvalidRange);
    assert_eq!(err.message, "for loop step cannot be zero");
    assert_eq!(err.trace, vec![(0, 4)]);
}

/// The back-edge of ranges written without a step gives the same loops as the general one,
/// including at the ends of the type.
#[test]
fn step1_back_edge_matches_the_general_one() {
    let cases = [
        (1, 100, true),
        (1, 100, false),
        (3, 0, false),
        (5, 5, false),
        (5, 5, true),
        (i32::MAX - 2, i32::MAX, true),
        (i32::MAX - 2, i32::MAX, false),
        (i32::MIN, i32::MIN + 3, false),
    ];
    for (start, end, inclusive) in cases {
        let general = range_sum(start, end, 1, inclusive);
        let mut step1 = range_sum(start, end, 1, inclusive);
        for instr in &mut step1.functions[0].code {
            if let ForLoopI32 {
                base,
                inclusive,
                offset,
            } = *instr
            {
                *instr = ForLoopI32Step1 {
                    base,
                    inclusive,
                    offset,
                };
            }
        }
        assert_ne!(step1.functions[0].code, general.functions[0].code);
        assert_eq!(
            output(&step1),
            output(&general),
            "{start}..{end} {inclusive}"
        );
    }
}

#[test]
fn for_loops_over_wide_and_unsigned_ranges() {
    // for i in (u64::MAX - 2)..=u64::MAX: count += 1, using u64 slots via consts.
    let mut p = program(vec![func(
        "main",
        0,
        5,
        &[],
        vec![
            LoadInt { dst: 0, value: 0 },
            LoadConst { dst: 1, index: 0 },
            LoadConst { dst: 2, index: 1 },
            LoadInt { dst: 3, value: 1 },
            ForPrepU64 {
                base: 1,
                inclusive: true,
                offset: 2,
            },
            AddI32Imm {
                dst: 0,
                a: 0,
                imm: 1,
            },
            ForLoopU64 {
                base: 1,
                inclusive: true,
                offset: -2,
            },
            // The same with i64 from -3 to 3 by 2 (exclusive): -3, -1, 1.
            LoadConst { dst: 1, index: 2 },
            LoadInt { dst: 2, value: 3 },
            LoadInt { dst: 3, value: 2 },
            LoadInt { dst: 4, value: 0 },
            ForPrepI64 {
                base: 1,
                inclusive: false,
                offset: 2,
            },
            AddI64 { dst: 4, a: 4, b: 1 },
            ForLoopI64 {
                base: 1,
                inclusive: false,
                offset: -2,
            },
            // And u32 over 0..4 by 3: 0, 3.
            LoadInt { dst: 1, value: 0 },
            LoadInt { dst: 2, value: 4 },
            LoadInt { dst: 3, value: 3 },
            ForPrepU32 {
                base: 1,
                inclusive: false,
                offset: 2,
            },
            AddI32Imm {
                dst: 0,
                a: 0,
                imm: 100,
            },
            ForLoopU32 {
                base: 1,
                inclusive: false,
                offset: -2,
            },
            Print {
                base: 0,
                count: 1,
                format: 0,
            },
            Print {
                base: 4,
                count: 1,
                format: 1,
            },
            ReturnVoid {},
        ],
    )]);
    p.consts = vec![u64::MAX - 2, u64::MAX, (-3i64) as u64];
    print_format(&mut p, &[I32]);
    print_format(&mut p, &[I64]);
    assert_eq!(output(&p), "203\n-3\n");
}

/// fib in function 1; main prints fib(n).
fn fib_program(n: i32) -> Program {
    let mut p = program(vec![
        func(
            "main",
            0,
            2,
            &[],
            vec![
                LoadInt { dst: 1, value: n },
                Call { func: 1, base: 1 },
                Print {
                    base: 1,
                    count: 1,
                    format: 0,
                },
                ReturnVoid {},
            ],
        ),
        func(
            "fib",
            1,
            4,
            &[],
            vec![
                LoadInt { dst: 1, value: 2 },
                LtI32 { dst: 1, a: 0, b: 1 },
                JumpIfFalse { cond: 1, offset: 1 },
                Return { src: 0 },
                AddI32Imm {
                    dst: 2,
                    a: 0,
                    imm: -1,
                },
                Call { func: 1, base: 2 },
                AddI32Imm {
                    dst: 3,
                    a: 0,
                    imm: -2,
                },
                Call { func: 1, base: 3 },
                AddI32 { dst: 0, a: 2, b: 3 },
                Return { src: 0 },
            ],
        ),
    ]);
    print_format(&mut p, &[I32]);
    p
}

#[test]
fn recursive_fib() {
    assert_eq!(output(&fib_program(20)), "6765\n");
    assert_eq!(output(&fib_program(1)), "1\n");
}

/// `fn down(n): if n == 0: return 0 else return down(n - 1)`; main calls down(n).
fn countdown(n: i32) -> Program {
    let mut p = program(vec![
        func(
            "main",
            0,
            1,
            &[],
            vec![
                LoadInt { dst: 0, value: n },
                Call { func: 1, base: 0 },
                Print {
                    base: 0,
                    count: 1,
                    format: 0,
                },
                ReturnVoid {},
            ],
        ),
        func(
            "down",
            1,
            2,
            &[],
            vec![
                JumpIfTrue { cond: 0, offset: 1 },
                Return { src: 0 },
                AddI32Imm {
                    dst: 1,
                    a: 0,
                    imm: -1,
                },
                Call { func: 1, base: 1 },
                Return { src: 1 },
            ],
        ),
    ]);
    print_format(&mut p, &[I32]);
    p
}

#[test]
fn stack_overflow_is_a_clean_error() {
    let config = VmConfig {
        max_frames: 100,
        ..VmConfig::default()
    };
    assert_eq!(run_with(&countdown(98), &config).1, "0\n");
    let err = error(&countdown(99), &config);
    assert_eq!(err.code, Code::StackOverflow);
    assert_eq!(
        err.message,
        "stack overflow: more than 100 frames on the call stack"
    );
    assert_eq!(err.trace.len(), 100);
    assert_eq!(err.trace[0], (1, 3));
    assert_eq!(err.trace[99], (0, 1));

    let err = error(&countdown(1_000_000), &VmConfig::default());
    assert_eq!(err.code, Code::StackOverflow);
    assert_eq!(
        err.message,
        "stack overflow: more than 10000 frames on the call stack"
    );
}

#[test]
fn deep_recursion_uses_no_host_stack() {
    let config = VmConfig {
        max_frames: 2_000_000,
        ..VmConfig::default()
    };
    let (result, out) = run_with(&countdown(1_000_000), &config);
    assert_eq!(result, Ok(()));
    assert_eq!(out, "0\n");
}

#[test]
fn errors_trace_every_frame() {
    // main calls f(7) at pc 1; f divides by zero at pc 1.
    let p = program(vec![
        func(
            "main",
            0,
            1,
            &[],
            vec![
                LoadInt { dst: 0, value: 7 },
                Call { func: 1, base: 0 },
                ReturnVoid {},
            ],
        ),
        func(
            "f",
            1,
            2,
            &[],
            vec![
                LoadInt { dst: 1, value: 0 },
                DivI32 { dst: 0, a: 0, b: 1 },
                Return { src: 0 },
            ],
        ),
    ]);
    let err = error(&p, &VmConfig::default());
    assert_eq!(err.code, Code::DivisionByZero);
    assert_eq!(err.message, "Division by zero");
    assert_eq!(err.trace, vec![(1, 1), (0, 1)]);
}

#[test]
fn budget_stops_infinite_loops_and_recursion() {
    let p = program(vec![func("main", 0, 1, &[], vec![Jump { offset: -1 }])]);
    let config = VmConfig {
        instruction_budget: Some(1000),
        ..VmConfig::default()
    };
    let err = error(&p, &config);
    assert_eq!(err.code, Code::BudgetExhausted);
    assert_eq!(err.message, "instruction budget exhausted");
    // A loop of 100 back-edges and a few hundred calls fit a budget of 1000.
    assert_eq!(run_with(&range_sum(1, 100, 1, true), &config).1, "5050\n");
    assert_eq!(run_with(&fib_program(10), &config).1, "55\n");
    assert_eq!(error(&fib_program(20), &config).code, Code::BudgetExhausted);
}

#[test]
fn time_stamp_is_monotonic() {
    let mut p = program(vec![func(
        "main",
        0,
        3,
        &[],
        vec![
            TimeStamp { dst: 0 },
            TimeStamp { dst: 1 },
            LeF64 { dst: 2, a: 0, b: 1 },
            Print {
                base: 2,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    print_format(&mut p, &[BOOL]);
    assert_eq!(output(&p), "true\n");
}

#[test]
fn entry_may_end_with_return() {
    let p = program(vec![func(
        "main",
        0,
        1,
        &[],
        vec![LoadInt { dst: 0, value: 1 }, Return { src: 0 }],
    )]);
    assert_eq!(output(&p), "");
}

#[test]
fn malformed_programs_are_rejected_not_run() {
    let bad = |code: Vec<Instr>, num_regs: u16| {
        let mut p = program(vec![func("main", 0, num_regs, &[], code)]);
        print_format(&mut p, &[I32, I32]);
        error(&p, &VmConfig::default())
    };
    let cases = [
        bad(vec![LoadInt { dst: 3, value: 0 }, ReturnVoid {}], 3),
        bad(vec![LoadInt { dst: 0, value: 0 }], 3),
        bad(vec![Jump { offset: 5 }], 3),
        bad(vec![Jump { offset: -2 }], 3),
        bad(vec![LoadConst { dst: 0, index: 0 }, ReturnVoid {}], 3),
        bad(vec![LoadStr { dst: 0, index: 0 }, ReturnVoid {}], 3),
        bad(vec![GetGlobal { dst: 0, index: 0 }, ReturnVoid {}], 3),
        bad(vec![Call { func: 9, base: 0 }, ReturnVoid {}], 3),
        bad(
            vec![
                ForPrepI32 {
                    base: 1,
                    inclusive: false,
                    offset: 0,
                },
                ReturnVoid {},
            ],
            3,
        ),
        bad(
            vec![
                Print {
                    base: 0,
                    count: 1,
                    format: 0,
                },
                ReturnVoid {},
            ],
            3,
        ),
        bad(
            vec![
                Print {
                    base: 2,
                    count: 2,
                    format: 0,
                },
                ReturnVoid {},
            ],
            3,
        ),
        bad(vec![], 3),
    ];
    for err in cases {
        assert_eq!(err.code, Code::Internal, "{err}");
        assert!(err.message.starts_with("invalid bytecode"), "{err}");
    }
    let mut p = program(vec![func("main", 1, 1, &[], vec![ReturnVoid {}])]);
    assert_eq!(error(&p, &VmConfig::default()).code, Code::Internal);
    p.entry = 3;
    assert_eq!(error(&p, &VmConfig::default()).code, Code::Internal);
}
