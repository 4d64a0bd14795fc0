//! Loop telemetry and the fast-path switches: every switch combination gives the same
//! output and result, traced or not, and the counters are the documented ones.

use super::*;

/// Every combination of the four switches, the default first.
fn all_paths() -> Vec<FastPaths> {
    (0..16u8)
        .map(|bits| FastPaths {
            inc_typed: bits & 1 == 0,
            bool_branch: bits & 2 == 0,
            boxed_iterators: bits & 4 != 0,
            licm_typed_guards: bits & 8 != 0,
        })
        .collect()
}

fn traced(
    p: &Program,
    paths: FastPaths,
    trace: bool,
) -> (Result<(), RuntimeError>, String, LoopTrace) {
    traced_with(p, paths, trace, &VmConfig::default())
}

fn traced_with(
    p: &Program,
    paths: FastPaths,
    trace: bool,
    config: &VmConfig,
) -> (Result<(), RuntimeError>, String, LoopTrace) {
    let config = VmConfig {
        trace_loops: trace,
        fastpaths: paths,
        ..config.clone()
    };
    let mut out = Vec::new();
    let (result, counters) = run_traced(p, &config, &mut out);
    (result, String::from_utf8(out).unwrap(), counters)
}

/// Runs `p` under every switch combination, traced and untraced, checks that the result
/// and output never change and that untraced runs count nothing; returns the output and
/// the traced counters of each combination (the default first).
fn every_path(p: &Program, config: &VmConfig) -> (String, Vec<(FastPaths, LoopTrace)>) {
    let (expected, out, none) = traced_with(p, FastPaths::DEFAULT, false, config);
    assert_eq!(none, LoopTrace::default());
    let mut traces = Vec::new();
    for paths in all_paths() {
        for trace in [false, true] {
            let (result, got, counters) = traced_with(p, paths, trace, config);
            assert_eq!(result, expected, "result with {paths:?}, trace {trace}");
            assert_eq!(got, out, "output with {paths:?}, trace {trace}");
            if trace {
                traces.push((paths, counters));
            } else {
                assert_eq!(counters, LoopTrace::default());
            }
        }
    }
    (out, traces)
}

fn trace_of(traces: &[(FastPaths, LoopTrace)], paths: FastPaths) -> LoopTrace {
    traces.iter().find(|(p, _)| *p == paths).unwrap().1
}

const DEFAULT: FastPaths = FastPaths::DEFAULT;
const NO_INC: FastPaths = FastPaths {
    inc_typed: false,
    ..FastPaths::DEFAULT
};
const NO_BOOL: FastPaths = FastPaths {
    bool_branch: false,
    ..FastPaths::DEFAULT
};
const BOXED: FastPaths = FastPaths {
    boxed_iterators: true,
    ..FastPaths::DEFAULT
};
const LICM: FastPaths = FastPaths {
    licm_typed_guards: true,
    ..FastPaths::DEFAULT
};

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
fn the_line_has_the_twelve_counters_in_order() {
    let mut t = LoopTrace::default();
    assert_eq!(
        t.to_string(),
        "[loop-trace] typed_hit=0 typed_miss=0 boxed_type_mismatch=0 boxed_overflow_guard=0 \
         branch_fast_hits=0 branch_fast_misses=0 inc_overflow_bailouts=0 \
         inc_type_instability=0 iter_alloc_saved=0 iter_fallbacks=0 licm_guard_fusions=0 \
         licm_guard_demotions=0"
    );
    t.typed_hit = 1;
    t.typed_miss = 2;
    t.boxed_type_mismatch = 3;
    t.boxed_overflow_guard = 4;
    t.branch_fast_hits = 5;
    t.branch_fast_misses = 6;
    t.inc_overflow_bailouts = 7;
    t.inc_type_instability = 8;
    t.iter_alloc_saved = 9;
    t.iter_fallbacks = 10;
    t.licm_guard_fusions = 11;
    t.licm_guard_demotions = 12345678901234;
    assert_eq!(
        t.to_string(),
        "[loop-trace] typed_hit=1 typed_miss=2 boxed_type_mismatch=3 boxed_overflow_guard=4 \
         branch_fast_hits=5 branch_fast_misses=6 inc_overflow_bailouts=7 \
         inc_type_instability=8 iter_alloc_saved=9 iter_fallbacks=10 licm_guard_fusions=11 \
         licm_guard_demotions=12345678901234"
    );
}

