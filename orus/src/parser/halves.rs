//! Parsing a large file as two halves on two threads.
//!
//! A file is a list of top-level statements, and a line that starts at column 0 with a
//! name or keyword usually starts one: parsing the text before such a line and the text
//! from it on separately, then joining the two lists, gives the tree that parsing the
//! whole file gives. "Usually" is made exact by checking afterwards: if the split line was
//! in fact inside something (a string or bracket running over lines, a block whose `else:`
//! or `catch:` follows at column 0, an expression continued after a trailing operator), the
//! first half ends inside it or the second half starts with what cannot start a statement,
//! and one of them reports an error (or the first half ends in an unterminated `/*`,
//! which hides the rest of a file silently). On any diagnostic at all the caller parses the whole
//! file on one thread instead, so diagnostics are always those of the one-thread parse.
//!
//! The halves' trees hold `Rc<str>` names. Each half has its own lexer, whose name table
//! is the only other holder of those names, and the worker drops it before handing its
//! tree over: every reference count of the second tree is then owned by that tree alone
//! and moves with it ([`WholeTree`]).

use super::Parser;
use crate::ast::Stmt;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// Whether a large file may be parsed on two threads; see [`allow_second_thread`].
static SECOND_THREAD: AtomicBool = AtomicBool::new(true);

/// Lets large files be parsed on two threads (the default) or not. The binary turns it
/// off under an address-space limit (`ulimit -v`): the second thread's stack and `malloc`
/// arena count against the limit, and running short of address space later aborts the
/// process instead of falling back to one thread.
pub fn allow_second_thread(allowed: bool) {
    SECOND_THREAD.store(allowed, Relaxed);
}

/// Files shorter than this are parsed on the calling thread: starting a thread costs
/// about what parsing a few hundred lines does, and most programs are far smaller.
pub(super) const MIN_BYTES: usize = 256 * 1024;

/// Stack a parser thread needs per level of syntax tree, with a wide margin (the whole
/// compiler needs at most 2 KiB per level in release builds; see `cli::run`).
pub const STACK_PER_TREE_LEVEL: usize = if cfg!(debug_assertions) {
    64 * 1024
} else {
    8 * 1024
};

/// A syntax tree whose every `Rc` handle is inside it: no name of it is shared with
/// anything outside, so the whole tree may move to another thread.
struct WholeTree(Vec<Stmt>);

// SAFETY: `Rc` is not `Send` because two threads could each hold a handle to one count.
// A `WholeTree` is built by a parser whose lexer interned its names; the worker drops that
// parser (and so the lexer's name table) before the tree leaves the thread, and nothing
// else was given a handle, so after the move only the receiving thread can reach any count.
unsafe impl Send for WholeTree {}

/// The statements of `src` parsed as two halves on two threads, or `None` when that gives
/// no answer for sure (see the module comment) or no thread could be started.
pub(super) fn parse_halves(src: &[u8], max_depth: u32) -> Option<Vec<Stmt>> {
    if !SECOND_THREAD.load(Relaxed) {
        return None;
    }
    parse_split(src, split_point(src)?, max_depth)
}

/// The statements of `src` parsed as `src[..split]` and `src[split..]` on two threads.
fn parse_split(src: &[u8], split: usize, max_depth: u32) -> Option<Vec<Stmt>> {
    let stack = (max_depth as usize).saturating_mul(STACK_PER_TREE_LEVEL);
    std::thread::scope(|scope| {
        let second = std::thread::Builder::new()
            .name("orus-parse".into())
            .stack_size(stack)
            .spawn_scoped(scope, move || {
                let mut parser = Parser::starting_at(src, split, max_depth);
                let stmts = parser.items(false, |p| p.stmt());
                let clean = parser.diags.is_empty() && parser.lexer.diags.is_empty();
                drop(parser);
                clean.then_some(WholeTree(stmts))
            })
            .ok()?;
        let mut parser = Parser::new(&src[..split], max_depth);
        let mut stmts = parser.items(false, |p| p.stmt());
        // An unterminated `/*` in the first half hides the second without an error.
        let clean = parser.diags.is_empty()
            && parser.lexer.diags.is_empty()
            && !parser.lexer.comment_runs_to_end;
        let second = second.join().ok()??;
        if !clean {
            return None;
        }
        stmts.extend(second.0);
        Some(stmts)
    })
}

