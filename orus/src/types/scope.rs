//! Symbol tables of the checker: what a name means at a point of the program.

use super::typed::{LocalId, TopId};

/// What a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sym {
    Local(LocalId),
    Top(TopId),
    /// A declared function (index into `Checker::fns`).
    Func(usize),
    /// A variable of an enclosing function, captured by the current closure.
    Capture(u16),
}

/// Facts about a variable binding that assignments need.
#[derive(Clone, Copy, Debug)]
pub(super) struct VarInfo {
    pub mutable: bool,
    pub loop_var: bool,
    /// 1-based line of the declaration, for "already defined on line N".
    pub line: usize,
}

/// One lexical scope: names in declaration order (lookups go newest first).
#[derive(Default, Debug)]
pub(super) struct Scope {
    pub names: Vec<(String, Sym)>,
}

impl Scope {
    pub fn get(&self, name: &str) -> Option<Sym> {
        self.names
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|&(_, sym)| sym)
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(super::edit_distance("count", "cont"), 1);
        assert_eq!(super::edit_distance("abc", "abc"), 0);
        assert_eq!(super::edit_distance("", "ab"), 2);
    }
}
