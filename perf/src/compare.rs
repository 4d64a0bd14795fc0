//! `compare` and `nightly`: Orus against CPython and Lua 5.4 in one run, written as a
//! markdown report with an SVG chart.

use crate::gate::{self, group};
use crate::measure::{self, Run};
use crate::svg;
use perf::{Lang, Workload, WORKLOADS};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct Options {
    pub runs: usize,
    pub callgrind: bool,
    pub out: PathBuf,
    pub orus: Option<PathBuf>,
    pub baseline: PathBuf,
}

/// Results of one workload, indexed by `Lang as usize` (Orus, Python, Lua).
struct Row {
    w: &'static Workload,
    best: [Option<Duration>; 3],
    rss_kb: [Option<u64>; 3],
    checksum: String,
    mismatch: Vec<String>,
    /// Whole-process instructions at the gate size.
    ir: [Option<u64>; 3],
    hot: Vec<(f64, u64, String)>,
}

struct Startup {
    best: [Option<Duration>; 3],
    median: [Option<Duration>; 3],
    rss_kb: [Option<u64>; 3],
    ir: [Option<u64>; 3],
    spawn_floor: Option<Duration>,
}

struct CompileRow {
    lines: usize,
    bytes: usize,
    best: Duration,
    /// `orus FILE` end to end (read, compile, run the one-line main), best of the runs.
    binary: Option<Duration>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn geomean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some((values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp())
}

fn min_opt(a: Option<Duration>, b: Duration) -> Option<Duration> {
    Some(a.map_or(b, |a| a.min(b)))
}

pub fn run(opts: &Options) -> Result<(), String> {
    let started = Instant::now();
    let orus = measure::orus_binary(opts.orus.clone())?;
    let have = [
        true,
        measure::works(&["python3", "--version"]),
        measure::ensure_lua(),
    ];
    if !have[1] {
        eprintln!("perf: python3 is missing; Python columns stay empty");
    }
    let versions = [
        format!(
            "orus {}",
            measure::first_line(&[
                "git",
                "-C",
                &perf::workspace_root().to_string_lossy(),
                "rev-parse",
                "--short",
                "HEAD"
            ])
            .unwrap_or_else(|| "?".into())
        ),
        format!(
            "{} ({})",
            measure::first_line(&["python3", "--version"]).unwrap_or_default(),
            measure::python()
        ),
        measure::first_line(&["lua5.4", "-v"])
            .map(|v| v.split("  ").next().unwrap_or("").to_string())
            .unwrap_or_default(),
    ];
    let load_before = load_average();
    let langs: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| have[*l as usize])
        .collect();
    let dir = perf::workloads_dir();

    // 1. Wall time, best of N, the languages interleaved so drift hits all alike.
    let mut rows = Vec::new();
    for w in WORKLOADS {
        let mut row = Row {
            w,
            best: [None; 3],
            rss_kb: [None; 3],
            checksum: String::new(),
            mismatch: Vec::new(),
            ir: [None; 3],
            hot: Vec::new(),
        };
        for &lang in &langs {
            let src = perf::source(w.name, lang).map_err(|e| format!("{}: {e}", w.name))?;
            if perf::size_of(&src) != Some(w.full) {
                return Err(format!(
                    "{}.{}: its `N = ...` line is not the table's full size {}",
                    w.name,
                    lang.ext(),
                    w.full
                ));
            }
        }
        eprint!("  {:<12}", w.name);
        for r in 0..=opts.runs {
            for &lang in &langs {
                let file = dir.join(format!("{}.{}", w.name, lang.ext()));
                let run: Run = measure::run(&measure::command(lang, &orus, &file))
                    .map_err(|e| format!("cannot run {}: {e}", lang.label()))?;
                if !run.success {
                    return Err(format!(
                        "{} {} failed: {}",
                        lang.label(),
                        file.display(),
                        run.stderr.trim()
                    ));
                }
                let out = run.stdout.trim().to_string();
                if r == 0 {
                    // Warm-up run (file cache); its output is the checksum.
                    if lang == Lang::Orus {
                        row.checksum = out;
                    } else if out != row.checksum {
                        row.mismatch.push(format!("{} printed {out}", lang.label()));
                    }
                    continue;
                }
                let i = lang as usize;
                row.best[i] = min_opt(row.best[i], run.wall);
                row.rss_kb[i] = Some(row.rss_kb[i].unwrap_or(0).max(run.max_rss_kb));
            }
        }
        eprintln!(
            "{}",
            langs
                .iter()
                .map(|l| format!(
                    "{} {:>8.1} ms",
                    l.label(),
                    row.best[*l as usize].map_or(0.0, ms)
                ))
                .collect::<Vec<_>>()
                .join("   ")
        );
        rows.push(row);
    }

