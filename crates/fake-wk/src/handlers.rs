//! HTTP handlers of the fake node.

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, web};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use identity::LoA;
use identity::saml::*;
use identity::xmldsig::{self, MessageSpec};
use rand::RngCore as _;
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use crate::messages::{LoginFacts, build_artifact_answer, build_empty_answer, build_logout_answer};
use crate::{FakeWk, Grant, Misbehaviour, SsoRequest, html};

const PERSONA_PATH: &str = "/login/SingleSignOnService/persona";
const REQUEST_TTL: Duration = Duration::minutes(15);
const ARTIFACT_TTL: Duration = Duration::minutes(5);

pub(crate) fn configure(fake: FakeWk, cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::Data::new(fake))
        .app_data(web::FormConfig::default().limit(64 * 1024))
        .app_data(web::PayloadConfig::new(64 * 1024))
        .route("/", web::get().to(info))
        .route("/certificate.pem", web::get().to(certificate))
        .route(identity::WkEndpoints::SSO_PATH, web::post().to(single_sign_on))
        .route(PERSONA_PATH, web::post().to(choose_persona))
        .route(identity::WkEndpoints::ARTIFACT_RESOLUTION_PATH, web::post().to(resolve_artifact))
        .route(identity::WkEndpoints::SLO_PATH, web::post().to(single_logout));
}

fn html_page(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(ContentType::html())
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(body)
}

fn bad_request(message: &str) -> HttpResponse {
    html_page(actix_web::http::StatusCode::BAD_REQUEST, html::error_page(message))
}

fn soap_fault(reason: &str) -> HttpResponse {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP11}"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>{}</faultstring></soap:Fault></soap:Body></soap:Envelope>"#,
        identity::xml::escape_text(reason)
    );
    HttpResponse::InternalServerError().content_type("text/xml; charset=utf-8").body(body)
}

fn soap_ok(body: String) -> HttpResponse {
    HttpResponse::Ok().content_type("text/xml; charset=utf-8").body(body)
}

fn random_handle() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// `SAMLart` as SAML 2.0 bindings §3.6.4 describe it: type 0x0004, endpoint index 0,
/// SourceID = SHA-1 of the entity ID (an identifier only), 20 random bytes of message handle.
fn new_artifact(entity_id: &str) -> String {
    let mut bytes = vec![0x00, 0x04, 0x00, 0x00];
    bytes.extend_from_slice(&openssl::sha::sha1(entity_id.as_bytes()));
    let mut handle = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut handle);
    bytes.extend_from_slice(&handle);
    STANDARD.encode(bytes)
}

async fn info(fake: web::Data<FakeWk>) -> HttpResponse {
    let inner = &fake.inner;
    html_page(
        actix_web::http::StatusCode::OK,
        html::info_page(
            &inner.config.entity_id,
            &inner.base_url,
            &inner.signing_certificate.sha256_fingerprint(),
            inner.config.misbehaviour.name(),
            &inner.config.personas,
        ),
    )
}

async fn certificate(fake: web::Data<FakeWk>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/x-pem-file").body(fake.inner.signing_certificate.to_pem())
}

