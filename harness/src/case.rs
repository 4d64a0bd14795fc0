//! Finding cases on disk and reading the expectations written inside them.
//!
//! A case is a `name.orus` file, or a folder holding `main.orus` (a multi-file case whose
//! other `.orus` files are its modules). Discovery walks the root in sorted order so the
//! list of tests, and therefore the suite's output, is the same on every machine.
//! Expectations are read from the raw text of the source, line by line: this module knows
//! nothing of Orus syntax, which is why an annotation that cannot sit in a comment (inside a
//! string, say) is written as a `//@ error:` directive instead. Nothing here runs a
//! process; a malformed directive becomes an `Err` for that one case, never a panic.
//! Unit tests are at the bottom of this file.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One program to run, with the names of the files that hold its expectations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The test name: the path below the root without extension, `/` written as `::`.
    pub name: String,
    /// The folder the program runs in; expectation files live here too.
    pub dir: PathBuf,
    /// The stem of the program and its expectation files: `name`, or `main` for a
    /// multi-file case.
    pub stem: String,
    /// The other `.orus` files of a multi-file case, relative to `dir` with `/` separators,
    /// sorted. Annotations in them are expected too. Empty for a single-file case.
    pub modules: Vec<String>,
}

impl Case {
    /// The file name handed to the binary, e.g. `int_add.orus` or `main.orus`.
    pub fn file_name(&self) -> String {
        format!("{}.orus", self.stem)
    }

    /// The path of the sibling file `<stem>.<extension>` (`stdout`, `stderr`, `stdin`).
    pub fn sibling(&self, extension: &str) -> PathBuf {
        self.dir.join(format!("{}.{extension}", self.stem))
    }
}

/// Everything a case's source says about how it must behave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectations {
    /// Errors the program must report, from `//~` annotations and `//@ error:` directives.
    pub errors: Vec<ErrorAt>,
    /// `//@ exit:`; when absent the exit code follows from `errors`.
    pub exit: Option<i32>,
    /// `//@ flags:`, passed before the file name.
    pub flags: Vec<String>,
    /// `//@ args:`, passed after the file name.
    pub args: Vec<String>,
    /// `//@ timeout:`; when absent the suite's default applies.
    pub timeout: Option<Duration>,
    /// `//@ env:` pairs, in source order.
    pub env: Vec<(String, String)>,
}

impl Expectations {
    /// The exit code the case must end with: the explicit `//@ exit:` if given, otherwise
    /// derived from the annotated errors as CASES.md says.
    pub fn exit_code(&self) -> i32 {
        self.exit.unwrap_or_else(|| derived_exit_code(&self.errors))
    }
}

/// An error code reported (or expected) at a line of a file.
///
/// Columns are deliberately absent: annotations pin lines, and a `.stderr` file pins the
/// whole report when columns matter.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ErrorAt {
    /// The file as the binary names it, relative to the case folder, with `/` separators.
    pub file: String,
    /// `E` followed by four digits.
    pub code: String,
    /// 1-based line number.
    pub line: usize,
}

impl fmt::Display for ErrorAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}:{}", self.code, self.file, self.line)
    }
}

/// The exit code implied by a set of expected errors: none → 0, any code outside the
/// runtime category `E0xxx` → 65 (the program never ran), only runtime codes → 70.
pub fn derived_exit_code(errors: &[ErrorAt]) -> i32 {
    if errors.is_empty() {
        0
    } else if errors.iter().any(|e| !e.code.starts_with("E0")) {
        65
    } else {
        70
    }
}

/// Whether `text` is an error code: `E` followed by exactly four ASCII digits.
pub fn is_error_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 5 && bytes[0] == b'E' && bytes[1..].iter().all(u8::is_ascii_digit)
}

/// Finds every case below `root`, sorted by name.
///
/// Hidden entries (names starting with `.`) are skipped. A folder with a `main.orus` is
/// one case and is not searched further. Fails when `root` cannot be read, because an
/// empty suite that passes would hide a wrong path.
pub fn discover(root: &Path) -> Result<Vec<Case>, String> {
    Ok(walk(root)?.cases)
}

/// What a walk of the case tree finds.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub cases: Vec<Case>,
    /// `.stdout`/`.stderr`/`.stdin` files that belong to no case, usually left behind by
    /// a rename. They would silently stop being checked, so the suite reports them.
    pub orphans: Vec<PathBuf>,
}

pub(crate) fn walk(root: &Path) -> Result<Tree, String> {
    if !root.is_dir() {
        return Err(format!(
            "case root {} is not a readable folder",
            root.display()
        ));
    }
    let mut tree = Tree::default();
    walk_dir(root, &[], &mut tree)?;
    Ok(tree)
}

