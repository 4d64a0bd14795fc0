//! Jumps and their targets: patching a jump once its target is known, and lists of jumps
//! still waiting for one.
//!
//! A list is chained through the jumps' own offset fields, as in Lua's code generator
//! (`lcode.c`): until it is patched, a jump's offset holds the pc of the next jump of its
//! list. So a condition, an `if` or a loop's `break`s need no vector of pending jumps.
//! Every list is patched before the function is done: an offset left as a link would
//! jump somewhere wrong.

use super::FnGen;

/// Jumps still to be pointed at their target, chained through their own offset fields
/// (as in Lua's code generator): each one's offset holds the pc of the next one until it
/// is patched, so a condition or an `if` needs no vector of pending jumps.
#[derive(Clone, Copy)]
#[must_use]
pub(super) struct Jumps {
    /// The most recently added jump, or `NO_JUMP`.
    head: i32,
}

/// The end of a chain of [`Jumps`].
const NO_JUMP: i32 = -1;

impl Jumps {
    pub(super) const NONE: Jumps = Jumps { head: NO_JUMP };
}

impl FnGen<'_, '_> {
    /// Offset from the instruction after `from` to `to`.
    pub(super) fn offset(from: usize, to: usize) -> i32 {
        to as i32 - from as i32 - 1
    }

    /// Points the jump at `at` to `target`.
    pub(super) fn patch(&mut self, at: usize, target: usize) {
        let off = Self::offset(at, target);
        match self.code[at].jump_offset_mut() {
            Some(offset) => *offset = off,
            None => unreachable!("patching a non-jump {:?}", self.code[at]),
        }
    }

    /// Adds the jump just emitted at `at` to `list`.
    pub(super) fn chain(&mut self, list: &mut Jumps, at: usize) {
        self.set_link(at, list.head);
        list.head = at as i32;
    }

    /// A list of the one jump at `at`.
    pub(super) fn one_jump(&mut self, at: usize) -> Jumps {
        let mut list = Jumps::NONE;
        self.chain(&mut list, at);
        list
    }

    /// Adds the jumps of `more` to `list`.
    pub(super) fn join_jumps(&mut self, list: &mut Jumps, more: Jumps) {
        if more.head == NO_JUMP {
            return;
        }
        let mut tail = more.head;
        loop {
            let next = self.link(tail as usize);
            if next == NO_JUMP {
                break;
            }
            tail = next;
        }
        self.set_link(tail as usize, list.head);
        list.head = more.head;
    }

    pub(super) fn link(&mut self, at: usize) -> i32 {
        match self.code[at].jump_offset_mut() {
            Some(offset) => *offset,
            None => unreachable!("a non-jump in a jump list {:?}", self.code[at]),
        }
    }

    pub(super) fn set_link(&mut self, at: usize, next: i32) {
        match self.code[at].jump_offset_mut() {
            Some(offset) => *offset = next,
            None => unreachable!("a non-jump in a jump list {:?}", self.code[at]),
        }
    }

    /// Points every jump in `jumps` to `target`.
    pub(super) fn patch_all(&mut self, jumps: Jumps, target: usize) {
        let mut at = jumps.head;
        while at != NO_JUMP {
            let next = self.link(at as usize);
            self.patch(at as usize, target);
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every jump of every function lands inside the function: a jump left with a link
    /// of its list instead of an offset would not (or would land on the wrong pc, which the
    /// golden suites catch).
    #[test]
    fn every_jump_is_patched_into_its_function() {
        let src = "fn f(a: i32, b: i32) -> i32:\n    mut n = 0\n    \
                   while (a < n or b > 2) and not (n == 7 or n == 9):\n        \
                   if n > 20 or (a == 1 and b == 2):\n            break\n        \
                   elif n % 2 == 0:\n            n += 3\n            continue\n        \
                   n += 1\n    return match n:\n        1 -> 10\n        2 -> 20\n        \
                   3 -> 30\n        4 -> 40\n        _ -> n\nprint(f(1, 5))\n";
        let compiled = crate::driver::compile("j.orus", src.as_bytes()).expect("compiles");
        let f = compiled.program.functions.iter().find(|f| f.name == "f");
        let code = &f.expect("f exists").code;
        let mut jumps = 0;
        for (pc, instr) in code.iter().enumerate() {
            let mut instr = *instr;
            if let Some(offset) = instr.jump_offset_mut() {
                let target = pc as i64 + 1 + i64::from(*offset);
                assert!((0..=code.len() as i64).contains(&target), "{pc}: {instr:?}");
                jumps += 1;
            }
        }
        assert!(jumps > 10, "{jumps} jumps");
    }
}