#[test]
fn switches_come_from_the_environment() {
    assert_eq!(FastPaths::default(), DEFAULT);
    assert_eq!(VmConfig::default().fastpaths, DEFAULT);
    assert!(!VmConfig::default().trace_loops);
    assert_eq!(FastPaths::from_lookup(|_| None), DEFAULT);
    let all = |value: &'static str| FastPaths::from_lookup(move |_| Some(value.to_string()));
    let flipped = FastPaths {
        inc_typed: false,
        bool_branch: false,
        boxed_iterators: true,
        licm_typed_guards: true,
    };
    assert_eq!(all("1"), flipped);
    assert_eq!(all("yes"), flipped);
    assert_eq!(all("0"), DEFAULT);
    assert_eq!(all(""), DEFAULT);
    let one =
        |name: &'static str| FastPaths::from_lookup(move |n| (n == name).then(|| "1".to_string()));
    assert_eq!(one("ORUS_DISABLE_INC_TYPED_FASTPATH"), NO_INC);
    assert_eq!(one("ORUS_DISABLE_BOOL_BRANCH_FASTPATH"), NO_BOOL);
    assert_eq!(one("ORUS_FORCE_BOXED_ITERATORS"), BOXED);
    assert_eq!(one("ORUS_ENABLE_LICM_TYPED_GUARDS"), LICM);
    assert_eq!(one("ORUS_EXPERIMENT_BOOL_BRANCH_FASTPATH"), DEFAULT);
}

#[test]
fn range_loops_count_iterations_and_exits() {
    let (out, traces) = every_path(&range_sum(1, 10, 1, true), &VmConfig::default());
    assert_eq!(out, "55\n");
    let base = LoopTrace {
        typed_hit: 10,
        typed_miss: 1,
        iter_alloc_saved: 1,
        ..LoopTrace::default()
    };
    assert_eq!(trace_of(&traces, DEFAULT), base);
    assert_eq!(trace_of(&traces, NO_BOOL), base);
    // Stepping by the checked generic path, or by a boxed iterator, is off the fast path.
    let slow = LoopTrace {
        typed_hit: 0,
        typed_miss: 11,
        ..base
    };
    assert_eq!(trace_of(&traces, NO_INC), slow);
    assert_eq!(
        trace_of(&traces, BOXED),
        LoopTrace {
            iter_alloc_saved: 0,
            iter_fallbacks: 1,
            ..slow
        }
    );
    assert_eq!(
        trace_of(&traces, LICM),
        LoopTrace {
            licm_guard_fusions: 1,
            ..base
        }
    );

    // An empty range exits through ForPrep; a downward one counts the same way.
    let (out, traces) = every_path(&range_sum(5, 5, 1, false), &VmConfig::default());
    assert_eq!(out, "0\n");
    assert_eq!(
        trace_of(&traces, DEFAULT),
        LoopTrace {
            typed_miss: 1,
            iter_alloc_saved: 1,
            ..LoopTrace::default()
        }
    );
    let (out, traces) = every_path(&range_sum(10, 0, -3, false), &VmConfig::default());
    assert_eq!(out, "22\n");
    assert_eq!(trace_of(&traces, DEFAULT).typed_hit, 4);
}

#[test]
fn the_overflow_guard_is_counted() {
    for (start, end, step, sum, iterations) in [
        (i32::MAX - 2, i32::MAX, 1, "2147483642\n", 3),
        (i32::MIN + 1, i32::MIN, -1, "1\n", 2),
    ] {
        let (out, traces) = every_path(&range_sum(start, end, step, true), &VmConfig::default());
        assert_eq!(out, sum);
        for (paths, t) in traces {
            assert_eq!(t.boxed_overflow_guard, 1, "{paths:?}");
            assert_eq!(t.typed_hit + t.typed_miss, iterations + 1, "{paths:?}");
        }
    }
    // Stopped by the range, not by the guard.
    let (_, traces) = every_path(
        &range_sum(i32::MAX - 2, i32::MAX, 1, false),
        &VmConfig::default(),
    );
    assert!(traces.iter().all(|(_, t)| t.boxed_overflow_guard == 0));
}

