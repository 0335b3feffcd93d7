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
    /// Where browsers reach the server (for redirects and absolute links).
    pub public_url: String,
    /// Requests per minute per client address on login, token and calculator endpoints.
    pub rate_limit_per_minute: u32,
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
            public_url: "http://127.0.0.1:8080".into(),
            rate_limit_per_minute: 60,
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
