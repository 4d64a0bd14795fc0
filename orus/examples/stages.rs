//! Runs one compiler stage over a file, for profiling it alone (under callgrind or perf):
//! `cargo run --release -p orus --example stages -- lex|parse|compile FILE [REPEAT]`.
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (stage, path) = match (args.get(1), args.get(2)) {
        (Some(s), Some(p)) => (s.as_str(), p.as_str()),
        _ => {
            eprintln!("usage: stages lex|parse|compile FILE [REPEAT]");
            std::process::exit(64);
        }
    };
    let repeat: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(1);
    let src = match std::fs::read(path) {
        Ok(src) => src,
        Err(e) => {
            eprintln!("stages: cannot read {path}: {e}");
            std::process::exit(66);
        }
    };
    let lines = src.iter().filter(|&&b| b == b'\n').count().max(1);
    let mut best = f64::MAX;
    for _ in 0..repeat {
        let t = Instant::now();
        // The results are dropped after the clock stops, as `perf compare` measures.
        let result: Box<dyn std::any::Any> = match stage {
            "lex" => Box::new(orus::lexer::tokenize(&src)),
            "parse" => Box::new(orus::parser::parse(&src)),
            "compile" => match orus::driver::compile(path, &src) {
                Ok(c) => Box::new(c),
                Err(d) => {
                    eprintln!("stages: {path} does not compile ({} diagnostics)", d.len());
                    std::process::exit(65);
                }
            },
            _ => {
                eprintln!("stages: unknown stage {stage} (lex, parse or compile)");
                std::process::exit(64);
            }
        };
        let secs = t.elapsed().as_secs_f64();
        best = best.min(secs);
        drop(std::hint::black_box(result));
    }
    println!(
        "{stage}: best {:.1} ms, {:.0} lines/s",
        best * 1e3,
        lines as f64 / best
    );
}
