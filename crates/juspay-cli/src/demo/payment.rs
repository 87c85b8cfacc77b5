//! Stages 1-7 and 10: the order session, the signed SDK payload (RSA-SHA256 over the exact
//! `orderDetails` bytes), the signed redirect, the order status, the webhook (delivered at
//! least once, processed once), a partial refund through a connection reset (applied once),
//! and a failed authentication never treated as paid.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use juspay_merchant::ledger::LocalOrder;
use juspay_sandbox::{Endpoint, Fault};
use juspay_sdk_protocol::{
    Environment, OrderDetails, ProcessParams, RequestId, SdkRequest, Signed, Timestamp,
};
use juspay_signing::SigningKey;
use juspay_signing::return_url::ReturnInput;
use juspay_types::{
    Amount, ClientId, CreateOrderRequest, Currency, CustomerId, Email, ExposeSecret as _,
    HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID, MerchantId, OrderId, OrderStatus, Phone, RefundStatus,
    SessionRequest,
};

use super::{Ctx, Step};

/// The demo's order: 125.00 for the demo customer, returning to the merchant server.
fn demo_order(ctx: &Ctx, order_id: &OrderId) -> anyhow::Result<CreateOrderRequest> {
    Ok(CreateOrderRequest::builder()
        .order_id(order_id.clone())
        .amount(Amount::parse("125.00")?)
        .customer_id(CustomerId::new("demo-customer")?)
        .customer_email(Email::new("customer@example.com")?)
        .customer_phone(Phone::new("9876543210")?)
        .description("juspay demo order")
        .return_url(format!("{}/handlePaymentResponse", ctx.merchant))
        .build())
}

/// Creates the order session; returns the payment link.
pub(super) async fn create_session(ctx: &Ctx, step: &mut Step) -> anyhow::Result<String> {
    let order_id = &ctx.order_id;
    let request = SessionRequest::builder()
        .order(demo_order(ctx, order_id)?)
        .payment_page_client_id(ClientId::new(HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID)?)
        .build();
    let session = ctx.client.create_session(&request).await?;
    step.check(
        format!("session status {} (a new order)", session.status),
        session.status == OrderStatus::New,
    );
    // The merchant's backend keeps the order it asked for: only a known order can be paid.
    let amount = request.order.amount;
    let order = LocalOrder::new(
        order_id.clone(),
        amount,
        Currency::INR,
        session.status.clone(),
    );
    ctx.ledger.record_order(&order).await?;
    step.info("merchant database", "the order is recorded (not paid)");
    step.check("order_id echoed", session.order_id == order_id.as_str());
    let web = session.payment_links.web.clone().unwrap_or_default();
    step.check(
        "payment_links.web on the sandbox",
        web.starts_with(ctx.sandbox.base_url()),
    );
    let sdk = session.sdk_payload.as_ref();
    step.check(
        "sdk_payload.service = in.juspay.hyperpay",
        sdk.and_then(|p| p.service.as_deref()) == Some("in.juspay.hyperpay"),
    );
    step.check(
        "sdk_payload carries a clientAuthToken and its expiry",
        sdk.is_some_and(|p| {
            p.payload.client_auth_token.is_some() && p.payload.client_auth_token_expiry.is_some()
        }),
    );
    let sdk_order = sdk.and_then(|p| p.payload.extra.get("orderId")?.as_str());
    step.check(
        "sdk_payload.payload.orderId matches",
        sdk_order == Some(order_id.as_str()),
    );
    step.info("order_id", order_id);
    step.info("payment link", &web);
    Ok(web)
}

/// The order status (the merchant's source of truth) confirms the payment.
pub(super) async fn confirm_status(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let order_id = &ctx.order_id;
    let order = ctx.client.order_status(order_id).await?;
    step.check(
        format!("status {} (CHARGED, the only success)", order.status),
        order.status == OrderStatus::Charged,
    );
    let amount = order.amount.as_ref().map(|a| a.minor_units());
    step.check("amount 125.00", amount == Some(12_500));
    step.check("txn_id present", order.txn_id.is_some());
    Ok(())
}

