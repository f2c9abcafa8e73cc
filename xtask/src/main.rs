//! xtask (placeholder).
fn main() {}
