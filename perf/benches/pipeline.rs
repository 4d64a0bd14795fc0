//! Wall-time benches of the two halves of the `orus` pipeline on every workload at its gate
//! size: `compile/NAME` is `orus::driver::compile` (lex, parse, check, codegen) and
//! `run/NAME` is `orus::vm::run` of the compiled program with output to `io::sink()`.
//!
//! `cargo bench -p perf --bench pipeline [-- FILTER]`

use criterion::{criterion_group, criterion_main, Criterion};
use perf::{Lang, WORKLOADS};
use std::hint::black_box;
use std::time::Duration;

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    for w in WORKLOADS {
        let src = perf::sized_source(w.name, Lang::Orus, w.gate).unwrap();
        group.bench_function(w.name, |b| {
            b.iter(|| {
                let compiled = orus::driver::compile(w.name, black_box(src.as_bytes()));
                black_box(compiled.is_ok())
            })
        });
    }
    group.finish();
}

fn run(c: &mut Criterion) {
    let mut group = c.benchmark_group("run");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    let config = orus::vm::VmConfig::default();
    for w in WORKLOADS {
        let src = perf::sized_source(w.name, Lang::Orus, w.gate).unwrap();
        let compiled = match orus::driver::compile(w.name, src.as_bytes()) {
            Ok(c) => c,
            Err(_) => panic!("{} does not compile", w.name),
        };
        group.bench_function(w.name, |b| {
            b.iter(|| {
                let result =
                    orus::vm::run(black_box(&compiled.program), &config, &mut std::io::sink());
                black_box(result.is_ok())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, compile, run);
criterion_main!(benches);