pub(super) fn sign_payload(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let order_id = &ctx.order_id;
    // The merchant's RSA key pair, as the sandbox issued it with the credentials.
    let pair = ctx.key_pair()?;
    let pem = pair.merchant_private_key_pem.expose_secret();
    let key = SigningKey::from_pem(pem).context("loading the merchant's RSA key")?;
    let verifying = key.verifying_key().context("deriving the public key")?;
    // The order the session was created for, with the merchant id and the signing time.
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    let millis_now = u64::try_from(since_epoch.as_millis())?;
    let order = OrderDetails::from_order(
        &demo_order(ctx, order_id)?,
        MerchantId::new(ctx.client.merchant_id())?,
        Timestamp::from_epoch_millis(millis_now),
    )?;
    let payload = ProcessParams::builder()
        .client_id(HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID)
        .customer_email("customer@example.com")
        .customer_mobile("9876543210")
        .environment(Environment::Sandbox)
        .order_details(order)
        .build()
        .sign(&key, &pair.key_id)?;
    let signed = payload.order_details.clone();
    step.check(
        "RSA-SHA256 signature over the exact orderDetails bytes verifies",
        signed.verify(&verifying).is_ok(),
    );
    step.check(
        "orderDetails carries order_id and amount",
        signed.json().contains(order_id.as_str())
            && signed.json().contains("\"amount\":\"125.00\""),
    );
    let tampered = Signed::<OrderDetails>::from_received(
        signed.json().replace("125.00", "1.00"),
        signed.signature(),
        signed.merchant_key_id(),
    );
    step.check(
        "the same signature over a changed amount is rejected",
        tampered.verify(&verifying).is_err(),
    );
    let request = SdkRequest::new(RequestId::from_random_bytes([7; 16]), payload).to_json()?;
    step.check(
        "paymentPage request serialized for the app",
        request.contains("\"action\":\"paymentPage\""),
    );
    step.info("merchantKeyId", signed.merchant_key_id());
    step.info("request size", format!("{} bytes", request.len()));
    Ok(())
}

pub(super) async fn redirect(ctx: &Ctx, step: &mut Step, location: &str) -> anyhow::Result<()> {
    step.check(
        "redirect carries order_id, status, status_id, signature, signature_algorithm=HMAC-SHA256",
        "order_id= status= status_id= signature= signature_algorithm=HMAC-SHA256"
            .split(' ')
            .all(|k| location.contains(k)),
    );
    let verified = ctx.return_verifier.verify(ReturnInput::Url(location));
    step.check(
        "HMAC-SHA256 (signing.md section 1) verifies with the response key",
        verified.is_ok(),
    );
    let charged = verified
        .as_ref()
        .is_ok_and(|v| *v.status() == OrderStatus::Charged);
    step.check("the signed status is CHARGED", charged);
    let forged = location.replace("status=CHARGED", "status=CHARGEd");
    let tampered = ctx.return_verifier.verify(ReturnInput::Url(&forged));
    step.check("a tampered copy is rejected", tampered.is_err());
    let page = ctx.get(location).await?;
    step.check(
        format!(
            "merchant /handlePaymentResponse answers 200 ({})",
            page.status
        ),
        page.status == 200,
    );
    step.check(
        "merchant page shows the verified status CHARGED",
        page.body.contains("<strong id=\"status\">CHARGED</strong>")
            && page.body.contains("Signature verified"),
    );
    let order_id = verified?.order_id().clone();
    let order = ctx
        .merchant_json(&format!("/api/orders/{order_id}"))
        .await?;
    step.check("merchant marked the order paid", order["paid"] == true);
    Ok(())
}

