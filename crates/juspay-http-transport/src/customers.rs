//! Customers and their saved instruments: customers ([`CreateCustomerRequest`],
//! [`GetCustomer`], [`UpdateCustomer`]), saved cards ([`ListCards`], [`DeleteCard`]),
//! wallets ([`ListWallets`], [`RefreshWallets`], [`CreateWallet`], [`GetWallet`],
//! [`WalletCall`]) and the merchant's payment methods ([`ListPaymentMethods`]). One
//! [`Operation`] each; the named methods on [`Client`] send them.
//!
//! Every call tied to a customer names it ([`Operation::customer_id`]): the client sends it
//! as `x-customerid` and, unless the call sets another, as `x-routing-id`.
//!
//! Saving a card through `/card/tokenize` is left out: it is a browser or app call without
//! server authentication, not a server call.

use http::Method;
use juspay_types::{
    CardList, CreateCustomerRequest, CreateWalletRequest, Customer, CustomerId, DeleteCardRequest,
    DeletedCard, GetCustomerQuery, ListCardsQuery, PaymentMethods, PaymentMethodsQuery,
    UpdateCustomerRequest, Wallet, WalletCommand, WalletList,
};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::operation::{Answer, Body, Operation, RetrySafety, path_segment};

/// `path`, with `?query` when there are pairs.
fn with_query(path: String, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        path
    } else {
        format!("{path}?{}", juspay_types::form::encode(pairs))
    }
}

fn customer_path(customer_id: &str) -> String {
    format!("/customers/{}", path_segment(customer_id))
}

/// `POST /customers` (form): creates a customer, keyed by its `object_reference_id`
/// ([`RetrySafety::CreateCustomer`]): after an ambiguous failure, or an `ALREADY_EXISTS`
/// answer, `GET /customers/{object_reference_id}` is asked, and the customer it finds is the
/// answer ("get or create": a customer created earlier with this reference is returned as it
/// is, not updated).
impl Operation for CreateCustomerRequest {
    type Response = Customer;

    const NAME: &'static str = "create_customer";
    fn path(&self) -> String {
        "/customers".to_owned()
    }
    fn body(&self) -> Result<Body> {
        self.validate().map_err(Error::Invalid)?;
        Ok(Body::form(&self.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::CreateCustomer {
            object_reference_id: &self.object_reference_id,
            client_auth_token: self.get_client_auth_token == Some(true),
        }
    }
    fn customer_id(&self) -> Option<&str> {
        Some(&self.object_reference_id)
    }
    fn decode(&self, answer: Answer) -> Result<Customer> {
        answer.json(self.name())
    }
}

/// `GET /customers/{customer_id}` (Juspay's `cst_…` id or the merchant's
/// `object_reference_id`), with a client auth token when the query asks. A read.
#[derive(Clone, Copy, Debug)]
pub struct GetCustomer<'a> {
    /// The customer.
    pub customer_id: &'a CustomerId,
    /// `options.get_client_auth_token`.
    pub query: GetCustomerQuery,
}

impl Operation for GetCustomer<'_> {
    type Response = Customer;
    const METHOD: Method = Method::GET;

    const NAME: &'static str = "get_customer";
    fn path(&self) -> String {
        with_query(
            customer_path(self.customer_id.as_str()),
            &self.query.to_query_pairs(),
        )
    }
    fn body(&self) -> Result<Body> {
        guest_check(self.customer_id)?;
        Ok(Body::Empty)
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Read
    }
    fn customer_id(&self) -> Option<&str> {
        Some(self.customer_id.as_str())
    }
    fn decode(&self, answer: Answer) -> Result<Customer> {
        answer.json(self.name())
    }
}

/// The guest (empty) customer id names no customer to put in a path.
fn guest_check(customer_id: &CustomerId) -> Result<()> {
    if customer_id.is_guest() {
        return Err(Error::Invalid(juspay_types::Error::InvalidField(
            juspay_types::FieldError::new("customer_id", juspay_types::Problem::Empty),
        )));
    }
    Ok(())
}

