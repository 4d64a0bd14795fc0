//! `perf`: the Orus benchmark runner.
//!
//! ```text
//! cargo run -p perf --release -- compare [--runs N] [--no-callgrind] [--out DIR] [--orus PATH]
//! cargo run -p perf --release -- nightly [--runs N]            # compare into target/perf-report/
//! cargo run -p perf --release -- gate [--bless] [--threshold PCT] [--baseline FILE] [--orus PATH]
//! cargo run -p perf --release -- gen LINES                     # print a generated program
//! cargo run -p perf --release -- layout [--orus PATH] [--out FILE]  # orus/link-order.txt
//! ```
//!
//! `perf/README.md` explains what each command measures.

mod compare;
mod gate;
mod layout;
mod measure;
mod svg;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: perf <command> [options]

commands:
  compare   time every workload in Orus, Python and Lua; write perf/REPORT.md + perf/chart.svg
              --runs N        best of N wall-time runs per language (default 5)
              --no-callgrind  skip instruction counts and profiles
              --out DIR       write the report there instead of perf/
              --orus PATH     use this orus binary instead of building target/release/orus
  nightly   compare, written to target/perf-report/ (with the trend against the gate baseline)
  gate      callgrind instruction counts of every workload against ci/perf-baseline.json;
            fails when one regresses by more than the threshold
              --bless         rewrite the baseline with the current counts
              --threshold P   allowed regression in percent (default 5)
              --baseline FILE another baseline file
              --orus PATH     use this orus binary
  gen LINES print a generated program of about LINES lines (compile-throughput input)
  layout    profile training programs under callgrind and write orus/link-order.txt, the
            function order the release binary is linked in (smaller resident set)
              --orus PATH     use this orus binary
              --out FILE      write the order there instead";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(64);
    };
    let rest = &args[1..];
    let result = match cmd.as_str() {
        "compare" => parse_compare(rest, false).and_then(|o| compare::run(&o)),
        "nightly" => parse_compare(rest, true).and_then(|o| compare::run(&o)),
        "gate" => parse_gate(rest).and_then(|o| gate::run(&o)),
        "layout" => parse_layout(rest).and_then(|o| layout::run(&o)),
        "gen" => match rest.first().and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => {
                print!("{}", perf::gen::program(n));
                Ok(())
            }
            None => Err("gen needs a line count".into()),
        },
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("perf: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn value<'a>(args: &'a [String], i: &mut usize, flag: &str) -> Result<&'a str, String> {
    *i += 1;
    args.get(*i)
        .map(String::as_str)
        .ok_or_else(|| format!("{flag} needs a value"))
}

fn parse_compare(args: &[String], nightly: bool) -> Result<compare::Options, String> {
    let root = perf::workspace_root();
    let mut opts = compare::Options {
        runs: 5,
        callgrind: true,
        out: if nightly {
            root.join("target").join("perf-report")
        } else {
            root.join("perf")
        },
        orus: None,
        baseline: root.join("ci").join("perf-baseline.json"),
    };
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--runs" => {
                opts.runs = value(args, &mut i, "--runs")?
                    .parse()
                    .map_err(|_| "--runs needs a number")?;
                if opts.runs == 0 {
                    return Err("--runs must be at least 1".into());
                }
            }
            "--no-callgrind" => opts.callgrind = false,
            "--out" => opts.out = PathBuf::from(value(args, &mut i, "--out")?),
            "--orus" => opts.orus = Some(PathBuf::from(value(args, &mut i, "--orus")?)),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
        i += 1;
    }
    Ok(opts)
}

fn parse_gate(args: &[String]) -> Result<gate::Options, String> {
    let mut opts = gate::Options {
        bless: false,
        threshold: 5.0,
        baseline: perf::workspace_root().join("ci").join("perf-baseline.json"),
        orus: None,
    };
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--bless" => opts.bless = true,
            "--threshold" => {
                opts.threshold = value(args, &mut i, "--threshold")?
                    .parse()
                    .map_err(|_| "--threshold needs a number (percent)")?
            }
            "--baseline" => opts.baseline = PathBuf::from(value(args, &mut i, "--baseline")?),
            "--orus" => opts.orus = Some(PathBuf::from(value(args, &mut i, "--orus")?)),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
        i += 1;
    }
    Ok(opts)
}

fn parse_layout(args: &[String]) -> Result<layout::Options, String> {
    let mut opts = layout::Options {
        orus: None,
        out: perf::workspace_root().join("orus").join("link-order.txt"),
    };
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--orus" => opts.orus = Some(PathBuf::from(value(args, &mut i, "--orus")?)),
            "--out" => opts.out = PathBuf::from(value(args, &mut i, "--out")?),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
        i += 1;
    }
    Ok(opts)
}
