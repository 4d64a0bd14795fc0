//! The binary's global allocator: `malloc` for everything, except on the compiler thread of
//! `orus FILE` and `orus check FILE`, which allocates by bumping a pointer through one
//! reserved region and never frees.
//!
//! Why: a compilation makes a few dozen small allocations per source line (tokens, tree
//! nodes, types, names, code) that all live until the process ends, and the binary already
//! lets go of the trees without freeing them. `malloc`'s bookkeeping was a fifth of the
//! compiler's instructions; a bump is a handful, and it places each tree's nodes next to
//! each other in the order they are visited.
//!
//! Invariants: the region is reserved once (`MAP_NORESERVE`, so untouched pages cost
//! nothing) and its bounds never change; a pointer inside it is never passed to `free`, and
//! `dealloc` of one is a no-op whichever thread calls it, so values made by the compiler may
//! be dropped or grown anywhere (`realloc` of one copies into memory of the calling thread's
//! kind). Only one thread at a time owns the bump pointer ([`Compiling`]); a run that
//! exhausts the region continues on `malloc`. The REPL does not use it (it compiles once
//! per entry, so nothing would ever be reused).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

/// Address space reserved for compilation: far more than a compiler run touches (about a
/// kilobyte per source line), and only touched pages become memory.
const REGION: usize = 16 << 30;

/// The start of the region kept on ordinary pages.
const SMALL_PAGES: usize = 8 << 20;

/// Start and end of the reserved region; 0 until reserved, and both 0 if that failed.
static START: AtomicUsize = AtomicUsize::new(0);
static END: AtomicUsize = AtomicUsize::new(0);
/// The next free byte of the region.
static NEXT: AtomicUsize = AtomicUsize::new(0);
/// Whether some thread holds the bump pointer.
static TAKEN: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Whether this thread allocates from the region.
    static BUMPING: Cell<bool> = const { Cell::new(false) };
    /// Whether this thread is compiling (with or without the region).
    static COMPILING: Cell<bool> = const { Cell::new(false) };
}

pub struct Allocator;

/// While alive, the current thread allocates from the region (if it could be reserved and
/// no other thread is compiling).
pub struct Compiling {
    active: bool,
}

impl Compiling {
    pub fn start() -> Compiling {
        COMPILING.with(|c| c.set(true));
        if !reserve() || TAKEN.swap(true, Relaxed) {
            return Compiling { active: false };
        }
        BUMPING.with(|b| b.set(true));
        Compiling { active: true }
    }
}

impl Drop for Compiling {
    fn drop(&mut self) {
        COMPILING.with(|c| c.set(false));
        if self.active {
            BUMPING.with(|b| b.set(false));
            TAKEN.store(false, Relaxed);
        }
    }
}

