//! Customers, wallets and the merchant's payment methods.

use juspay_types::{Customer, PaymentMethods, Wallet, WalletList};
use serde_json::Value;

use crate::support::{Raw, fast, sandbox};

async fn create_customer(raw: &Raw, reference: &str, extra: &[(&str, &str)]) -> (u16, Value) {
    let mut form = vec![
        ("object_reference_id", reference),
        ("mobile_number", "9988776655"),
        ("email_address", "customer@example.com"),
        ("first_name", "John"),
    ];
    form.extend_from_slice(extra);
    raw.post_form("/customers", &form).await
}

#[tokio::test]
async fn customers_create_get_update_and_the_client_auth_token() {
    let (sb, raw) = sandbox(fast()).await;
    let (code, created) = create_customer(&raw, "customer-0001", &[]).await;
    assert_eq!(code, 200, "{created}");
    assert!(
        created.get("juspay").is_none(),
        "only when asked: {created}"
    );
    let parsed: Customer = serde_json::from_value(created.clone()).unwrap();
    assert!(parsed.id.starts_with("cst_"));
    assert_eq!(created["object"], "customer");
    assert_eq!(created["mobile_number"], "9988776655");
    // Duplicate reference: 400 `unique`, ALREADY_EXISTS.
    let (code, dup) = create_customer(&raw, "customer-0001", &[]).await;
    assert_eq!(code, 400, "{dup}");
    assert_eq!(dup["error_code"], "unique");
    assert_eq!(dup["error_info"]["code"], "ALREADY_EXISTS");
    // Missing mobile number.
    let (code, _) = raw
        .post_form("/customers", &[("object_reference_id", "customer-0002")])
        .await;
    assert_eq!(code, 400);
    // With the token option.
    let (code, with_token) = create_customer(
        &raw,
        "customer-0003",
        &[("options.get_client_auth_token", "true")],
    )
    .await;
    assert_eq!(code, 200);
    assert!(
        with_token["juspay"]["client_auth_token"]
            .as_str()
            .unwrap()
            .starts_with("tkn_")
    );
    // Get by Juspay id and by the merchant's reference.
    let (code, got) = raw.get(&format!("/customers/{}", parsed.id)).await;
    assert_eq!(code, 200);
    assert_eq!(got["object_reference_id"], "customer-0001");
    let (_, by_ref) = raw
        .get("/customers/customer-0001?options.get_client_auth_token=true")
        .await;
    assert_eq!(by_ref["id"], parsed.id.as_str());
    assert!(by_ref["juspay"]["client_auth_token_expiry"].is_string());
    let (code, missing) = raw.get("/customers/customer-9999").await;
    assert_eq!(code, 404);
    assert_eq!(missing["error_code"], "object_not_found");
    assert_eq!(missing["error_info"]["code"], "RESOURCE_NOT_FOUND");
    // Update.
    let (code, updated) = raw
        .post_form(
            "/customers/customer-0001",
            &[("first_name", "Jane"), ("mobile_number", "9876543210")],
        )
        .await;
    assert_eq!(code, 200, "{updated}");
    assert_eq!(updated["first_name"], "Jane");
    let (_, got) = raw.get(&format!("/customers/{}", parsed.id)).await;
    assert_eq!(got["mobile_number"], "9876543210");
    assert_eq!(got["email_address"], "customer@example.com");
    // Contact data stays out of the sandbox's `Debug`.
    let debug = format!("{sb:?}");
    assert!(!debug.contains("9876543210") && !debug.contains("customer@example.com"));
    sb.shutdown().await;
}

