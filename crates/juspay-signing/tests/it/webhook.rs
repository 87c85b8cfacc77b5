//! Webhook Basic credentials.

use juspay_signing::Error;
use juspay_signing::webhook::BasicCredentials;

#[test]
fn header_from_curl_style_credentials_verifies() {
    // `curl -u merchant_webhook:Tr0ub4dor&3` sends base64("merchant_webhook:Tr0ub4dor&3").
    let credentials = BasicCredentials::new("merchant_webhook", "Tr0ub4dor&3");
    assert_eq!(
        credentials.verify_authorization("Basic bWVyY2hhbnRfd2ViaG9vazpUcjB1YjRkb3ImMw=="),
        Ok(())
    );
    assert_eq!(
        credentials.verify_authorization("Basic bWVyY2hhbnRfd2ViaG9vazpUcjB1YjRkb3ImNA=="),
        Err(Error::Unauthorized)
    );
    assert_eq!(
        credentials.authorization_header().as_str(),
        "Basic bWVyY2hhbnRfd2ViaG9vazpUcjB1YjRkb3ImMw=="
    );
}

#[test]
fn password_may_contain_colons_username_may_not() {
    let credentials = BasicCredentials::new("user", "a:b:c");
    let header = credentials.authorization_header();
    assert_eq!(credentials.verify_authorization(&header), Ok(()));
    // "user:a" with password "b:c" is a different split: unauthorized.
    let other = BasicCredentials::new("user:a", "b:c");
    assert_eq!(
        other.verify_authorization(&header),
        Err(Error::Unauthorized)
    );
}

#[test]
fn malformed_header_errors_are_descriptive() {
    let credentials = BasicCredentials::new("u", "p");
    let err = credentials.verify_authorization("Bearer abc").unwrap_err();
    assert!(err.to_string().contains("scheme is not Basic"), "{err}");
    let err = credentials.verify_authorization("Basic ***").unwrap_err();
    assert!(err.to_string().contains("base64"), "{err}");
}