/// `POST /customers/{customer_id}` (form): changes contact fields. [`RetrySafety::Keyed`]:
/// the same update twice leaves the same customer.
#[derive(Clone, Copy, Debug)]
pub struct UpdateCustomer<'a> {
    /// The customer.
    pub customer_id: &'a CustomerId,
    /// The fields to change.
    pub request: &'a UpdateCustomerRequest,
}

impl Operation for UpdateCustomer<'_> {
    type Response = Customer;

    const NAME: &'static str = "update_customer";
    fn path(&self) -> String {
        customer_path(self.customer_id.as_str())
    }
    fn body(&self) -> Result<Body> {
        guest_check(self.customer_id)?;
        self.request.validate().map_err(Error::Invalid)?;
        Ok(Body::form(&self.request.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Keyed
    }
    fn customer_id(&self) -> Option<&str> {
        Some(self.customer_id.as_str())
    }
    fn decode(&self, answer: Answer) -> Result<Customer> {
        answer.json(self.name())
    }
}

/// `GET /cards?customer_id=…`: a customer's saved cards. A read.
#[derive(Clone, Copy, Debug)]
pub struct ListCards<'a>(pub &'a ListCardsQuery);

impl Operation for ListCards<'_> {
    type Response = CardList;
    const METHOD: Method = Method::GET;

    const NAME: &'static str = "list_cards";
    fn path(&self) -> String {
        with_query("/cards".to_owned(), &self.0.to_query_pairs())
    }
    fn body(&self) -> Result<Body> {
        self.0.validate().map_err(Error::Invalid)?;
        Ok(Body::Empty)
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Read
    }
    fn customer_id(&self) -> Option<&str> {
        Some(self.0.customer_id.as_str())
    }
    fn decode(&self, answer: Answer) -> Result<CardList> {
        answer.json(self.name())
    }
}

/// `POST /card/delete` (form): deletes a saved card by its token. [`RetrySafety::Keyed`]:
/// deleting is idempotent in effect (a re-sent delete of a card the first attempt deleted
/// answers `deleted: false` or an error, and deletes nothing else).
#[derive(Clone, Copy, Debug)]
pub struct DeleteCard<'a>(pub &'a DeleteCardRequest);

impl Operation for DeleteCard<'_> {
    type Response = DeletedCard;

    const NAME: &'static str = "delete_card";
    fn path(&self) -> String {
        "/card/delete".to_owned()
    }
    fn body(&self) -> Result<Body> {
        Ok(Body::form(&self.0.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Keyed
    }
    fn decode(&self, answer: Answer) -> Result<DeletedCard> {
        answer.json(self.name())
    }
}

/// `GET /customers/{customer_id}/wallets`: a customer's wallet accounts. A read.
#[derive(Clone, Copy, Debug)]
pub struct ListWallets<'a>(pub &'a CustomerId);

impl Operation for ListWallets<'_> {
    type Response = WalletList;
    const METHOD: Method = Method::GET;

    const NAME: &'static str = "list_wallets";
    fn path(&self) -> String {
        format!("{}/wallets", customer_path(self.0.as_str()))
    }
    fn body(&self) -> Result<Body> {
        guest_check(self.0)?;
        Ok(Body::Empty)
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Read
    }
    fn customer_id(&self) -> Option<&str> {
        Some(self.0.as_str())
    }
    fn decode(&self, answer: Answer) -> Result<WalletList> {
        answer.json(self.name())
    }
}

/// `GET /customers/{customer_id}/wallets/refresh-balances`: every wallet of the customer
/// with fresh balances. Repeating it only refreshes again: retried as a read.
#[derive(Clone, Copy, Debug)]
pub struct RefreshWallets<'a>(pub &'a CustomerId);

impl Operation for RefreshWallets<'_> {
    type Response = WalletList;
    const METHOD: Method = Method::GET;

    const NAME: &'static str = "refresh_wallets";
    fn path(&self) -> String {
        format!(
            "{}/wallets/refresh-balances",
            customer_path(self.0.as_str())
        )
    }
    fn body(&self) -> Result<Body> {
        guest_check(self.0)?;
        Ok(Body::Empty)
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Read
    }
    fn customer_id(&self) -> Option<&str> {
        Some(self.0.as_str())
    }
    fn decode(&self, answer: Answer) -> Result<WalletList> {
        answer.json(self.name())
    }
}