    // 2. Start-up: hello world, many runs.
    eprintln!("  start-up");
    let mut startup = Startup {
        best: [None; 3],
        median: [None; 3],
        rss_kb: [None; 3],
        ir: [None; 3],
        spawn_floor: None,
    };
    let mut samples: [Vec<Duration>; 3] = Default::default();
    for _ in 0..40 {
        if let Ok(r) = measure::run(&["/bin/true".into()]) {
            startup.spawn_floor = min_opt(startup.spawn_floor, r.wall);
        }
        for &lang in &langs {
            let file = dir.join(format!("hello.{}", lang.ext()));
            let run = measure::run(&measure::command(lang, &orus, &file))
                .map_err(|e| format!("hello: {e}"))?;
            let i = lang as usize;
            samples[i].push(run.wall);
        }
    }
    // Peak RSS of the program itself (not inherited from this process), median of 15.
    for &lang in &langs {
        let file = dir.join(format!("hello.{}", lang.ext()));
        let mut kb: Vec<u64> = (0..15)
            .filter_map(|_| measure::own_peak_rss_kb(&measure::command(lang, &orus, &file)).ok())
            .filter(|&k| k > 0)
            .collect();
        kb.sort_unstable();
        startup.rss_kb[lang as usize] = kb.get(kb.len() / 2).copied();
    }
    for (i, s) in samples.iter_mut().enumerate() {
        if !s.is_empty() {
            s.sort();
            startup.best[i] = Some(s[0]);
            startup.median[i] = Some(s[s.len() / 2]);
        }
    }

    // 3. Compile throughput on generated programs, in this process.
    eprintln!("  compile throughput");
    let scratch = gate::scratch_dir()?;
    let mut compile = Vec::new();
    for lines in [10_000usize, 100_000, 1_000_000] {
        let src = perf::gen::program(lines);
        let reps = if lines >= 1_000_000 { 2 } else { 5 };
        let mut best = Duration::MAX;
        for _ in 0..reps {
            let t = Instant::now();
            let compiled = orus::driver::compile("gen.orus", src.as_bytes());
            let elapsed = t.elapsed();
            if compiled.is_err() {
                return Err(format!(
                    "the generated {lines}-line program does not compile"
                ));
            }
            drop(compiled);
            best = best.min(elapsed);
        }
        let path = scratch.join(format!("gen_{lines}.orus"));
        std::fs::write(&path, &src).map_err(|e| e.to_string())?;
        let mut binary = None;
        for _ in 0..reps {
            let run = measure::run(&[orus.clone().into_os_string(), path.clone().into_os_string()])
                .map_err(|e| e.to_string())?;
            if run.success {
                binary = min_opt(binary, run.wall);
            }
        }
        compile.push(CompileRow {
            lines: perf::gen::line_count(&src),
            bytes: src.len(),
            best,
            binary,
        });
    }

    // 4. Instruction counts at the gate sizes, and where Orus spends them.
    let callgrind = opts.callgrind && measure::have_valgrind();
    if opts.callgrind && !callgrind {
        eprintln!(
            "perf: valgrind is missing; no instruction counts (`apt-get install -y valgrind`)"
        );
    }
    if callgrind {
        eprintln!("  callgrind");
        for &lang in &langs {
            let file = dir.join(format!("hello.{}", lang.ext()));
            let profile = scratch.join(format!("hello.{}.callgrind", lang.ext()));
            match measure::callgrind(&measure::command(lang, &orus, &file), &profile) {
                Ok((ir, _)) => startup.ir[lang as usize] = Some(ir),
                Err(e) => eprintln!("perf: {e}"),
            }
        }
        for row in &mut rows {
            for &lang in &langs {
                let file = gate::write_sized(&scratch, row.w, lang, row.w.gate)?;
                match gate::count(&orus, lang, &file) {
                    Ok((ir, _)) => row.ir[lang as usize] = Some(ir),
                    Err(e) => {
                        eprintln!("perf: {e}");
                        continue;
                    }
                }
                if lang == Lang::Orus {
                    let profile = file.with_extension("orus.callgrind");
                    row.hot = measure::hot_functions(&profile, 4);
                }
            }
            eprintln!(
                "  {:<12} {}",
                row.w.name,
                row.ir
                    .iter()
                    .map(|v| v.map_or("-".into(), group))
                    .collect::<Vec<_>>()
                    .join("  ")
            );
        }
    }

