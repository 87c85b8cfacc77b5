//! `jose_open`: opening Juspay's encrypted-API envelope.
//!
//! * Arbitrary bytes as an envelope never panic and never open.
//! * An envelope sealed here (payload from the input) opens to that payload.
//! * Any single byte changed in it (position and new value from the input) does not open.
#![no_main]

use std::sync::LazyLock;

use juspay_jose::{Party, PrivateKey, PublicKey};

const MERCHANT_PRIVATE: &str =
    include_str!("../../crates/juspay-jose/tests/fixtures/merchant-private-pkcs8.pem");
const MERCHANT_PUBLIC: &str =
    include_str!("../../crates/juspay-jose/tests/fixtures/merchant-public-spki.pem");
const GATEWAY_PRIVATE: &str =
    include_str!("../../crates/juspay-jose/tests/fixtures/gateway-private-pkcs8.pem");
const GATEWAY_PUBLIC: &str =
    include_str!("../../crates/juspay-jose/tests/fixtures/gateway-public-spki.pem");
const KID: &str = "key_fuzz";

struct Sides {
    merchant: Party,
    gateway: Party,
}

static SIDES: LazyLock<Sides> = LazyLock::new(|| {
    let key = |pem| PrivateKey::from_pem(pem).expect("test private key");
    let public = |pem| PublicKey::from_pem(pem).expect("test public key");
    Sides {
        merchant: Party::with_key_id(key(MERCHANT_PRIVATE), public(GATEWAY_PUBLIC), KID),
        gateway: Party::with_key_id(key(GATEWAY_PRIVATE), public(MERCHANT_PUBLIC), KID),
    }
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let sides = &*SIDES;
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        // Arbitrary bytes: never open (a forged envelope would need the merchant's key), and
        // the explaining path agrees.
        assert!(sides.gateway.open(rest).is_err(), "arbitrary bytes opened");
        assert!(!sides.gateway.explain_open(rest).opened());
    } else {
        // Seal the input, open it, then change one byte.
        let (where_, payload) = rest.split_at(rest.len().min(3));
        let sealed = sides.merchant.seal(payload).expect("seal");
        assert_eq!(
            sides.gateway.open(sealed.as_bytes()).expect("opens"),
            payload
        );
        let mut bytes = sealed.into_bytes();
        let at = where_
            .iter()
            .take(2)
            .fold(0usize, |acc, &b| acc << 8 | usize::from(b))
            % bytes.len();
        let new = where_.get(2).copied().unwrap_or(mode);
        if bytes[at] == new {
            return;
        }
        bytes[at] = new;
        assert!(
            sides.gateway.open(&bytes).is_err(),
            "opened after byte {at} became {new:#04x}"
        );
    }
});
