//! The whole service-provider flow over real HTTP between `identity` and the fake node.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code: failing loudly is the point")]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use fake_wk::{FakeWkConfig, Misbehaviour, default_personas};
use identity::{AcsRequest, LoA, LoginError, ServiceProvider};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_through_the_persona_picker_yields_the_chosen_identity() {
    let h = start(Misbehaviour::WellBehaved, None).await;
    let expected = &default_personas()[1];
    let outcome = login(&h, 1).await.expect("login succeeds");
    let id = &outcome.identity;
    assert_eq!(id.pesel, expected.pesel);
    assert_eq!(id.first_name, expected.first_name);
    assert_eq!(id.last_name, expected.last_name);
    assert_eq!(id.date_of_birth, expected.date_of_birth);
    assert_eq!(id.loa, LoA::Substantial);
    assert_eq!(outcome.session.name_id, expected.login);
    assert!(outcome.session.session_index.is_some());
    assert_eq!(outcome.session.authenticating_authority.as_deref(), Some("pz.gov.pl"));
    h.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_authn_request_is_signed_and_carries_the_eidas_extensions() {
    let h = start(Misbehaviour::WellBehaved, Some(0)).await;
    let start = h.sp.start_login(Some(LoA::Substantial)).await.unwrap();
    let xml = String::from_utf8(STANDARD.decode(&start.form.saml_request).unwrap()).unwrap();
    for needle in [
        r#"ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact""#,
        r#"ForceAuthn="true""#,
        "<eidas:SPType>public</eidas:SPType>",
        "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier",
        "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName",
        "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName",
        "http://eidas.europa.eu/attributes/naturalperson/DateOfBirth",
        r#"<saml2p:RequestedAuthnContext Comparison="minimum"><saml2:AuthnContextClassRef>http://eidas.europa.eu/LoA/substantial<"#,
        r#"SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256""#,
        r#"ProviderName="e-Naleznosci (test)""#,
    ] {
        assert!(xml.contains(needle), "AuthnRequest lacks {needle}");
    }
    let id = start.request_id.strip_prefix("ID-").unwrap();
    assert_eq!(id.len(), 32, "128 random bits");
    assert!(xml.contains(&format!(r##"URI="#{}""##, start.request_id)));
    // the signature verifies against our certificate (the fake does the same on POST)
    let cert = h.fake().demo_sp_keys().unwrap().signing_certificate.clone();
    identity::xmldsig::verify_message(&xml, &identity::xmldsig::AUTHN_REQUEST, &[cert]).unwrap();
    let page = start.form.to_html(Some("n0nce"));
    assert!(page.contains(r#"<html lang="pl">"#) && page.contains(r#"name="SAMLRequest""#) && page.contains(r#"<script nonce="n0nce">"#));
    assert!(!page.contains(&start.cookie_token), "the cookie token never goes into the page");
    h.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn high_loa_login_and_single_logout() {
    let h = start(Misbehaviour::WellBehaved, None).await;
    let start = h.sp.start_login(Some(LoA::High)).await.unwrap();
    let post = browser_to_node(&h, &start, 3).await;
    let outcome = h
        .sp
        .complete_login(AcsRequest { saml_art: &post.saml_art, relay_state: &post.relay_state, cookie_token: Some(&start.cookie_token) })
        .await
        .unwrap();
    assert_eq!(outcome.identity.loa, LoA::High);
    assert_eq!(outcome.identity.first_name, "Łukasz");
    h.sp.logout(&outcome.session).await.expect("SOAP single logout");
    h.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_picker_refuses_a_persona_below_the_required_loa() {
    let h = start(Misbehaviour::WellBehaved, None).await;
    let start = h.sp.start_login(Some(LoA::High)).await.unwrap();
    let page = h
        .browser
        .post(&start.form.action)
        .form(&[("SAMLRequest", start.form.saml_request.as_str()), ("RelayState", start.form.relay_state.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<fieldset><legend>Osoby testowe</legend>"));
    assert!(page.contains(r#"<label for="osoba-0">"#), "every radio button has a label");
    assert!(page.contains("niższy niż wymagany"));
    let handle = input_value(&page, "request").unwrap();
    let refused = h
        .browser
        .post(form_action(&page).unwrap())
        .form(&[("request", handle.as_str()), ("persona", "0"), ("action", "login")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    h.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_at_the_node_is_a_failed_status() {
    let h = start(Misbehaviour::WellBehaved, None).await;
    let start = h.sp.start_login(None).await.unwrap();
    let page = h
        .browser
        .post(&start.form.action)
        .form(&[("SAMLRequest", start.form.saml_request.as_str()), ("RelayState", start.form.relay_state.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let handle = input_value(&page, "request").unwrap();
    let html = h
        .browser
        .post(form_action(&page).unwrap())
        .form(&[("request", handle.as_str()), ("action", "cancel")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let err =
        h.sp.complete_login(AcsRequest {
            saml_art: &input_value(&html, "SAMLart").unwrap(),
            relay_state: &input_value(&html, "RelayState").unwrap(),
            cookie_token: Some(&start.cookie_token),
        })
        .await
        .unwrap_err();
    assert!(matches!(err, LoginError::StatusNotSuccess { element: "Response", .. }), "{err:?}");
    h.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_production_quirk_of_a_16_byte_content_key_is_accepted() {
    let h = start(Misbehaviour::ShortContentKey, Some(2)).await;
    let outcome = login(&h, 2).await.expect("16-byte content key under aes256-gcm is accepted");
    assert_eq!(outcome.identity.last_name, "Wiśniewska-Żółć");
    h.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_refuses_unsigned_and_foreign_authn_requests() {
    let h = start(Misbehaviour::WellBehaved, Some(0)).await;
    let start = h.sp.start_login(None).await.unwrap();
    let xml = String::from_utf8(STANDARD.decode(&start.form.saml_request).unwrap()).unwrap();
    let sig_start = xml.find("<ds:Signature>").unwrap();
    let sig_end = xml.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let unsigned = format!("{}{}", &xml[..sig_start], &xml[sig_end..]);
    let tampered = xml.replace(ACS_URL, "http://localhost:8080/auth/acz");
    for (name, body) in [("unsigned", unsigned), ("tampered", tampered)] {
        let resp = h
            .browser
            .post(&start.form.action)
            .form(&[("SAMLRequest", STANDARD.encode(body)), ("RelayState", "x".into())])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{name} AuthnRequest must be refused by the node");
    }
    h.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_config_needs_no_setup_but_production_rules_still_refuse_plain_http() {
    let h = start(Misbehaviour::WellBehaved, Some(0)).await;
    let builder = h.fake().demo_sp_config("demo").unwrap();
    assert!(matches!(builder.clone().build(), Err(identity::ConfigError::InsecureUrl { .. })));
    let config = builder.build_for_local_fake().unwrap();
    assert_eq!(config.wk_certificates(), std::slice::from_ref(h.fake().signing_certificate()));
    assert_eq!(config.wk().artifact_resolution_url, format!("http://{}/login-services/idpArtifactResolutionService", h.running.addr));
    let info = h.browser.get(format!("http://{}/", h.running.addr)).send().await.unwrap().text().await.unwrap();
    assert!(info.contains(&h.fake().signing_certificate().sha256_fingerprint()));
    let pem = h.browser.get(format!("http://{}/certificate.pem", h.running.addr)).send().await.unwrap().text().await.unwrap();
    assert_eq!(identity::Certificate::from_pem(&pem).unwrap(), *h.fake().signing_certificate());
    h.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sp_pinned_to_another_node_refuses_this_nodes_answers() {
    let h = start(Misbehaviour::WellBehaved, Some(0)).await;
    let other = start(Misbehaviour::WellBehaved, Some(0)).await;
    // Same SP keys and endpoints, but the certificate of another node pinned.
    let demo = h.fake().demo_sp_keys().unwrap().clone();
    let config = identity::Config::builder(SP_ENTITY_ID, ACS_URL, "x", h.fake().endpoints())
        .wk_certificate(other.fake().signing_certificate().clone())
        .signing_key(demo.signing_key, None)
        .encryption_key(demo.encryption_key, None)
        .build_for_local_fake()
        .unwrap();
    let sp = ServiceProvider::new(config).unwrap();
    let start = sp.start_login(None).await.unwrap();
    let post = browser_to_node(&h, &start, 0).await;
    let err = sp
        .complete_login(AcsRequest { saml_art: &post.saml_art, relay_state: &post.relay_state, cookie_token: Some(&start.cookie_token) })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "signature_invalid", "{err:?}");
    h.running.stop().await;
    other.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_is_mountable_under_a_scope_in_process() {
    use actix_web::{App, HttpServer, web};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let public = format!("http://{addr}");
    let fake = fake_wk::FakeWk::new(FakeWkConfig::new(&public, &format!("{public}/auth/acs")), &format!("{public}/fake-wk")).unwrap();
    let for_server = fake.clone();
    let server = HttpServer::new(move || {
        let fake = for_server.clone();
        App::new().service(web::scope("/fake-wk").configure(move |cfg| fake.configure(cfg)))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    let sp = ServiceProvider::new(fake.demo_sp_config("demo").unwrap().build_for_local_fake().unwrap()).unwrap();
    let start = sp.start_login(None).await.unwrap();
    assert_eq!(start.form.action, format!("{public}/fake-wk/login/SingleSignOnService"));
    let browser = reqwest::Client::new();
    let page = browser
        .post(&start.form.action)
        .form(&[("SAMLRequest", start.form.saml_request.as_str()), ("RelayState", start.form.relay_state.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let action = form_action(&page).unwrap();
    assert_eq!(action, format!("{public}/fake-wk/login/SingleSignOnService/persona"));
    let html = browser
        .post(&action)
        .form(&[("request", input_value(&page, "request").unwrap().as_str()), ("persona", "0"), ("action", "login")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let outcome = sp
        .complete_login(AcsRequest {
            saml_art: &input_value(&html, "SAMLart").unwrap(),
            relay_state: &input_value(&html, "RelayState").unwrap(),
            cookie_token: Some(&start.cookie_token),
        })
        .await
        .unwrap();
    assert_eq!(outcome.identity.last_name, "Kowalski");
    handle.stop(true).await;
}

#[test]
fn the_binary_lists_its_misbehaviours() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fake-wk")).arg("--list-misbehaviours").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for m in Misbehaviour::ALL {
        assert!(text.contains(m.name()), "{m}");
    }
}