#[cfg(target_os = "linux")]
fn reserve() -> bool {
    extern "C" {
        fn mmap(addr: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut u8;
        fn madvise(addr: *mut u8, len: usize, advice: i32) -> i32;
    }
    const MADV_HUGEPAGE: i32 = 14;
    const MADV_NOHUGEPAGE: i32 = 15;
    const PROT_READ: i32 = 1;
    const PROT_WRITE: i32 = 2;
    const MAP_PRIVATE: i32 = 0x02;
    const MAP_ANONYMOUS: i32 = 0x20;
    const MAP_NORESERVE: i32 = 0x4000;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: an anonymous mapping at an address of the kernel's choosing touches no
        // existing memory.
        let p = unsafe {
            mmap(
                std::ptr::null_mut(),
                REGION,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p as isize != -1 && !p.is_null() {
            // Small programs would otherwise get a 2 MiB transparent huge page for their
            // first kilobytes of tree; large ones still get huge pages past this.
            // SAFETY: advice on the mapping just made; failure only loses the advice.
            unsafe { madvise(p, SMALL_PAGES, MADV_NOHUGEPAGE) };
            // Where transparent huge pages are only given on request (`madvise`, the
            // usual default), ask for them past the small-page start: `orus check` of a
            // 100 000-line program took 31 600 page faults on 4 KiB pages and 7 300 with
            // this (the rest are blocks too big for the region), about 20 % less time.
            // SAFETY: as above.
            unsafe { madvise(p.add(SMALL_PAGES), REGION - SMALL_PAGES, MADV_HUGEPAGE) };
            START.store(p as usize, Relaxed);
            NEXT.store(p as usize, Relaxed);
            END.store(p as usize + REGION, Relaxed);
        }
    });
    END.load(Relaxed) != 0
}

#[cfg(not(target_os = "linux"))]
fn reserve() -> bool {
    false
}

fn in_region(ptr: *mut u8) -> bool {
    let p = ptr as usize;
    p >= START.load(Relaxed) && p < END.load(Relaxed)
}

/// Size classes of reusable blocks: 16-byte steps up to 512 bytes, then powers of two up
/// to 64 KiB. Freed blocks of a class go on its list; bigger blocks are never reused.
const SMALL_STEP: usize = 16;
const SMALL_MAX: usize = 512;
const CLASSES: usize = SMALL_MAX / SMALL_STEP + 7;

/// Free lists, one per class: the address of the first free block, whose first word holds
/// the next. Only the thread that holds the bump pointer touches them.
static FREE: [AtomicUsize; CLASSES] = [const { AtomicUsize::new(0) }; CLASSES];

/// The class of a block of `layout` and the size every block of it has.
#[inline]
fn class_of(layout: Layout) -> Option<(usize, usize)> {
    let size = layout.size().max(1);
    if layout.align() > SMALL_STEP {
        None
    } else if size <= SMALL_MAX {
        let k = size.div_ceil(SMALL_STEP);
        Some((k - 1, k * SMALL_STEP))
    } else if size <= 64 << 10 {
        let block = size.next_power_of_two();
        // 1 KiB is class SMALL_MAX / SMALL_STEP, 64 KiB the last.
        let k = block.trailing_zeros() as usize - 10 + SMALL_MAX / SMALL_STEP;
        Some((k, block))
    } else {
        None
    }
}

/// A block for `layout` from the region: a reused one of its class, else a bumped one;
/// null for sizes without a class (they go to `malloc`, which can reuse them) and when the
/// region is exhausted.
#[inline]
fn take(layout: Layout) -> *mut u8 {
    let Some((class, block)) = class_of(layout) else {
        return std::ptr::null_mut();
    };
    let head = FREE[class].load(Relaxed);
    if head != 0 {
        // SAFETY: a free block of the region holds the next block's address.
        let next = unsafe { *(head as *const usize) };
        FREE[class].store(next, Relaxed);
        return head as *mut u8;
    }
    // Blocks are multiples of 16 bytes and the region starts page-aligned, so every
    // bumped block is 16-byte aligned.
    let start = NEXT.load(Relaxed);
    match start.checked_add(block) {
        Some(end) if end <= END.load(Relaxed) => {
            NEXT.store(end, Relaxed);
            start as *mut u8
        }
        _ => std::ptr::null_mut(),
    }
}

/// Puts a block of the region back on its class's list (the bumping thread only).
#[inline]
fn give_back(ptr: *mut u8, layout: Layout) {
    if let Some((class, _)) = class_of(layout) {
        // SAFETY: the block is at least 16 bytes, aligned to 16 and no longer in use.
        unsafe { *(ptr as *mut usize) = FREE[class].load(Relaxed) };
        FREE[class].store(ptr as usize, Relaxed);
    }
}

fn bumping() -> bool {
    BUMPING.with(Cell::get)
}

/// The compiler ran out of memory (`ulimit -v`, or a huge program): a report and exit 65,
/// as for a compile error, instead of Rust's abort. Nothing here allocates.
#[cold]
#[inline(never)]
fn compiler_out_of_memory() -> ! {
    const REPORT: &[u8] = b"-- INTERNAL ERROR [E9001]: Out of memory while compiling --\n\n    \
        The program needs more memory to compile than this process may use (see \
        `ulimit -v`).\n    = help: Raise the limit, or make the program smaller.\n";
    extern "C" {
        fn write(fd: i32, buf: *const u8, count: usize) -> isize;
        fn _exit(status: i32) -> !;
    }
    // SAFETY: writes a static buffer to stderr, then ends the process without unwinding
    // or running destructors (which might allocate).
    unsafe {
        write(2, REPORT.as_ptr(), REPORT.len());
        _exit(65)
    }
}

// SAFETY: every block handed out is either `System`'s or a range of the region that no
// live block overlaps (a fresh one, or one given back), and each is returned to the
// allocator that made it.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if bumping() {
            let p = take(layout);
            if !p.is_null() {
                return p;
            }
        }
        let p = System.alloc(layout);
        if p.is_null() && COMPILING.with(Cell::get) {
            compiler_out_of_memory();
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !in_region(ptr) {
            System.dealloc(ptr, layout)
        } else if bumping() {
            give_back(ptr, layout)
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !in_region(ptr) && !bumping() {
            let p = System.realloc(ptr, layout, new_size);
            if p.is_null() && COMPILING.with(Cell::get) {
                compiler_out_of_memory();
            }
            return p;
        }
        // SAFETY: the caller guarantees `new_size` with `layout`'s alignment is a valid
        // layout.
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if in_region(ptr) && bumping() {
            if let (Some((a, _)), Some((b, _))) = (class_of(layout), class_of(new_layout)) {
                if a == b {
                    return ptr;
                }
            }
        }
        let new = self.alloc(new_layout);
        if !new.is_null() {
            std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_small_blocks_and_stop_at_64_kib() {
        let class = |size, align| class_of(Layout::from_size_align(size, align).unwrap());
        assert_eq!(class(1, 1), Some((0, 16)));
        assert_eq!(class(16, 8), Some((0, 16)));
        assert_eq!(class(17, 8), Some((1, 32)));
        assert_eq!(class(512, 16), Some((31, 512)));
        assert_eq!(class(513, 8), Some((32, 1024)));
        assert_eq!(class(64 << 10, 8), Some((CLASSES - 1, 64 << 10)));
        assert_eq!(class((64 << 10) + 1, 8), None);
        assert_eq!(class(8, 32), None);
    }

    #[test]
    fn a_compiling_thread_reuses_blocks_and_others_may_drop_them() {
        let made = std::thread::spawn(|| {
            let _bump = Compiling::start();
            let first = Box::new([7u64; 5]);
            let addr = &*first as *const _ as usize;
            let in_arena = in_region(addr as *mut u8);
            drop(first);
            let second = Box::new([9u64; 5]);
            let reused = &*second as *const _ as usize == addr;
            let mut grown: Vec<u32> = (0..10_000).collect();
            grown.extend(0..100_000);
            (in_arena, reused, grown, second)
        })
        .join()
        .unwrap();
        let (in_arena, reused, mut grown, second) = made;
        if in_arena {
            assert!(
                reused,
                "a freed block of the same class is handed out again"
            );
        }
        assert_eq!(*second, [9; 5]);
        // Growing and dropping the compiler's values on another thread.
        grown.extend(0..10);
        assert_eq!(grown.len(), 110_010);
        assert_eq!(grown[10_005], 5);
    }
}