/// `POST /customers/{customer_id}/wallets` (form): creates a wallet account for a provider,
/// optionally sending the OTP (`command=authenticate`). [`RetrySafety::Unkeyed`]: it has no
/// idempotency key and may send an OTP, so it is re-sent only when it certainly did not
/// reach the gateway.
#[derive(Clone, Copy, Debug)]
pub struct CreateWallet<'a> {
    /// The customer.
    pub customer_id: &'a CustomerId,
    /// The provider.
    pub request: &'a CreateWalletRequest,
}

impl Operation for CreateWallet<'_> {
    type Response = Wallet;

    const NAME: &'static str = "create_wallet";
    fn path(&self) -> String {
        format!("{}/wallets", customer_path(self.customer_id.as_str()))
    }
    fn body(&self) -> Result<Body> {
        guest_check(self.customer_id)?;
        Ok(Body::form(&self.request.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Unkeyed
    }
    fn customer_id(&self) -> Option<&str> {
        Some(self.customer_id.as_str())
    }
    fn decode(&self, answer: Answer) -> Result<Wallet> {
        answer.json(self.name())
    }
}

/// `GET /wallets/{wallet_id}`: one wallet account. A read.
#[derive(Clone, Copy, Debug)]
pub struct GetWallet<'a>(pub &'a str);

impl Operation for GetWallet<'_> {
    type Response = Wallet;
    const METHOD: Method = Method::GET;

    const NAME: &'static str = "get_wallet";
    fn path(&self) -> String {
        wallet_path(self.0)
    }
    fn body(&self) -> Result<Body> {
        wallet_id_check(self.0)?;
        Ok(Body::Empty)
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Read
    }
    fn decode(&self, answer: Answer) -> Result<Wallet> {
        answer.json(self.name())
    }
}

fn wallet_path(wallet_id: &str) -> String {
    format!("/wallets/{}", path_segment(wallet_id))
}

/// A wallet id names one path segment: not empty, not `.` or `..`.
fn wallet_id_check(wallet_id: &str) -> Result<()> {
    if matches!(wallet_id, "" | "." | "..") {
        return Err(Error::Invalid(juspay_types::Error::InvalidField(
            juspay_types::FieldError::new(
                "wallet_id",
                juspay_types::Problem::InvalidFormat("a wallet id (wlt_…)"),
            ),
        )));
    }
    Ok(())
}

/// `POST /wallets/{wallet_id}` (form): a command on a wallet account. `refresh` and
/// `delink` are idempotent in effect ([`RetrySafety::Keyed`]); `authenticate` sends an OTP
/// and `link` spends one, so they are [`RetrySafety::Unkeyed`].
#[derive(Clone, Copy, Debug)]
pub struct WalletCall<'a> {
    /// The wallet account (`wlt_…`).
    pub wallet_id: &'a str,
    /// The command.
    pub command: &'a WalletCommand,
}

impl Operation for WalletCall<'_> {
    type Response = Wallet;

    const NAME: &'static str = "wallet_command";
    fn name(&self) -> &'static str {
        match self.command {
            WalletCommand::Refresh => "wallet_refresh",
            WalletCommand::Authenticate => "wallet_authenticate",
            WalletCommand::Link { .. } => "wallet_link",
            WalletCommand::Delink => "wallet_delink",
            _ => Self::NAME,
        }
    }
    fn path(&self) -> String {
        wallet_path(self.wallet_id)
    }
    fn body(&self) -> Result<Body> {
        wallet_id_check(self.wallet_id)?;
        Ok(Body::form(&self.command.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        match self.command {
            WalletCommand::Refresh | WalletCommand::Delink => RetrySafety::Keyed,
            _ => RetrySafety::Unkeyed,
        }
    }
    fn decode(&self, answer: Answer) -> Result<Wallet> {
        answer.json(self.name())
    }
}

/// `GET /merchants/{merchant_id}/paymentmethods`: the merchant's enabled payment methods
/// (the `payment_method` codes a payment sends). A read.
#[derive(Clone, Copy, Debug)]
pub struct ListPaymentMethods<'a> {
    /// The merchant ([`Client::merchant_id`] for the named method).
    pub merchant_id: &'a str,
    /// The options.
    pub query: PaymentMethodsQuery,
}