    // 5. Trend against the gate baseline (same measurement as the gate's).
    let trend = if callgrind {
        gate::load(&opts.baseline).ok().map(|base| {
            let now: BTreeMap<String, gate::Entry> = rows
                .iter()
                .filter_map(|r| {
                    Some((
                        r.w.name.to_string(),
                        gate::Entry {
                            n: r.w.gate,
                            checksum: String::new(),
                            instructions: r.ir[0]?,
                        },
                    ))
                })
                .collect();
            // Checksums are checked by the gate itself; compare counts only here.
            let base = base
                .into_iter()
                .map(|(k, mut e)| {
                    e.checksum.clear();
                    (k, e)
                })
                .collect();
            gate::table(&gate::diff(&base, &now, 5.0))
        })
    } else {
        None
    };

    let load = format!(
        "{} at the start, {} at the end",
        load_before,
        load_average()
    );
    std::fs::create_dir_all(&opts.out)
        .map_err(|e| format!("cannot create {}: {e}", opts.out.display()))?;
    let context = Context {
        versions,
        took: started.elapsed(),
        load,
    };
    let report = render(opts, &context, &rows, &startup, &compile, trend.as_deref());
    let chart = chart(&rows, callgrind, &startup);
    let report_path = opts.out.join("REPORT.md");
    std::fs::write(&report_path, report).map_err(|e| e.to_string())?;
    std::fs::write(opts.out.join("chart.svg"), chart).map_err(|e| e.to_string())?;
    eprintln!("perf: wrote {} and chart.svg", report_path.display());
    Ok(())
}

/// Instructions net of the interpreter's own start-up (the hello program's count).
fn net_ir(row: &Row, startup: &Startup, i: usize) -> Option<f64> {
    let total = row.ir[i]? as f64;
    let hello = startup.ir[i].unwrap_or(0) as f64;
    Some((total - hello).max(1.0))
}

fn wall_ratio(row: &Row, num: usize, den: usize) -> Option<f64> {
    Some(row.best[num]?.as_secs_f64() / row.best[den]?.as_secs_f64())
}

fn ir_ratio(row: &Row, startup: &Startup, num: usize, den: usize) -> Option<f64> {
    Some(net_ir(row, startup, num)? / net_ir(row, startup, den)?)
}

fn chart(rows: &[Row], callgrind: bool, startup: &Startup) -> String {
    let mut panels = Vec::new();
    let wall = |i: usize| -> Vec<f64> { rows.iter().filter_map(|r| wall_ratio(r, i, 1)).collect() };
    let mut wall_rows: Vec<(String, [Option<f64>; 2])> = rows
        .iter()
        .map(|r| {
            (
                r.w.name.to_string(),
                [wall_ratio(r, 0, 1), wall_ratio(r, 2, 1)],
            )
        })
        .collect();
    wall_rows.push(("geomean".into(), [geomean(&wall(0)), geomean(&wall(2))]));
    panels.push(svg::Panel {
        title: "wall time / CPython wall time".into(),
        rows: wall_rows,
    });
    if callgrind {
        let irs = |i: usize| -> Vec<f64> {
            rows.iter()
                .filter_map(|r| ir_ratio(r, startup, i, 1))
                .collect()
        };
        let mut ir_rows: Vec<(String, [Option<f64>; 2])> = rows
            .iter()
            .map(|r| {
                (
                    r.w.name.to_string(),
                    [ir_ratio(r, startup, 0, 1), ir_ratio(r, startup, 2, 1)],
                )
            })
            .collect();
        ir_rows.push(("geomean".into(), [geomean(&irs(0)), geomean(&irs(2))]));
        panels.push(svg::Panel {
            title: "instructions / CPython instructions".into(),
            rows: ir_rows,
        });
    }
    svg::chart(
        "Orus and Lua 5.4 relative to CPython (lower is faster)",
        "perf/workloads, same checksum in every language; wall: best of N runs at full size; instructions: callgrind at gate size, start-up subtracted",
        &panels,
    )
}

