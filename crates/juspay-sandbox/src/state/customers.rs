//! Customers, their saved cards (the locker), card tokens, wallet accounts, and the merchant's
//! payment methods (`docs/spec/payments.md` §2–§5).

use axum::http::StatusCode;
use juspay_types::{
    CreateCustomerRequest, CreateWalletRequest, DeleteCardRequest, ExposeSecret as _,
    GetCustomerQuery, ListCardsQuery, PaymentMethodsQuery, UpdateCustomerRequest, WalletCommand,
};
use serde_json::{Value, json};

use super::orders::CardInfo;
use super::render::timestamp;
use super::{Db, LINK_TTL_S, Shared};
use crate::error::ApiError;

/// A customer of the merchant (no `Debug`: contact data).
#[derive(Clone)]
pub(crate) struct Customer {
    id: String,
    object_reference_id: String,
    mobile_number: String,
    mobile_country_code: Option<String>,
    email_address: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    created: i64,
    updated: i64,
}

/// A card in the locker: what order status may show of it, and its owner.
#[derive(Clone)]
pub(crate) struct SavedCard {
    /// The `customer_id` it was saved for (Juspay id or the merchant's reference).
    owner: String,
    info: CardInfo,
}

/// A card from `/card/tokenize`: usable once, within 15 minutes, without CVV.
#[derive(Clone)]
pub(crate) struct CardToken {
    info: CardInfo,
    expires: i64,
}

/// A wallet account of a customer (no `Debug`: its token is a secret).
#[derive(Clone)]
pub(crate) struct WalletAccount {
    id: String,
    customer_id: String,
    wallet: String,
    linked: bool,
    /// The one-time direct-debit token of a linked wallet.
    token: Option<String>,
    last_refreshed: Option<i64>,
}

/// The balance a linked sandbox wallet shows.
const WALLET_BALANCE: f64 = 1000.0;

fn customer_not_found() -> ApiError {
    ApiError::worded(
        StatusCode::NOT_FOUND,
        "invalid_request_error",
        "object_not_found",
        "Customer not found",
        "RESOURCE_NOT_FOUND",
    )
}

fn wallet_customer_not_found() -> ApiError {
    ApiError::worded(
        StatusCode::NOT_FOUND,
        "invalid_request_error",
        "null_error",
        "Customer not found for given customerId.",
        "RESOURCE_NOT_FOUND",
    )
}

impl Db {
    /// The customer `id`: Juspay's id (`cst_…`) or the merchant's `object_reference_id`.
    fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers.get(id).or_else(|| {
            self.customers
                .values()
                .find(|c| c.object_reference_id == id)
        })
    }

    /// Whether `owner` (a `customer_id` as an order gave it) is the customer `id` names.
    fn owns(&self, id: &str, owner: &str) -> bool {
        owner == id
            || self
                .customer(id)
                .is_some_and(|c| owner == c.id || owner == c.object_reference_id)
    }
}

impl Shared {
    fn customer_json(&self, c: &Customer, token: bool) -> Value {
        let mut v = json!({
            "id": c.id, "object": "customer", "object_reference_id": c.object_reference_id,
            "mobile_country_code": c.mobile_country_code.as_deref().unwrap_or("91"),
            "mobile_number": c.mobile_number, "email_address": c.email_address,
            "first_name": c.first_name, "last_name": c.last_name,
            "date_created": timestamp(c.created), "last_updated": timestamp(c.updated),
        });
        if token {
            v["juspay"] = json!({
                "client_auth_token": self.new_id("tkn_"),
                "client_auth_token_expiry": timestamp(self.now() + LINK_TTL_S),
            });
        }
        v
    }

    /// `POST /customers`; a repeated `object_reference_id` is `ALREADY_EXISTS`.
    pub(crate) fn create_customer(&self, pairs: &[(String, String)]) -> Result<Value, ApiError> {
        let r = crate::api::parse(pairs, CreateCustomerRequest::from_received_form)?;
        let now = self.now();
        let mut db = self.db();
        if db.customer(&r.object_reference_id).is_some() {
            return Err(ApiError::worded(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "unique",
                "Customer with this object_reference_id already exists",
                "ALREADY_EXISTS",
            ));
        }
        let c = Customer {
            id: self.new_id("cst_"),
            object_reference_id: r.object_reference_id,
            mobile_number: r.mobile_number.as_str().to_owned(),
            mobile_country_code: r.mobile_country_code,
            email_address: r.email_address.map(|e| e.as_str().to_owned()),
            first_name: r.first_name,
            last_name: r.last_name,
            created: now,
            updated: now,
        };
        let v = self.customer_json(&c, r.get_client_auth_token == Some(true));
        db.customers.insert(c.id.clone(), c);
        Ok(v)
    }

