//! Stages 14 to 16: payments server to server (`POST /txns`, `docs/spec/payments.md`): a UPI
//! collect request the customer approves in the UPI app, and two card payments authorized on
//! the 3-D Secure page (authorize-then-capture), one captured, the other voided.

use std::time::Duration;

use anyhow::Context as _;
use juspay_types::{
    Amount, CardDetails, CreateOrderRequest, MerchantId, NextAction, OrderId, OrderStatus,
    OrderStatusResponse, PaymentChannel, PaymentInstrument, PreAuthOp, TxnRequest, TxnResponse,
    TxnUuid, pre_auth_transition_allowed,
};

use super::{Ctx, Step};

/// How long a step waits for an order to settle.
const MAX_WAIT: Duration = Duration::from_secs(5);

/// Creates `order_id` (`authorize_only`: `metadata.txns.auto_capture=false`).
async fn create(ctx: &Ctx, order_id: &OrderId, authorize_only: bool) -> anyhow::Result<()> {
    let mut order = CreateOrderRequest::builder()
        .order_id(order_id.clone())
        .amount(Amount::parse("250.00")?)
        .build();
    if authorize_only {
        order
            .metadata
            .insert("txns.auto_capture".to_owned(), "false".to_owned());
    }
    ctx.client.create_order(&order).await?;
    Ok(())
}

fn merchant_id(ctx: &Ctx) -> anyhow::Result<MerchantId> {
    Ok(MerchantId::new(ctx.client.merchant_id())?)
}

/// A UPI collect request to the customer's VPA, approved in the UPI app, confirmed by polling.
pub(super) async fn upi_collect(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let order_id = OrderId::new(format!("{}u", ctx.order_id))?;
    create(ctx, &order_id, false).await?;
    let vpa = "customer@okbank";
    let request = TxnRequest::builder()
        .order(order_id.clone())
        .merchant_id(merchant_id(ctx)?)
        .payment(PaymentInstrument::upi_collect(vpa))
        .payment_channel(PaymentChannel::AndroidApp)
        .build();
    step.check(
        "the VPA is a secret of the request (not in its Debug)",
        !format!("{request:?}").contains(vpa),
    );
    let answer = ctx.client.pay(&request).await?;
    step.check(
        format!(
            "POST /txns answered {} with nothing to open: poll order status",
            answer.status
        ),
        answer.status == OrderStatus::PendingVbv && answer.next_action() == NextAction::Poll,
    );
    let txn = answer
        .txn_uuid
        .clone()
        .context("the answer has no txn_uuid")?;
    let pending = ctx.client.order_status(&order_id).await?.status;
    step.check(
        format!("order status {pending} until the customer approves: not final, keep polling"),
        pending == OrderStatus::PendingVbv && !pending.is_final(),
    );
    let approved = ctx.sandbox.pay_txn(&txn);
    step.info(
        "customer approves in the UPI app",
        approved.as_deref().unwrap_or("?"),
    );
    let waited = ctx.client.wait_for_final(&order_id, MAX_WAIT).await?;
    step.check(
        format!(
            "order status polled to a final status: {} after {} poll(s)",
            waited.order.status, waited.polls
        ),
        waited.order.status == OrderStatus::Charged,
    );
    step.info("txn_id", answer.txn_id.as_deref().unwrap_or("?"));
    Ok(())
}

