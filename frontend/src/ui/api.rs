//! Talking to the server: the session (refresh cookie → short access token kept in memory only),
//! typed JSON calls with the `api-types` contract, and problem details turned into messages.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use api_types::{Me, Problem, TokenResponse};
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

use crate::i18n::{self, Key as K, Lang};

/// The header the server requires on the cookie-authenticated `/auth/*` calls (CSRF guard).
const SPA_HEADER: (&str, &str) = ("X-Requested-With", "naleznosci-spa");

/// Where the session stands; the whole app follows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    Checking,
    LoggedOut,
    /// The server could not be reached to check the session.
    Unreachable,
    LoggedIn(Me),
}

thread_local! {
    static TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
    static REFRESHING: RefCell<Option<Shared<LocalBoxFuture<'static, Refreshed>>>> = const { RefCell::new(None) };
    static TIMER_GENERATION: Cell<u64> = const { Cell::new(0) };
    // An Arc signal: owned by no component, so it lives as long as the app.
    static SESSION: ArcRwSignal<Session> = ArcRwSignal::new(Session::Checking);
}

pub fn session() -> ArcRwSignal<Session> {
    SESSION.with(Clone::clone)
}

pub fn me() -> Option<Me> {
    match session().get() {
        Session::LoggedIn(me) => Some(me),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refreshed {
    Yes,
    LoggedOut,
    Failed,
}

/// Why a call did not give what was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No answer (network, server down).
    Network,
    /// The session ended; the app shows the login page.
    LoggedOut,
    /// The API's problem details.
    Problem(Problem),
    /// An error status without a problem body.
    Http(u16),
    /// An answer that does not match the contract.
    Decode,
}

impl Failure {
    /// One sentence for a person, in the current language, from the stable `code` (never the
    /// English `title`).
    pub fn message(&self, lang: Lang) -> String {
        let key = match self {
            Failure::Network => K::ErrNetwork,
            Failure::LoggedOut => K::ErrLoggedOut,
            Failure::Decode => K::ErrDecode,
            Failure::Http(status) => i18n::status_key(*status),
            Failure::Problem(p) => i18n::problem_key(&p.code).unwrap_or_else(|| i18n::status_key(p.status)),
        };
        i18n::text(lang, key).to_string()
    }

    /// The message for one field of a validation problem, when the server named that field.
    pub fn field_message(&self, field: &str, lang: Lang) -> Option<String> {
        let Failure::Problem(p) = self else { return None };
        p.errors.iter().find(|e| e.field == field).map(|e| i18n::text(lang, i18n::field_error_key(&e.code)).to_string())
    }

    /// Field errors the form has no input for (shown with the general message).
    pub fn other_fields(&self, known: &[&str]) -> Vec<String> {
        match self {
            Failure::Problem(p) => p.errors.iter().filter(|e| !known.contains(&e.field.as_str())).map(|e| e.field.clone()).collect(),
            _ => Vec::new(),
        }
    }
}

fn window() -> web_sys::Window {
    leptos::prelude::window()
}

async fn fetch(method: &str, path: &str, body: Option<&str>, bearer: Option<&str>, spa_header: bool) -> Result<Response, Failure> {
    fetch_with(method, path, body, bearer, spa_header, None).await
}

async fn fetch_with(
    method: &str,
    path: &str,
    body: Option<&str>,
    bearer: Option<&str>,
    spa_header: bool,
    idempotency_key: Option<&str>,
) -> Result<Response, Failure> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| Failure::Network)?;
    headers.set("Accept", "application/json").map_err(|_| Failure::Network)?;
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").map_err(|_| Failure::Network)?;
        init.set_body(&JsValue::from_str(body));
    }
    if let Some(token) = bearer {
        headers.set("Authorization", &format!("Bearer {token}")).map_err(|_| Failure::Network)?;
    }
    if spa_header {
        headers.set(SPA_HEADER.0, SPA_HEADER.1).map_err(|_| Failure::Network)?;
    }
    if let Some(key) = idempotency_key {
        headers.set("Idempotency-Key", key).map_err(|_| Failure::Network)?;
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| Failure::Network)?;
    let response = JsFuture::from(window().fetch_with_request(&request)).await.map_err(|_| Failure::Network)?;
    response.dyn_into::<Response>().map_err(|_| Failure::Network)
}

async fn text_of(response: &Response) -> Result<String, Failure> {
    let promise = response.text().map_err(|_| Failure::Network)?;
    let value = JsFuture::from(promise).await.map_err(|_| Failure::Network)?;
    value.as_string().ok_or(Failure::Decode)
}

async fn problem_of(response: &Response) -> Failure {
    let status = response.status();
    match text_of(response).await {
        Ok(text) => serde_json::from_str::<Problem>(&text).map(Failure::Problem).unwrap_or(Failure::Http(status)),
        Err(_) => Failure::Http(status),
    }
}

