//! PayByNet settings of one municipality: credentials from KIR, endpoints, the receiving account.

use std::time::Duration;

use domain::nrb::Nrb;
use serde::Deserialize;

use super::PayByNetError;
use super::format::{AmountFormat, Recipient, check_field};
use crate::secret::Secret;

/// Where the form goes and where the status is asked (payments.md §1.1, endpoints table).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PayByNetEndpoints {
    /// The form action, e.g. `https://pbn.paybynet.com.pl/PayByNet/trans.do`.
    pub transaction_url: String,
    /// The SOAP service, e.g. `https://pbn.paybynet.com.pl/axis/services/PBNTransactionsGetStatus`
    /// (the documented `?wsdl` URL without `?wsdl`: requests go to the service itself).
    pub status_url: String,
}

const KIR_HOST: &str = "https://pbn.paybynet.com.pl";

impl PayByNetEndpoints {
    /// KIR production (payments.md §1.1).
    pub fn production() -> Self {
        Self::with_paths(KIR_HOST, "PayByNet", "axis")
    }

    /// KIR's test environment: `PayByNetT` and `axist` instead of `PayByNet` and `axis` (§1.6).
    pub fn test() -> Self {
        Self::with_paths(KIR_HOST, "PayByNetT", "axist")
    }

    /// The same paths under another base URL: the local simulator mounted at `base`
    /// (e.g. `http://127.0.0.1:8080/simulator/paybynet`), see [`crate::simulator`].
    pub fn under(base: &str) -> Self {
        Self::with_paths(base.trim_end_matches('/'), "PayByNet", "axis")
    }

    fn with_paths(host: &str, form: &str, soap: &str) -> Self {
        PayByNetEndpoints {
            transaction_url: format!("{host}/{form}/trans.do"),
            status_url: format!("{host}/{soap}/services/PBNTransactionsGetStatus"),
        }
    }
}

/// How long a status query may take before it counts as failed.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Everything the adapter needs for one merchant (one municipality). `Debug` redacts the password.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawConfig")]
pub struct PayByNetConfig {
    merchant_id: String,
    password: Secret,
    endpoints: PayByNetEndpoints,
    account: Nrb,
    recipient: Recipient,
    amount_format: AmountFormat,
    request_timeout: Duration,
}

/// The shape of the configuration in a settings file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    merchant_id: String,
    password: Secret,
    endpoints: PayByNetEndpoints,
    account: Nrb,
    recipient: Recipient,
    #[serde(default)]
    amount_format: AmountFormat,
    #[serde(default)]
    request_timeout_secs: Option<u64>,
}

impl TryFrom<RawConfig> for PayByNetConfig {
    type Error = PayByNetError;
    fn try_from(raw: RawConfig) -> Result<Self, Self::Error> {
        let config = PayByNetConfig::new(&raw.merchant_id, raw.password, raw.endpoints, raw.account, raw.recipient)?;
        let config = config.with_amount_format(raw.amount_format);
        Ok(match raw.request_timeout_secs {
            Some(secs) => config.with_request_timeout(Duration::from_secs(secs)),
            None => config,
        })
    }
}

impl PayByNetConfig {
    /// The password length KIR's clients enforce (Astarium: 8–40 characters, payments.md §1.7).
    pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=40;

    /// `merchant_id` is the `id_client` KIR issued — in practice the municipality's NIP, digits only
    /// (payments.md §1.2, tag 1); it is sent as given, so it must be digits.
    pub fn new(
        merchant_id: &str,
        password: Secret,
        endpoints: PayByNetEndpoints,
        account: Nrb,
        recipient: Recipient,
    ) -> Result<Self, PayByNetError> {
        if merchant_id.is_empty() || !merchant_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PayByNetError::InvalidMerchantId);
        }
        let length = password.expose().chars().count();
        if !Self::PASSWORD_CHARS.contains(&length) {
            return Err(PayByNetError::PasswordLength { found: length });
        }
        for (field, url) in [("transaction_url", &endpoints.transaction_url), ("status_url", &endpoints.status_url)] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(PayByNetError::InvalidUrl { field });
            }
        }
        Ok(PayByNetConfig {
            merchant_id: merchant_id.to_owned(),
            password,
            endpoints,
            account,
            recipient,
            amount_format: AmountFormat::default(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        })
    }

    pub fn with_amount_format(mut self, format: AmountFormat) -> Self {
        self.amount_format = format;
        self
    }

    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    pub fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    pub fn password(&self) -> &Secret {
        &self.password
    }

    pub fn endpoints(&self) -> &PayByNetEndpoints {
        &self.endpoints
    }

    /// The account money goes to unless a request names another (payments.md §1.1 step 2).
    pub fn account(&self) -> &Nrb {
        &self.account
    }

    pub fn recipient(&self) -> &Recipient {
        &self.recipient
    }

    pub fn amount_format(&self) -> AmountFormat {
        self.amount_format
    }

    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }
}

