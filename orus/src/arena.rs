//! The binary's global allocator: `malloc` for everything, except while `orus FILE` or
//! `orus check FILE` compiles, when every thread allocates by bumping a pointer through its
//! own lane of one reserved region and reuses freed blocks by size class.
//!
//! Why: a compilation makes a few dozen small allocations per source line (tokens, tree
//! nodes, types, names, code) that mostly live until the process ends, and the binary
//! already lets go of the trees without freeing them. `malloc`'s bookkeeping was a fifth of
//! the compiler's instructions; a bump is a handful, and it places each tree's nodes next
//! to each other in the order they are visited. Lanes are per thread so that the parser's
//! second thread (`parser::halves`) bumps too: on `malloc` its half of the tree took
//! thousands of 4 KiB page faults in a thread arena of its own.
//!
//! Invariants: the region is reserved once (`MAP_NORESERVE`, so untouched pages cost
//! nothing) and its bounds never change; a pointer inside it is never passed to `free`.
//! A thread takes lanes ([`LANE`] bytes of the region) one at a time with an atomic add and
//! is the only one to bump through them; its free lists are its own too, so a block freed
//! on another thread than the one that made it simply moves to that thread's lists. While
//! no [`Compiling`] guard is alive, `dealloc` of a region block is a no-op (values made by
//! the compiler may be dropped or grown anywhere; `realloc` of one copies into `malloc`
//! memory). Bytes past a lane's bump pointer have never been written, so they hold the
//! fresh mapping's zeros and `alloc_zeroed` clears only reused blocks. Blocks too big for
//! a class are bumped too (through the lane, or in a span of whole lanes of their own) and
//! never reused; they grow in place where they can. A run that exhausts the region
//! continues on `malloc`. The REPL does not use
//! the region (it compiles once per entry, so nothing would ever be reused).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Address space reserved for compilation: far more than a compiler run touches (about a
/// kilobyte per source line), and only touched pages become memory.
const REGION: usize = 16 << 30;

/// The start of the region kept on ordinary pages: the first lane, where a small
/// program's whole compilation fits.
const SMALL_PAGES: usize = LANE;

/// Bytes of the region a thread takes at a time: a few transparent huge pages' worth, so
/// that two threads' lanes rarely share one, and far more than the largest class.
const LANE: usize = 4 << 20;

/// Start and end of the reserved region; 0 until reserved, and both 0 if that failed.
static START: AtomicUsize = AtomicUsize::new(0);
static END: AtomicUsize = AtomicUsize::new(0);
/// The start of the region's part no lane has taken yet.
static UNTAKEN: AtomicUsize = AtomicUsize::new(0);
/// How many [`Compiling`] guards are alive: every thread bumps while it is not 0 (and
/// falls back to `malloc` at once if the region could not be reserved).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The next free byte of this thread's lane and the lane's end (both 0 before the
    /// thread's first lane).
    static NEXT: Cell<usize> = const { Cell::new(0) };
    static LANE_END: Cell<usize> = const { Cell::new(0) };
    /// Free lists, one per class: the address of the first free block, whose first word
    /// holds the next.
    static FREE: [Cell<usize>; CLASSES] = const { [const { Cell::new(0) }; CLASSES] };
}

pub struct Allocator;

/// While alive, every thread allocates from the region (if it could be reserved): the
/// thread that compiles and any it starts.
pub struct Compiling(());

impl Compiling {
    pub fn start() -> Compiling {
        reserve();
        ACTIVE.fetch_add(1, Relaxed);
        Compiling(())
    }

    /// [`Compiling::start`] for a source of at least [`LARGE_SOURCE`] bytes: its
    /// compilation will fill many huge pages, so the small-page start of the region is
    /// skipped if no thread has taken it yet.
    pub fn start_large() -> Compiling {
        reserve();
        let start = START.load(Relaxed);
        if start != 0 {
            let _ = UNTAKEN.compare_exchange(start, start + SMALL_PAGES, Relaxed, Relaxed);
        }
        Compiling::start()
    }
}

