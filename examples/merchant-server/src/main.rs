//! Runs the reference merchant app of `juspay-merchant` (feature `demo`) against a gateway
//! configured by an HDFC kit `config.json` (for example the credentials file
//! `juspay sandbox` writes). The app's routes are described in `juspay_merchant::demo`;
//! this program only reads the configuration, binds and serves.
//!
//! ```text
//! merchant-server CONFIG_JSON [ADDR]
//! ```

use anyhow::Context as _;
use juspay_http_transport::Client;
use juspay_merchant::{BasicCredentials, SecretString};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let config_path = args
        .next()
        .context("usage: merchant-server CONFIG_JSON [ADDR]")?;
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:5000".to_owned());
    let text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read {config_path}"))?;
    let client = Client::from_hdfc_config_json(&text).context("invalid gateway configuration")?;
    let raw: serde_json::Value = serde_json::from_str(&text).context("config is not JSON")?;
    // Refuse to start without webhook credentials: an empty password would make /webhook
    // refuse every delivery (the library verifies nothing against an empty password).
    let field = |k: &str| -> anyhow::Result<String> {
        match raw.get(k).and_then(|v| v.as_str()) {
            Some(value) if !value.is_empty() => Ok(value.to_owned()),
            _ => anyhow::bail!("{config_path}: {k} is missing or empty"),
        }
    };
    let webhook = BasicCredentials::new(
        field("WEBHOOK_USERNAME")?,
        SecretString::from(field("WEBHOOK_PASSWORD")?),
    );
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot bind {addr}"))?;
    let public_url = format!("http://{}", listener.local_addr()?);
    let app = juspay_merchant::demo::router(juspay_merchant::demo::Config::new(
        client,
        public_url.clone(),
        webhook,
    ));
    // A command-line program reports where it listens.
    #[allow(clippy::print_stdout)]
    {
        println!("merchant server on {public_url} (webhook: {public_url}/webhook)");
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("server error")
}
