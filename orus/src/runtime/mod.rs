//! Runtime semantics (being written).
