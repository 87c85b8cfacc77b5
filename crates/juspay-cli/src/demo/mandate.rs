//! Stages 8 and 9: a MONTHLY mandate registered with a payment, its debit dates computed by
//! `juspay-mandate-schedule`, and one debit executed inside its window after the pre-debit
//! notification (mandate rules in `docs/spec/mandate-schedule.md`).

use std::time::Duration;

use anyhow::Context as _;
use juspay_mandate_schedule::{Date, MandateFrequency, RuleType, SECONDS_PER_DAY, Schedule};
use juspay_types::mandate::CreateMandateOption;
use juspay_types::{
    Amount, CreateOrderRequest, CustomerId, MandateCommand, MandateExecutionRequest, MandateId,
    MandateStatus, MerchantId, NotificationStatus, OrderId, OrderStatus,
};

use super::{Ctx, Step};

/// A registered mandate and its debit dates.
pub(super) struct Registered {
    mandate_id: MandateId,
    /// The first debit date.
    first: Date,
    schedule: Schedule,
}

/// Registers a MONTHLY mandate debiting on the day five days from today (IST).
pub(super) async fn register(ctx: &Ctx, step: &mut Step) -> anyhow::Result<Registered> {
    let order_id = &ctx.mandate_order;
    let now = ctx.sandbox.now();
    let target = Date::from_unix_seconds_ist(now)?
        .checked_add_days(5)
        .context("a date five days from now")?;
    let params = juspay_types::mandate::MandateParams::builder()
        .max_amount(Amount::parse("500.00")?)
        .start_date(u64::try_from(now)?)
        .end_date(u64::try_from(now + 365 * SECONDS_PER_DAY)?)
        .frequency(MandateFrequency::Monthly)
        .rule_value(target.day())
        .rule_type(RuleType::On)
        .build();
    // The debit dates the gateway will allow, from the very parameters it is sent.
    let schedule = juspay_mandate_schedule::MandateParams::try_from(&params)?.schedule()?;
    let request = CreateOrderRequest::builder()
        .order_id(order_id.clone())
        .amount(Amount::parse("1.00")?)
        .customer_id(CustomerId::new("demo-customer")?)
        .return_url(format!("{}/handlePaymentResponse", ctx.merchant))
        .create_mandate(CreateMandateOption::Required)
        .mandate(params)
        .build();
    let created = ctx.client.create_order(&request).await?;
    let link = created.payment_links.web.context("no payment link")?;
    let location = ctx.pay(step, &link, "card_success").await?;
    let verified = ctx.get(&location).await?;
    step.check(
        "registration payment verified by the merchant",
        verified.status == 200,
    );
    let order = ctx.client.order_status(order_id).await?;
    let mandate = order.mandate.context("order status has no mandate")?;
    let mandate_id = MandateId::new(mandate.mandate_id.context("mandate without id")?)?;
    step.check(
        "order status carries the mandate, ACTIVE",
        mandate.mandate_status == Some(MandateStatus::Active),
    );
    let dates: Vec<String> = schedule.dates().take(4).map(|d| d.to_string()).collect();
    let first = schedule.nth(0).context("the schedule has no debit date")?;
    let day = target.day();
    step.check(
        format!("first debit on {first} (MONTHLY on day {day}, start excluded: M2)"),
        first == target,
    );
    step.info("mandate_id", &mandate_id);
    step.info("next debit dates", dates.join(", "));
    step.info("debits in the validity", schedule.len());
    Ok(Registered {
        mandate_id,
        first,
        schedule,
    })
}

/// Refused on the registration day and without a notification; accepted on the debit date.
pub(super) async fn execute(
    ctx: &Ctx,
    step: &mut Step,
    registered: &Registered,
) -> anyhow::Result<()> {
    let (mandate_id, first) = (&registered.mandate_id, registered.first);
    let merchant_id = MerchantId::new(ctx.client.merchant_id())?;
    let amount = Amount::parse("100.00")?;
    let (today, debit) = (OrderId::new("demomdtx0")?, OrderId::new("demomdtx1")?);
    let execution = |order_id: &OrderId, notification_id: Option<String>| {
        let mut request = MandateExecutionRequest::builder()
            .order_id(order_id.clone())
            .amount(amount)
            .mandate_id(mandate_id.as_str())
            .merchant_id(merchant_id.clone())
            .build();
        request.notification_id = notification_id;
        request
    };
    let error_code = |e: &juspay_http_transport::Error| {
        e.envelope()
            .and_then(|env| env.error_code.as_ref().map(ToString::to_string))
            .unwrap_or_default()
    };
    match ctx.client.execute_mandate(&execution(&today, None)).await {
        Ok(_) => step.check("execution on the registration day must be refused", false),
        Err(e) => {
            let code = error_code(&e);
            step.check(
                format!("execution today (registration day) refused: {code}"),
                e.status() == Some(400) && code == "mandate_execution_outside_window",
            )
        }
    };
    let txn_date = first.ist_midnight_unix_seconds() + 12 * 3600;
    let notify = MandateCommand::PreDebitNotify {
        object_reference_id: "demo-notify-1".to_owned(),
        description: Some("monthly debit".to_owned()),
        amount,
        txn_date: u64::try_from(txn_date)?,
    };
    let notified = ctx.client.pre_debit_notify(mandate_id, &notify).await?;
    let notification_id = notified.id.clone().context("the notification has no id")?;
    let status = notified
        .status
        .as_ref()
        .map_or("?", NotificationStatus::as_str);
    step.check(
        format!("pre-debit notification recorded for {first} ({status})"),
        notified.status == Some(NotificationStatus::Success),
    );
    let advance = u64::try_from((txn_date - ctx.sandbox.now()).max(0))?;
    ctx.sandbox.advance_clock(Duration::from_secs(advance));
    step.info("sandbox clock moved to", format!("{first} 12:00 IST"));
    let refused = ctx.client.execute_mandate(&execution(&debit, None)).await;
    let status = refused.err().and_then(|e| e.status());
    step.check(
        "execution without the notification refused",
        status == Some(400),
    );
    let paid = execution(&debit, Some(notification_id));
    let status = ctx.client.execute_mandate(&paid).await?.status;
    step.check(
        format!("execution inside the window [{first}, {first}] accepted: {status}"),
        status == OrderStatus::Charged && registered.schedule.may_debit_on(first),
    );
    let executed = ctx.client.order_status(&debit).await?;
    let linked = executed
        .mandate
        .as_ref()
        .and_then(|m| m.mandate_id.as_deref());
    step.check(
        "the debit order is CHARGED and linked to the mandate",
        executed.status == OrderStatus::Charged && linked == Some(mandate_id.as_str()),
    );
    let mandate = ctx.client.mandate_status(mandate_id).await?;
    step.check(
        "mandate still ACTIVE after the debit",
        mandate.mandate_status == Some(MandateStatus::Active),
    );
    Ok(())
}
