// The official Juspay Node SDK (`expresscheckout-nodejs`, pinned at 1.0.0 in package.json)
// against `juspay sandbox --tls --addr 127.0.0.1:443`: create order (with a client auth token),
// session, order status, a payment, refund and its retry with the same id, and the SDK's typed
// errors. Every answer is checked. Run by `cargo xtask ci` (xtask/src/node_sdk.rs):
//
//   node flow.js CREDENTIALS_FILE      (NODE_EXTRA_CA_CERTS=<the sandbox's CA certificate>)
//
// with this folder (holding package.json) as the working directory.
//
// Quirks of the SDK, not of the sandbox (the sandbox follows the gateway, docs/spec/):
// * It reads `package.json` from the process's working directory when it is loaded (for its
//   User-Agent) and throws "Critical! failed to read package.json" without one.
// * It passes the URL's `host` (host AND port) as the host name to `https.request`, so any
//   port but 443 fails with `getaddrinfo ENOTFOUND 127.0.0.1:PORT`; it also treats only the
//   protocol "http" (never the real "http:") as plain, so it always speaks TLS. Hence
//   `--tls --addr 127.0.0.1:443` and a base URL without a port.
// * `order.update(id, ...)` posts to `/orders` + id, without the slash (`/orders<id>`): the
//   gateway's route is `/orders/{id}`, so the call is answered 404 (checked below).
// * Form bodies are not flattened: nested objects become "[object Object]", so options are
//   passed with their flat wire names (`'options.get_client_auth_token': true`, as the SDK's
//   own `CreateOrderRequest` type spells it).
// * Session and refund are declared JWE-only but fall back to Basic auth when no JWE keys are
//   configured; order status sends `order_id` again in the query string.
// * Every resolved answer carries an extra `http` member (status code, headers) added by the SDK.

'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const { Juspay, APIError, InvalidRequestError, AuthenticationError } = require('expresscheckout-nodejs');

const credentialsFile = process.argv[2];
if (!credentialsFile) {
  console.error('usage: node flow.js CREDENTIALS_FILE');
  process.exit(2);
}
const kit = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
const baseUrl = kit.BASE_URL;
assert.equal(baseUrl, 'https://127.0.0.1', 'the official SDK works only on port 443');

// The SDK logs every request and answer (bodies included) through winston by default.
Juspay.customLogger = () => Juspay.silentLogger;

const juspay = new Juspay({ merchantId: kit.MERCHANT_ID, apiKey: kit.API_KEY, baseUrl });
const run = Date.now().toString(36);
const steps = [];

async function step(name, body) {
  await body();
  steps.push(name);
  console.log(`ok ${steps.length} - ${name}`);
}

