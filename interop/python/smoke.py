"""Smoke flow of a Python client generated from the sandbox's OpenAPI document.

`cargo xtask contract python` generates `juspay_sandbox_client` with openapi-python-client
(config.yaml beside this file), type-checks it and this file with `mypy --strict`, then runs
this against a fresh `juspay sandbox`. By hand:

    openapi-python-client generate --path schemas/openapi.json --config interop/python/config.yaml \
        --meta none --output-path client/juspay_sandbox_client
    JUSPAY_SANDBOX_CREDENTIALS=/path/to/credentials.json PYTHONPATH=client python interop/python/smoke.py

Create an order, open a payment session, read the status, pay by card and complete the
customer's 3-D Secure step through the sandbox's control endpoint, refund part of it (and re-send the refund), each answer checked. Also checks that the
document the sandbox serves is the committed `schemas/openapi.json`.
"""

import base64
import json
import os
import pathlib
import time

from juspay_sandbox_client import AuthenticatedClient
from juspay_sandbox_client.api.orders import create_order, create_session, get_order_status
from juspay_sandbox_client.api.refunds import refund_order
from juspay_sandbox_client.api.payments import create_txn
from juspay_sandbox_client.api.sandbox import openapi, sandbox_pay_txn
from juspay_sandbox_client.models import (
    CreateOrderRequest,
    CreateOrderResponse,
    OrderStatusResponse,
    RefundRequest,
    SessionRequest,
    SessionResponse,
    TxnOutcome,
    TxnRequest,
    TxnResponse,
)


def check(condition: bool, what: str, got: object = None) -> None:
    if not condition:
        raise AssertionError(f"{what}; got {got!r}")


def main() -> None:
    credentials_file = os.environ.get("JUSPAY_SANDBOX_CREDENTIALS")
    if credentials_file is None:
        raise SystemExit("JUSPAY_SANDBOX_CREDENTIALS must name the sandbox's credentials file")
    credentials: dict[str, str] = json.loads(pathlib.Path(credentials_file).read_text())
    base_url = credentials["BASE_URL"]
    token = base64.b64encode(f"{credentials['API_KEY']}:".encode()).decode()
    client = AuthenticatedClient(
        base_url=base_url,
        token=token,
        prefix="Basic",
        headers={"x-merchantid": credentials["MERCHANT_ID"]},
        raise_on_unexpected_status=True,
    )

    # The served document is the committed one.
    committed = pathlib.Path(__file__).resolve().parents[2] / "schemas" / "openapi.json"
    served = openapi.sync_detailed(client=client)
    check(served.status_code == 200, "GET /openapi.json answers 200", served.status_code)
    check(json.loads(served.content) == json.loads(committed.read_text()),
          "the sandbox serves schemas/openapi.json")

    order_id = f"py{int(time.time() * 1000)}"
    customer_id = "cust_interop_py"

    # 1. Create the order.
    created = create_order.sync_detailed(
        client=client,
        body=CreateOrderRequest(order_id=order_id, amount="100.00", customer_id=customer_id),
    )
    check(isinstance(created.parsed, CreateOrderResponse), "create order answers an order", created)
    assert isinstance(created.parsed, CreateOrderResponse)
    check(created.parsed.order_id == order_id, "create order echoes the order id", created.parsed)
    check(created.parsed.status == "CREATED", "a new order is CREATED", created.parsed.status)

    # 2. A payment session for a second order (HDFC's /session creates the order too).
    session_order = f"{order_id}s"
    session = create_session.sync_detailed(
        client=client,
        body=SessionRequest(
            order_id=session_order,
            amount="250.00",
            customer_id=customer_id,
            payment_page_client_id=credentials["PAYMENT_PAGE_CLIENT_ID"],
            action="paymentPage",
            return_url="https://merchant.example/return",
        ),
    )
    check(isinstance(session.parsed, SessionResponse), "session answers a session", session)
    assert isinstance(session.parsed, SessionResponse)
    check(session.parsed.order_id == session_order, "session echoes the order id", session.parsed)
    check(session.parsed.status == "NEW", "a session's order is NEW", session.parsed.status)
    links = session.parsed.payment_links
    check(not isinstance(links, type(None)) and bool(getattr(links, "web", None)),
          "session has a payment link", links)

    def status() -> OrderStatusResponse:
        answer = get_order_status.sync_detailed(order_id, client=client)
        check(isinstance(answer.parsed, OrderStatusResponse), "order status answers", answer)
        assert isinstance(answer.parsed, OrderStatusResponse)
        return answer.parsed

    # 3. Order status before paying.
    before = status()
    check(before.status == "NEW", "an unpaid order is NEW", before.status)
    check(before.amount == 100, "the order keeps its amount", before.amount)

    # 4. Pay by card (server to server): the payment waits for the customer's 3-D Secure step,
    #    which the sandbox's control endpoint completes; then the order is CHARGED.
    txn = create_txn.sync_detailed(
        client=client,
        body=TxnRequest(
            order_id=order_id,
            merchant_id=credentials["MERCHANT_ID"],
            payment_method_type="CARD",
            payment_method="VISA",
            card_number="4111111111111111",
            card_exp_month="12",
            card_exp_year="30",
            card_security_code="123",
            format_="json",
        ),
    )
    check(isinstance(txn.parsed, TxnResponse), "the payment answers a transaction", txn)
    assert isinstance(txn.parsed, TxnResponse)
    check(txn.parsed.status == "PENDING_VBV", "a card payment waits for 3-D Secure", txn.parsed.status)
    txn_uuid = txn.parsed.txn_uuid
    check(isinstance(txn_uuid, str), "the payment has a txn_uuid", txn.parsed)
    assert isinstance(txn_uuid, str)
    paid = sandbox_pay_txn.sync_detailed(txn_uuid, client=client)
    check(isinstance(paid.parsed, TxnOutcome), "the sandbox completes the payment", paid)
    assert isinstance(paid.parsed, TxnOutcome)
    check(paid.parsed.status == "CHARGED", "the payment is CHARGED", paid.parsed.status)
    after = status()
    check(after.status == "CHARGED", "a paid order is CHARGED", after.status)

    # 5. Refund part of it; a re-send with the same unique_request_id is the same refund.
    refund = RefundRequest(unique_request_id=f"{order_id}r1", amount="40.00")
    for attempt in (1, 2):
        answer = refund_order.sync_detailed(order_id, client=client, body=refund)
        check(isinstance(answer.parsed, OrderStatusResponse), f"refund (attempt {attempt})", answer)
        assert isinstance(answer.parsed, OrderStatusResponse)
        refunds = answer.parsed.refunds
        check(isinstance(refunds, list) and len(refunds) == 1,
              f"one refund after attempt {attempt}", refunds)
        assert isinstance(refunds, list)
        check(refunds[0].unique_request_id == refund.unique_request_id, "the refund's id", refunds[0])
        check(refunds[0].amount == 40, "the refund's amount", refunds[0].amount)

    print(f"python smoke flow passed (order {order_id})")


if __name__ == "__main__":
    main()