    /// `GET /customers/{id}` (`options.get_client_auth_token=true` in the query).
    pub(crate) fn get_customer(
        &self,
        id: &str,
        query: &[(String, String)],
    ) -> Result<Value, ApiError> {
        let q = crate::api::parse(query, GetCustomerQuery::from_received_form)?;
        let db = self.db();
        let c = db.customer(id).ok_or_else(customer_not_found)?;
        Ok(self.customer_json(c, q.get_client_auth_token))
    }

    /// `POST /customers/{id}`.
    pub(crate) fn update_customer(
        &self,
        id: &str,
        pairs: &[(String, String)],
    ) -> Result<Value, ApiError> {
        let r = crate::api::parse(pairs, UpdateCustomerRequest::from_received_form)?;
        let now = self.now();
        let mut db = self.db();
        let key = db.customer(id).ok_or_else(customer_not_found)?.id.clone();
        let c = db.customers.get_mut(&key).ok_or_else(customer_not_found)?;
        if let Some(m) = r.mobile_number {
            c.mobile_number = m.as_str().to_owned();
        }
        if let Some(e) = r.email_address {
            c.email_address = Some(e.as_str().to_owned());
        }
        c.mobile_country_code = r.mobile_country_code.or(c.mobile_country_code.take());
        c.first_name = r.first_name.or(c.first_name.take());
        c.last_name = r.last_name.or(c.last_name.take());
        c.updated = now;
        Ok(self.customer_json(c, false))
    }

    /// Saves `info` in the locker for `owner` (once per card per owner); returns its
    /// reference.
    pub(super) fn save_card_info(
        &self,
        db: &mut Db,
        owner: &str,
        mut info: CardInfo,
        _now: i64,
    ) -> String {
        let same = db
            .cards
            .values()
            .find(|c| c.owner == owner && c.info.fingerprint == info.fingerprint);
        if let Some(c) = same {
            return c.info.reference.clone().unwrap_or_default();
        }
        let reference = self.new_id("cref_");
        info.reference = Some(reference.clone());
        let token = self.new_id("ctkn_");
        db.cards.insert(
            token,
            SavedCard {
                owner: owner.to_owned(),
                info,
            },
        );
        reference
    }

    /// Saves a test card for a customer, as a payment with `save_to_locker=true` would;
    /// returns its `card_token`.
    pub(crate) fn save_test_card(&self, owner: &str, number: &str) -> Option<String> {
        let valid = (12..=19).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
        if !valid || owner.is_empty() {
            return None;
        }
        let info = super::payments::card_info(number, "12", "2030", Some("Test"));
        let now = self.now();
        let mut db = self.db();
        let reference = self.save_card_info(&mut db, owner, info, now);
        db.cards
            .iter()
            .find(|(_, c)| c.info.reference.as_deref() == Some(reference.as_str()))
            .map(|(token, _)| token.clone())
    }

    /// The card a `/txns` `card_token` names: a locker card (its CVV is required) or a
    /// `/card/tokenize` token (used once, within 15 minutes, replaces the CVV).
    pub(super) fn saved_card_for_payment(
        &self,
        db: &mut Db,
        token: &str,
        has_cvv: bool,
    ) -> Result<CardInfo, ApiError> {
        if let Some(c) = db.cards.get(token) {
            if !has_cvv {
                return Err(ApiError::missing("card_security_code"));
            }
            return Ok(c.info.clone());
        }
        let now = self.now();
        match db.card_tokens.remove(token) {
            Some(t) if t.expires >= now => Ok(t.info),
            Some(_) => Err(ApiError::expired(
                "card_token",
                "the card token has expired",
            )),
            None => Err(ApiError::invalid("card_token", "unknown card token")),
        }
    }

    /// `GET /cards?customer_id=…`.
    pub(crate) fn list_cards(&self, query: &[(String, String)]) -> Result<Value, ApiError> {
        let q = crate::api::parse(query, ListCardsQuery::from_received_form)?;
        let id = q.customer_id.as_str();
        let db = self.db();
        let cards: Vec<Value> = db
            .cards
            .iter()
            .filter(|(_, c)| db.owns(id, &c.owner))
            .map(|(token, c)| {
                let i = &c.info;
                let masked = format!("{}-XXXXXXXX-{}", i.isin.get(..4).unwrap_or_default(), i.last4);
                json!({
                    "card_token": token, "card_reference": i.reference, "card_fingerprint": i.fingerprint,
                    "card_number": masked, "card_isin": i.isin, "card_exp_year": i.exp_year,
                    "card_exp_month": i.exp_month, "card_type": "CREDIT", "card_issuer": "SANDBOX BANK",
                    "card_brand": i.brand, "nickname": "", "name_on_card": i.name,
                    "expired": false, "cvv_less_support": false, "tokenize_support": false,
                    "provider_category": "CONTAINER", "metadata": {},
                })
            })
            .collect();
        Ok(json!({
            "customer_id": id, "merchantId": self.credentials.merchant_id, "cards": cards,
        }))
    }