/// `POST /auth/refresh`: the refresh cookie for a fresh access token. One request at a time; every
/// caller that needs a token while it runs waits for the same answer.
async fn refresh() -> Refreshed {
    let running = REFRESHING.with(|r| r.borrow().clone());
    let shared = match running {
        Some(shared) => shared,
        None => {
            let shared = do_refresh().boxed_local().shared();
            REFRESHING.with(|r| *r.borrow_mut() = Some(shared.clone()));
            shared
        }
    };
    shared.await
}

async fn do_refresh() -> Refreshed {
    let outcome = refresh_request().await;
    // The next caller starts a new request; those already waiting keep their clone of this one.
    REFRESHING.with(|r| *r.borrow_mut() = None);
    outcome
}

async fn refresh_request() -> Refreshed {
    let Ok(response) = fetch("POST", "/auth/refresh", None, None, true).await else {
        return Refreshed::Failed;
    };
    match response.status() {
        200 => {
            let Ok(text) = text_of(&response).await else { return Refreshed::Failed };
            let Ok(token) = serde_json::from_str::<TokenResponse>(&text) else { return Refreshed::Failed };
            TOKEN.with(|t| *t.borrow_mut() = Some(token.access_token));
            schedule_refresh(token.expires_in);
            Refreshed::Yes
        }
        401 | 403 => {
            TOKEN.with(|t| *t.borrow_mut() = None);
            Refreshed::LoggedOut
        }
        _ => Refreshed::Failed,
    }
}

/// Refreshes a minute before the token expires (or halfway for very short tokens). A newer
/// schedule cancels an older one.
fn schedule_refresh(expires_in: u64) {
    let generation = TIMER_GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let lead = if expires_in > 120 { expires_in - 60 } else { expires_in / 2 };
    set_timeout(
        move || {
            if TIMER_GENERATION.with(Cell::get) == generation {
                leptos::task::spawn_local(async move {
                    if refresh().await == Refreshed::LoggedOut {
                        session().set(Session::LoggedOut);
                    }
                });
            }
        },
        Duration::from_secs(lead.max(5)),
    );
}

/// At start: is there a session? Sets [`session`] accordingly.
pub async fn start_session() {
    session().set(Session::Checking);
    match refresh().await {
        Refreshed::Yes => match get::<Me>("/api/v1/me").await {
            Ok(me) => session().set(Session::LoggedIn(me)),
            Err(Failure::LoggedOut) => session().set(Session::LoggedOut),
            Err(_) => session().set(Session::Unreachable),
        },
        Refreshed::LoggedOut => session().set(Session::LoggedOut),
        Refreshed::Failed => session().set(Session::Unreachable),
    }
}

/// `POST /auth/logout`, then forgets the token whatever the answer.
pub async fn logout() {
    let _ = fetch("POST", "/auth/logout", None, None, true).await;
    TOKEN.with(|t| *t.borrow_mut() = None);
    TIMER_GENERATION.with(|g| g.set(g.get() + 1));
    session().set(Session::LoggedOut);
}

/// Sends with the bearer token; on 401 refreshes once (single-flight) and tries again.
pub async fn send(method: &str, path: &str, body: Option<&str>) -> Result<Response, Failure> {
    send_with(method, path, body, None).await
}

async fn send_with(method: &str, path: &str, body: Option<&str>, idempotency_key: Option<&str>) -> Result<Response, Failure> {
    for attempt in 0..2 {
        let token = match TOKEN.with(|t| t.borrow().clone()) {
            Some(token) => token,
            None => match refresh().await {
                Refreshed::Yes => TOKEN.with(|t| t.borrow().clone()).ok_or(Failure::LoggedOut)?,
                Refreshed::LoggedOut => return Err(logged_out()),
                Refreshed::Failed => return Err(Failure::Network),
            },
        };
        let response = fetch_with(method, path, body, Some(&token), false, idempotency_key).await?;
        if response.status() == 401 && attempt == 0 {
            // Only drop the token that failed: a concurrent refresh may already have replaced it.
            TOKEN.with(|t| {
                let mut t = t.borrow_mut();
                if t.as_deref() == Some(token.as_str()) {
                    *t = None;
                }
            });
            continue;
        }
        if response.status() == 401 {
            return Err(logged_out());
        }
        return Ok(response);
    }
    Err(logged_out())
}

