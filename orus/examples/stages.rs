//! Runs one compiler stage over a file, for profiling it alone (under callgrind or perf):
//! `cargo run --release -p orus --example stages -- lex|parse|compile FILE [REPEAT]`.
//! It also prints the bytes the stage allocated and its peak of live bytes (the last run),
//! since the memory a compilation touches costs time too (the kernel zeroes each new page).
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