#[derive(Debug, Deserialize)]
struct SsoForm {
    #[serde(rename = "SAMLRequest")]
    saml_request: String,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

/// Verifies a signed SP message and returns the reduced (verified) XML.
fn verified(fake: &FakeWk, xml: &str, spec: &MessageSpec) -> Result<String, String> {
    xmldsig::verify_message(xml, spec, std::slice::from_ref(&fake.inner.sp.signing))
        .map(|v| v.xml)
        .map_err(|e| format!("{} ({})", e, e.code()))
}

fn issuer_of(root: roxmltree::Node<'_, '_>) -> Option<String> {
    root.children()
        .find(|n| n.is_element() && n.tag_name().name() == "Issuer" && n.tag_name().namespace() == Some(NS_SAML2))
        .and_then(|n| n.text())
        .map(|t| t.trim().to_owned())
}

async fn single_sign_on(fake: web::Data<FakeWk>, form: web::Form<SsoForm>) -> HttpResponse {
    let compact: String = form.saml_request.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let Ok(bytes) = STANDARD.decode(compact) else {
        return bad_request("SAMLRequest nie jest poprawnym base64.");
    };
    let Ok(xml) = String::from_utf8(bytes) else {
        return bad_request("SAMLRequest nie jest tekstem UTF-8.");
    };
    let reduced = match verified(&fake, &xml, &xmldsig::AUTHN_REQUEST) {
        Ok(reduced) => reduced,
        Err(reason) => return bad_request(&format!("Podpis AuthnRequest odrzucony: {reason}")),
    };
    let Ok(doc) = roxmltree::Document::parse(&reduced) else {
        return bad_request("AuthnRequest nie jest poprawnym XML.");
    };
    let root = doc.root_element();
    let inner = &fake.inner;
    let sso_url = format!("{}{}", inner.base_url, identity::WkEndpoints::SSO_PATH);
    if issuer_of(root).as_deref() != Some(inner.config.sp_entity_id.as_str()) {
        return bad_request("Nieznany usługodawca (Issuer).");
    }
    if root.attribute("AssertionConsumerServiceURL") != Some(inner.config.sp_acs_url.as_str()) {
        return bad_request("AssertionConsumerServiceURL nie jest zarejestrowanym adresem usługodawcy.");
    }
    if root.attribute("Destination") != Some(sso_url.as_str()) {
        return bad_request("Destination nie wskazuje tego węzła.");
    }
    if root.attribute("ProtocolBinding") != Some(BINDING_HTTP_ARTIFACT) {
        return bad_request("Węzeł odpowiada tylko przez HTTP-Artifact.");
    }
    let Some(request_id) = root.attribute("ID").map(str::to_owned) else {
        return bad_request("AuthnRequest bez ID.");
    };
    let required_loa = root
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "AuthnContextClassRef")
        .and_then(|n| n.text())
        .and_then(|t| LoA::from_uri(t.trim()))
        .unwrap_or(LoA::Substantial);
    let now = OffsetDateTime::now_utc();
    let request = SsoRequest { request_id, relay_state: form.relay_state.clone(), required_loa, created: now };

    if let Some(index) = inner.config.auto_login {
        let persona = inner.config.personas.get(index).cloned().unwrap_or_else(|| inner.intruder.clone());
        return artifact_page(&fake, &request, persona, false);
    }
    let handle = random_handle();
    {
        let mut state = fake.lock();
        state.requests.retain(|_, r| r.created + REQUEST_TTL > now);
        state.requests.insert(handle.clone(), request);
    }
    html_page(
        actix_web::http::StatusCode::OK,
        html::persona_picker(
            &format!("{}{PERSONA_PATH}", inner.base_url),
            &handle,
            &inner.config.sp_entity_id,
            required_loa,
            &inner.config.personas,
        ),
    )
}

#[derive(Debug, Deserialize)]
struct PersonaForm {
    request: String,
    persona: Option<usize>,
    action: Option<String>,
}

async fn choose_persona(fake: web::Data<FakeWk>, form: web::Form<PersonaForm>) -> HttpResponse {
    let Some(request) = fake.lock().requests.remove(&form.request) else {
        return bad_request("Nieznane lub już obsłużone żądanie logowania.");
    };
    if OffsetDateTime::now_utc() > request.created + REQUEST_TTL {
        return bad_request("Żądanie logowania wygasło.");
    }
    let personas = &fake.inner.config.personas;
    if form.action.as_deref() == Some("cancel") {
        let any = personas.first().cloned().unwrap_or_else(|| fake.inner.intruder.clone());
        return artifact_page(&fake, &request, any, true);
    }
    let Some(persona) = form.persona.and_then(|i| personas.get(i)).cloned() else {
        return bad_request("Wybierz osobę testową.");
    };
    if !persona.loa.satisfies(request.required_loa) {
        return bad_request("Wybrana osoba loguje się środkiem o zbyt niskim poziomie bezpieczeństwa dla tego serwisu.");
    }
    artifact_page(&fake, &request, persona, false)
}

/// Issues an artifact for the login and answers with the auto-submitting form to the ACS.
fn artifact_page(fake: &FakeWk, request: &SsoRequest, persona: crate::Persona, cancelled: bool) -> HttpResponse {
    let now = OffsetDateTime::now_utc();
    let grant = Grant { request_id: request.request_id.clone(), persona, cancelled, created: now };
    let artifact = {
        let mut state = fake.lock();
        state.artifacts.retain(|_, g| g.created + ARTIFACT_TTL > now || fake.inner.config.misbehaviour == Misbehaviour::ReplayArtifact);
        match (&state.first_artifact, fake.inner.config.misbehaviour) {
            (Some(first), Misbehaviour::ReplayArtifact) => first.clone(),
            _ => {
                let artifact = new_artifact(&fake.inner.config.entity_id);
                state.artifacts.insert(artifact.clone(), grant);
                state.first_artifact.get_or_insert_with(|| artifact.clone());
                artifact
            }
        }
    };
    html_page(
        actix_web::http::StatusCode::OK,
        html::artifact_post(&fake.inner.config.sp_acs_url, &artifact, request.relay_state.as_deref()),
    )
}

