//! Starts the real desktop app under tauri-driver and hands the tests a WebDriver client.
//!
//! Needs a display (run under `xvfb-run`), `tauri-driver` and `WebKitWebDriver` on PATH, and the
//! app built with its UI embedded (`make app`). Missing pieces fail loudly: these tests never skip.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

pub use chrono::NaiveDate;
pub use fantoccini;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

pub fn app_binary() -> PathBuf {
    std::env::var_os("AIDMAP_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/aidmap-desktop"))
}

/// Where tests leave screenshots for people to look at.
pub fn artifacts_dir() -> PathBuf {
    let dir = workspace_root().join("artifacts/e2e");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

pub struct App {
    pub client: Client,
    driver: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl App {
    /// Launches the app with its config and data in `data_dir` (a fresh dir = a first launch).
    pub async fn launch(data_dir: &Path) -> App {
        Self::launch_with(data_dir, &[]).await
    }

    /// `launch` with extra environment variables for the app.
    pub async fn launch_with(data_dir: &Path, env: &[(&str, &str)]) -> App {
        assert!(std::env::var_os("DISPLAY").is_some(), "no DISPLAY: run the end-to-end tests under xvfb-run");
        let app = app_binary();
        assert!(app.exists(), "{} is missing: build it with `make app`", app.display());
        let (port, native_port) = (free_port(), free_port());
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("AIDMAP_DATA_DIR", data_dir)
            // The webview keeps its own storage (the language choice, say) under XDG dirs:
            // give each test its own, so one test's settings never leak into another.
            .env("XDG_DATA_HOME", data_dir.join("xdg-data"))
            .env("XDG_CONFIG_HOME", data_dir.join("xdg-config"))
            .env("XDG_CACHE_HOME", data_dir.join("xdg-cache"))
            .env("LANG", "en_US.UTF-8")
            .envs(env.iter().copied())
            // A file, not a pipe: a WebKitWebDriver left behind must not hold the test's output open.
            .stdout(Stdio::null())
            .stderr(
                std::fs::File::create(artifacts_dir().join(format!("tauri-driver-{port}.log"))).expect("driver log"),
            )
            .spawn()
            .expect("tauri-driver on PATH (cargo install tauri-driver --version ^2 --locked)");
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert("tauri:options".into(), serde_json::json!({ "application": app }));
        let client =
            tokio::time::timeout(Duration::from_secs(60), ClientBuilder::native().capabilities(caps).connect(&url))
                .await
                .expect("WebDriver session within 60 s")
                .expect("WebDriver session");
        let app = App { client, driver };
        app.answer_who_is_working().await;
        app
    }

    /// A plain operation opened on a computer with no operator profile asks who is working
    /// (the audit log names a person): once the app has started, answer it as a user would.
    async fn answer_who_is_working(&self) {
        self.wait_js("app started", "document.querySelector('main')?.dataset.loading === 'false'").await;
        let asked = self.client.find(Locator::Css("[data-testid=operator-input]")).await;
        if asked.is_ok() {
            // By script, as a person would type and click: another dialog (a message about a
            // damaged file, say) may lie over this one.
            self.client
                .execute(
                    "const f = document.querySelector('[data-testid=operator-input]'); f.value = 'E2E tester'; f.dispatchEvent(new Event('input', {bubbles: true})); return true;",
                    vec![],
                )
                .await
                .expect("type the operator name");
            self.wait_js("continue enabled", "!document.querySelector('[data-testid=operator-continue]').disabled")
                .await;
            self.client
                .execute("document.querySelector('[data-testid=operator-continue]').click(); return true;", vec![])
                .await
                .expect("continue");
            self.wait_js("operator dialog closed", "!document.querySelector('[data-testid=operator-dialog]')").await;
        }
    }

    pub async fn wait_css(&self, css: &str) -> fantoccini::elements::Element {
        self.wait_css_for(css, Duration::from_secs(30)).await
    }

    /// `wait_css` for work that takes long on a loaded machine (every route sheet as a PDF
    /// with its map): the outcome is awaited, not a time asserted.
    pub async fn wait_css_for(&self, css: &str, limit: Duration) -> fantoccini::elements::Element {
        match self.client.wait().at_most(limit).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => {
                let shot = self.screenshot("timeout-element").await;
                panic!("waiting for {css}: {e} (screen: {})", shot.display())
            }
        }
    }

    /// Polls a JavaScript expression until it returns a truthy value.
    pub async fn wait_js(&self, what: &str, expr: &str) -> serde_json::Value {
        self.wait_js_for(what, expr, Duration::from_secs(30)).await
    }

    /// `wait_js` with a time limit of its own (a 100,000-household operation takes longer).
    pub async fn wait_js_for(&self, what: &str, expr: &str, limit: Duration) -> serde_json::Value {
        let tries = (limit.as_millis() / 100).max(1);
        for _ in 0..tries {
            let v = self.client.execute(&format!("return {expr};"), vec![]).await.expect("execute script");
            if !(v.is_null() || v == false || v == 0 || v == "") {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let shot = self.screenshot(&format!("timeout-{}", what.replace(|c: char| !c.is_alphanumeric(), "-"))).await;
        panic!("timed out waiting for {what} (screen: {})", shot.display());
    }

    /// Adds the need in the need form inside `scope` once the form has its items and rules
    /// (until then a line above the button grows and moves it), by a click in the page.
    pub async fn submit_need(&self, scope: &str) {
        let form = format!("{scope} [data-testid=need-form]");
        self.wait_css(&form).await;
        self.wait_js(
            "need form ready",
            &format!("document.querySelector({form:?}).getAttribute('aria-busy') === 'false'"),
        )
        .await;
        self.client
            .execute(
                &format!(
                    "document.querySelector({:?}).click(); return true;",
                    format!("{form} [data-testid=need-submit]")
                ),
                vec![],
            )
            .await
            .expect("submit the need");
    }

    /// Presses Save in the stock form once it has the catalogue (Save waits for it; a line above
    /// the button appears then), by a click in the page.
    pub async fn save_stock(&self) {
        self.wait_js(
            "stock form ready",
            "document.querySelector('[data-testid=stock-form]')?.getAttribute('aria-busy') === 'false' && !document.querySelector('[data-testid=stock-save]').disabled",
        )
        .await;
        self.client
            .execute("document.querySelector('[data-testid=stock-save]').click(); return true;", vec![])
            .await
            .expect("save the stock change");
    }

    /// The planning board has counted the chosen day (its shifts listed, the counts not stale,
    /// some needs) and Plan can be pressed.
    pub async fn wait_plan_counted(&self) {
        self.wait_js(
            "the day counted",
            "(() => { const c = document.querySelector('[data-testid=plan-counts]'); const b = document.querySelector('[data-testid=plan-run]'); return !!c && !c.classList.contains('stale') && /[1-9]/.test(c.innerText) && document.querySelectorAll('[data-testid=plan-shift]').length > 0 && !!b && !b.disabled; })()",
        )
        .await;
    }

    /// Presses Save in the route-sheets dialog once it has its kept choices (Save waits for
    /// them: pressed earlier it would do nothing), then waits for the files; a failure the
    /// dialog shows is the test's message.
    pub async fn save_route_sheets(&self) {
        self.wait_js("sheets save enabled", "!document.querySelector('[data-testid=sheets-save]')?.disabled").await;
        self.client
            .execute("document.querySelector('[data-testid=sheets-save]').click(); return true;", vec![])
            .await
            .expect("press save");
        let done = self
            .wait_js_for(
                "sheets written or refused",
                "document.querySelector('[data-testid=sheets-written]') ? 'written' : document.querySelector('[data-testid=sheets-dialog] [role=alert]')?.innerText",
                Duration::from_secs(180),
            )
            .await;
        assert_eq!(done, "written", "the route sheets were not written");
    }

    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Ends the session (the app quits) and stops tauri-driver.
    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        terminate(&self.driver);
        let _ = tokio::time::timeout(Duration::from_secs(10), self.driver.wait()).await;
    }
}

/// SIGTERM, not SIGKILL: tauri-driver then stops its WebKitWebDriver child too.
fn terminate(driver: &Child) {
    if let Some(pid) = driver.id() {
        let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    }
}

impl Drop for App {
    /// A failed test drops its App without `quit`: still stop the driver and the app.
    fn drop(&mut self) {
        terminate(&self.driver);
    }
}
