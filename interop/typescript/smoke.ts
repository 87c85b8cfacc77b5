// Smoke flow of a TypeScript client generated from the sandbox's OpenAPI document:
// `openapi-typescript` types (openapi.d.ts) used through `openapi-fetch`.
//
// Run by `cargo xtask contract typescript` against a fresh `juspay sandbox`; by hand:
//   node generate.mjs schemas/openapi.json openapi.d.ts && npx tsc --project . &&
//   JUSPAY_SANDBOX_CREDENTIALS=/path/to/credentials.json node out/smoke.js
//
// Create an order, open a payment session, read the status, pay by card and complete the customer's
// 3-D Secure step through the sandbox's control endpoint, refund part of it (and re-send the refund),
// each answer checked.

import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import type { paths } from "./openapi.js";

/** The keys of the sandbox's credentials file (an HDFC kit `config.json`) this flow reads. */
interface Credentials {
  API_KEY: string;
  BASE_URL: string;
  MERCHANT_ID: string;
  PAYMENT_PAGE_CLIENT_ID: string;
}

function check(condition: boolean, what: string, got?: unknown): void {
  if (!condition) {
    throw new Error(`${what}; got ${JSON.stringify(got)}`);
  }
}

const credentialsFile = process.env["JUSPAY_SANDBOX_CREDENTIALS"];
if (credentialsFile === undefined) {
  throw new Error("JUSPAY_SANDBOX_CREDENTIALS must name the sandbox's credentials file");
}
const credentials = JSON.parse(readFileSync(credentialsFile, "utf8")) as Credentials;
const authorization = `Basic ${Buffer.from(`${credentials.API_KEY}:`).toString("base64")}`;
const client = createClient<paths>({
  baseUrl: credentials.BASE_URL,
  headers: { Authorization: authorization, "x-merchantid": credentials.MERCHANT_ID },
});
const form = { "Content-Type": "application/x-www-form-urlencoded" } as const;

// Open enumerations keep their known values beside the open fallback (generate.mjs): a misspelt
// status does not compile where only known values are wanted, an unknown one still fits the field.
type Known<T> = keyof { [K in Extract<T, string> as string extends K ? never : K]: 1 };
type Status = paths["/orders/{order_id}"]["get"]["responses"][200]["content"]["application/json"]["status"];
const charged: Known<Status> = "CHARGED";
// @ts-expect-error: "CHARGD" is not a known order status.
const misspelt: Known<Status> = "CHARGD";
const future: Status = "A_STATUS_ADDED_LATER";
check(charged !== misspelt && future.length > 0, "known values");

const orderId = `ts${Date.now()}`;
const customerId = "cust_interop_ts";

// 1. Create the order.
{
  const { data, error, response } = await client.POST("/orders", {
    body: { order_id: orderId, amount: "100.00", customer_id: customerId },
    headers: form,
  });
  check(response.status === 200 && data !== undefined, "create order answers 200", error);
  check(data?.order_id === orderId, "create order echoes the order id", data);
  check(data?.status === "CREATED", "a new order is CREATED", data?.status);
  check((data?.payment_links?.web ?? "").startsWith(credentials.BASE_URL), "payment link", data);
}

// 2. A payment session for a second order (HDFC's /session creates the order too).
{
  const sessionOrder = `${orderId}s`;
  const { data, error, response } = await client.POST("/session", {
    body: {
      order_id: sessionOrder,
      amount: "250.00",
      customer_id: customerId,
      payment_page_client_id: credentials.PAYMENT_PAGE_CLIENT_ID,
      action: "paymentPage",
      return_url: "https://merchant.example/return",
    },
  });
  check(response.status === 200 && data !== undefined, "session answers 200", error);
  check(data?.order_id === sessionOrder, "session echoes the order id", data);
  check(data?.status === "NEW", "a session's order is NEW", data?.status);
  check((data?.payment_links?.web ?? "").length > 0, "session has a payment link", data);
}

// 3. Order status before paying.
async function status() {
  const { data, error } = await client.GET("/orders/{order_id}", {
    params: { path: { order_id: orderId } },
  });
  if (data === undefined) {
    throw new Error(`order status answers 200; got ${JSON.stringify(error)}`);
  }
  return data;
}
{
  const data = await status();
  check(data.status === "NEW", "an unpaid order is NEW", data.status);
  check(data.amount === 100, "the order keeps its amount", data.amount);
}

// 4. Pay by card (server to server): the payment waits for the customer's 3-D Secure step, which
//    the sandbox's control endpoint completes; then the order is CHARGED.
{
  const { data, error, response } = await client.POST("/txns", {
    body: {
      order_id: orderId,
      merchant_id: credentials.MERCHANT_ID,
      payment_method_type: "CARD",
      payment_method: "VISA",
      card_number: "4111111111111111",
      card_exp_month: "12",
      card_exp_year: "30",
      card_security_code: "123",
      format: "json",
    },
    headers: form,
  });
  check(response.status === 200 && data !== undefined, "the payment answers 200", error);
  const txn = data !== undefined && "txn_uuid" in data ? data : undefined;
  check(txn?.status === "PENDING_VBV", "a card payment waits for 3-D Secure", data);
  const txnUuid = txn?.txn_uuid;
  check(typeof txnUuid === "string", "the payment has a txn_uuid", data);
  const paid = await client.POST("/_sandbox/txns/{txn}/pay", {
    params: { path: { txn: txnUuid ?? "" } },
  });
  check(paid.data?.status === "CHARGED", "the sandbox completes the payment", paid.error);
  const order = await status();
  check(order.status === "CHARGED", "a paid order is CHARGED", order.status);
}

// 5. Refund part of it; a re-send with the same unique_request_id is the same refund.
{
  const refund = { unique_request_id: `${orderId}r1`, amount: "40.00" };
  for (const attempt of [1, 2]) {
    const { data, error, response } = await client.POST("/orders/{order_id}/refunds", {
      params: { path: { order_id: orderId } },
      body: refund,
      headers: form,
    });
    check(response.status === 200 && data !== undefined, `refund (attempt ${attempt}) answers 200`, error);
    const refunds = data?.refunds ?? [];
    check(refunds.length === 1, `one refund after attempt ${attempt}`, refunds);
    check(refunds[0]?.unique_request_id === refund.unique_request_id, "the refund's id", refunds);
    check(refunds[0]?.amount === 40, "the refund's amount", refunds);
  }
}

console.log(`typescript smoke flow passed (order ${orderId})`);
