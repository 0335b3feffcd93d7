//! Shared harness: a fake node on 127.0.0.1:0, an SP pinned to it, and a cookie-less HTTP
//! client playing the browser (the binding cookie is handed over explicitly, as the server's
//! ACS handler will read it).

#![allow(dead_code, reason = "each test binary uses a subset of the harness")]

use fake_wk::{FakeWk, FakeWkConfig, Misbehaviour, RunningFakeWk};
use identity::{AcsRequest, LoginError, LoginOutcome, LoginStart, ServiceProvider};

pub const SP_ENTITY_ID: &str = "http://localhost:8080";
pub const ACS_URL: &str = "http://localhost:8080/auth/acs";

pub struct Harness {
    pub running: RunningFakeWk,
    pub sp: ServiceProvider,
    pub browser: reqwest::Client,
}

impl Harness {
    pub fn fake(&self) -> &FakeWk {
        &self.running.fake
    }
}

pub async fn start_with(config: FakeWkConfig) -> Harness {
    let running = FakeWk::start(config, "127.0.0.1:0".parse().unwrap()).await.expect("fake-wk starts");
    let sp_config = running.fake.demo_sp_config("e-Naleznosci (test)").unwrap().build_for_local_fake().expect("SP config");
    let sp = ServiceProvider::new(sp_config).expect("SP");
    Harness { running, sp, browser: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap() }
}

pub async fn start(misbehaviour: Misbehaviour, auto_login: Option<usize>) -> Harness {
    let mut config = FakeWkConfig::new(SP_ENTITY_ID, ACS_URL);
    config.misbehaviour = misbehaviour;
    config.auto_login = auto_login;
    start_with(config).await
}

/// The value of `<input ... name="NAME" value="...">` in a page we generated ourselves.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'"))
}

pub fn form_action(html: &str) -> Option<String> {
    let marker = "action=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&amp;", "&"))
}

/// What the browser POSTs to the ACS.
#[derive(Debug, Clone)]
pub struct AcsPost {
    pub action: String,
    pub saml_art: String,
    pub relay_state: String,
}

/// Submits the SP's AuthnRequest form to the fake node; picks `persona` if the picker shows.
pub async fn browser_to_node(h: &Harness, start: &LoginStart, persona: usize) -> AcsPost {
    let page = h
        .browser
        .post(&start.form.action)
        .form(&[("SAMLRequest", start.form.saml_request.as_str()), ("RelayState", start.form.relay_state.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "SSO endpoint accepted the AuthnRequest");
    let mut html = page.text().await.unwrap();
    if let Some(handle) = input_value(&html, "request") {
        let action = form_action(&html).unwrap();
        let chosen = h
            .browser
            .post(&action)
            .form(&[("request", handle.as_str()), ("persona", &persona.to_string()), ("action", "login")])
            .send()
            .await
            .unwrap();
        assert_eq!(chosen.status(), 200);
        html = chosen.text().await.unwrap();
    }
    AcsPost {
        action: form_action(&html).expect("auto-post form"),
        saml_art: input_value(&html, "SAMLart").expect("SAMLart"),
        relay_state: input_value(&html, "RelayState").expect("RelayState"),
    }
}

/// A whole login: AuthnRequest → node → artifact → SP (SOAP back channel) → outcome.
pub async fn login(h: &Harness, persona: usize) -> Result<LoginOutcome, LoginError> {
    let start = h.sp.start_login(None).await.unwrap();
    let post = browser_to_node(h, &start, persona).await;
    assert_eq!(post.action, ACS_URL);
    h.sp.complete_login(AcsRequest { saml_art: &post.saml_art, relay_state: &post.relay_state, cookie_token: Some(&start.cookie_token) })
        .await
}