pub(super) async fn delivered_once(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let count = |seen: &serde_json::Value, key: &str| seen[key].as_u64().unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = serde_json::Value::Null;
    while Instant::now() < deadline {
        seen = ctx.merchant_json("/api/webhooks").await?;
        if count(&seen, "processed") >= 1 && count(&seen, "duplicates") >= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let deliveries = ctx.sandbox.counters().webhook_deliveries;
    step.check(
        format!(
            "ORDER_SUCCEEDED delivered {deliveries} times (the first 200 was lost: at-least-once)"
        ),
        deliveries >= 2,
    );
    let (processed, duplicates) = (count(&seen, "processed"), count(&seen, "duplicates"));
    step.check(
        format!("merchant verified Basic credentials and processed it once ({processed} processed, {duplicates} duplicate ignored)"),
        processed == 1 && duplicates >= 1,
    );
    let forged = ctx
        .http
        .post(format!("{}/webhook", ctx.merchant))
        .basic_auth("someone", Some("guess"))
        .header("content-type", "application/json")
        .body(r#"{"id":"evt_forged","event_name":"ORDER_SUCCEEDED","content":{}}"#);
    let status = ctx.send(forged).await?.status;
    step.check(
        format!("a webhook with wrong credentials is refused ({status})"),
        status == 401,
    );
    Ok(())
}

pub(super) async fn failed_authentication(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let url = format!("{}/initiatePayment", ctx.merchant);
    let started = ctx.post_form(&url, &[("amount", "49.00")]).await?;
    let status = started.status;
    step.check(
        format!("merchant /initiatePayment redirects to the hosted page (HTTP {status})"),
        status == 303,
    );
    let page = started
        .location
        .context("no redirect to the payment page")?;
    let location = ctx.pay(step, &page, "card_auth_failed").await?;
    let verified = ctx.return_verifier.verify(ReturnInput::Url(&location))?;
    step.check(
        "redirect says AUTHENTICATION_FAILED",
        *verified.status() == OrderStatus::AuthenticationFailed,
    );
    let order_id = verified.order_id();
    let shown = ctx.get(&location).await?;
    step.check(
        "merchant page shows the verified status AUTHENTICATION_FAILED",
        shown
            .body
            .contains("<strong id=\"status\">AUTHENTICATION_FAILED</strong>"),
    );
    let forged = location
        .replace("status=AUTHENTICATION_FAILED", "status=CHARGED")
        .replace("status_id=26", "status_id=21");
    let refused = ctx.get(&forged).await?;
    let status = refused.status;
    step.check(
        format!("a redirect edited to say CHARGED is refused (HTTP {status})"),
        status == 400,
    );
    let record = ctx
        .merchant_json(&format!("/api/orders/{order_id}"))
        .await?;
    step.check(
        "the merchant never treats the order as paid",
        record["paid"] == false,
    );
    let order = ctx.client.order_status(order_id).await?;
    step.check(
        format!("order status says {}", order.status),
        order.status != OrderStatus::Charged,
    );
    Ok(())
}

pub(super) async fn partial_refund(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let order_id = &ctx.order_id;
    let before = ctx.sandbox.counters();
    // The sandbox applies the next refund, then resets the connection (TCP RST) unanswered.
    ctx.sandbox.inject(Endpoint::OrderRefund, Fault::Reset);
    let url = format!("{}/initiateRefund", ctx.merchant);
    let form = [
        ("order_id", order_id.as_str()),
        ("amount", "25.00"),
        ("unique_request_id", "demo-refund-1"),
    ];
    let answer = ctx.operator_post(&url, &form).await?;
    let refund: serde_json::Value = serde_json::from_str(&answer.body).unwrap_or_default();
    let shown = &refund["refund_status"];
    let status = serde_json::from_value(shown.clone()).ok();
    step.check(
        format!(
            "partial refund of 25.00 accepted (HTTP {}, {shown})",
            answer.status
        ),
        answer.status == 200 && status == Some(RefundStatus::Pending),
    );
    let after = ctx.sandbox.counters();
    step.check(
        "the sandbox applied the refund, then reset the connection without answering",
        after.faults_injected - before.faults_injected == 1,
    );
    let sent = after.refund_requests - before.refund_requests;
    step.info(
        "client recovery",
        format!(
            "{sent} refund request(s) sent, outcome confirmed by unique_request_id demo-refund-1"
        ),
    );
    let created = after.refunds_created - before.refunds_created;
    let duplicates = after.duplicate_refunds;
    step.check(
        format!("applied exactly once ({created} refund created, {duplicates} duplicates)"),
        created == 1 && duplicates == 0,
    );
    // The merchant's own retry of the same refund (a double click) changes nothing.
    let again = ctx.operator_post(&url, &form).await?;
    step.check(
        "re-sending the same refund creates nothing",
        again.status == 200 && ctx.sandbox.counters().refunds_created == after.refunds_created,
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut settled = false;
    while Instant::now() < deadline && !settled {
        let order = ctx.client.order_status(order_id).await?;
        let first = order.refunds.as_deref().and_then(<[_]>::first);
        let refunded = order.amount_refunded.as_ref().map(|a| a.minor_units());
        settled =
            first.is_some_and(|r| r.status == RefundStatus::Success) && refunded == Some(2_500);
        if !settled {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    step.check(
        "refund PENDING then SUCCESS; amount_refunded 25.00",
        settled,
    );
    Ok(())
}
