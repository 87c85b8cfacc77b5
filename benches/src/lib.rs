//! Criterion benchmarks of juspay-rs: `cargo bench -p juspay-benches`, or `cargo xtask bench`.
//! Each file in `benches/` measures one area against the baselines its issue names, in the same run.

// The repository README's examples, compiled and run as doctests: the README stays true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
