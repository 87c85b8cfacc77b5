//! Criterion benchmarks of juspay-rs: `cargo bench -p juspay-benches`, or `cargo xtask bench`.
//! Each file in `benches/` measures one area against the baselines its issue names, in the same run.
