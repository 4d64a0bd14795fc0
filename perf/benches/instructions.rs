//! Instruction-count benches (gungraun, the maintained continuation of iai-callgrind) of
//! the two halves of the `orus` pipeline on every workload at its gate size. Setup (reading
//! the file, and compiling for the `run` benches) is not counted.
//!
//! Needs valgrind and the runner of exactly the library's version:
//! `cargo install gungraun-runner --version 0.20.0`, then
//! `cargo bench -p perf --bench instructions`.

use gungraun::{library_benchmark, library_benchmark_group, main};
use perf::Lang;
use std::hint::black_box;

fn source(name: &str) -> String {
    let w = perf::workload(name).expect("known workload");
    perf::sized_source(w.name, Lang::Orus, w.gate).expect("workload source")
}

fn compiled(name: &str) -> orus::bytecode::Program {
    match orus::driver::compile(name, source(name).as_bytes()) {
        Ok(c) => c.program,
        Err(_) => panic!("{name} does not compile"),
    }
}

#[library_benchmark]
#[bench::fib(args = ("fib"), setup = source)]
#[bench::int_loop(args = ("int_loop"), setup = source)]
#[bench::matmul(args = ("matmul"), setup = source)]
#[bench::sort(args = ("sort"), setup = source)]
#[bench::sieve(args = ("sieve"), setup = source)]
#[bench::strings(args = ("strings"), setup = source)]
#[bench::calls(args = ("calls"), setup = source)]
#[bench::mandelbrot(args = ("mandelbrot"), setup = source)]
#[bench::structs(args = ("structs"), setup = source)]
#[bench::closures(args = ("closures"), setup = source)]
fn compile(src: String) -> bool {
    black_box(orus::driver::compile("bench.orus", black_box(src.as_bytes())).is_ok())
}

#[library_benchmark]
#[bench::fib(args = ("fib"), setup = compiled)]
#[bench::int_loop(args = ("int_loop"), setup = compiled)]
#[bench::matmul(args = ("matmul"), setup = compiled)]
#[bench::sort(args = ("sort"), setup = compiled)]
#[bench::sieve(args = ("sieve"), setup = compiled)]
#[bench::strings(args = ("strings"), setup = compiled)]
#[bench::calls(args = ("calls"), setup = compiled)]
#[bench::mandelbrot(args = ("mandelbrot"), setup = compiled)]
#[bench::structs(args = ("structs"), setup = compiled)]
#[bench::closures(args = ("closures"), setup = compiled)]
fn run(program: orus::bytecode::Program) -> bool {
    let config = orus::vm::VmConfig::default();
    black_box(orus::vm::run(black_box(&program), &config, &mut std::io::sink()).is_ok())
}

library_benchmark_group!(name = pipeline, benchmarks = [compile, run]);

main!(library_benchmark_groups = pipeline);