fn walk_dir(dir: &Path, prefix: &[String], tree: &mut Tree) -> Result<(), String> {
    let mut stems = BTreeSet::new();
    let mut expectation_files = Vec::new();
    for (name, path) in sorted_entries(dir)? {
        if path.is_dir() {
            let mut components = prefix.to_vec();
            components.push(name.clone());
            if path.join("main.orus").is_file() {
                tree.cases.push(Case {
                    name: components.join("::"),
                    modules: modules_of(&path)?,
                    dir: path,
                    stem: "main".to_string(),
                });
            } else {
                walk_dir(&path, &components, tree)?;
            }
        } else if let Some(stem) = name.strip_suffix(".orus") {
            stems.insert(stem.to_string());
            let mut components = prefix.to_vec();
            components.push(stem.to_string());
            tree.cases.push(Case {
                name: components.join("::"),
                dir: dir.to_path_buf(),
                stem: stem.to_string(),
                modules: Vec::new(),
            });
        } else if let Some((stem, _)) = split_expectation_file(&name) {
            expectation_files.push((stem.to_string(), path));
        }
    }
    for (stem, path) in expectation_files {
        if !stems.contains(&stem) {
            tree.orphans.push(path);
        }
    }
    Ok(())
}

/// Splits `name.stdout` (or `.stderr`, `.stdin`) into stem and extension.
fn split_expectation_file(file_name: &str) -> Option<(&str, &str)> {
    let (stem, extension) = file_name.rsplit_once('.')?;
    matches!(extension, "stdout" | "stderr" | "stdin").then_some((stem, extension))
}

/// The `.orus` files of a multi-file case other than `main.orus`, relative and sorted.
fn modules_of(case_dir: &Path) -> Result<Vec<String>, String> {
    fn collect(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), String> {
        for (name, path) in sorted_entries(dir)? {
            let relative = format!("{prefix}{name}");
            if path.is_dir() {
                collect(&path, &format!("{relative}/"), out)?;
            } else if name.ends_with(".orus") && relative != "main.orus" {
                out.push(relative);
            }
        }
        Ok(())
    }
    let mut modules = Vec::new();
    collect(case_dir, "", &mut modules)?;
    Ok(modules)
}

/// The visible entries of `dir` as (name, path), sorted by name so that discovery does not
/// depend on the file system's order.
fn sorted_entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let read = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut entries = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let path = entry.path();
        let name = entry
            .file_name()
            .into_string()
            .map_err(|_| format!("{} is not a UTF-8 name", path.display()))?;
        if !name.starts_with('.') {
            entries.push((name, path));
        }
    }
    entries.sort();
    Ok(entries)
}

/// Reads the expectations of a case: directives and annotations from its main file, and
/// annotations from its modules. Every malformed line is listed in the error.
pub fn read_expectations(case: &Case) -> Result<Expectations, String> {
    let mut expectations = Expectations::default();
    let mut problems = Vec::new();
    let files = std::iter::once((case.file_name(), Role::Main))
        .chain(case.modules.iter().map(|m| (m.clone(), Role::Module)));
    for (file, role) in files {
        let path = case.dir.join(&file);
        match fs::read(&path) {
            // Lossy, because cases about invalid UTF-8 in source are legitimate and their
            // annotations must still be found.
            Ok(bytes) => parse_source(
                &file,
                &String::from_utf8_lossy(&bytes),
                role,
                &mut expectations,
                &mut problems,
            ),
            Err(e) => problems.push(format!("cannot read {}: {e}", path.display())),
        }
    }
    if problems.is_empty() {
        Ok(expectations)
    } else {
        Err(problems.join("\n"))
    }
}

/// Whether a source file is the one that is run (and may carry run directives) or a module
/// (which may only carry error expectations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Main,
    Module,
}

/// Adds the expectations written in `source` (the text of `file`) to `into`, and a message
/// for every malformed line to `problems`.
pub fn parse_source(
    file: &str,
    source: &str,
    role: Role,
    into: &mut Expectations,
    problems: &mut Vec<String>,
) {
    let line_count = source.lines().count();
    for (index, text) in source.lines().enumerate() {
        let line = index + 1;
        let result = if let Some(rest) = text.trim_start().strip_prefix("//@") {
            parse_directive(rest, role, line_count, file, into)
        } else if let Some(at) = text.find("//~") {
            parse_annotation(&text[at + 3..], line, file, into)
        } else {
            Ok(())
        };
        if let Err(message) = result {
            problems.push(format!("{file}:{line}: {message}: `{}`", text.trim()));
        }
    }
}

