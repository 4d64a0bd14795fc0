//! The checks every target applies to what a stage returned. Each panics with a message
//! that names the broken invariant, so the fuzzer reports it as a crash and the replay test
//! as a failure.

use orus::bytecode::Program;
use orus::diag::{self, Category, Code, Diagnostic, ErrorFormat, RenderOptions, SourceMap, Span};

/// The stages whose diagnostics are checked; each may only report its own categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Lexer,
    Parser,
    /// Checker, and the driver's module loading before it.
    Checker,
}

/// Internal errors (E9001) that are known limitations rather than bugs: the message must
/// contain one of these. Anything else from E9001 is a compiler bug.
const KNOWN_INTERNAL: &[&str] = &[
    // codegen: a function with more live values than the register file allows.
    "registers",
    // checker: `Type.method` used as a value (not implemented yet).
    "can't be used as values yet",
];

/// A span must be a forward range inside the source (`end == len` is the end of file).
pub fn check_span(span: Span, len: usize, what: &str) {
    assert!(
        span.start <= span.end && span.end as usize <= len,
        "{what}: span {}..{} is not inside the source of {len} bytes",
        span.start,
        span.end
    );
}

/// Checks one stage's diagnostics against `source`: a span (and label spans) inside the
/// source, a code of an allowed category, a message, and rendering that does not panic.
pub fn check_diagnostics(diags: &[Diagnostic], source: &[u8], stage: Stage) {
    for d in diags {
        check_span(
            d.span,
            source.len(),
            &format!("{} diagnostic {d:?}", d.code),
        );
        for label in &d.labels {
            check_span(label.span, source.len(), &format!("label of {d:?}"));
        }
        assert!(
            d.file.map_or(true, |f| f == 0),
            "diagnostic names file {:?} of a one-file program: {d:?}",
            d.file
        );
        assert!(!d.message.is_empty(), "diagnostic without a message: {d:?}");
        let allowed = match stage {
            Stage::Lexer => matches!(d.code.category(), Category::Syntax),
            // The parser also rejects malformed `use`/`module` paths (E3005).
            Stage::Parser => matches!(d.code.category(), Category::Syntax | Category::Module),
            Stage::Checker => matches!(
                d.code.category(),
                Category::Syntax | Category::Type | Category::Module
            ),
        };
        assert!(
            allowed || is_known_internal(d),
            "{stage:?} reported {} ({:?} category): {d:?}",
            d.code,
            d.code.category()
        );
        render_both(d, source);
    }
}

/// An E9001 whose message is a documented limitation.
pub fn is_known_internal(d: &Diagnostic) -> bool {
    d.code == Code::Internal && KNOWN_INTERNAL.iter().any(|m| d.message.contains(m))
}

/// Renders `d` in both layouts (the renderer must accept every span a stage produces).
pub fn render_both(d: &Diagnostic, source: &[u8]) {
    let map = SourceMap::new("fuzz.orus", source);
    for format in [ErrorFormat::Long, ErrorFormat::Short] {
        let text = diag::render(
            d,
            &map,
            RenderOptions {
                format,
                color: false,
            },
        );
        assert!(
            text.contains(&d.code.to_string()),
            "rendered diagnostic lacks its code: {text}"
        );
    }
}

/// Checks a program produced by codegen from `source`: the VM's verifier accepts it, no
/// register is read before it is written (`regs`), and every instruction's span is inside
/// the source.
pub fn check_compiled(program: &Program, source: &[u8]) {
    if let Err(e) = orus::vm::verify::verify(program) {
        panic!(
            "codegen produced bytecode the verifier rejects: {} (function {} pc {})\n{}",
            e.message,
            e.func,
            e.pc,
            orus::bytecode::disassemble(program)
        );
    }
    if let Err(e) = crate::regs::check_program(program) {
        panic!(
            "function {} reads R{} at pc {} before every path has written it\n{}",
            e.func,
            e.reg,
            e.pc,
            orus::bytecode::disassemble(program)
        );
    }
    for (index, f) in program.functions.iter().enumerate() {
        assert_eq!(
            f.spans.len(),
            f.code.len(),
            "function {index} has {} spans for {} instructions",
            f.spans.len(),
            f.code.len()
        );
        if f.file == 0 {
            for span in &f.spans {
                check_span(
                    *span,
                    source.len(),
                    &format!("instruction span of function {index}"),
                );
            }
        }
    }
}

/// Every `Span { start: A, end: B }` in the `Debug` form of a tree: a cheap, complete walk
/// of the syntax tree and the typed tree without depending on their shapes.
pub fn spans_in_debug(debug: &str) -> impl Iterator<Item = Span> + '_ {
    const PREFIX: &str = "Span { start: ";
    debug.match_indices(PREFIX).filter_map(|(at, _)| {
        let rest = &debug[at + PREFIX.len()..];
        let (start, rest) = rest.split_once(", end: ")?;
        let (end, _) = rest.split_once(' ')?;
        Some(Span {
            start: start.parse().ok()?,
            end: end.parse().ok()?,
        })
    })
}