/** Expects `promise` to reject with an error of `type`; returns the error. */
async function rejects(promise, type) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error && error.name}: ${error && error.message}`);
    assert.ok(error instanceof APIError, 'every HTTP error is an APIError');
    return error;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

/** A sandbox control (`/_sandbox/...`), outside the SDK, with the same credentials. */
function control(path) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${kit.API_KEY}:`).toString('base64') },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function main() {
  const orderId = `node_sdk_${run}`;
  const customerId = `cust_${run}`;
  const returnUrl = 'https://merchant.example/return';

  await step('order.create with options.get_client_auth_token', async () => {
    const order = await juspay.order.create({
      order_id: orderId,
      amount: '100.00',
      currency: 'INR',
      customer_id: customerId,
      return_url: returnUrl,
      'options.get_client_auth_token': true,
    });
    assert.equal(order.http.statusCode, 200);
    assert.equal(order.order_id, orderId);
    assert.equal(order.status, 'CREATED');
    assert.match(order.id, /^ord/, 'the gateway\'s order id');
    assert.match(order.juspay.client_auth_token, /^tkn_/);
    assert.ok(order.juspay.client_auth_token_expiry, 'the token has an expiry');
    assert.ok(order.payment_links.web.startsWith(`${baseUrl}/`), order.payment_links.web);
  });

  await step('orderSession.create', async () => {
    const sessionOrder = `${orderId}_s`;
    const session = await juspay.orderSession.create({
      order_id: sessionOrder,
      amount: '25.50',
      customer_id: customerId,
      payment_page_client_id: kit.PAYMENT_PAGE_CLIENT_ID,
      action: 'paymentPage',
      return_url: returnUrl,
    });
    assert.equal(session.http.statusCode, 200);
    assert.equal(session.order_id, sessionOrder);
    assert.equal(session.status, 'NEW');
    assert.match(session.id, /^ord/);
    assert.ok(session.payment_links.web.startsWith(`${baseUrl}/`), session.payment_links.web);
    assert.equal(session.sdk_payload.payload.clientId, kit.PAYMENT_PAGE_CLIENT_ID);
    assert.equal(session.sdk_payload.payload.orderId, sessionOrder);
  });

  await step('order.status of a new order', async () => {
    const status = await juspay.order.status(orderId);
    assert.equal(status.order_id, orderId);
    assert.equal(status.status, 'NEW');
    assert.equal(Number(status.amount), 100);
    assert.equal(status.customer_id, customerId);
  });

  let txnId;
  await step('payments.create (UPI collect) and the customer pays (sandbox control)', async () => {
    const txn = await juspay.payments.create({
      order_id: orderId,
      merchant_id: kit.MERCHANT_ID,
      payment_method_type: 'UPI',
      payment_method: 'UPI_COLLECT',
      upi_vpa: 'someone@okbank',
      payment_channel: 'WEB',
      format: 'json',
    });
    assert.equal(txn.order_id, orderId);
    assert.equal(txn.status, 'PENDING_VBV');
    txnId = txn.txn_id;
    assert.ok(txnId, 'the payment has a txn_id');
    const paid = await control(`/_sandbox/upi/${encodeURIComponent(txnId)}/pay`);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'CHARGED');
    const status = await juspay.order.status(orderId);
    assert.equal(status.status, 'CHARGED');
    assert.equal(status.txn_id, txnId);
  });

  const refundId = `rf_${run}`;
  await step('order.refund', async () => {
    const order = await juspay.order.refund(orderId, { unique_request_id: refundId, amount: '40.00' });
    assert.equal(order.order_id, orderId);
    assert.equal(order.refunds.length, 1);
    assert.equal(order.refunds[0].unique_request_id, refundId);
    assert.equal(Number(order.refunds[0].amount), 40);
    assert.equal(order.refunds[0].status, 'PENDING');
  });

  await step('order.refund retried with the same unique_request_id is the same refund', async () => {
    const order = await juspay.order.refund(orderId, { unique_request_id: refundId, amount: '40.00' });
    assert.equal(order.refunds.length, 1, 'no second refund');
    assert.equal(order.refunds[0].unique_request_id, refundId);
    assert.equal(Number(order.refunds[0].amount), 40);
  });

  await step('InvalidRequestError: order.status of an unknown order (404)', async () => {
    const error = await rejects(juspay.order.status(`missing_${run}`), InvalidRequestError);
    assert.equal(error.status, 'NOT_FOUND');
    assert.equal(error.error_code, 'object_not_found');
  });

  await step('InvalidRequestError: a refund above the refundable amount (400)', async () => {
    const error = await rejects(
      juspay.order.refund(orderId, { unique_request_id: `rf2_${run}`, amount: '1000.00' }),
      InvalidRequestError,
    );
    assert.ok(error.error_message, 'the gateway says why');
  });

  await step('AuthenticationError: a wrong API key (401)', async () => {
    const wrong = new Juspay({ merchantId: kit.MERCHANT_ID, apiKey: 'not-the-key', baseUrl });
    await rejects(wrong.order.status(orderId), AuthenticationError);
  });

  await step('order.update posts to /orders<id> (the SDK quirk): 404', async () => {
    const error = await rejects(juspay.order.update(orderId, { amount: '120.00' }), InvalidRequestError);
    assert.equal(error.status, 'NOT_FOUND');
    const status = await juspay.order.status(orderId);
    assert.equal(Number(status.amount), 100, 'nothing was updated');
  });

  console.log(`${steps.length} passed, 0 failed`);
}

main().catch((error) => {
  console.error(`not ok ${steps.length + 1} - ${error && error.stack ? error.stack : error}`);
  console.log(`${steps.length} passed, 1 failed`);
  process.exit(1);
});
