//! A real browser: headless Chromium driven through WebDriver opens the merchant's checkout,
//! pays on the sandbox's hosted page, and lands on the merchant's result page showing the
//! verified status. Skipped (and passing) when Chromium or chromedriver is not installed;
//! `cargo xtask ci` installs Debian's `chromium` and `chromium-driver`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Kills the chromedriver this test started (by its own handle) and removes the profile.
struct Driver {
    child: Child,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn browser_pays_on_the_hosted_page() {
    let (Some(chromium), Some(chromedriver)) = (
        find(&["chromium", "chromium-browser", "google-chrome"]),
        find(&["chromedriver"]),
    ) else {
        println!("skipped: chromium/chromedriver not found");
        return;
    };
    let env = crate::env(juspay_sandbox::Config::default()).await;
    let port = free_port();
    let profile =
        std::env::temp_dir().join(format!("juspay-browser-test-{}-{port}", std::process::id()));
    let driver = Driver {
        child: Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
        profile,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage",
                format!("--user-data-dir={}", driver.profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let browser = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap();

    // The merchant's checkout page.
    browser.goto(&format!("{}/", env.merchant)).await.unwrap();
    browser
        .find(Locator::Css("#checkout"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The sandbox's hosted page: choose the card that succeeds and pay.
    let pay = browser
        .wait()
        .for_element(Locator::Css("#pay"))
        .await
        .unwrap();
    let url = browser.current_url().await.unwrap();
    assert!(url.as_str().starts_with(env.sandbox.base_url()), "{url}");
    let heading = browser
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "Juspay sandbox checkout");
    browser
        .find(Locator::Css("label[for=instrument-card_success]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    pay.click().await.unwrap();
    // Back on the merchant (`#verified` exists only on its result page): the verified status.
    let verified = browser
        .wait()
        .for_element(Locator::Css("#verified"))
        .await
        .unwrap();
    assert!(
        verified
            .text()
            .await
            .unwrap()
            .contains("Signature verified")
    );
    let url = browser.current_url().await.unwrap();
    assert!(
        url.as_str()
            .starts_with(&format!("{}/handlePaymentResponse?", env.merchant)),
        "{url}"
    );
    let status = browser
        .find(Locator::Css("#status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(status, "CHARGED");
    browser.close().await.unwrap();
    drop(driver);
}
