//! Against the real Węzeł Krajowy integration environment (`https://int.login.gov.pl`). Gated: it
//! runs only with `WK_INTEGRATION_TEST=1` and the service provider registered there configured by
//! the server's own variables (`NALEZNOSCI_SP_ENTITY_ID`, `NALEZNOSCI_WK_CERTS`,
//! `NALEZNOSCI_SP_SIGNING_KEY`/`_CERT`, `NALEZNOSCI_SP_ENCRYPTION_KEY`/`_CERT`, PEM files) plus
//! `WK_TEST_ACS_URL`, the ACS registered with the node. Without them each test says why it skipped.
//! A full login needs a person at the node's page; what a machine can prove is that the node takes
//! our signed AuthnRequest and that its answer to our signed ArtifactResolve passes our verifier.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail by panicking")]

use base64::Engine;
use identity::{AcsRequest, Certificate, Config, EcPrivateKey, LoginError, ServiceProvider, WkEndpoints};

fn var(name: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| panic!("WK_INTEGRATION_TEST=1 needs {name}"))
}

fn pem(name: &str) -> String {
    let path = var(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {path}: {e}"))
}

/// The registered service provider, or `None` (with a note) when the test is not enabled.
fn registered_sp() -> Option<ServiceProvider> {
    if std::env::var("WK_INTEGRATION_TEST").as_deref() != Ok("1") {
        eprintln!(
            "skipped: set WK_INTEGRATION_TEST=1 and the NALEZNOSCI_SP_*/NALEZNOSCI_WK_CERTS files of an SP registered at int.login.gov.pl"
        );
        return None;
    }
    let key = |name: &str| EcPrivateKey::from_pem(&pem(name)).unwrap();
    let cert = |name: &str| Certificate::from_pem(&pem(name)).unwrap();
    let config = Config::builder(&var("NALEZNOSCI_SP_ENTITY_ID"), &var("WK_TEST_ACS_URL"), "e-Należności", WkEndpoints::integration())
        .wk_certificates(Certificate::all_from_pem(&pem("NALEZNOSCI_WK_CERTS")).unwrap())
        .signing_key(key("NALEZNOSCI_SP_SIGNING_KEY"), Some(cert("NALEZNOSCI_SP_SIGNING_CERT")))
        .encryption_key(key("NALEZNOSCI_SP_ENCRYPTION_KEY"), Some(cert("NALEZNOSCI_SP_ENCRYPTION_CERT")))
        .build()
        .unwrap();
    Some(ServiceProvider::new(config).unwrap())
}

/// `application/x-www-form-urlencoded` of one value (base64 carries `+`, `/` and `=`).
fn form_value(value: &str) -> String {
    value.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn the_login_node_accepts_our_signed_authn_request() {
    let Some(sp) = registered_sp() else { return };
    let start = sp.start_login(None).await.unwrap();
    let body = format!("SAMLRequest={}&RelayState={}", form_value(&start.form.saml_request), form_value(&start.form.relay_state));
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answer =
        browser.post(&start.form.action).header("Content-Type", "application/x-www-form-urlencoded").body(body).send().await.unwrap();
    let status = answer.status();
    let location = answer.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_owned();
    let page = answer.text().await.unwrap_or_default();
    // A refused request ends in an error page or a SAMLResponse with a failure status; an accepted
    // one shows (or redirects to) the choice of login means.
    assert!(status.is_success() || status.is_redirection(), "the node answered HTTP {status}");
    assert!(!location.to_lowercase().contains("error"), "redirected to an error page: {location}");
    assert!(!page.contains("SAMLResponse"), "the node answered with a SAML response instead of the login page");
}

#[tokio::test]
async fn an_unknown_artifact_gets_a_signed_answer_our_verifier_accepts() {
    let Some(sp) = registered_sp() else { return };
    let start = sp.start_login(None).await.unwrap();
    // SAML 2.0 artifact type 0x0004: type, endpoint index, 20-byte source id, 20-byte handle.
    let mut artifact = vec![0, 4, 0, 0];
    artifact.extend(rand::random::<[u8; 20]>());
    artifact.extend(rand::random::<[u8; 20]>());
    let artifact = base64::engine::general_purpose::STANDARD.encode(artifact);
    let outcome = sp
        .complete_login(AcsRequest { saml_art: &artifact, relay_state: &start.form.relay_state, cookie_token: Some(&start.cookie_token) })
        .await;
    // Reaching the status check means: TLS to the node, our signed ArtifactResolve accepted, and the
    // node's ArtifactResponse signature verified against the pinned certificates.
    match outcome {
        Err(LoginError::StatusNotSuccess { .. } | LoginError::MissingResponse) => {}
        other => panic!("expected the node's signed refusal of an unknown artifact, got {other:?}"),
    }
}
