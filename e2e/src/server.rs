//! The product under test: `naleznosci demo --reset --serve` as a subprocess on a free port.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The demo's fixed "today" in every end-to-end test.
pub const TODAY: &str = "2026-12-03";
/// Taxpayers besides the personas: small, so that seeding takes a second.
const SCALE: &str = "50";

/// A running demo server. Stopped with SIGINT (as Ctrl-C stops it) by [`Demo::stop`] or on drop.
#[derive(Debug)]
pub struct Demo {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub http: reqwest::Client,
    /// The folder with the database, the demo's statement file and the server's output.
    pub dir: tempfile::TempDir,
    log: PathBuf,
}

/// The `naleznosci` binary: `NALEZNOSCI_BIN`, else next to this test executable's profile folder.
pub fn binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("NALEZNOSCI_BIN") {
        return bin.into();
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let profile = exe.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
    profile.join("naleznosci")
}

/// The built SPA: `NALEZNOSCI_SPA_DIR`, else `frontend/dist` of this repository.
pub fn spa_dir() -> PathBuf {
    std::env::var_os("NALEZNOSCI_SPA_DIR").map_or_else(|| crate::repo_root().join("frontend/dist"), PathBuf::from)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(0)
}

impl Demo {
    /// Starts the demo with the given extra start-up flags (misbehaviour switches), waits until
    /// `/health` answers. Panics with the server's output when it does not come up.
    pub async fn start(flags: &[&str]) -> Demo {
        let bin = binary();
        assert!(bin.is_file(), "the naleznosci binary is missing at {}: run `cargo build -p server --bin naleznosci` first", bin.display());
        let spa = spa_dir();
        assert!(spa.join("index.html").is_file(), "the SPA is not built at {}: run `scripts/build-frontend.sh` first", spa.display());
        // A free port, picked here: the demo's public URL (redirects, the gateway's return
        // address) is the bound address, so it must be concrete.
        let mut last_log = String::new();
        for _attempt in 0..3 {
            let dir = tempfile::Builder::new().prefix("naleznosci-e2e-").tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
            let log = dir.path().join("server.log");
            let database_url = format!("sqlite://{}?mode=rwc", dir.path().join("e2e.db").display());
            let port = free_port();
            let bind = format!("127.0.0.1:{port}");
            let out = std::fs::File::create(&log).unwrap_or_else(|e| panic!("{}: {e}", log.display()));
            let err = out.try_clone().unwrap_or_else(|e| panic!("{}: {e}", log.display()));
            let mut args: Vec<String> = [
                "demo",
                "--reset",
                "--database-url",
                &database_url,
                "--today",
                TODAY,
                "--scale",
                SCALE,
                "--serve",
                "--bind",
                &bind,
                "--dev-token",
            ]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
            args.extend(flags.iter().map(|s| (*s).to_string()));
            let child = Command::new(&bin)
                .args(&args)
                .current_dir(dir.path())
                .env("NALEZNOSCI_SPA_DIR", &spa)
                .env("NALEZNOSCI_LOG", "info,sqlx=warn,sea_orm=warn")
                .env_remove("DATABASE_URL")
                .stdin(Stdio::null())
                .stdout(Stdio::from(out))
                .stderr(Stdio::from(err))
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
            let mut demo = Demo {
                child: Some(child),
                base: format!("http://{bind}"),
                http: reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap_or_default(),
                dir,
                log,
            };
            if demo.wait_healthy(Duration::from_secs(120)).await {
                eprintln!("[e2e] {} serving the demo at {} (today {TODAY}; {})", bin.display(), demo.base, demo.dir.path().display());
                return demo;
            }
            last_log = demo.output();
            demo.kill();
            // Another process may have taken the port between the probe and the bind: try again.
            if !last_log.contains("cannot listen") {
                break;
            }
        }
        panic!("the demo server did not start:\n{last_log}");
    }

    async fn wait_healthy(&mut self, limit: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(_)) = child.try_wait()
            {
                return false;
            }
            if let Ok(res) = self.http.get(format!("{}/health", self.base)).timeout(Duration::from_secs(2)).send().await
                && res.status().is_success()
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        false
    }

    /// What the server printed so far (the demo summary and its log).
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The path of the demo's own bank statement (`demo-statement.sta` next to the database).
    pub fn demo_statement(&self) -> PathBuf {
        self.dir.path().join("demo-statement.sta")
    }

    /// A user access token for a demo persona (the server runs with `--dev-token`), so that the
    /// test can read the API as that person sees it.
    pub async fn token(&self, pesel: &str) -> String {
        let res = self
            .http
            .post(format!("{}/api/v1/dev/token", self.base))
            .json(&serde_json::json!({ "pesel": pesel }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("dev token: {e}"));
        assert!(res.status().is_success(), "dev token for {pesel}: {}", res.status());
        let body: Value = res.json().await.unwrap_or_default();
        body["access_token"].as_str().unwrap_or_else(|| panic!("no access token in {body}")).to_string()
    }

    /// `GET` an API path with a bearer token; panics unless it answers 2xx with JSON.
    pub async fn get(&self, path: &str, token: &str) -> Value {
        let res =
            self.http.get(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = res.status();
        let body: Value = res.json().await.unwrap_or_default();
        assert!(status.is_success(), "GET {path}: {status} {body}");
        body
    }

    /// `POST` JSON to an API path with a bearer token; panics unless it answers 2xx with JSON.
    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Value {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let status = res.status();
        let body: Value = res.json().await.unwrap_or_default();
        assert!(status.is_success(), "POST {path}: {status} {body}");
        body
    }

    /// `GET` an API path, the raw bytes.
    pub async fn get_bytes(&self, path: &str, token: &str) -> Vec<u8> {
        let res =
            self.http.get(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert!(res.status().is_success(), "GET {path}: {}", res.status());
        res.bytes().await.map(|b| b.to_vec()).unwrap_or_default()
    }

    /// Stops the server as Ctrl-C would and checks that it stopped cleanly.
    pub fn stop(mut self) {
        let status = self.interrupt();
        if let Some(status) = status {
            assert!(status.success(), "the server did not stop cleanly ({status}):\n{}", tail(&self.output(), 40));
        }
    }

    /// SIGINT (`kill -INT`), then up to 15 s for the server to finish; SIGKILL after that.
    fn interrupt(&mut self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(15) {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        child.wait().ok()
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        if self.child.is_some() {
            let _ = self.interrupt();
            if std::thread::panicking() {
                eprintln!("[e2e] the server's output:\n{}", tail(&self.output(), 60));
            }
        }
    }
}

/// The last `n` lines of a text.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
