//! SDK protocol decoding: a `process_result` event decoded into the typed form
//! (`SdkResponse::from_slice`, then `required_next_step`) against parsing the same bytes into a
//! `serde_json::Value`, in the same run. The typed path must be at least as fast.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use juspay_sdk_protocol::SdkResponse;

/// Juspay's sample process response (`docs/spec/sdk-protocol.md`, Responses and events), as
/// the app relays it.
const PROCESS_RESULT: &[u8] =
    include_bytes!("../../crates/juspay-sdk-protocol/tests/fixtures/001_process_response.json");
/// Juspay's sample back-press result: `{"ended": …}` with many `null` members.
const BACKPRESS: &[u8] =
    include_bytes!("../../crates/juspay-sdk-protocol/tests/fixtures/000_backpress_result.json");

fn decode(c: &mut Criterion) {
    for (name, bytes) in [
        ("process_result", PROCESS_RESULT),
        ("backpress_ended", BACKPRESS),
    ] {
        assert!(SdkResponse::from_slice(bytes).is_ok(), "{name} decodes");
        assert!(
            serde_json::from_slice::<serde_json::Value>(bytes).is_ok(),
            "{name} parses"
        );
        let mut group = c.benchmark_group(format!("sdk_protocol/decode/{name}"));
        group.throughput(Throughput::Bytes(
            u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        ));
        group.bench_function("typed", |b| {
            b.iter(|| {
                let response = SdkResponse::from_slice(black_box(bytes)).ok();
                black_box(response.as_ref().and_then(SdkResponse::required_next_step));
                response
            });
        });
        group.bench_function("serde_json_value", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(bytes)).ok());
        });
        group.finish();
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