/// Parses what follows `//~`: carets, then one or more codes separated by spaces or commas.
fn parse_annotation(
    rest: &str,
    line: usize,
    file: &str,
    into: &mut Expectations,
) -> Result<(), String> {
    let codes = rest.trim_start_matches('^');
    let carets = rest.len() - codes.len();
    let target = line
        .checked_sub(carets)
        .filter(|&target| target >= 1)
        .ok_or_else(|| format!("annotation points {carets} line(s) up, above the first line"))?;
    let codes: Vec<&str> = codes
        .split([' ', '\t', ','])
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Err("annotation names no error code".to_string());
    }
    for code in codes {
        if !is_error_code(code) {
            return Err(format!(
                "`{code}` is not an error code (E followed by four digits)"
            ));
        }
        into.errors.push(ErrorAt {
            file: file.to_string(),
            code: code.to_string(),
            line: target,
        });
    }
    Ok(())
}

/// Parses what follows `//@`: `name: value`.
fn parse_directive(
    rest: &str,
    role: Role,
    line_count: usize,
    file: &str,
    into: &mut Expectations,
) -> Result<(), String> {
    let (name, value) = rest
        .split_once(':')
        .ok_or_else(|| "directive must read `//@ name: value`".to_string())?;
    let (name, value) = (name.trim(), value.trim());
    if role == Role::Module && name != "error" {
        return Err(format!(
            "`{name}` belongs in main.orus; a module may only carry `error`"
        ));
    }
    match name {
        "error" => {
            let words: Vec<&str> = value.split_whitespace().collect();
            let [code, "line", number] = words[..] else {
                return Err("expected `//@ error: E1234 line N`".to_string());
            };
            if !is_error_code(code) {
                return Err(format!(
                    "`{code}` is not an error code (E followed by four digits)"
                ));
            }
            let line = number
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=line_count).contains(n))
                .ok_or_else(|| {
                    format!("line `{number}` is not a line of this file (1..={line_count})")
                })?;
            into.errors.push(ErrorAt {
                file: file.to_string(),
                code: code.to_string(),
                line,
            });
        }
        "exit" => {
            if into.exit.is_some() {
                return Err("`exit` is given twice".to_string());
            }
            let code = value
                .parse::<i32>()
                .ok()
                .filter(|c| (0..=255).contains(c))
                .ok_or_else(|| "exit code must be a number from 0 to 255".to_string())?;
            into.exit = Some(code);
        }
        "timeout" => {
            if into.timeout.is_some() {
                return Err("`timeout` is given twice".to_string());
            }
            let seconds = value
                .parse::<u64>()
                .ok()
                .filter(|&s| s > 0)
                .ok_or_else(|| "timeout must be a whole number of seconds above 0".to_string())?;
            into.timeout = Some(Duration::from_secs(seconds));
        }
        // Split on whitespace without quoting: no case has needed a space inside an
        // argument, and a quoting language would be one more thing to get wrong.
        "flags" => into
            .flags
            .extend(value.split_whitespace().map(str::to_string)),
        "args" => into
            .args
            .extend(value.split_whitespace().map(str::to_string)),
        "env" => {
            let (key, val) = value
                .split_once('=')
                .filter(|(k, _)| !k.is_empty() && !k.contains(char::is_whitespace))
                .ok_or_else(|| "expected `//@ env: NAME=value`".to_string())?;
            into.env.push((key.to_string(), val.to_string()));
        }
        other => return Err(format!("unknown directive `{other}`")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TempDir;

    fn parse(source: &str) -> Result<Expectations, Vec<String>> {
        let mut expectations = Expectations::default();
        let mut problems = Vec::new();
        parse_source(
            "x.orus",
            source,
            Role::Main,
            &mut expectations,
            &mut problems,
        );
        if problems.is_empty() {
            Ok(expectations)
        } else {
            Err(problems)
        }
    }

    fn at(code: &str, line: usize) -> ErrorAt {
        ErrorAt {
            file: "x.orus".into(),
            code: code.into(),
            line,
        }
    }

    #[test]
    fn annotations_point_at_their_own_line_or_above() {
        let source = "a\nb //~ E2001\nc\n//~^^ E1002\n//~^ E0001, E0002\n";
        let expected = vec![
            at("E2001", 2),
            at("E1002", 2),
            at("E0001", 4),
            at("E0002", 4),
        ];
        assert_eq!(parse(source).unwrap().errors, expected);
    }

    #[test]
    fn annotation_above_the_first_line_is_malformed() {
        let problems = parse("//~^ E2001\n").unwrap_err();
        assert!(
            problems[0].starts_with("x.orus:1: annotation points 1 line(s) up"),
            "{problems:?}"
        );
    }

    #[test]
    fn annotation_needs_a_well_formed_code() {
        assert!(parse("x //~\n").unwrap_err()[0].contains("names no error code"));
        assert!(parse("x //~ E201\n").unwrap_err()[0].contains("`E201` is not an error code"));
        assert!(parse("x //~ ERROR E2001\n").unwrap_err()[0].contains("`ERROR`"));
    }

    #[test]
    fn directives_fill_every_field() {
        let source = "//@ exit: 3\n//@ flags: -O0 --max-recursion=100\n//@ args: one two\n\
                      //@ timeout: 30\n//@ env: A=b=c\n//@ env: EMPTY=\n  //@ error: E1002 line 3\n";
        let e = parse(source).unwrap();
        assert_eq!(e.exit, Some(3));
        assert_eq!(e.flags, ["-O0", "--max-recursion=100"]);
        assert_eq!(e.args, ["one", "two"]);
        assert_eq!(e.timeout, Some(Duration::from_secs(30)));
        assert_eq!(
            e.env,
            [("A".into(), "b=c".into()), ("EMPTY".into(), String::new())]
        );
        assert_eq!(e.errors, [at("E1002", 3)]);
    }

    #[test]
    fn malformed_directives_are_all_reported() {
        let source = "//@ exit: loud\n//@ timeout: 0\n//@ error: E1002 line 10\n\
                      //@ error: E1002 3\n//@ env: =x\n//@ colour: red\n//@ exit\n//@ exit: 1\n//@ exit: 2\n";
        let problems = parse(source).unwrap_err();
        let messages = [
            "x.orus:1: exit code must be a number from 0 to 255",
            "x.orus:2: timeout must be a whole number",
            "x.orus:3: line `10` is not a line of this file (1..=9)",
            "x.orus:4: expected `//@ error: E1234 line N`",
            "x.orus:5: expected `//@ env: NAME=value`",
            "x.orus:6: unknown directive `colour`",
            "x.orus:7: directive must read `//@ name: value`",
            "x.orus:9: `exit` is given twice",
        ];
        assert_eq!(problems.len(), messages.len(), "{problems:#?}");
        for (problem, message) in problems.iter().zip(messages) {
            assert!(problem.starts_with(message), "{problem}");
        }
    }

    #[test]
    fn modules_may_only_carry_errors() {
        let mut e = Expectations::default();
        let mut problems = Vec::new();
        let source = "//@ error: E3001 line 2\nx //~ E2001\n//@ exit: 1\n";
        parse_source("lib/m.orus", source, Role::Module, &mut e, &mut problems);
        assert_eq!(e.errors.len(), 2);
        assert_eq!(e.errors[0].file, "lib/m.orus");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("`exit` belongs in main.orus"));
    }

    #[test]
    fn exit_code_follows_from_annotations() {
        let code =
            |codes: &[&str]| derived_exit_code(&codes.iter().map(|c| at(c, 1)).collect::<Vec<_>>());
        assert_eq!(code(&[]), 0);
        assert_eq!(code(&["E0001"]), 70);
        assert_eq!(code(&["E0001", "E0012"]), 70);
        assert_eq!(code(&["E0001", "E2001"]), 65);
        assert_eq!(code(&["E1002"]), 65);
        assert_eq!(code(&["E9001"]), 65);
        let explicit = Expectations {
            exit: Some(64),
            errors: vec![at("E2001", 1)],
            ..Default::default()
        };
        assert_eq!(explicit.exit_code(), 64);
    }

    #[test]
    fn discovery_is_sorted_and_stops_at_multi_file_cases() {
        let tmp = TempDir::new("discover");
        for file in [
            "operators/int_add.orus",
            "operators/int_add.stdout",
            "operators/b.orus",
            "modules/basic_use/main.orus",
            "modules/basic_use/main.stdout",
            "modules/basic_use/util.orus",
            "modules/basic_use/lib/deep.orus",
            "modules/basic_use/nested/main.orus",
            "modules/plain/not_a_case.txt",
            "modules/plain/stale.stdout",
            "top.orus",
            ".hidden/x.orus",
        ] {
            tmp.write(file, "");
        }
        let tree = walk(tmp.path()).unwrap();
        let names: Vec<&str> = tree.cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "modules::basic_use",
                "operators::b",
                "operators::int_add",
                "top"
            ]
        );
        let multi = &tree.cases[0];
        assert_eq!(multi.file_name(), "main.orus");
        assert_eq!(multi.dir, tmp.path().join("modules/basic_use"));
        assert_eq!(
            multi.modules,
            ["lib/deep.orus", "nested/main.orus", "util.orus"]
        );
        assert_eq!(
            tree.cases[2].sibling("stdout"),
            tmp.path().join("operators/int_add.stdout")
        );
        assert_eq!(
            tree.orphans,
            [tmp.path().join("modules/plain/stale.stdout")]
        );
    }

    #[test]
    fn discovery_of_a_missing_root_fails() {
        let err = discover(Path::new("/definitely/not/here")).unwrap_err();
        assert!(err.contains("not a readable folder"), "{err}");
    }
}