#[tokio::test]
async fn wallets_link_refresh_delink_and_direct_debit() {
    let (sb, raw) = sandbox(fast()).await;
    let (_, customer) = create_customer(&raw, "wallet-owner-1", &[]).await;
    let cid = customer["id"].as_str().unwrap();
    let (code, missing) = raw
        .post_form("/customers/nobody-123/wallets", &[("gateway", "MOBIKWIK")])
        .await;
    assert_eq!(code, 404);
    assert_eq!(
        missing["error_message"],
        "Customer not found for given customerId."
    );
    let (code, created) = raw
        .post_form(
            &format!("/customers/{cid}/wallets"),
            &[("gateway", "mobikwik"), ("command", "authenticate")],
        )
        .await;
    assert_eq!(code, 200, "{created}");
    assert_eq!(created["linked"], false);
    let wid = created["id"].as_str().unwrap().to_owned();
    // Link needs the OTP.
    let path = format!("/wallets/{wid}");
    let (code, no_otp) = raw.post_form(&path, &[("command", "link")]).await;
    assert_eq!(code, 400);
    assert_eq!(
        no_otp["error_message"],
        "OTP is required while linking wallet."
    );
    assert_eq!(no_otp["error_code"], "Invalid");
    let (code, linked) = raw
        .post_form(&path, &[("command", "link"), ("otp", "123456")])
        .await;
    assert_eq!(code, 200, "{linked}");
    let wallet: Wallet = serde_json::from_value(linked.clone()).unwrap();
    assert_eq!(wallet.linked.map(|l| l.get()), Some(true));
    let token = linked["token"].as_str().unwrap().to_owned();
    // List (by the merchant's reference too) and refresh-all.
    let (code, list) = raw.get("/customers/wallet-owner-1/wallets").await;
    assert_eq!(code, 200, "{list}");
    let parsed: WalletList = serde_json::from_value(list.clone()).unwrap();
    assert_eq!(parsed.list.len(), 1);
    let (code, refreshed) = raw
        .get(&format!("/customers/{cid}/wallets/refresh-balances"))
        .await;
    assert_eq!(code, 200);
    assert!(refreshed["list"][0]["last_refreshed"].is_string());
    let (_, got) = raw.get(&path).await;
    assert_eq!(got["current_balance"], 1000.0);
    // Direct debit with the one-time token: CHARGED at once; the token is spent.
    raw.create("wd1", "10", "https://shop.example/r").await;
    let debit = |order_id: &'static str, token: String| {
        let raw = raw.clone();
        async move {
            raw.post_form(
                "/txns",
                &[
                    ("order_id", order_id),
                    ("payment_method_type", "WALLET"),
                    ("payment_method", "MOBIKWIK"),
                    ("direct_wallet_token", &token),
                ],
            )
            .await
        }
    };
    let (code, paid) = debit("wd1", token.clone()).await;
    assert_eq!(code, 200, "{paid}");
    assert_eq!(paid["status"], "CHARGED");
    raw.create("wd2", "10", "https://shop.example/r").await;
    assert_eq!(debit("wd2", token).await.0, 400);
    // Refresh gives a new token; delink takes it away.
    let (_, refreshed) = raw.post_form(&path, &[("command", "refresh")]).await;
    assert!(refreshed["token"].is_string());
    let (_, delinked) = raw.post_form(&path, &[("command", "delink")]).await;
    assert_eq!(delinked["linked"], false);
    assert!(delinked["token"].is_null());
    sb.shutdown().await;
}

#[tokio::test]
async fn payment_methods_of_the_merchant() {
    let (sb, raw) = sandbox(fast()).await;
    let path = format!("/merchants/{}/paymentmethods", raw.mid);
    let (code, body) = raw.get(&path).await;
    assert_eq!(code, 200, "{body}");
    assert!(body.get("outage").is_none());
    let methods: PaymentMethods = serde_json::from_value(body).unwrap();
    assert!(
        methods
            .payment_methods
            .iter()
            .any(|m| m.payment_method == "NB_HDFC")
    );
    let (_, body) = raw
        .get(&format!(
            "{path}?options.add_emandate_payment_methods=true&options.add_outage=true"
        ))
        .await;
    assert!(body["emandate_payment_methods"].is_array());
    assert!(body["outage"].is_array());
    let (code, _) = raw.get("/merchants/someone_else/paymentmethods").await;
    assert_eq!(code, 404);
    sb.shutdown().await;
}
