//! Symbol tables of the checker: what a name means at a point of the program.

use super::typed::{LocalId, TopId};
use crate::ast::Name;
use crate::hash::FastMap as HashMap;

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
    /// Where the declaration is (byte offset in its module's file, [`NO_PLACE`] for a
    /// hidden variable), for "already defined on line N": the line is found only when a
    /// message needs it (`Checker::line_at`).
    pub at: u32,
    /// How it was declared, which decides the advice of E1015.
    pub form: DeclForm,
    /// Closures may capture it before its value is stored (a nested function's own
    /// variable, while its body is checked), so a capture must share its cell.
    pub late: bool,
}

/// `VarInfo::at` of a variable that no source text declares (its line is 0).
pub(super) const NO_PLACE: u32 = u32::MAX;

impl VarInfo {
    /// Whether a closure that captures it must share its cell: it may change once the
    /// closure exists. Closures copy every other variable they capture.
    pub fn shared_by_cell(&self) -> bool {
        self.mutable || self.late
    }
}

/// The kind of declaration that made a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DeclForm {
    /// A parameter, a pattern binding or a caught error: no `mut` can be added.
    Bound,
    /// `x = …`, `x: T = …`: could have said `mut`.
    Statement,
    /// `global X = …`: could have said `global mut`.
    Global,
    /// `const x = …`.
    Const,
}

/// One lexical scope: names in declaration order (lookups go newest first).
#[derive(Default, Debug)]
pub(super) struct Scope {
    names: Vec<(Name, Sym)>,
    /// The position in `names` of the newest entry of each name, kept once the scope
    /// holds more than `INDEX_FROM` names (a module's top level may hold thousands).
    index: Option<HashMap<Name, usize>>,
}

/// Scopes up to this size are searched linearly, which is cheaper than hashing.
const INDEX_FROM: usize = 16;

impl Scope {
    /// What `name` means in this scope. The linear search of a small scope is inlined into
    /// the callers (it is a few compares); the hashed one of a large scope is not.
    #[inline]
    pub fn get(&self, name: &str) -> Option<Sym> {
        if self.index.is_some() {
            return self.get_indexed(name);
        }
        self.names
            .iter()
            .rev()
            .find(|(n, _)| same_name(n, name))
            .map(|&(_, sym)| sym)
    }

    #[inline(never)]
    fn get_indexed(&self, name: &str) -> Option<Sym> {
        let index = self.index.as_ref()?;
        index.get(name).map(|&i| self.names[i].1)
    }

    /// Forgets every name, keeping the storage.
    pub fn clear(&mut self) {
        self.names.clear();
        // (Only a scope that grew large has an index: most never do.)
        if self.index.is_some() {
            self.index = None;
        }
    }

    /// Declares `name` in this scope; it hides an earlier entry of the same name. (Inlined:
    /// most scopes stay small, and only a large one's index is kept out of line.)
    #[inline]
    pub fn push(&mut self, name: Name, sym: Sym) {
        if self.index.is_some() || self.names.len() >= INDEX_FROM {
            self.index_next(&name);
        }
        self.names.push((name, sym));
    }

    /// Records in the index (made now if the scope just grew large) that `name` is the
    /// next entry.
    #[inline(never)]
    fn index_next(&mut self, name: &Name) {
        let at = self.names.len();
        let index = self.index.get_or_insert_with(|| {
            self.names
                .iter()
                .enumerate()
                .map(|(i, (n, _))| (n.clone(), i))
                .collect()
        });
        index.insert(name.clone(), at);
    }

    /// The names declared here, oldest first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|(n, _)| &**n)
    }
}

/// Whether two names are the same text. Names from one file's lexer share their text (it
/// interns them), so equal names are usually the same pointer, and different ones usually
/// differ in length or first byte: both are decided without comparing the whole text.
#[inline]
pub(super) fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && (a.as_ptr() == b.as_ptr() || (a.as_bytes().first() == b.as_bytes().first() && a == b))
}

/// The candidate closest to `name` (other than `name` itself) within `limit` edits, for
/// "did you mean" hints; ties go to the alphabetically first.
pub(super) fn closest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    limit: usize,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, c)| d <= limit && c != name)
        .min()
        .map(|(_, c)| c)
}

/// How many edits a guess at a member or type name may be off: a third of its length, and
/// none for one- and two-letter names, which are too short to guess from.
pub(super) fn member_guess_limit(name: &str) -> usize {
    if name.len() <= 2 {
        0
    } else {
        name.len().div_ceil(3)
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
    use super::{Scope, Sym};

    #[test]
    fn newest_declaration_wins_in_small_and_indexed_scopes() {
        for size in [3, 40] {
            let mut scope = Scope::default();
            for i in 0..size {
                scope.push(format!("v{i}").into(), Sym::Local(i));
            }
            scope.push("v1".into(), Sym::Top(99));
            assert_eq!(scope.get("v1"), Some(Sym::Top(99)));
            assert_eq!(scope.get("v2"), Some(Sym::Local(2)));
            assert_eq!(scope.get("missing"), None);
            assert_eq!(scope.names().count(), size + 1);
        }
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(super::edit_distance("count", "cont"), 1);
        assert_eq!(super::edit_distance("abc", "abc"), 0);
        assert_eq!(super::edit_distance("", "ab"), 2);
    }
}