    /// `POST /card/delete`.
    pub(crate) fn delete_card(&self, pairs: &[(String, String)]) -> Result<Value, ApiError> {
        let r = crate::api::parse(pairs, DeleteCardRequest::from_received_form)?;
        let token = r.card_token.expose_secret();
        let card = self.db().cards.remove(token);
        let card = card.ok_or_else(|| ApiError::not_found("Card not found"))?;
        Ok(json!({
            "card_token": token, "card_reference": card.info.reference, "deleted": true,
        }))
    }

    /// `POST /card/tokenize`: a token for a typed-in card (`card_exp_year` as `yyyy`).
    pub(crate) fn tokenize_card(&self, pairs: &[(String, String)]) -> Result<Value, ApiError> {
        let get = |k: &str| {
            let v = pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.trim());
            v.filter(|v| !v.is_empty())
        };
        let digits = |k: &'static str, min: usize, max: usize| -> Result<&str, ApiError> {
            let v = get(k).ok_or_else(|| ApiError::missing(k))?;
            if (min..=max).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) {
                Ok(v)
            } else {
                Err(ApiError::invalid_code(k, "invalid", "Invalid value."))
            }
        };
        let number = digits("card_number", 12, 19)?;
        let month = digits("card_exp_month", 1, 2)?;
        if !matches!(month.parse::<u8>(), Ok(1..=12)) {
            return Err(ApiError::invalid_code(
                "card_exp_month",
                "invalidRange",
                "Invalid value.",
            ));
        }
        let year = digits("card_exp_year", 4, 4)?;
        if let Some(cvv) = get("card_security_code") {
            digits("card_security_code", 3, 4).map(|_| cvv)?;
        }
        let info = super::payments::card_info(number, month, year, get("name_on_card"));
        let token = self.new_id("ctkn_");
        let expires = self.now() + LINK_TTL_S;
        self.db()
            .card_tokens
            .insert(token.clone(), CardToken { info, expires });
        Ok(json!({ "token": token }))
    }

    fn wallet_json(&self, w: &WalletAccount, db: &Db) -> Value {
        let mobile = db
            .customers
            .get(&w.customer_id)
            .map(|c| c.mobile_number.clone());
        json!({
            "id": w.id, "object": "wallet_account", "wallet": w.wallet,
            "token": w.token, "linked": w.linked,
            "current_balance": w.linked.then_some(WALLET_BALANCE),
            "last_refreshed": w.last_refreshed.map(timestamp),
            "metadata": { "mobile_number": mobile },
            "gateway_reference_id": Value::Null, "juspay_bank_code": format!("JP_{}", w.wallet),
        })
    }

    fn wallet_list(&self, db: &Db, customer: &str) -> Value {
        let list: Vec<Value> = (db.wallets.values())
            .filter(|w| w.customer_id == customer)
            .map(|w| self.wallet_json(w, db))
            .collect();
        let n = list.len();
        json!({ "object": "list", "list": list, "count": n, "offset": 0, "total": n })
    }

    /// `GET /customers/{id}/wallets`, `GET …/wallets/refresh-balances` (`refresh`) and
    /// `POST /customers/{id}/wallets` (`create`: the form's `gateway`, `command=authenticate`).
    pub(crate) fn customer_wallets(
        &self,
        customer: &str,
        action: WalletsAction,
        pairs: &[(String, String)],
    ) -> Result<Value, ApiError> {
        let now = self.now();
        let mut db = self.db();
        let db = &mut *db;
        let cid = db
            .customer(customer)
            .ok_or_else(wallet_customer_not_found)?
            .id
            .clone();
        match action {
            WalletsAction::List => {}
            WalletsAction::RefreshAll => {
                for w in db.wallets.values_mut().filter(|w| w.customer_id == cid) {
                    w.last_refreshed = Some(now);
                }
            }
            WalletsAction::Create => {
                let r = crate::api::parse(pairs, CreateWalletRequest::from_received_form)?;
                let w = WalletAccount {
                    id: self.new_id("wlt_"),
                    customer_id: cid,
                    wallet: r.gateway.to_ascii_uppercase(),
                    linked: false,
                    token: None,
                    last_refreshed: None,
                };
                let v = self.wallet_json(&w, db);
                db.wallets.insert(w.id.clone(), w);
                return Ok(v);
            }
        }
        Ok(self.wallet_list(db, &cid))
    }

    /// `GET /wallets/{id}` (`pairs` empty) and `POST /wallets/{id}` (a command).
    pub(crate) fn wallet(
        &self,
        id: &str,
        command: Option<&[(String, String)]>,
    ) -> Result<Value, ApiError> {
        let command = match command {
            Some(pairs) => {
                let link = pairs
                    .iter()
                    .any(|(k, v)| k == "command" && v.trim() == "link");
                let otp = pairs
                    .iter()
                    .any(|(k, v)| k == "otp" && !v.trim().is_empty());
                if link && !otp {
                    return Err(ApiError::worded(
                        StatusCode::BAD_REQUEST,
                        "Invalid Request",
                        "Invalid",
                        "OTP is required while linking wallet.",
                        "MISSING_MANDATORY_PARAMETER",
                    ));
                }
                Some(crate::api::parse(pairs, WalletCommand::from_received_form)?)
            }
            None => None,
        };
        let now = self.now();
        let mut db = self.db();
        let db = &mut *db;
        let w = db
            .wallets
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("Wallet not found"))?;
        match command {
            None => {}
            Some(WalletCommand::Refresh) => {
                w.last_refreshed = Some(now);
                if w.linked {
                    w.token = Some(self.new_id("wtkn_"));
                }
            }
            // The OTP is "sent"; any OTP links the account.
            Some(WalletCommand::Authenticate | WalletCommand::Delink) => {
                w.linked = false;
                w.token = None;
            }
            Some(WalletCommand::Link { .. }) => {
                w.linked = true;
                w.token = Some(self.new_id("wtkn_"));
                w.last_refreshed = Some(now);
            }
            Some(_) => {
                return Err(ApiError::invalid("command", "not modelled by the sandbox"));
            }
        }
        let w = w.clone();
        Ok(self.wallet_json(&w, db))
    }

    /// Consumes the one-time `direct_wallet_token` of a linked wallet of `wallet` type.
    pub(super) fn use_wallet_token(
        &self,
        db: &mut Db,
        wallet: &str,
        token: &str,
    ) -> Result<(), ApiError> {
        let w = db.wallets.values_mut().find(|w| {
            w.linked && w.token.as_deref() == Some(token) && w.wallet.eq_ignore_ascii_case(wallet)
        });
        let w = w.ok_or_else(|| {
            let reason = "not the current token of a linked wallet of this payment_method";
            ApiError::invalid("direct_wallet_token", reason)
        })?;
        // One-time: the next debit needs a refreshed token.
        w.token = None;
        Ok(())
    }

    /// `GET /merchants/{merchant_id}/paymentmethods`.
    pub(crate) fn payment_methods(
        &self,
        merchant_id: &str,
        query: &[(String, String)],
    ) -> Result<Value, ApiError> {
        if merchant_id != self.credentials.merchant_id {
            return Err(ApiError::not_found("Merchant not found"));
        }
        let q = crate::api::parse(query, PaymentMethodsQuery::from_received_form)?;
        let method = |t: &str, m: &str, d: &str| json!({ "payment_method_type": t, "payment_method": m, "description": d });
        let mut wallet = method("WALLET", "SANDBOXWALLET", "Sandbox Wallet");
        wallet["wallet_direct_debit_support"] = true.into();
        let mut v = json!({ "payment_methods": [
            method("CARD", "VISA", "Visa"), method("CARD", "MASTERCARD", "Mastercard"),
            method("CARD", "RUPAY", "RuPay"),
            method("NB", "NB_HDFC", "HDFC Bank"), method("NB", "NB_ICICI", "ICICI Bank"),
            method("NB", "NB_AXIS", "Axis Bank"), method("NB", "NB_DUMMY", "Sandbox Test Bank"),
            method("UPI", "UPI_COLLECT", "UPI Collect"), method("UPI", "UPI_PAY", "UPI Intent"),
            wallet, method("WALLET", "MOBIKWIK", "Mobikwik"),
        ] });
        if q.add_emandate_payment_methods {
            v["emandate_payment_methods"] = json!([
                method("UPI", "COLLECT", "UPI Collect"),
                method("CARD", "VISA", "Visa"),
            ]);
        }
        if q.add_outage {
            v["outage"] = json!([]);
        }
        Ok(v)
    }
}

/// The three calls on `/customers/{id}/wallets`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WalletsAction {
    List,
    RefreshAll,
    Create,
}
