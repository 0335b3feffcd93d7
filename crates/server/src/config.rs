//! Settings, read once at start from the command line and the environment, passed explicitly.

use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Real municipality: no fixed "today", no development endpoints unless asked for.
    Production,
    /// The demo municipality: fake login node and payment simulator, `--today` honoured.
    Demo,
}

#[derive(Clone)]
pub struct Settings {
    pub bind: String,
    pub database_url: String,
    pub mode: Mode,
    /// `POST /api/v1/dev/token`: only when started with `--dev-token`; off by default.
    pub dev_token: bool,
    /// A fixed "today" (Warsaw date), honoured only in demo mode.
    pub today: Option<Date>,
    /// Where browsers reach the server (for redirects and absolute links); empty: `http://` + the
    /// bound address.
    pub public_url: String,
    /// Requests per minute per client address on login, token and calculator endpoints.
    pub rate_limit_per_minute: u32,
    /// The real PayByNet merchant account (from the environment); `None` in the demo, which uses
    /// the local simulator instead, and disables online payments in production.
    pub paybynet: Option<PayByNetSettings>,
    /// How the demo's PayByNet simulator misbehaves (start-up configuration only).
    pub simulator: payments::simulator::Misbehaviour,
    /// Demo only: the fake login node commits this attack case (`fake-wk --list-misbehaviours`).
    pub fake_wk_misbehaviour: Option<String>,
    /// Demo only: the fake login node logs in as this persona without showing the picker.
    pub fake_wk_auto_login: Option<usize>,
    /// The built SPA (`frontend/dist`), served at `/` with a fallback to its index.html.
    pub spa_dir: Option<std::path::PathBuf>,
}

/// `NALEZNOSCI_PAYBYNET_MERCHANT_ID`, `NALEZNOSCI_PAYBYNET_PASSWORD`, `NALEZNOSCI_PAYBYNET_ENV`
/// (`production` or `test`).
#[derive(Clone)]
pub struct PayByNetSettings {
    pub merchant_id: String,
    pub password: payments::Secret,
    pub production: bool,
}

impl std::fmt::Debug for PayByNetSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayByNetSettings")
            .field("merchant_id", &self.merchant_id)
            .field("production", &self.production)
            .finish_non_exhaustive()
    }
}

impl PayByNetSettings {
    pub fn from_env() -> Option<PayByNetSettings> {
        let merchant_id = std::env::var("NALEZNOSCI_PAYBYNET_MERCHANT_ID").ok().filter(|v| !v.is_empty())?;
        let password = std::env::var("NALEZNOSCI_PAYBYNET_PASSWORD").ok().filter(|v| !v.is_empty())?;
        let production = std::env::var("NALEZNOSCI_PAYBYNET_ENV").is_ok_and(|v| v == "production");
        Some(PayByNetSettings { merchant_id, password: payments::Secret::new(password), production })
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The database URL may carry a password.
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("database_url", &redact_password(&self.database_url))
            .field("mode", &self.mode)
            .field("dev_token", &self.dev_token)
            .field("today", &self.today)
            .field("public_url", &self.public_url)
            .field("paybynet", &self.paybynet)
            .finish()
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/naleznosci.db?mode=rwc";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: "127.0.0.1:8080".into(),
            database_url: std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty()).unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            mode: Mode::Production,
            dev_token: false,
            today: None,
            public_url: String::new(),
            rate_limit_per_minute: 60,
            paybynet: PayByNetSettings::from_env(),
            simulator: payments::simulator::Misbehaviour::default(),
            fake_wk_misbehaviour: None,
            fake_wk_auto_login: None,
            spa_dir: std::env::var_os("NALEZNOSCI_SPA_DIR")
                .map(Into::into)
                .or_else(|| Some("frontend/dist".into()))
                .filter(|p: &std::path::PathBuf| p.join("index.html").is_file()),
        }
    }
}

fn redact_password(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_database_passwords() {
        assert_eq!(super::redact_password("postgres://app:secret@h:5432/db"), "postgres://app:***@h:5432/db");
        assert_eq!(super::redact_password("sqlite://./data/x.db"), "sqlite://./data/x.db");
    }
}
