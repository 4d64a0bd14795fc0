//! Orus: compiler and register VM.
//!
//! The pipeline is source bytes → tokens (`lexer`) → syntax tree (`parser`, `ast`) →
//! typed tree (`types`) → bytecode (`codegen`, `bytecode`) → execution (`vm`, with the
//! value semantics in `runtime`). `diag` holds the error values every stage returns.
//! `ARCHITECTURE.md` at the repository root is the map.

pub mod ast;
pub mod bytecode;
pub mod codegen;
pub mod diag;
pub mod driver;
pub mod hash;
pub mod lexer;
pub mod modules;
pub mod opt;
pub mod parser;
pub mod runtime;
pub mod types;
pub mod vm;
