//! The whole pipeline behind one call: source bytes → checked, compiled program.
//!
//! Used by the binary, and later by the REPL and the fuzz targets. It owns the order of
//! the stages and the rule that a later stage only runs when the earlier ones reported
//! no error.

use crate::bytecode::Program;
use crate::diag::{Diagnostic, SourceMap};
use crate::{ast, codegen, parser, types};

/// What a compilation produced.
pub struct Compiled {
    pub ast: ast::Program,
    pub typed: types::typed::TProgram,
    pub program: Program,
}

/// Parses, checks and compiles one source file. On failure returns every diagnostic found
/// by the first stage that failed, sorted by position.
pub fn compile(name: &str, source: &[u8]) -> Result<Compiled, Vec<Diagnostic>> {
    let (ast, mut diags) = parser::parse(source);
    if !diags.is_empty() {
        crate::diag::sort_and_dedup(&mut diags);
        return Err(diags);
    }
    let map = SourceMap::new(name, source);
    let (typed, diags) = types::check(&ast, &map);
    if !diags.is_empty() {
        return Err(diags);
    }
    let program = codegen::generate(&typed).map_err(|d| vec![d])?;
    Ok(Compiled {
        ast,
        typed,
        program,
    })
}