async fn resolve_artifact(fake: web::Data<FakeWk>, body: String) -> HttpResponse {
    let reduced = match verified(&fake, &body, &xmldsig::ARTIFACT_RESOLVE) {
        Ok(reduced) => reduced,
        Err(reason) => return soap_fault(&format!("ArtifactResolve rejected: {reason}")),
    };
    let Ok(doc) = roxmltree::Document::parse(&reduced) else {
        return soap_fault("ArtifactResolve is not XML");
    };
    let root = doc.root_element();
    let inner = &fake.inner;
    if issuer_of(root).as_deref() != Some(inner.config.sp_entity_id.as_str()) {
        return soap_fault("unknown service provider");
    }
    let Some(resolve_id) = root.attribute("ID") else {
        return soap_fault("ArtifactResolve without ID");
    };
    let artifact = root
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "Artifact" && n.tag_name().namespace() == Some(NS_SAML2P))
        .and_then(|n| n.text())
        .map(str::trim)
        .unwrap_or_default();
    let now = OffsetDateTime::now_utc();
    let misbehaviour = inner.config.misbehaviour;
    let (grant, reuse) = {
        let mut state = fake.lock();
        let grant = if misbehaviour == Misbehaviour::ReplayArtifact {
            state.artifacts.get(artifact).cloned()
        } else {
            state.artifacts.remove(artifact)
        };
        (grant.filter(|g| g.created + ARTIFACT_TTL > now || misbehaviour == Misbehaviour::ReplayArtifact), state.first_ids.clone())
    };
    let genuine = fake.genuine_material();
    let Some(grant) = grant else {
        return match build_empty_answer(&inner.config.entity_id, resolve_id, now, &genuine) {
            Ok(answer) => soap_ok(answer),
            Err(e) => soap_fault(&e.to_string()),
        };
    };
    let facts = LoginFacts {
        wk_entity_id: &inner.config.entity_id,
        sp_entity_id: &inner.config.sp_entity_id,
        acs_url: &inner.config.sp_acs_url,
        request_id: &grant.request_id,
        resolve_id,
        persona: &grant.persona,
        intruder: &inner.intruder,
        sp_encryption_key: &inner.sp_encryption_key,
        cancelled: grant.cancelled,
        now,
        assertion_lifetime: inner.config.assertion_lifetime,
        reuse_response_id: reuse.as_ref().filter(|_| misbehaviour == Misbehaviour::ReplayResponseId).map(|(r, _)| r.as_str()),
        reuse_assertion_id: reuse.as_ref().filter(|_| misbehaviour == Misbehaviour::ReplayAssertionId).map(|(_, a)| a.as_str()),
    };
    match build_artifact_answer(&facts, misbehaviour, &genuine, &fake.wrong_material()) {
        Ok(built) => {
            fake.lock().first_ids.get_or_insert((built.response_id, built.assertion_id));
            soap_ok(built.soap)
        }
        Err(e) => soap_fault(&e.to_string()),
    }
}

async fn single_logout(fake: web::Data<FakeWk>, body: String) -> HttpResponse {
    let reduced = match verified(&fake, &body, &xmldsig::LOGOUT_REQUEST) {
        Ok(reduced) => reduced,
        Err(reason) => return soap_fault(&format!("LogoutRequest rejected: {reason}")),
    };
    let Ok(doc) = roxmltree::Document::parse(&reduced) else {
        return soap_fault("LogoutRequest is not XML");
    };
    let root = doc.root_element();
    if issuer_of(root).as_deref() != Some(fake.inner.config.sp_entity_id.as_str()) {
        return soap_fault("unknown service provider");
    }
    let Some(request_id) = root.attribute("ID") else {
        return soap_fault("LogoutRequest without ID");
    };
    match build_logout_answer(&fake.inner.config.entity_id, request_id, None, OffsetDateTime::now_utc(), &fake.genuine_material()) {
        Ok(answer) => soap_ok(answer),
        Err(e) => soap_fault(&e.to_string()),
    }
}