impl Operation for ListPaymentMethods<'_> {
    type Response = PaymentMethods;
    const METHOD: Method = Method::GET;

    const NAME: &'static str = "payment_methods";
    fn path(&self) -> String {
        with_query(
            format!(
                "/merchants/{}/paymentmethods",
                path_segment(self.merchant_id)
            ),
            &self.query.to_query_pairs(),
        )
    }
    fn body(&self) -> Result<Body> {
        Ok(Body::Empty)
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Read
    }
    fn decode(&self, answer: Answer) -> Result<PaymentMethods> {
        answer.json(self.name())
    }
}

/// Customers, saved cards, wallets and payment methods: each is [`Client::send`] of the
/// operation named in its first line.
impl Client {
    /// `POST /customers` ([`CreateCustomerRequest`]): get-or-create by
    /// `object_reference_id`. Set `get_client_auth_token` for a client auth token (15
    /// minutes) in the answer's `juspay`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation; otherwise see [`Error`].
    pub async fn create_customer(&self, request: &CreateCustomerRequest) -> Result<Customer> {
        self.send(request).await
    }

    /// [`GetCustomer`]: `GET /customers/{customer_id}`.
    ///
    /// # Errors
    ///
    /// See [`Error`]; an unknown customer is [`Error::Api`] with status 404.
    pub async fn get_customer(
        &self,
        customer_id: &CustomerId,
        query: GetCustomerQuery,
    ) -> Result<Customer> {
        self.send(&GetCustomer { customer_id, query }).await
    }

    /// [`UpdateCustomer`]: `POST /customers/{customer_id}`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation; otherwise see [`Error`].
    pub async fn update_customer(
        &self,
        customer_id: &CustomerId,
        request: &UpdateCustomerRequest,
    ) -> Result<Customer> {
        self.send(&UpdateCustomer {
            customer_id,
            request,
        })
        .await
    }

    /// [`ListCards`]: `GET /cards`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for the guest customer; otherwise see [`Error`].
    pub async fn list_cards(&self, query: &ListCardsQuery) -> Result<CardList> {
        self.send(&ListCards(query)).await
    }

    /// [`DeleteCard`]: `POST /card/delete`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn delete_card(&self, request: &DeleteCardRequest) -> Result<DeletedCard> {
        self.send(&DeleteCard(request)).await
    }

    /// [`ListWallets`]: `GET /customers/{customer_id}/wallets`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn list_wallets(&self, customer_id: &CustomerId) -> Result<WalletList> {
        self.send(&ListWallets(customer_id)).await
    }

    /// [`RefreshWallets`]: `GET /customers/{customer_id}/wallets/refresh-balances`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn refresh_wallets(&self, customer_id: &CustomerId) -> Result<WalletList> {
        self.send(&RefreshWallets(customer_id)).await
    }

    /// [`CreateWallet`]: `POST /customers/{customer_id}/wallets`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn create_wallet(
        &self,
        customer_id: &CustomerId,
        request: &CreateWalletRequest,
    ) -> Result<Wallet> {
        self.send(&CreateWallet {
            customer_id,
            request,
        })
        .await
    }

    /// [`GetWallet`]: `GET /wallets/{wallet_id}`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn get_wallet(&self, wallet_id: &str) -> Result<Wallet> {
        self.send(&GetWallet(wallet_id)).await
    }

    /// [`WalletCall`]: `POST /wallets/{wallet_id}` with `command`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn wallet_command(&self, wallet_id: &str, command: &WalletCommand) -> Result<Wallet> {
        self.send(&WalletCall { wallet_id, command }).await
    }

    /// [`ListPaymentMethods`] of this client's (or [`Client::for_merchant`]'s) merchant.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn payment_methods(&self, query: PaymentMethodsQuery) -> Result<PaymentMethods> {
        self.send(&ListPaymentMethods {
            merchant_id: self.merchant_id(),
            query,
        })
        .await
    }
}
