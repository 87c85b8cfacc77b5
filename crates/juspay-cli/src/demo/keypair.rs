//! Stages 10 to 12: a merchant with key-pair credentials (the encrypted mode: a JWS inside a
//! JWE, `docs/spec/signing.md`) runs session, order status and refund through `/v4/...`.

use anyhow::Context as _;
use juspay_http_transport::Client;
use juspay_types::{
    Amount, ClientId, CreateOrderRequest, ExposeSecret as _, HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID,
    OrderStatus, RefundRequest, RefundStatus, SessionRequest,
};

use super::{Ctx, Step};

/// A client holding the sandbox-issued key pair and no API key.
pub(super) fn client(sandbox: &juspay_sandbox::SandboxHandle) -> anyhow::Result<Client> {
    let pair = super::setup::key_pair(sandbox)?;
    let private = pair.merchant_private_key_pem.expose_secret();
    let private = juspay_jose::PrivateKey::from_pem(private).context("the merchant's key")?;
    let gateway = juspay_jose::PublicKey::from_pem(&pair.gateway_public_key_pem)
        .context("the gateway's key")?;
    super::setup::client_builder(sandbox.base_url(), &sandbox.credentials().merchant_id)
        .key_pair(private, pair.key_id.clone(), gateway)
        .build()
        .context("building the key-pair client")
}

/// Checks what went over the wire to `path`: `x-merchantid`, no `Authorization`, and a body
/// that is an envelope, not the plain request.
fn check_wire(ctx: &Ctx, step: &mut Step, path: &str) {
    let sent = ctx.sandbox.requests_to("POST", path);
    let Some(request) = sent.last() else {
        step.check(format!("a request reached POST {path}"), false);
        return;
    };
    let merchant = request.headers.get("x-merchantid");
    let sealed = serde_json::from_str::<serde_json::Value>(&request.body)
        .is_ok_and(|b| b.get("encryptedPayload").is_some() && b.get("tag").is_some());
    step.check(
        format!("POST {path}: x-merchantid, no Authorization, a sealed envelope"),
        merchant == Some(&ctx.sandbox.credentials().merchant_id)
            && !request.headers.contains_key("authorization")
            && sealed
            && !request.body.contains(ctx.keypair_order.as_str()),
    );
}

/// The session, sealed to the gateway; its answer opened and verified.
pub(super) async fn session(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let order = CreateOrderRequest::builder()
        .order_id(ctx.keypair_order.clone())
        .amount(Amount::parse("80.00")?)
        .return_url(format!("{}/handlePaymentResponse", ctx.merchant))
        .build();
    let request = SessionRequest::builder()
        .order(order)
        .payment_page_client_id(ClientId::new(HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID)?)
        .build();
    let session = ctx.keypair_client.create_session(&request).await?;
    step.check(
        format!("session status {} (opened and verified)", session.status),
        session.status == OrderStatus::New,
    );
    check_wire(ctx, step, "/v4/session");
    let key_id = &ctx.key_pair()?.key_id;
    step.info("key id (KEY_UUID, both headers)", key_id);
    step.info("order_id", &ctx.keypair_order);
    Ok(())
}

/// The customer pays; order status over `/v4` says so.
pub(super) async fn status(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let order_id = &ctx.keypair_order;
    step.check(
        "the customer pays (test card)",
        ctx.sandbox.pay(order_id.as_str()),
    );
    let order = ctx.keypair_client.order_status(order_id).await?;
    step.check(
        format!("order status {}, opened and verified", order.status),
        order.status == OrderStatus::Charged,
    );
    check_wire(ctx, step, "/v4/order-status");
    Ok(())
}

/// A partial refund over `/v4`.
pub(super) async fn refund(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let order_id = &ctx.keypair_order;
    let request = RefundRequest::new(format!("{order_id}-r1"), Amount::parse("30.00")?)?;
    let outcome = ctx.keypair_client.refund(order_id, &request).await?;
    let status = &outcome.refund.status;
    step.check(
        format!("refund of 30.00 accepted ({status})"),
        *status == RefundStatus::Pending || *status == RefundStatus::Success,
    );
    check_wire(ctx, step, &format!("/v4/orders/{order_id}/refunds"));
    Ok(())
}
