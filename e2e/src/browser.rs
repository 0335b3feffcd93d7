//! Headless Chromium over the DevTools protocol: one fresh profile per test, a screenshot of every
//! step under `<target>/e2e-screenshots/<test>/NN-step.png`, and axe-core run in every page.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use chromiumoxide::Page;
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::browser::{SetDownloadBehaviorBehavior, SetDownloadBehaviorParams};
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::page::ScreenshotParams;
use futures::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// How long a step may take before the test fails (generous: CI shares two cores).
pub const STEP_TIMEOUT: Duration = Duration::from_secs(45);

/// Chromium: `CHROMIUM`, else `/usr/bin/chromium` (Debian's package).
pub fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// axe-core's browser bundle: `AXE_CORE_JS`, else `node_modules/axe-core/axe.min.js` (`npm ci`).
pub fn axe_source() -> PathBuf {
    std::env::var_os("AXE_CORE_JS").map_or_else(|| crate::repo_root().join("node_modules/axe-core/axe.min.js"), PathBuf::from)
}

/// One page's accessibility result.
#[derive(Debug, Clone)]
pub struct AxeResult {
    pub page: String,
    pub url: String,
    pub passes: usize,
    pub violations: Vec<String>,
}

/// A browser with one tab, driven like a person would use it.
#[derive(Debug)]
pub struct Session {
    browser: Browser,
    events: tokio::task::JoinHandle<()>,
    pub page: Page,
    shots: PathBuf,
    step: AtomicU32,
    axe: String,
    downloads: PathBuf,
    /// Every axe run so far, in order.
    pub axe_results: std::sync::Mutex<Vec<AxeResult>>,
    _profile: tempfile::TempDir,
}

