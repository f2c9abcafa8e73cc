//! fleetplay CLI (placeholder).
fn main() {}