/// Source size from which compiling on 4 KiB pages costs more than it saves: a
/// 64 KiB program's compilation touches about 1.5 MiB, some 400 page faults of several
/// microseconds each on a virtual machine, against one huge page's zeroing.
pub const LARGE_SOURCE: usize = 64 << 10;

impl Drop for Compiling {
    fn drop(&mut self) {
        ACTIVE.fetch_sub(1, Relaxed);
    }
}

/// Reserves the region, once; on failure it stays empty and everything goes to `malloc`.
#[cfg(target_os = "linux")]
fn reserve() {
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
            // this (the rest were blocks too big for the region, which now come here too),
            // about 20 % less time.
            // SAFETY: as above.
            unsafe { madvise(p.add(SMALL_PAGES), REGION - SMALL_PAGES, MADV_HUGEPAGE) };
            START.store(p as usize, Relaxed);
            UNTAKEN.store(p as usize, Relaxed);
            END.store(p as usize + REGION, Relaxed);
        }
    });
}

#[cfg(not(target_os = "linux"))]
fn reserve() {}

fn in_region(ptr: *mut u8) -> bool {
    let p = ptr as usize;
    p >= START.load(Relaxed) && p < END.load(Relaxed)
}

/// Size classes of reusable blocks: 16-byte steps up to 512 bytes, then powers of two up
/// to 64 KiB. Freed blocks of a class go on its list; bigger blocks are never reused.
const SMALL_STEP: usize = 16;
const SMALL_MAX: usize = 512;
const CLASSES: usize = SMALL_MAX / SMALL_STEP + 7;

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
    take_telling_reuse(layout).0
}

/// [`take`], and whether the block was used before: a bumped block has never been
/// written, so it still holds the zeros of the fresh mapping.
#[inline(always)]
fn take_telling_reuse(layout: Layout) -> (*mut u8, bool) {
    let Some((class, block)) = class_of(layout) else {
        return (take_big(layout), false);
    };
    let head = FREE.with(|f| f[class].get());
    if head != 0 {
        // SAFETY: a free block of the region holds the next block's address.
        let next = unsafe { *(head as *const usize) };
        FREE.with(|f| f[class].set(next));
        return (head as *mut u8, true);
    }
    (bump(block), false)
}

/// `block` bytes bumped from this thread's lane, or from a fresh lane when they do not
/// fit; null when the region is exhausted. Blocks are multiples of 16 bytes and lanes
/// start page-aligned, so every bumped block is 16-byte aligned.
#[inline(always)]
fn bump(block: usize) -> *mut u8 {
    let start = NEXT.get();
    let end = start + block;
    if end <= LANE_END.get() {
        NEXT.set(end);
        start as *mut u8
    } else {
        take_from_new_lane(block)
    }
}

/// `block` bytes from a fresh lane (the rest of the old one is left unused, at most the
/// largest class); null when the region is exhausted.
#[cold]
#[inline(never)]
fn take_from_new_lane(block: usize) -> *mut u8 {
    let Some(lane) = take_lanes(LANE) else {
        return std::ptr::null_mut();
    };
    NEXT.set(lane + block);
    LANE_END.set(lane + LANE);
    lane as *mut u8
}

/// The start of `len` bytes (whole lanes) of the region no thread has taken, or `None`
/// when the region is exhausted or was never reserved.
fn take_lanes(len: usize) -> Option<usize> {
    let region_end = END.load(Relaxed);
    if region_end == 0 {
        return None;
    }
    let start = UNTAKEN.fetch_add(len, Relaxed);
    // Past the end, later takers see the region as exhausted too; undoing the add would
    // race.
    start.checked_add(len).filter(|&end| end <= region_end)?;
    Some(start)
}