impl Session {
    /// Launches Chromium with the project's flags (TOOLCHAIN.md §6) and a fresh profile.
    pub async fn launch(test: &str) -> Session {
        let exe = chromium();
        assert!(exe.is_file(), "Chromium is missing at {}: apt-get install -y chromium (or set CHROMIUM)", exe.display());
        let axe_path = axe_source();
        let axe = std::fs::read_to_string(&axe_path)
            .unwrap_or_else(|e| panic!("axe-core is missing at {} ({e}): run `npm ci` at the repository root", axe_path.display()));
        let profile = tempfile::Builder::new().prefix("naleznosci-e2e-chromium-").tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let shots = crate::target_dir().join("e2e-screenshots").join(test);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).unwrap_or_else(|e| panic!("{}: {e}", shots.display()));
        eprintln!("[e2e] {test}: screenshots in {}", shots.display());
        let config = BrowserConfig::builder()
            .chrome_executable(&exe)
            .no_sandbox()
            .user_data_dir(profile.path())
            .args([
                "disable-gpu",
                "disable-background-networking",
                "disable-component-update",
                "disable-sync",
                "no-first-run",
                "disable-quic",
                "disable-dev-shm-usage",
                "lang=pl-PL",
            ])
            .window_size(1280, 1000)
            .viewport(Viewport { width: 1280, height: 1000, ..Viewport::default() })
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_else(|e| panic!("browser configuration: {e}"));
        let (browser, mut handler) = Browser::launch(config).await.unwrap_or_else(|e| panic!("cannot launch {}: {e}", exe.display()));
        let events = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if event.is_err() {
                    // Unknown or malformed protocol messages are not fatal to the session.
                    continue;
                }
            }
        });
        // Downloads land in the profile, where the test reads them as a person opens a saved file.
        let downloads = profile.path().join("downloads");
        std::fs::create_dir_all(&downloads).unwrap_or_else(|e| panic!("{}: {e}", downloads.display()));
        let behaviour = SetDownloadBehaviorParams::builder()
            .behavior(SetDownloadBehaviorBehavior::Allow)
            .download_path(downloads.to_string_lossy().into_owned())
            .build()
            .unwrap_or_else(|e| panic!("download behaviour: {e}"));
        browser.execute(behaviour).await.unwrap_or_else(|e| panic!("download behaviour: {e}"));
        let page = browser.new_page("about:blank").await.unwrap_or_else(|e| panic!("new tab: {e}"));
        Session {
            browser,
            events,
            page,
            shots,
            step: AtomicU32::new(0),
            axe,
            downloads,
            axe_results: std::sync::Mutex::new(Vec::new()),
            _profile: profile,
        }
    }

    /// Opens an address (as typing it in the address bar).
    pub async fn goto(&self, url: &str) {
        self.page.goto(url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Evaluates a JavaScript expression (promises are awaited) and decodes its value.
    pub async fn eval<T: DeserializeOwned>(&self, expression: &str) -> T {
        let result = self.page.evaluate_expression(expression).await.unwrap_or_else(|e| panic!("evaluate {expression}: {e}"));
        result.into_value().unwrap_or_else(|e| panic!("evaluate {expression}: {e}"))
    }

    /// Like [`Session::eval`], but `None` while the page cannot answer (e.g. during a navigation).
    pub async fn try_eval(&self, expression: &str) -> Option<Value> {
        let result = self.page.evaluate_expression(expression).await.ok()?;
        result.into_value::<Value>().ok()
    }

    /// Waits until a JavaScript condition is true (polled; navigations in between are fine).
    pub async fn wait_for(&self, condition: &str, what: &str) {
        let started = Instant::now();
        let expression = format!("(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()");
        loop {
            if self.try_eval(&expression).await == Some(Value::Bool(true)) {
                return;
            }
            if started.elapsed() > STEP_TIMEOUT {
                let url = self.url().await;
                let body = self.body_text().await;
                let n = self.step.fetch_add(1, Ordering::SeqCst) + 1;
                let png = self.shots.join(format!("{n:02}-timeout.png"));
                let _ = self.page.save_screenshot(ScreenshotParams::builder().format(CaptureScreenshotFormat::Png).build(), &png).await;
                panic!("timed out waiting for {what} ({condition}) at {url}; the page says:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Waits until an element matching the selector exists.
    pub async fn wait_for_element(&self, selector: &str) {
        self.wait_for(&format!("document.querySelector({})", js_string(selector)), selector).await;
    }

    /// Waits until the SPA has rendered its page: an `h1` in `main` and nothing loading.
    pub async fn wait_for_spa(&self) {
        self.wait_for(
            "document.querySelector('main h1') && !document.querySelector('main .loading') && !document.getElementById('boot')",
            "the page to load",
        )
        .await;
    }

    /// Waits until the text of the page contains `text`.
    pub async fn wait_for_text(&self, text: &str) {
        self.wait_for(&format!("document.body && document.body.innerText.includes({})", js_string(text)), &format!("the text {text:?}"))
            .await;
    }

    /// Clicks an element (scrolled into view, a real mouse click at its centre).
    pub async fn click(&self, selector: &str) {
        self.wait_for_element(selector).await;
        // A tab the page opened (a PDF) may have taken the focus; a person goes back to this one.
        let _ = self.page.bring_to_front().await;
        let element = self.page.find_element(selector).await.unwrap_or_else(|e| panic!("find {selector}: {e}"));
        match tokio::time::timeout(Duration::from_secs(20), element.click()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("click {selector}: {e}"),
            Err(_) => {
                let pages = self.browser.pages().await.unwrap_or_default();
                let mut urls = Vec::new();
                for p in pages {
                    urls.push(p.url().await.ok().flatten().unwrap_or_default());
                }
                let files: Vec<String> = std::fs::read_dir(&self.downloads)
                    .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
                    .unwrap_or_default();
                panic!("click {selector} did not return in 20 s; tabs {urls:?}; downloads {files:?}");
            }
        }
    }

    /// Clicks the first element matching the selector whose text contains `text`.
    pub async fn click_text(&self, selector: &str, text: &str) {
        let condition = format!(
            "[...document.querySelectorAll({sel})].some(e => e.innerText.includes({txt}))",
            sel = js_string(selector),
            txt = js_string(text)
        );
        self.wait_for(&condition, &format!("{selector} with {text:?}")).await;
        let elements = self.page.find_elements(selector).await.unwrap_or_else(|e| panic!("find {selector}: {e}"));
        for element in elements {
            if element.inner_text().await.ok().flatten().is_some_and(|t| t.contains(text)) {
                element.click().await.unwrap_or_else(|e| panic!("click {selector} {text:?}: {e}"));
                return;
            }
        }
        panic!("no {selector} with the text {text:?}");
    }

    /// Types into a field (focus, then key presses).
    pub async fn type_into(&self, selector: &str, text: &str) {
        self.click(selector).await;
        let element = self.page.find_element(selector).await.unwrap_or_else(|e| panic!("find {selector}: {e}"));
        element.type_str(text).await.unwrap_or_else(|e| panic!("type into {selector}: {e}"));
    }

    /// Chooses a file in a file input, as the file dialog does (DOM.setFileInputFiles).
    pub async fn choose_file(&self, selector: &str, path: &std::path::Path) {
        use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;
        self.wait_for_element(selector).await;
        let element = self.page.find_element(selector).await.unwrap_or_else(|e| panic!("find {selector}: {e}"));
        let mut params = SetFileInputFilesParams::new(vec![path.to_string_lossy().into_owned()]);
        params.backend_node_id = Some(element.backend_node_id);
        self.page.execute(params).await.unwrap_or_else(|e| panic!("choose {} in {selector}: {e}", path.display()));
    }

    /// The visible text of the first element matching the selector.
    pub async fn text(&self, selector: &str) -> String {
        self.wait_for_element(selector).await;
        self.eval::<String>(&format!("document.querySelector({}).innerText", js_string(selector))).await
    }

    /// The visible text of the whole page.
    pub async fn body_text(&self) -> String {
        self.try_eval("document.body ? document.body.innerText : ''").await.and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }

    pub async fn url(&self) -> String {
        self.page.url().await.ok().flatten().unwrap_or_default()
    }

    /// Saves a full-page screenshot as the next step: `NN-name.png`.
    pub async fn shot(&self, name: &str) -> PathBuf {
        let _ = self.page.bring_to_front().await;
        let n = self.step.fetch_add(1, Ordering::SeqCst) + 1;
        let png = self.shots.join(format!("{n:02}-{name}.png"));
        self.page
            .save_screenshot(ScreenshotParams::builder().format(CaptureScreenshotFormat::Png).full_page(true).build(), &png)
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        png
    }

    /// A PNG of one element (e.g. the QR code), saved as the next step too.
    pub async fn element_png(&self, selector: &str, name: &str) -> Vec<u8> {
        self.wait_for_element(selector).await;
        let element = self.page.find_element(selector).await.unwrap_or_else(|e| panic!("find {selector}: {e}"));
        element.scroll_into_view().await.unwrap_or_else(|e| panic!("scroll to {selector}: {e}"));
        let n = self.step.fetch_add(1, Ordering::SeqCst) + 1;
        let png = self.shots.join(format!("{n:02}-{name}.png"));
        element.save_screenshot(CaptureScreenshotFormat::Png, &png).await.unwrap_or_else(|e| panic!("screenshot of {selector}: {e}"))
    }

    /// Screenshot, then axe-core on the page as it is now: panics listing every violation.
    pub async fn check(&self, name: &str) {
        self.shot(name).await;
        self.axe(name).await;
    }

    /// Injects axe-core (once per document) and runs it on the whole document: WCAG 2.0/2.1 A
    /// and AA rules and axe's best practices. Records the result; panics on any violation.
    pub async fn axe(&self, name: &str) {
        let loaded = self.try_eval("typeof window.axe === 'object'").await == Some(Value::Bool(true));
        if !loaded {
            self.page.evaluate_expression(self.axe.as_str()).await.unwrap_or_else(|e| panic!("inject axe-core into {name}: {e}"));
        }
        let run = r#"(async () => {
            const r = await axe.run(document, { resultTypes: ['violations'] });
            return {
                passes: r.passes.length,
                violations: r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                    v.nodes.slice(0, 5).map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\s+/g, ' ') + ']' : '')).join('; ')),
            };
        })()"#;
        let report: Value = self.eval(run).await;
        let violations: Vec<String> =
            report["violations"].as_array().map(|v| v.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default();
        let result = AxeResult {
            page: name.to_string(),
            url: self.url().await,
            passes: usize::try_from(report["passes"].as_u64().unwrap_or(0)).unwrap_or(0),
            violations: violations.clone(),
        };
        eprintln!("[e2e] axe {name} ({}): {} violations, {} rules passed", result.url, violations.len(), result.passes);
        if let Ok(mut results) = self.axe_results.lock() {
            results.push(result);
        }
        assert!(violations.is_empty(), "axe-core found accessibility violations on {name}:\n{}", violations.join("\n"));
    }

    /// Clicks a download link and returns the saved file's bytes once the download has finished.
    pub async fn download(&self, link: &str, file_name: &str) -> Vec<u8> {
        let target = self.downloads.join(file_name);
        let _ = std::fs::remove_file(&target);
        self.click(link).await;
        let started = Instant::now();
        loop {
            let partial = std::fs::read_dir(&self.downloads)
                .map(|d| d.filter_map(Result::ok).any(|e| e.file_name().to_string_lossy().ends_with(".crdownload")))
                .unwrap_or(false);
            if !partial
                && let Ok(bytes) = std::fs::read(&target)
                && !bytes.is_empty()
            {
                return bytes;
            }
            assert!(started.elapsed() < STEP_TIMEOUT, "the download of {file_name} did not finish (link {link})");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Closes the browser and waits for its process.
    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = tokio::time::timeout(Duration::from_secs(10), self.browser.wait()).await;
        self.events.abort();
    }

    /// The folder the screenshots go to.
    pub fn screenshots(&self) -> &std::path::Path {
        &self.shots
    }
}

/// A JavaScript string literal.
pub fn js_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}