fn logged_out() -> Failure {
    session().set(Session::LoggedOut);
    Failure::LoggedOut
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, Failure> {
    if !response.ok() {
        return Err(problem_of(&response).await);
    }
    let text = text_of(&response).await?;
    serde_json::from_str(&text).map_err(|_| Failure::Decode)
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Failure> {
    decode(send("GET", path, None).await?).await
}

pub async fn call<B: Serialize, T: DeserializeOwned>(method: &str, path: &str, body: &B) -> Result<T, Failure> {
    let body = serde_json::to_string(body).map_err(|_| Failure::Decode)?;
    decode(send(method, path, Some(&body)).await?).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Failure> {
    call("POST", path, body).await
}

/// A POST that must not happen twice: the server answers a repeated key with the first result.
pub async fn post_with_key<B: Serialize, T: DeserializeOwned>(path: &str, body: &B, idempotency_key: &str) -> Result<T, Failure> {
    let body = serde_json::to_string(body).map_err(|_| Failure::Decode)?;
    decode(send_with("POST", path, Some(&body), Some(idempotency_key)).await?).await
}

/// Does the server have this route? Sends a body no handler can accept (`null`), so an existing
/// route answers 400 before any handler runs, a missing one 404 — no side effects either way.
pub async fn route_exists(method: &'static str, path: String) -> bool {
    match send(method, &path, if method == "GET" { None } else { Some("null") }).await {
        Ok(response) => response.status() != 404 && response.status() != 405,
        Err(_) => false,
    }
}

/// A binary resource (the decision PDF) as a blob, fetched with the bearer token.
pub async fn blob(path: &str) -> Result<web_sys::Blob, Failure> {
    let response = send("GET", path, None).await?;
    if !response.ok() {
        return Err(problem_of(&response).await);
    }
    let promise = response.blob().map_err(|_| Failure::Decode)?;
    let value = JsFuture::from(promise).await.map_err(|_| Failure::Network)?;
    value.dyn_into::<web_sys::Blob>().map_err(|_| Failure::Decode)
}

/// A valid access token for a request the JSON helpers do not make (the statement upload).
async fn access_token() -> Result<String, Failure> {
    if let Some(token) = TOKEN.with(|t| t.borrow().clone()) {
        return Ok(token);
    }
    match refresh().await {
        Refreshed::Yes => TOKEN.with(|t| t.borrow().clone()).ok_or(Failure::LoggedOut),
        Refreshed::LoggedOut => Err(logged_out()),
        Refreshed::Failed => Err(Failure::Network),
    }
}

/// The answer to an upload: its status and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Uploaded {
    pub status: u16,
    pub body: String,
}

impl Uploaded {
    /// The problem details of an error answer.
    pub fn failure(&self) -> Failure {
        serde_json::from_str::<Problem>(&self.body).map(Failure::Problem).unwrap_or(Failure::Http(self.status))
    }
}

/// POSTs raw bytes (a file) with the bearer token, reporting the share sent so far (0–100) as it
/// goes: `fetch` cannot report upload progress, `XMLHttpRequest` can. On 401 the token is
/// refreshed once and the upload repeated.
pub async fn upload(path: &str, bytes: &js_sys::Uint8Array, on_progress: impl Fn(u32) + 'static) -> Result<Uploaded, Failure> {
    use wasm_bindgen::closure::Closure;
    let on_progress = std::rc::Rc::new(on_progress);
    for attempt in 0..2 {
        let token = access_token().await?;
        let xhr = web_sys::XmlHttpRequest::new().map_err(|_| Failure::Network)?;
        xhr.open_with_async("POST", path, true).map_err(|_| Failure::Network)?;
        xhr.set_request_header("Accept", "application/json").map_err(|_| Failure::Network)?;
        xhr.set_request_header("Content-Type", "application/octet-stream").map_err(|_| Failure::Network)?;
        xhr.set_request_header("Authorization", &format!("Bearer {token}")).map_err(|_| Failure::Network)?;
        let report = on_progress.clone();
        let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() {
                report(percent(e.loaded(), e.total()));
            }
        });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        let request = xhr.clone();
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            request.set_onload(Some(&resolve));
            request.set_onerror(Some(&reject));
            request.set_onabort(Some(&reject));
        });
        xhr.send_with_opt_buffer_source(Some(bytes)).map_err(|_| Failure::Network)?;
        let finished = JsFuture::from(done).await;
        drop(progress);
        finished.map_err(|_| Failure::Network)?;
        let status = xhr.status().map_err(|_| Failure::Network)?;
        if status == 401 && attempt == 0 {
            TOKEN.with(|t| {
                let mut t = t.borrow_mut();
                if t.as_deref() == Some(token.as_str()) {
                    *t = None;
                }
            });
            continue;
        }
        if status == 401 {
            return Err(logged_out());
        }
        let body = xhr.response_text().ok().flatten().unwrap_or_default();
        return Ok(Uploaded { status, body });
    }
    Err(logged_out())
}

/// `loaded` of `total` as a whole percent (0–100), without float arithmetic.
pub fn percent(loaded: f64, total: f64) -> u32 {
    let (loaded, total) = (loaded as u64, total as u64);
    (loaded.min(total) * 100).checked_div(total).map_or(100, |p| u32::try_from(p).unwrap_or(100))
}

/// Query-string encoding of one value.
pub fn enc(value: &str) -> String {
    js_sys::encode_uri_component(value).as_string().unwrap_or_default()
}