fn fmt_ms(d: Option<Duration>) -> String {
    d.map_or("–".into(), |d| {
        let v = ms(d);
        if v < 10.0 {
            format!("{v:.2}")
        } else {
            format!("{v:.1}")
        }
    })
}

fn fmt_x(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.2}×"))
}

fn date() -> String {
    measure::first_line(&["date", "-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default()
}

fn cpu() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let n = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {n} cores")
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn met(ok: bool) -> &'static str {
    if ok {
        "**yes**"
    } else {
        "no"
    }
}

/// When and with what the measurements were taken.
struct Context {
    versions: [String; 3],
    took: Duration,
    load: String,
}

fn render(
    opts: &Options,
    context: &Context,
    rows: &[Row],
    startup: &Startup,
    compile: &[CompileRow],
    trend: Option<&str>,
) -> String {
    let Context {
        versions,
        took,
        load,
    } = context;
    let mut s = String::new();
    let dirty = measure::first_line(&[
        "git",
        "-C",
        &perf::workspace_root().to_string_lossy(),
        "status",
        "--porcelain",
        "--",
        "orus",
    ])
    .is_some_and(|l| !l.is_empty());
    let _ = writeln!(s, "# Orus performance report\n");
    let _ = writeln!(
        s,
        "Generated by `cargo run -p perf --release -- compare` on {} ({:.0} s). Machine: {}. \
         Interpreters: {}{}, {}, {}. Wall times are the best of {} runs per language, the \
         languages interleaved in the same run, each a fresh process (start-up included). \
         Every program printed the same checksum unless the table says otherwise. \
         1-minute load average {load} (the machine has {} cores; a load above that means \
         other processes competed for them and wall times are noisier than the instruction \
         counts).\n",
        date(),
        took.as_secs_f64(),
        cpu(),
        versions[0],
        if dirty {
            " with uncommitted changes in orus/"
        } else {
            ""
        },
        versions[1],
        versions[2],
        opts.runs,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = writeln!(s, "![Orus and Lua relative to CPython](chart.svg)\n");

    // Wall time.
    let _ = writeln!(s, "## Wall time\n");
    let _ = writeln!(
        s,
        "“vs Python” and “vs Lua” are speed-ups: the other interpreter's time divided by \
         Orus's (above 1 means Orus is faster).\n"
    );
    let _ = writeln!(
        s,
        "| workload | N | Orus ms | Python ms | Lua ms | vs Python | vs Lua | standing |\n|---|---:|---:|---:|---:|---:|---:|---|"
    );
    let mut vs_py = Vec::new();
    let mut vs_lua = Vec::new();
    let mut py_over_lua = Vec::new();
    let mut slower_than_lua = Vec::new();
    let mut slower_15 = Vec::new();
    for r in rows {
        let p = wall_ratio(r, 1, 0);
        let l = wall_ratio(r, 2, 0);
        if let Some(v) = p {
            vs_py.push(v);
        }
        if let Some(v) = l {
            vs_lua.push(v);
            if v < 1.0 {
                slower_than_lua.push(r.w.name);
            }
            if v < 1.0 / 1.5 {
                slower_15.push(r.w.name);
            }
        }
        if let Some(v) = wall_ratio(r, 1, 2) {
            py_over_lua.push(v);
        }
        let standing = match l {
            None => String::new(),
            Some(v) if v >= 1.0 => "faster than Lua".into(),
            Some(v) if v >= 1.0 / 1.5 => "slower than Lua (within 1.5×)".into(),
            Some(_) => "**more than 1.5× slower than Lua**".into(),
        };
        let standing = if r.mismatch.is_empty() {
            standing
        } else {
            format!("CHECKSUM MISMATCH: {}", r.mismatch.join("; "))
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.w.name,
            r.w.full,
            fmt_ms(r.best[0]),
            fmt_ms(r.best[1]),
            fmt_ms(r.best[2]),
            fmt_x(p),
            fmt_x(l),
            standing
        );
    }
    let g_py = geomean(&vs_py);
    let g_lua = geomean(&vs_lua);
    let _ = writeln!(
        s,
        "| **geometric mean** | | | | | **{}** | **{}** | |\n",
        fmt_x(g_py),
        fmt_x(g_lua)
    );
    if let Some(g) = geomean(&py_over_lua) {
        let _ = writeln!(
            s,
            "On this machine CPython is {g:.2}× slower than Lua 5.4 (geometric mean over these workloads).\n"
        );
    }

    // Instructions.
    let have_ir = rows.iter().any(|r| r.ir[0].is_some());
    let mut ir_py = Vec::new();
    let mut ir_lua = Vec::new();
    if have_ir {
        let _ = writeln!(s, "## Instructions (callgrind)\n");
        let _ = writeln!(
            s,
            "Each program at its gate size N (a tenth to a twentieth of the work above), whole process under \
             `valgrind --tool=callgrind`. Ratios use the counts minus each interpreter's hello-world \
             count (start-up: Orus {}, Python {}, Lua {} instructions), so they compare the work itself.\n",
            startup.ir[0].map_or("–".into(), group),
            startup.ir[1].map_or("–".into(), group),
            startup.ir[2].map_or("–".into(), group),
        );
        let _ = writeln!(
            s,
            "| workload | N | Orus Ir | Python Ir | Lua Ir | vs Python | vs Lua |\n|---|---:|---:|---:|---:|---:|---:|"
        );
        for r in rows {
            let p = ir_ratio(r, startup, 1, 0);
            let l = ir_ratio(r, startup, 2, 0);
            if let Some(v) = p {
                ir_py.push(v);
            }
            if let Some(v) = l {
                ir_lua.push(v);
            }
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                r.w.name,
                r.w.gate,
                r.ir[0].map_or("–".into(), group),
                r.ir[1].map_or("–".into(), group),
                r.ir[2].map_or("–".into(), group),
                fmt_x(p),
                fmt_x(l)
            );
        }
        let _ = writeln!(
            s,
            "| **geometric mean** | | | | | **{}** | **{}** |\n",
            fmt_x(geomean(&ir_py)),
            fmt_x(geomean(&ir_lua))
        );
    }

    // Start-up and memory.
    let _ = writeln!(s, "## Start-up and memory\n");
    let _ = writeln!(
        s,
        "`hello.{{orus,py,lua}}` printing one line, 40 runs each, spawn to exit as seen by the \
         parent (a `/bin/true` takes {} ms the same way). Peak RSS of hello is the median of \
         15 runs of the program's own high-water mark (`VmHWM`, read at its exit under ptrace); \
         `ru_maxrss` would include the RSS of this tool, which spawned it. The workloads' peak \
         RSS below is `ru_maxrss` from `wait4`.\n",
        fmt_ms(startup.spawn_floor)
    );
    let _ = writeln!(s, "| | Orus | Python | Lua |\n|---|---:|---:|---:|");
    let _ = writeln!(
        s,
        "| hello, best ms | {} | {} | {} |",
        fmt_ms(startup.best[0]),
        fmt_ms(startup.best[1]),
        fmt_ms(startup.best[2])
    );
    let _ = writeln!(
        s,
        "| hello, median ms | {} | {} | {} |",
        fmt_ms(startup.median[0]),
        fmt_ms(startup.median[1]),
        fmt_ms(startup.median[2])
    );
    let rss = |v: Option<u64>| v.map_or("–".into(), measure::mib);
    let _ = writeln!(
        s,
        "| hello, peak RSS | {} | {} | {} |",
        rss(startup.rss_kb[0]),
        rss(startup.rss_kb[1]),
        rss(startup.rss_kb[2])
    );
    if startup.ir[0].is_some() {
        let _ = writeln!(
            s,
            "| hello, instructions | {} | {} | {} |",
            startup.ir[0].map_or("–".into(), group),
            startup.ir[1].map_or("–".into(), group),
            startup.ir[2].map_or("–".into(), group)
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Peak RSS of each workload at full size:\n\n| workload | Orus | Python | Lua |\n|---|---:|---:|---:|"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            r.w.name,
            rss(r.rss_kb[0]),
            rss(r.rss_kb[1]),
            rss(r.rss_kb[2])
        );
    }
    let _ = writeln!(s);

    // Compile throughput.
    let _ = writeln!(s, "## Compile throughput\n");
    let _ = writeln!(
        s,
        "Generated programs (`cargo run -p perf --release -- gen LINES`): a rotating mix of \
         functions with integer loops and `if`/`else`, `while` loops over `f64`, arrays and \
         strings, and structs with a `match` expression, each calling an earlier function. \
         “compile” is `orus::driver::compile` (lex, parse, check, generate code) in-process, best \
         of 5 (2 for 1M lines), with this tool's allocator (glibc malloc); “orus FILE” is the \
         binary end to end (start-up, read, compile, verify, run a one-line main), with the \
         binary's own compile-time allocator: what a user waits for.\n"
    );
    let _ = writeln!(
        s,
        "| lines | bytes | compile ms | lines/s | ns/line | `orus FILE` ms | `orus FILE` lines/s |\n|---:|---:|---:|---:|---:|---:|---:|"
    );
    for c in compile {
        let secs = c.best.as_secs_f64();
        let _ = writeln!(
            s,
            "| {} | {} | {:.1} | {} | {:.0} | {} | {} |",
            group(c.lines as u64),
            group(c.bytes as u64),
            secs * 1e3,
            group((c.lines as f64 / secs) as u64),
            secs * 1e9 / c.lines as f64,
            fmt_ms(c.binary),
            c.binary.map_or("–".to_string(), |d| group(
                (c.lines as f64 / d.as_secs_f64()) as u64
            ))
        );
    }
    let _ = writeln!(s);

    // Targets.
    let _ = writeln!(s, "## Targets of issue 10\n");
    let _ = writeln!(s, "| target | measured | met |\n|---|---|---|");
    if let Some(g) = g_py {
        let _ = writeln!(
            s,
            "| geometric mean ≥ 10× faster than CPython (wall) | {g:.2}× ({:.1}× to go) | {} |",
            (10.0 / g).max(1.0),
            met(g >= 10.0)
        );
    }
    if let Some(g) = geomean(&ir_py) {
        let _ = writeln!(
            s,
            "| geometric mean ≥ 10× fewer instructions than CPython | {g:.2}× | {} |",
            met(g >= 10.0)
        );
    }
    if let Some(g) = g_lua {
        let _ = writeln!(
            s,
            "| geometric mean faster than Lua 5.4 (wall) | {g:.2}× | {} |",
            met(g > 1.0)
        );
    }
    if let Some(g) = geomean(&ir_lua) {
        let _ = writeln!(
            s,
            "| geometric mean fewer instructions than Lua 5.4 | {g:.2}× | {} |",
            met(g > 1.0)
        );
    }
    if !vs_lua.is_empty() {
        let _ = writeln!(
            s,
            "| no workload slower than Lua 5.4 (wall) | slower: {} | {} |",
            if slower_than_lua.is_empty() {
                "none".into()
            } else {
                slower_than_lua.join(", ")
            },
            met(slower_than_lua.is_empty())
        );
        let _ = writeln!(
            s,
            "| no workload slower than 1.5× Lua 5.4 (wall) | beyond 1.5×: {} | {} |",
            if slower_15.is_empty() {
                "none".into()
            } else {
                slower_15.join(", ")
            },
            met(slower_15.is_empty())
        );
    }
    if let Some(b) = startup.best[0] {
        let _ = writeln!(
            s,
            "| start-up (hello) ≤ 1 ms | {} ms best, {} ms median (spawn floor {} ms) | {} |",
            fmt_ms(Some(b)),
            fmt_ms(startup.median[0]),
            fmt_ms(startup.spawn_floor),
            met(ms(b) <= 1.0)
        );
        // The same figure without what any process costs to spawn and reap here (the
        // floor is a `/bin/true` measured the same way), i.e. Orus's own start-up.
        if let Some(floor) = startup.spawn_floor {
            let own = b.saturating_sub(floor);
            let _ = writeln!(
                s,
                "| start-up net of process spawn (hello best − `/bin/true` best) ≤ 1 ms | {} ms (Lua: {} ms) | {} |",
                fmt_ms(Some(own)),
                fmt_ms(startup.best[2].map(|l| l.saturating_sub(floor))),
                met(ms(own) <= 1.0)
            );
        }
    }
    if let Some(kb) = startup.rss_kb[0] {
        let lua = startup.rss_kb[2].map_or("?".to_string(), measure::mib);
        let _ = writeln!(
            s,
            "| baseline RSS ≤ 3 MB | {} (Lua: {lua}) | {} |",
            measure::mib(kb),
            met(kb as f64 * 1024.0 <= 3e6)
        );
    }
    if let Some(c) = compile
        .iter()
        .find(|c| c.lines >= 100_000 && c.lines < 1_000_000)
    {
        let lps = c.lines as f64 / c.best.as_secs_f64();
        let binary = c.binary.map(|d| c.lines as f64 / d.as_secs_f64());
        let _ = writeln!(
            s,
            "| compile ≥ 3 000 000 lines/s (100k lines) | {} lines/s in-process; `orus FILE` {} lines/s | {} |",
            group(lps as u64),
            binary.map_or("–".to_string(), |v| group(v as u64)),
            met(lps.max(binary.unwrap_or(0.0)) >= 3e6)
        );
    }
    if compile.len() >= 2 {
        // ns per line of each size, and the largest over the smallest.
        let series = |per_line: Vec<f64>| {
            let spread = per_line.iter().cloned().fold(f64::MIN, f64::max)
                / per_line.iter().cloned().fold(f64::MAX, f64::min);
            let text = per_line
                .iter()
                .map(|v| format!("{:.0}", v * 1e9))
                .collect::<Vec<_>>()
                .join(" / ");
            (text, spread)
        };
        let (library, library_spread) = series(
            compile
                .iter()
                .map(|c| c.best.as_secs_f64() / c.lines as f64)
                .collect(),
        );
        let binary: Option<Vec<f64>> = compile
            .iter()
            .map(|c| c.binary.map(|d| d.as_secs_f64() / c.lines as f64))
            .collect();
        let (binary_text, binary_spread) = match binary {
            Some(per_line) => {
                let (text, spread) = series(per_line);
                (
                    format!("; `orus FILE` {text} (max/min {spread:.2})"),
                    spread,
                )
            }
            None => (String::new(), f64::INFINITY),
        };
        let _ = writeln!(
            s,
            "| compile time linear in size | ns/line in-process {library} (max/min {library_spread:.2}){binary_text} | {} |",
            met(library_spread.min(binary_spread) <= 1.5)
        );
    }
    let _ = writeln!(s);

    // Hot spots.
    if rows.iter().any(|r| !r.hot.is_empty()) {
        let _ = writeln!(s, "## Where Orus spends its instructions\n");
        let _ = writeln!(
            s,
            "Self instructions per source location of the release binary at gate size \
             (`callgrind_annotate --inclusive=no`; code inlined into the dispatch loop is \
             attributed to the file it came from, so `core/src/slice/index.rs` is bounds \
             checks and `alloc/src/vec/mod.rs` vector operations inside the dispatch loop).\n"
        );
        let _ = writeln!(s, "| workload | top self-cost locations |\n|---|---|");
        for r in rows {
            let hot = r
                .hot
                .iter()
                .map(|(share, _, name)| format!("{:.0}% {}", share * 100.0, name))
                .collect::<Vec<_>>()
                .join("<br>");
            let _ = writeln!(s, "| {} | {} |", r.w.name, hot);
        }
        let _ = writeln!(s);
    }

    if let Some(t) = trend {
        let _ = writeln!(
            s,
            "## Against the gate baseline (`ci/perf-baseline.json`)\n"
        );
        let _ = writeln!(s, "{t}");
    }

    let _ = writeln!(s, "## Workloads\n");
    let _ = writeln!(
        s,
        "Sources in `perf/workloads/NAME.{{orus,py,lua}}`, the same algorithm in each language \
         (idiomatic loops; Lua tables 1-based).\n"
    );
    let _ = writeln!(
        s,
        "| workload | what it exercises | checksum |\n|---|---|---|"
    );
    for r in rows {
        let _ = writeln!(s, "| {} | {} | {} |", r.w.name, r.w.what, r.checksum);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometric_mean() {
        assert!((geomean(&[2.0, 8.0]).unwrap() - 4.0).abs() < 1e-12);
        assert!(geomean(&[]).is_none());
    }
}
