#![no_main]
// Placeholder until the owning issue writes this target.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = data;
});