/// The bytes a block too big for a class takes in the region: `None` for the few that
/// stay with `malloc` (alignment above 16 bytes).
#[inline]
fn big_block(layout: Layout) -> Option<usize> {
    (layout.align() <= SMALL_STEP).then(|| layout.size().next_multiple_of(SMALL_STEP))
}

/// Big blocks up to this size are bumped through the thread's lane; bigger ones get a
/// span of whole lanes of their own, where they can grow in place.
const BIG_IN_LANE: usize = LANE / 4;

/// A block too big for a class, from the region (null when it cannot be had there).
///
/// Why big blocks come here rather than from `malloc`: `malloc` maps them on 4 KiB pages,
/// and on the virtual machines this runs on a first touch of one costs microseconds; a
/// 100 000-line program's big vectors (statements, function tables, the word table) took
/// about 2 500 such faults. Here they sit on the region's huge pages. They are never
/// reused, but a vector that grows at the end of its lane or inside its span grows in
/// place ([`grow_big_in_place`]), so doubling does not copy.
#[cold]
#[inline(never)]
fn take_big(layout: Layout) -> *mut u8 {
    let Some(block) = big_block(layout) else {
        return std::ptr::null_mut();
    };
    if block <= BIG_IN_LANE {
        return bump(block);
    }
    take_lanes(block.next_multiple_of(LANE)).map_or(std::ptr::null_mut(), |start| start as *mut u8)
}

/// Grows the big block at `ptr` (made for `old`) to `new_size` bytes where it is, if it
/// can: a block at the end of this thread's lane takes more of the lane, and a block with
/// a span of its own may fill the span. True when it did. `old` has no class.
fn grow_big_in_place(ptr: *mut u8, old: Layout, new_size: usize) -> bool {
    let Some(old_block) = big_block(old) else {
        return false;
    };
    let new_block = new_size.next_multiple_of(SMALL_STEP);
    let p = ptr as usize;
    if old_block <= BIG_IN_LANE {
        // Only a block that ends at this thread's bump pointer can extend its lane; the
        // block keeps the in-lane treatment as long as it stays in the lane.
        if p + old_block == NEXT.get() && p + new_block <= LANE_END.get() {
            NEXT.set(p + new_block);
            return true;
        }
        false
    } else {
        new_block <= old_block.next_multiple_of(LANE)
    }
}

/// Puts a block of the region back on its class's list (this thread's).
#[inline]
fn give_back(ptr: *mut u8, layout: Layout) {
    if let Some((class, _)) = class_of(layout) {
        let head = FREE.with(|f| f[class].get());
        // SAFETY: the block is at least 16 bytes, aligned to 16 and no longer in use.
        unsafe { *(ptr as *mut usize) = head };
        FREE.with(|f| f[class].set(ptr as usize));
    }
}