/// A card payment the customer authenticates on the 3-D Secure page; AUTHORIZED, not charged.
async fn authorize_card(ctx: &Ctx, step: &mut Step, order_id: &OrderId) -> anyhow::Result<TxnUuid> {
    create(ctx, order_id, true).await?;
    let card = CardDetails::builder()
        .number("4111111111111111")
        .exp_month("12")
        .exp_year("30")
        .security_code("123")
        .build();
    let request = TxnRequest::builder()
        .order(order_id.clone())
        .merchant_id(merchant_id(ctx)?)
        .payment(PaymentInstrument::card(card))
        .redirect_after_payment(false)
        .build();
    let answer: TxnResponse = ctx.client.pay(&request).await?;
    let page = match answer.next_action() {
        NextAction::Redirect { url } => url,
        other => anyhow::bail!("expected the 3-D Secure page, got {other:?}"),
    };
    step.check(
        format!(
            "POST /txns answered {}: open the 3-D Secure page",
            answer.status
        ),
        answer.status == OrderStatus::PendingVbv,
    );
    let shown = ctx.get(&page).await?;
    let done = ctx.post_form(&page, &[("result", "success")]).await?;
    step.check(
        "customer completed the 3-D Secure page",
        shown.status == 200 && done.status == 200,
    );
    let order = ctx.client.order_status(order_id).await?;
    step.check(
        format!(
            "order status {}: the amount is held, not charged",
            order.status
        ),
        order.status == OrderStatus::Authorized && order.status.can_capture(),
    );
    let txn = order.txn_uuid.or(answer.txn_uuid).context("no txn_uuid")?;
    Ok(TxnUuid::new(txn)?)
}

/// Waits until the order leaves `transient`; checks every status seen is an allowed move.
async fn settle(
    ctx: &Ctx,
    step: &mut Step,
    order_id: &OrderId,
    from: &OrderStatusResponse,
) -> anyhow::Result<OrderStatus> {
    let transient = from.status.clone();
    let waited = ctx
        .client
        .wait_for(order_id, MAX_WAIT, |s| *s != transient)
        .await?;
    let to = waited.order.status;
    step.check(
        format!(
            "settled {transient} -> {to} in {} ms (an allowed transition)",
            waited.elapsed.as_millis()
        ),
        pre_auth_transition_allowed(&transient, &to),
    );
    Ok(to)
}

/// Authorized, then captured: CAPTURE_INITIATED, then CHARGED.
pub(super) async fn capture(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let order_id = OrderId::new(format!("{}c", ctx.order_id))?;
    let txn = authorize_card(ctx, step, &order_id).await?;
    let captured = ctx
        .client
        .capture(&order_id, &txn, &juspay_types::CaptureRequest::full())
        .await?;
    step.check(
        format!("capture answered {}", captured.status),
        PreAuthOp::Capture.outcomes().contains(&captured.status)
            && captured.status == OrderStatus::CaptureInitiated,
    );
    let settled = settle(ctx, step, &order_id, &captured).await?;
    step.check(
        "the captured payment is CHARGED",
        settled == OrderStatus::Charged,
    );
    Ok(())
}

/// Authorized, then voided: VOID_INITIATED, then VOIDED; a void of a charged payment refused.
pub(super) async fn void(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let order_id = OrderId::new(format!("{}v", ctx.order_id))?;
    let txn = authorize_card(ctx, step, &order_id).await?;
    let voided = ctx.client.void(&order_id, &txn).await?;
    step.check(
        format!("void answered {}", voided.status),
        voided.status == OrderStatus::VoidInitiated,
    );
    let settled = settle(ctx, step, &order_id, &voided).await?;
    step.check(
        "the hold is released: VOIDED",
        settled == OrderStatus::Voided,
    );
    // The captured payment of the step before cannot be voided any more.
    let charged = OrderId::new(format!("{}c", ctx.order_id))?;
    let charged_txn = ctx.client.order_status(&charged).await?.txn_uuid;
    let charged_txn = TxnUuid::new(charged_txn.context("no txn_uuid")?)?;
    let refused = ctx.client.void(&charged, &charged_txn).await;
    let message = refused
        .as_ref()
        .err()
        .and_then(|e| e.envelope()?.error_message.clone())
        .unwrap_or_default();
    step.check(
        format!("a void of the CHARGED payment is refused: {message}"),
        refused.is_err_and(|e| e.status() == Some(400)),
    );
    Ok(())
}