/// The start of the first line at or after the middle of `src` that begins at column 0
/// with a letter (the worker, allocating with `malloc`, takes a little less of the file
/// than the compiler thread, which bumps a pointer).
pub(super) fn split_point(src: &[u8]) -> Option<usize> {
    let from = src.len() * 11 / 20;
    let mut at = from + src[from..].iter().position(|&b| b == b'\n')? + 1;
    while at < src.len() {
        if src[at].is_ascii_alphabetic() {
            return Some(at);
        }
        at += src[at..].iter().position(|&b| b == b'\n')? + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::MAX_DEPTH;

    /// Every line start at column 0 of `src` that begins with a letter.
    fn candidate_splits(src: &[u8]) -> Vec<usize> {
        (1..src.len())
            .filter(|&i| src[i - 1] == b'\n' && src[i].is_ascii_alphabetic())
            .collect()
    }

    fn corpus() -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        let mut dirs = vec![
            root.join("conformance/cases"),
            root.join("algorithms/fixtures"),
        ];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "orus") {
                    let text = std::fs::read(&path).unwrap();
                    files.push((path, text));
                }
            }
        }
        assert!(files.len() > 100, "the corpus was not found");
        files
    }

    /// Splitting at any line of any corpus file gives the one-thread tree, or no answer;
    /// a file with diagnostics never gives an answer.
    #[test]
    fn halves_give_the_whole_tree_or_nothing() {
        let (mut joined, mut refused) = (0, 0);
        for (path, text) in corpus() {
            let src = crate::lexer::strip_bom(&text);
            let (whole, diags) = crate::parser::parse(src);
            for split in candidate_splits(src) {
                match parse_split(src, split, MAX_DEPTH) {
                    Some(stmts) => {
                        assert!(
                            diags.is_empty(),
                            "{}: joined despite errors",
                            path.display()
                        );
                        assert!(
                            stmts == whole.stmts,
                            "{}: split at byte {split} changed the tree",
                            path.display()
                        );
                        joined += 1;
                    }
                    None => refused += 1,
                }
            }
        }
        // Both outcomes occur in the corpus: the comparison above ran, and the checks
        // that refuse a split did too.
        assert!(
            joined > 1000 && refused > 100,
            "{joined} joined, {refused} refused"
        );
    }

    #[test]
    fn a_split_inside_a_construct_is_refused() {
        let cases: &[&[u8]] = &[
            b"s = \"one\nx = 2\"\nprint(s)\n",
            b"xs = [1,\nx, 3]\n",
            b"if true:\n    print(1)\nelse:\n    print(2)\n",
            b"y = 1 +\nx\n",
            b"try:\n    print(1)\ncatch e:\n    print(2)\n",
            b"x = 1\n/* a\ny = 2\n",
        ];
        for src in cases {
            for split in candidate_splits(src) {
                let (whole, _) = crate::parser::parse(src);
                if let Some(stmts) = parse_split(src, split, MAX_DEPTH) {
                    assert!(stmts == whole.stmts, "{}", String::from_utf8_lossy(src));
                }
            }
        }
        assert_eq!(parse_split(cases[0], 10, MAX_DEPTH), None);
        assert_eq!(parse_split(cases[1], 10, MAX_DEPTH), None);
        assert_eq!(parse_split(cases[2], 26, MAX_DEPTH), None);
        assert_eq!(parse_split(cases[5], 11, MAX_DEPTH), None);
    }

    /// A large file goes through the halves and gives the one-thread tree; with a mistake
    /// in it, the one-thread diagnostics.
    #[test]
    fn a_large_file_parses_as_on_one_thread() {
        let unit = "fn f(a: i32) -> i32:\n    s = \"x\n  y\"\n    return a * 2 + len(s)\n\n";
        let mut src = String::from("// many functions\n");
        while src.len() < MIN_BYTES + 1000 {
            src.push_str(unit);
        }
        src.push_str("print(f(1))\n");
        assert!(split_point(src.as_bytes()).is_some());
        let (tree, diags) = crate::parser::parse(src.as_bytes());
        let (alone, alone_diags) = crate::parser::parse_on_this_thread(src.as_bytes(), MAX_DEPTH);
        assert!(diags.is_empty() && alone_diags.is_empty());
        assert!(tree == alone);
        let broken = src.replacen("return a * 2", "return a * * 2", 3000);
        let (_, diags) = crate::parser::parse(broken.as_bytes());
        let (_, alone_diags) = crate::parser::parse_on_this_thread(broken.as_bytes(), MAX_DEPTH);
        assert_eq!(diags.len(), 20);
        assert_eq!(diags, alone_diags);
    }

    #[test]
    fn the_split_is_past_the_middle_at_a_line_start() {
        let src = b"a = 1\nb = 2\n    c\nd = 4\n";
        assert_eq!(split_point(src), Some(18));
        assert_eq!(split_point(b"a = 1"), None);
    }
}
