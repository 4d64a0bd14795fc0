//! Runs one compiler stage over a file, for profiling it alone (under callgrind or perf):
//! `cargo run --release -p orus --example stages -- lex|parse|compile FILE [REPEAT]`.
//! It also prints the bytes the stage allocated and its peak of live bytes (the last run),
//! since the memory a compilation touches costs time too (the kernel zeroes each new page).
//! `phases FILE` runs the compiler once and prints, for parsing, checking and code
//! generation in turn, the time, the bytes allocated and the bytes still live after it.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// `malloc`, counting what is asked of it.
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    ALLOCATED.fetch_add(bytes, Relaxed);
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call goes to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Relaxed);
        grew(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

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
    if stage == "phases" {
        phases(path, src, lines);
        return;
    }
    let mut best = f64::MAX;
    let (mut allocated, mut peak) = (0, 0);
    for _ in 0..repeat {
        let (before, live) = (ALLOCATED.load(Relaxed), LIVE.load(Relaxed));
        PEAK.store(live, Relaxed);
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
        allocated = ALLOCATED.load(Relaxed) - before;
        peak = PEAK.load(Relaxed) - live;
        drop(std::hint::black_box(result));
    }
    println!(
        "{stage}: best {:.1} ms, {:.0} lines/s; allocated {} bytes per line, peak {} live",
        best * 1e3,
        lines as f64 / best,
        allocated / lines,
        peak / lines
    );
}

/// One compilation, phase by phase: time, bytes allocated, and bytes live after each.
fn phases(path: &str, src: Vec<u8>, lines: usize) {
    use orus::{codegen, modules, types};
    let options = orus::driver::CompileOptions::default();
    let mut mark = (Instant::now(), ALLOCATED.load(Relaxed));
    let mut report = |phase: &str| {
        let (t, allocated) = (Instant::now(), ALLOCATED.load(Relaxed));
        println!(
            "{phase:>8}: {:6.1} ms, allocated {:5} bytes per line, {:5} live after",
            (t - mark.0).as_secs_f64() * 1e3,
            (allocated - mark.1) / lines,
            LIVE.load(Relaxed) / lines,
        );
        mark = (t, allocated);
    };
    let (graph, diags) = modules::load(
        path,
        src,
        std::path::Path::new(path),
        &options.search,
        options.max_depth,
    );
    report("parse");
    let inputs = orus::driver::module_inputs(&graph);
    let (mut typed, type_diags) = types::check_modules_with_depth(&inputs, options.max_depth);
    report("check");
    if !diags.is_empty() || !type_diags.is_empty() {
        eprintln!("stages: {path} does not compile");
        std::process::exit(65);
    }
    let generated = codegen::generate_optimized(&mut typed);
    report("codegen");
    let _ = std::hint::black_box((generated.0.is_ok(), typed, inputs));
}