#[inline]
fn bumping() -> bool {
    ACTIVE.load(Relaxed) != 0
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
        if p.is_null() && bumping() {
            compiler_out_of_memory();
        }
        p
    }

    /// Zeroed memory (`vec![0; n]`, the word table's slots): a bumped block is zero
    /// already, so only a reused one is cleared.
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if bumping() {
            let (p, reused) = take_telling_reuse(layout);
            if !p.is_null() {
                if reused {
                    // SAFETY: the block is at least `layout.size()` bytes and ours.
                    std::ptr::write_bytes(p, 0, layout.size());
                }
                return p;
            }
        }
        let p = System.alloc_zeroed(layout);
        if p.is_null() && bumping() {
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
        // SAFETY: the caller guarantees `new_size` with `layout`'s alignment is a valid
        // layout.
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        // Outside compilation `malloc` blocks stay with `malloc`; while compiling, every
        // block moves into the region (big ones too: see `take_big`).
        if !in_region(ptr) && !bumping() {
            return System.realloc(ptr, layout, new_size);
        }
        if in_region(ptr) && bumping() {
            if let (Some((a, _)), Some((b, _))) = (class_of(layout), class_of(new_layout)) {
                if a == b {
                    return ptr;
                }
            }
            // A big block shrinks where it is (the tail is simply not used again) and grows
            // there when it can.
            if class_of(layout).is_none()
                && (new_size <= layout.size() || grow_big_in_place(ptr, layout, new_size))
            {
                return ptr;
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

    #[test]
    fn zeroed_blocks_are_zero_whether_bumped_or_reused() {
        let made = std::thread::spawn(|| {
            let _bump = Compiling::start();
            let dirty = vec![0xABu8; 200];
            drop(dirty);
            // The first takes the block just freed (reused, so cleared), the second a
            // bumped one.
            let reused = vec![0u8; 200];
            let fresh = vec![0u8; 200];
            (reused, fresh)
        })
        .join()
        .unwrap();
        assert!(made.0.iter().chain(&made.1).all(|&b| b == 0));
    }

    #[test]
    fn big_blocks_come_from_the_region_and_grow_in_place() {
        let made = std::thread::spawn(|| {
            let _bump = Compiling::start();
            // In a lane: nothing is allocated between the pushes, so the vector stays at
            // the lane's end and each doubling extends it there.
            let mut in_lane: Vec<u64> = Vec::with_capacity(10_000);
            let first = in_lane.as_ptr() as usize;
            in_lane.extend(0..40_000);
            let in_lane_moved = in_lane.as_ptr() as usize != first;
            // A span of its own: 2 MiB grows to 3 MiB within its 4 MiB span.
            let mut spanned: Vec<u8> = Vec::with_capacity(2 << 20);
            let span_start = spanned.as_ptr() as usize;
            spanned.resize(3 << 20, 7);
            let spanned_moved = spanned.as_ptr() as usize != span_start;
            let zeroed = vec![0u8; 3 << 20];
            (
                first,
                in_lane_moved,
                in_lane,
                spanned_moved,
                spanned,
                zeroed,
            )
        })
        .join()
        .unwrap();
        let (first, in_lane_moved, in_lane, spanned_moved, spanned, zeroed) = made;
        if in_region(first as *mut u8) {
            assert!(
                !in_lane_moved,
                "a vector at its lane's end grows where it is"
            );
            assert!(!spanned_moved, "a big vector grows within its span");
        }
        assert!(in_lane.iter().copied().eq(0..40_000));
        assert!(spanned.len() == 3 << 20 && spanned.iter().all(|&b| b == 7));
        assert!(zeroed.iter().all(|&b| b == 0));
    }

    #[test]
    fn big_blocks_made_while_compiling_grow_and_shrink_afterwards() {
        let (mut grown, mut shrunk) = std::thread::spawn(|| {
            let _bump = Compiling::start();
            (vec![3u32; 50_000], vec![4u32; 60_000])
        })
        .join()
        .unwrap();
        grown.extend(std::iter::repeat_n(5, 100_000));
        shrunk.truncate(10);
        shrunk.shrink_to_fit();
        assert_eq!(grown.len(), 150_000);
        assert_eq!((grown[49_999], grown[50_000]), (3, 5));
        assert_eq!(shrunk, vec![4; 10]);
    }

    #[test]
    fn threads_started_while_compiling_bump_through_lanes_of_their_own() {
        let _bump = Compiling::start();
        let here = Box::new([1u64; 3]);
        let there = std::thread::spawn(|| {
            let block = Box::new([2u64; 3]);
            (&*block as *const _ as usize, block)
        })
        .join()
        .unwrap();
        let here_addr = &*here as *const _ as usize;
        if in_region(here_addr as *mut u8) {
            assert!(in_region(there.0 as *mut u8), "the other thread bumps too");
            assert!(
                here_addr.abs_diff(there.0) >= 32,
                "two threads' blocks never overlap"
            );
        }
        assert_eq!((*here, *there.1), ([1; 3], [2; 3]));
    }
}
