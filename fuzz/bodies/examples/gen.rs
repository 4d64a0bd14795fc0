//! Looks at the program generator from the command line.
//!
//! `cargo run -p orus-fuzz --example gen -- FILE` prints the program generated from the
//! bytes of FILE (a corpus entry of `opt_diff`, or of `vm` after its first byte);
//! `cargo run -p orus-fuzz --example gen -- --stats N` generates N programs from the
//! replay test's seeds, runs them, and prints how they ended, to judge how deep the
//! generated programs get before an error stops them;
//! `cargo run -p orus-fuzz --example gen -- --write-seeds DIR N [PREFIX]` writes the first
//! N replay seeds as files into DIR, each preceded by the byte PREFIX if given (`fuzz/seed.sh`
//! uses `255`, the `vm` target's generator mode).

use orus_fuzz::{gen, targets};
use std::collections::BTreeMap;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, n] if flag == "--stats" => stats(n.parse().expect("a number of programs")),
        [flag, dir, n, rest @ ..] if flag == "--write-seeds" => {
            let prefix: Vec<u8> = rest.iter().map(|b| b.parse().expect("a byte")).collect();
            for seed in 0..n.parse().expect("a number of seeds") {
                let mut data = prefix.clone();
                data.extend(seed_bytes(seed));
                let path = std::path::Path::new(dir).join(format!("gen-{seed:04}"));
                std::fs::write(path, data).expect("writing a seed");
            }
        }
        [file] => {
            let data = std::fs::read(file).expect("reading the input");
            print!("{}", gen::generate(&data));
        }
        _ => eprintln!("usage: gen FILE | gen --stats N | gen --write-seeds DIR N [PREFIX]"),
    }
}

fn stats(n: u64) {
    let mut ends: BTreeMap<String, u32> = BTreeMap::new();
    let (mut lines, mut printed) = (0usize, 0u64);
    for seed in 0..n {
        let source = gen::generate(&seed_bytes(seed));
        lines += source.lines().count();
        let compiled = targets::compile_generated(&source, true);
        let outcome = targets::run_checked(&compiled, source.as_bytes());
        printed += outcome.printed;
        let end = outcome.end.map_or("ok".to_string(), |c| c.to_string());
        *ends.entry(end).or_default() += 1;
    }
    println!(
        "{n} programs, {} lines and {} output bytes on average",
        lines / n as usize,
        printed / n
    );
    for (end, count) in ends {
        println!("{end:>6} {count}");
    }
}

/// The replay test's seed bytes (tests/replay.rs).
fn seed_bytes(seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let len = 16 + (next() % 2048) as usize;
    (0..len).map(|_| next() as u8).collect()
}