/// Checks a URL that goes into the payload: http(s), no whitespace, none of `<`, `>`, `&`.
pub(crate) fn check_url(field: &'static str, url: &str) -> Result<(), PayByNetError> {
    check_field(field, url)?;
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.chars().any(char::is_whitespace) {
        return Err(PayByNetError::InvalidUrl { field });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipient() -> Recipient {
        Recipient::new("Gmina Przykladowo", "00-001", "Przykladowo", "Rynek 1", "Polska").unwrap()
    }

    fn account() -> Nrb {
        "39109010141234567800004711".parse().unwrap()
    }

    #[test]
    fn endpoints() {
        assert_eq!(PayByNetEndpoints::production().transaction_url, "https://pbn.paybynet.com.pl/PayByNet/trans.do");
        assert_eq!(PayByNetEndpoints::production().status_url, "https://pbn.paybynet.com.pl/axis/services/PBNTransactionsGetStatus");
        assert_eq!(PayByNetEndpoints::test().transaction_url, "https://pbn.paybynet.com.pl/PayByNetT/trans.do");
        assert_eq!(PayByNetEndpoints::test().status_url, "https://pbn.paybynet.com.pl/axist/services/PBNTransactionsGetStatus");
        let local = PayByNetEndpoints::under("http://127.0.0.1:8080/simulator/paybynet/");
        assert_eq!(local.transaction_url, "http://127.0.0.1:8080/simulator/paybynet/PayByNet/trans.do");
        assert_eq!(local.status_url, "http://127.0.0.1:8080/simulator/paybynet/axis/services/PBNTransactionsGetStatus");
    }

    #[test]
    fn debug_redacts_the_password() {
        let config =
            PayByNetConfig::new("1234563218", Secret::new("TajneHaslo123"), PayByNetEndpoints::test(), account(), recipient()).unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("TajneHaslo123"), "{shown}");
        assert!(shown.contains("[redacted]"));
        assert!(shown.contains("1234563218"));
    }

    #[test]
    fn refuses_bad_credentials() {
        let new =
            |id: &str, password: &str| PayByNetConfig::new(id, Secret::new(password), PayByNetEndpoints::test(), account(), recipient());
        assert_eq!(new("123-456-32-18", "TajneHaslo123"), Err(PayByNetError::InvalidMerchantId));
        assert_eq!(new("", "TajneHaslo123"), Err(PayByNetError::InvalidMerchantId));
        assert_eq!(new("1234563218", "krotkie"), Err(PayByNetError::PasswordLength { found: 7 }));
        assert_eq!(new("1234563218", &"x".repeat(41)), Err(PayByNetError::PasswordLength { found: 41 }));
        assert!(new("1234563218", "12345678").is_ok());
    }

    #[test]
    fn reads_a_settings_file() {
        let json = r#"{
            "merchant_id": "1234563218",
            "password": "TajneHaslo123",
            "endpoints": {"transaction_url": "https://pbn.paybynet.com.pl/PayByNetT/trans.do",
                          "status_url": "https://pbn.paybynet.com.pl/axist/services/PBNTransactionsGetStatus"},
            "account": "39109010141234567800004711",
            "recipient": {"name": "Gmina Przykladowo", "postal_code": "00-001", "city": "Przykladowo", "street": "Rynek 1", "country": "Polska"},
            "amount_format": "dot",
            "request_timeout_secs": 5
        }"#;
        let config: PayByNetConfig = serde_json::from_str(json).unwrap();
        assert_eq!(config.endpoints(), &PayByNetEndpoints::test());
        assert_eq!(config.amount_format(), AmountFormat::Dot);
        assert_eq!(config.request_timeout(), Duration::from_secs(5));
        assert_eq!(config.password().expose(), "TajneHaslo123");
        let short_password = json.replace("TajneHaslo123", "short");
        assert!(serde_json::from_str::<PayByNetConfig>(&short_password).is_err());
    }

    #[test]
    fn url_check() {
        assert_eq!(check_url("backpage", "https://e-naleznosci.example/ok"), Ok(()));
        assert_eq!(check_url("backpage", "ftp://x.example/"), Err(PayByNetError::InvalidUrl { field: "backpage" }));
        assert_eq!(check_url("backpage", "https://x.example/a b"), Err(PayByNetError::InvalidUrl { field: "backpage" }));
        assert_eq!(
            check_url("backpage", "https://x.example/?a&b"),
            Err(PayByNetError::ForbiddenCharacter { field: "backpage", found: '&' })
        );
    }
}
