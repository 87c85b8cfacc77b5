//! HTTP Basic credentials: webhooks (username and password) and the API-key scheme.

use juspay_signing::Error;
use juspay_signing::webhook::BasicCredentials;
use secrecy::{ExposeSecret as _, SecretString};

fn creds(user: &str, pass: &str) -> BasicCredentials {
    BasicCredentials::new(user, SecretString::from(pass))
}

fn header(c: &BasicCredentials) -> String {
    c.authorization().expose_secret().to_owned()
}

#[test]
fn the_right_credentials_verify_in_any_scheme_case_and_spacing() {
    // `curl -u merchant_webhook:Tr0ub4dor&3` sends base64("merchant_webhook:Tr0ub4dor&3").
    let curl = creds("merchant_webhook", "Tr0ub4dor&3");
    assert_eq!(
        header(&curl),
        "Basic bWVyY2hhbnRfd2ViaG9vazpUcjB1YjRkb3ImMw=="
    );
    let c = creds("merchant", "pa:ss word");
    let token = header(&c).trim_start_matches("Basic ").to_owned();
    for scheme in ["Basic", "basic", "BASIC", "bAsIc"] {
        assert_eq!(c.verify_authorization(&format!("{scheme} {token}")), Ok(()));
    }
    assert_eq!(
        c.verify_authorization(&format!("  Basic   {token}  ")),
        Ok(())
    );
    assert_eq!(c.verify_authorization(&format!("Basic\t{token}")), Ok(()));
}

#[test]
fn wrong_credentials_say_only_unauthorized() {
    let c = creds("merchant", "pa:ss word");
    for (user, pass) in [
        ("merchant", "pa:ss"),
        ("Merchant", "pa:ss word"),
        ("", ""),
        ("merchant", ""),
    ] {
        let err = c
            .verify_authorization(&header(&creds(user, pass)))
            .unwrap_err();
        assert_eq!(err, Error::Unauthorized, "{user}:{pass}");
        assert_eq!(err.to_string(), "unauthorized");
    }
    // The password may contain ':', the username may not: "user:a" with "b:c" is another split.
    let other = creds("merchant:pa", ":ss word");
    assert_eq!(
        other.verify_authorization(&header(&c)),
        Err(Error::Unauthorized)
    );
    assert_eq!(
        c.verify_authorization(&header(&creds("merchant", "pa:ss word"))),
        Ok(())
    );
    assert_eq!(
        creds("merchant_webhook", "Tr0ub4dor&3")
            .verify_authorization("Basic bWVyY2hhbnRfd2ViaG9vazpUcjB1YjRkb3ImNA=="),
        Err(Error::Unauthorized)
    );
}

#[test]
fn malformed_headers_are_described() {
    let c = creds("merchant", "pa:ss word");
    for (bad, says) in [
        ("", "Basic <base64>"),
        ("Basic", "Basic <base64>"),
        ("Bearer abc", "scheme is not Basic"),
        ("Basic !!!", "base64"),
        ("Basic ***", "base64"),
        ("Basic bWVyY2hhbnQ=", "no ':'"),
        ("Basic //79", "UTF-8"),
    ] {
        let err = c.verify_authorization(bad).unwrap_err();
        assert!(
            matches!(err, Error::MalformedAuthorization { .. }),
            "{bad:?}"
        );
        assert!(err.to_string().contains(says), "{bad:?}: {err}");
    }
}

#[test]
fn an_empty_configured_secret_accepts_nothing() {
    // A missing setting read as "" must not let `Basic Og==` (":") or "user:" in.
    for c in [
        creds("", ""),
        creds("hook", ""),
        BasicCredentials::api_key(SecretString::from("")),
    ] {
        for h in ["Basic Og==", "Basic aG9vazo=", "Basic ", &header(&c)] {
            assert!(c.verify_authorization(h).is_err(), "{h}");
        }
    }
    // An empty password in the header against a configured one: unauthorized too.
    assert_eq!(
        creds("hook", "pw").verify_authorization("Basic aG9vazo="),
        Err(Error::Unauthorized)
    );
}

#[test]
fn the_api_key_scheme_checks_the_user_id_only() {
    let c = BasicCredentials::api_key(SecretString::from("key_123"));
    assert_eq!(header(&c), "Basic a2V5XzEyMzo=");
    // base64("key_123:"), base64("key_123"), base64("key_123:anything")
    for h in [
        "Basic a2V5XzEyMzo=",
        "Basic a2V5XzEyMw==",
        "basic a2V5XzEyMzphbnl0aGluZw==",
    ] {
        assert_eq!(c.verify_authorization(h), Ok(()), "{h}");
    }
    // base64("key_124:"), base64("key_12")
    for h in ["Basic a2V5XzEyNDo=", "Basic a2V5XzEy"] {
        assert_eq!(c.verify_authorization(h), Err(Error::Unauthorized), "{h}");
    }
}

#[test]
fn debug_is_redacted() {
    let shown = format!("{:?}", creds("merchant", "pa:ss"));
    assert!(
        !shown.contains("merchant") && !shown.contains("pa:ss"),
        "{shown}"
    );
    assert!(shown.contains("[redacted]"));
}