#[test]
fn u64_ranges_run_to_the_top() {
    // for i in MAX-2..=MAX (u64): print(i)
    let mut p = program(vec![func(
        "main",
        0,
        3,
        &[],
        vec![
            LoadConst { dst: 0, index: 0 },
            LoadConst { dst: 1, index: 1 },
            LoadInt { dst: 2, value: 1 },
            ForPrepU64 {
                base: 0,
                inclusive: true,
                offset: 2,
            },
            Print {
                base: 0,
                count: 1,
                format: 0,
            },
            ForLoopU64 {
                base: 0,
                inclusive: true,
                offset: -2,
            },
            ReturnVoid {},
        ],
    )]);
    p.consts = vec![u64::MAX - 2, u64::MAX];
    print_format(&mut p, &[U64]);
    let (out, traces) = every_path(&p, &VmConfig::default());
    assert_eq!(
        out,
        "18446744073709551613\n18446744073709551614\n18446744073709551615\n"
    );
    assert_eq!(trace_of(&traces, DEFAULT).boxed_overflow_guard, 1);
    assert_eq!(trace_of(&traces, DEFAULT).typed_hit, 3);
}

/// `for i in 0..3: for j in 0..10: if i < j: break; sum += j + 1` → 10.
fn nested_with_break() -> Program {
    let mut p = program(vec![func(
        "main",
        0,
        8,
        &[],
        vec![
            LoadInt { dst: 0, value: 0 },
            LoadInt { dst: 1, value: 0 },
            LoadInt { dst: 2, value: 3 },
            LoadInt { dst: 3, value: 1 },
            ForPrepI32 {
                base: 1,
                inclusive: false,
                offset: 10,
            },
            LoadInt { dst: 4, value: 0 },
            LoadInt { dst: 5, value: 10 },
            LoadInt { dst: 6, value: 1 },
            ForPrepI32 {
                base: 4,
                inclusive: false,
                offset: 5,
            },
            LtI32 { dst: 7, a: 1, b: 4 },
            JumpIfTrue { cond: 7, offset: 3 },
            AddI32 { dst: 0, a: 0, b: 4 },
            AddI32Imm {
                dst: 0,
                a: 0,
                imm: 1,
            },
            ForLoopI32 {
                base: 4,
                inclusive: false,
                offset: -5,
            },
            ForLoopI32 {
                base: 1,
                inclusive: false,
                offset: -10,
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
fn branches_inside_loops_and_breaks() {
    let (out, traces) = every_path(&nested_with_break(), &VmConfig::default());
    assert_eq!(out, "10\n");
    let expected = LoopTrace {
        // outer: 3 iterations and its exit; inner: 2 + 3 + 4 iterations, left by `break`
        typed_hit: 12,
        typed_miss: 1,
        branch_fast_hits: 9,
        iter_alloc_saved: 4,
        ..LoopTrace::default()
    };
    assert_eq!(trace_of(&traces, DEFAULT), expected);
    assert_eq!(
        trace_of(&traces, NO_BOOL),
        LoopTrace {
            branch_fast_hits: 0,
            branch_fast_misses: 9,
            ..expected
        }
    );
    assert_eq!(
        trace_of(&traces, BOXED),
        LoopTrace {
            typed_hit: 0,
            typed_miss: 13,
            iter_alloc_saved: 0,
            iter_fallbacks: 4,
            ..expected
        }
    );
    assert_eq!(trace_of(&traces, LICM).licm_guard_fusions, 4);
    assert_eq!(trace_of(&traces, LICM).licm_guard_demotions, 0);
}

/// `x = MAX - 1; n = 0; while n < 4: x += 1; n += 1; print(x)`: one increment wraps.
#[test]
fn while_loops_and_wrapping_increments() {
    let mut p = program(vec![func(
        "main",
        0,
        4,
        &[],
        vec![
            LoadInt {
                dst: 0,
                value: i32::MAX - 1,
            },
            LoadInt { dst: 1, value: 0 },
            LoadInt { dst: 2, value: 4 },
            LtI32 { dst: 3, a: 1, b: 2 },
            JumpIfFalse { cond: 3, offset: 3 },
            AddI32Imm {
                dst: 0,
                a: 0,
                imm: 1,
            },
            AddI32Imm {
                dst: 1,
                a: 1,
                imm: 1,
            },
            Jump { offset: -5 },
            Print {
                base: 0,
                count: 1,
                format: 0,
            },
            ReturnVoid {},
        ],
    )]);
    print_format(&mut p, &[I32]);
    let (out, traces) = every_path(&p, &VmConfig::default());
    assert_eq!(out, format!("{}\n", i32::MIN + 2));
    let expected = LoopTrace {
        branch_fast_hits: 5,
        inc_overflow_bailouts: 1,
        ..LoopTrace::default()
    };
    assert_eq!(trace_of(&traces, DEFAULT), expected);
    assert_eq!(trace_of(&traces, NO_INC), expected);
    for (_, t) in &traces {
        assert_eq!(t.inc_overflow_bailouts, 1);
        assert_eq!(t.branch_fast_hits + t.branch_fast_misses, 5);
    }
}

/// The code generator's `for x in xs` pattern over [3, 4, 5], summing; then the same loop
/// over an empty array.
fn for_each_sum() -> Program {
    let mut p = program(vec![func(
        "main",
        0,
        8,
        &[0],
        vec![
            LoadInt { dst: 5, value: 3 },
            LoadInt { dst: 6, value: 4 },
            LoadInt { dst: 7, value: 5 },
            NewArray {
                dst: 0,
                base: 5,
                count: 3,
                elem_ref: false,
            },
            LoadInt { dst: 4, value: 0 },
            ForEachPrep { base: 0, offset: 2 },
            AddI32 { dst: 4, a: 4, b: 2 },
            ForEachNext {
                base: 0,
                offset: -2,
            },
            Print {
                base: 4,
                count: 1,
                format: 0,
            },
            NewArray {
                dst: 0,
                base: 5,
                count: 0,
                elem_ref: false,
            },
            ForEachPrep { base: 0, offset: 2 },
            AddI32 { dst: 4, a: 4, b: 2 },
            ForEachNext {
                base: 0,
                offset: -2,
            },
            Print {
                base: 4,
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
fn array_loops_are_typed_loops() {
    let (out, traces) = every_path(&for_each_sum(), &VmConfig::default());
    assert_eq!(out, "12\n12\n");
    let expected = LoopTrace {
        typed_hit: 3,
        typed_miss: 2,
        iter_alloc_saved: 2,
        ..LoopTrace::default()
    };
    assert_eq!(trace_of(&traces, DEFAULT), expected);
    // Array loops index the live array: boxed iterators and guards do not apply.
    assert_eq!(trace_of(&traces, BOXED), expected);
    assert_eq!(trace_of(&traces, LICM), expected);
    assert_eq!(trace_of(&traces, NO_BOOL), expected);
    assert_eq!(
        trace_of(&traces, NO_INC),
        LoopTrace {
            typed_hit: 0,
            typed_miss: 5,
            ..expected
        }
    );
}

/// `fn f(n): acc = 1; for i in 0..n: acc += f(i); return acc`; `print(f(6))` → 64.
#[test]
fn loops_in_recursive_calls() {
    let mut p = program(vec![
        func(
            "main",
            0,
            1,
            &[],
            vec![
                LoadInt { dst: 0, value: 6 },
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
            "f",
            1,
            6,
            &[],
            vec![
                LoadInt { dst: 1, value: 1 },
                LoadInt { dst: 2, value: 0 },
                Move { dst: 3, src: 0 },
                LoadInt { dst: 4, value: 1 },
                ForPrepI32 {
                    base: 2,
                    inclusive: false,
                    offset: 4,
                },
                Move { dst: 5, src: 2 },
                Call { func: 1, base: 5 },
                AddI32 { dst: 1, a: 1, b: 5 },
                ForLoopI32 {
                    base: 2,
                    inclusive: false,
                    offset: -4,
                },
                Return { src: 1 },
            ],
        ),
    ]);
    print_format(&mut p, &[I32]);
    let (out, traces) = every_path(&p, &VmConfig::default());
    assert_eq!(out, "64\n");
    // 64 calls of f, each entering its loop once; 63 iterations (one per inner call).
    assert_eq!(
        trace_of(&traces, DEFAULT),
        LoopTrace {
            typed_hit: 63,
            typed_miss: 64,
            iter_alloc_saved: 64,
            ..LoopTrace::default()
        }
    );
    assert_eq!(trace_of(&traces, BOXED).iter_fallbacks, 64);
}

/// A hand-assembled loop that writes its own end register (compiled code never does):
/// the typed loop reads it again each time; hoisted guards notice and demote.
#[test]
fn a_failed_licm_guard_is_demoted() {
    let mut p = program(vec![func(
        "main",
        0,
        4,
        &[],
        vec![
            LoadInt { dst: 0, value: 0 },
            LoadInt { dst: 1, value: 0 },
            LoadInt { dst: 2, value: 10 },
            LoadInt { dst: 3, value: 1 },
            ForPrepI32 {
                base: 1,
                inclusive: false,
                offset: 3,
            },
            AddI32 { dst: 0, a: 0, b: 1 },
            AddI32Imm {
                dst: 2,
                a: 2,
                imm: -2,
            },
            ForLoopI32 {
                base: 1,
                inclusive: false,
                offset: -3,
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
    let (out, traces) = every_path(&p, &VmConfig::default());
    assert_eq!(out, "6\n");
    let licm = trace_of(&traces, LICM);
    assert_eq!((licm.licm_guard_fusions, licm.licm_guard_demotions), (1, 4));
    assert_eq!(trace_of(&traces, DEFAULT).licm_guard_demotions, 0);
}

#[test]
fn errors_and_budgets_are_the_same_on_every_path() {
    let (out, _) = every_path(&range_sum(0, 10, 0, false), &VmConfig::default());
    assert_eq!(out, "");
    let err = traced(&range_sum(0, 10, 0, false), BOXED, true)
        .0
        .unwrap_err();
    assert_eq!(err.code, Code::InvalidRange);

    let budget = VmConfig {
        instruction_budget: Some(5),
        ..VmConfig::default()
    };
    every_path(&range_sum(0, 100, 1, false), &budget);
    let (result, _, t) = traced_with(&range_sum(0, 100, 1, false), DEFAULT, true, &budget);
    assert_eq!(result.unwrap_err().code, Code::BudgetExhausted);
    // Counters survive a failed run.
    assert_eq!(t.iter_alloc_saved, 1);
    assert!(t.typed_hit >= 5);
}

#[test]
fn the_checked_branch_validates_the_bool() {
    // JumpIfFalse on a register holding 2 (no compiled code does this).
    let p = program(vec![func(
        "main",
        0,
        1,
        &[],
        vec![
            LoadInt { dst: 0, value: 2 },
            JumpIfFalse { cond: 0, offset: 0 },
            ReturnVoid {},
        ],
    )]);
    assert_eq!(traced(&p, DEFAULT, false).0, Ok(()));
    let err = traced(&p, NO_BOOL, false).0.unwrap_err();
    assert_eq!(err.code, Code::Internal);
    assert_eq!(err.message, "branch condition is not a bool (slot 0x2)");
}

#[test]
fn programs_without_loops_count_nothing() {
    let p = program(vec![func(
        "main",
        0,
        2,
        &[],
        vec![
            LoadInt { dst: 0, value: 1 },
            JumpIfTrue { cond: 0, offset: 1 },
            LoadInt { dst: 1, value: 0 },
            ReturnVoid {},
        ],
    )]);
    for paths in all_paths() {
        assert_eq!(traced(&p, paths, true).2, LoopTrace::default());
    }
}
