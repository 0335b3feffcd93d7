//! Wiring: the shared state, the middleware, the routes, and starting the HTTP server.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServerHandle, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpServer, web};
use domain::calendar::{Calendar, warsaw_date};
use domain::interest::InterestRules;
use domain::rates::RateTable;
use store::Municipality;
use time::{Date, OffsetDateTime};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::Tokens;
use crate::config::{Mode, Settings};
use crate::error::{self, ApiError};
use crate::openapi::ApiDoc;
use crate::routes;

/// Everything a handler needs, built once at start.
pub struct AppState {
    pub store: store::Store,
    pub tokens: Tokens,
    pub calendar: Calendar,
    pub settings: Settings,
    pub limiter: RateLimiter,
    pub metrics: Metrics,
    /// The online payment gateway, when one is configured (the simulator in the demo).
    pub gateway: Option<Arc<dyn payments::PaymentGateway>>,
    /// The Content-Security-Policy of the SPA and the API: `form-action` allows the payment
    /// gateway's origin, where the payment form is posted.
    pub csp: String,
    /// The Węzeł Krajowy service provider.
    pub sp: Arc<identity::ServiceProvider>,
    /// The fake login node, mounted in demo mode only.
    pub fake_wk: Option<fake_wk::FakeWk>,
    /// The PayByNet simulator, mounted in demo mode only.
    pub simulator: Option<payments::simulator::Simulator>,
    cache: std::sync::RwLock<Arc<Cached>>,
}

/// Data every valuation needs, read from the database at start and after an administrator changes it.
#[derive(Debug)]
pub struct Cached {
    pub rates: RateTable,
    pub municipality: Municipality,
}

impl AppState {
    pub fn cached(&self) -> Arc<Cached> {
        self.cache.read().map_or_else(|poisoned| poisoned.into_inner().clone(), |c| c.clone())
    }

    /// Reloads the rate table and the municipality's settings after a change.
    pub async fn reload(&self) -> Result<(), ApiError> {
        let fresh = Arc::new(load(&self.store).await.map_err(ApiError::Internal)?);
        match self.cache.write() {
            Ok(mut c) => *c = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }

    /// The interest rules in force: the cached table, the statutory calendar, the municipality's
    /// threshold mode.
    pub fn with_rules<T>(&self, f: impl FnOnce(&InterestRules<'_>) -> T) -> T {
        let cached = self.cached();
        let rules = InterestRules::new(&cached.rates, &self.calendar).with_threshold_mode(cached.municipality.threshold_mode);
        f(&rules)
    }

    /// "Today" as a Warsaw civil date (tax-rules.md §8.7); a fixed day only in demo mode.
    pub fn today(&self) -> Date {
        match (self.settings.mode, self.settings.today) {
            (Mode::Demo, Some(day)) => day,
            _ => warsaw_date(OffsetDateTime::now_utc()),
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// When the current window started and how many requests it has seen.
type Window = (Instant, u32);

/// A fixed-window limiter per client address, for the endpoints people can hammer anonymously.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<(IpAddr, &'static str), Window>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter { per_minute, windows: Mutex::new(HashMap::new()) }
    }

    pub fn check(&self, ip: IpAddr, bucket: &'static str) -> Result<(), ApiError> {
        let mut windows = self.windows.lock().map_err(|_| ApiError::Internal("rate limiter poisoned".into()))?;
        let now = Instant::now();
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = windows.entry((ip, bucket)).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.per_minute { Err(ApiError::TooManyRequests) } else { Ok(()) }
    }
}

/// Request counters for `/metrics` (Prometheus text format).
#[derive(Debug, Default)]
pub struct Metrics {
    pub requests: AtomicU64,
    pub client_errors: AtomicU64,
    pub server_errors: AtomicU64,
    pub duration_micros: AtomicU64,
}

/// Security headers on every response; HSTS only when the request came over TLS.
async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let https = req.connection_info().scheme() == "https";
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let mut res = next.call(req).await?;
    let path = res.request().path();
    let swagger = path.starts_with("/swagger-ui");
    // The local imitations render their own pages (inline styles; fake-wk's auto-submit script).
    let imitation = path.starts_with(crate::login::FAKE_WK_PATH) || path.starts_with(crate::payflow::SIMULATOR_PATH);
    let headers = res.headers_mut();
    // Swagger UI needs inline styles and its own initializer script; the SPA needs wasm.
    let csp = if imitation {
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; form-action *; frame-ancestors 'none'".to_string()
    } else if swagger {
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'".to_string()
    } else {
        state.as_ref().map_or_else(|| "default-src 'self'; frame-ancestors 'none'".to_string(), |s| s.csp.clone())
    };
    // A handler that set its own policy (the login form with its nonce) keeps it.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(value) = HeaderValue::from_str(&csp)
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    if let Some(state) = state {
        let m = &state.metrics;
        m.requests.fetch_add(1, Ordering::Relaxed);
        let status = res.status().as_u16();
        if (400..500).contains(&status) {
            m.client_errors.fetch_add(1, Ordering::Relaxed);
        } else if status >= 500 {
            m.server_errors.fetch_add(1, Ordering::Relaxed);
        }
        m.duration_micros.fetch_add(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }
    Ok(res)
}

/// Builds the state: connects to the database (migrating it) and generates the signing key.
pub async fn state(settings: Settings) -> Result<web::Data<AppState>, String> {
    let store = store::Store::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    // The login node first: its absence is the first thing an operator of a fresh install must fix.
    let (sp, fake_wk) = crate::login::service_provider(&settings, &store)?;
    let tokens = Tokens::shared(&settings.public_url, &store, settings.mode == Mode::Production).await?;
    let cached = load(&store).await?;
    let (gateway, simulator) = crate::payflow::gateway(&settings, &cached.municipality)?;
    let gateway_origin = gateway.as_ref().and_then(|g| g.browser_origin()).filter(|o| !settings.public_url.starts_with(o.as_str()));
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'{}",
        gateway_origin.map(|o| format!(" {o}")).unwrap_or_default()
    );
    let cache = std::sync::RwLock::new(Arc::new(cached));
    Ok(web::Data::new(AppState {
        cache,
        gateway,
        simulator,
        csp,
        sp,
        fake_wk,
        store,
        tokens,
        calendar: Calendar::statutory(),
        limiter: RateLimiter::new(settings.rate_limit_per_minute),
        metrics: Metrics::default(),
        settings,
    }))
}

async fn load(store: &store::Store) -> Result<Cached, String> {
    let municipality = store.municipality().await.map_err(|e| match e {
        store::StoreError::NotFound => {
            "no municipality is configured in this database: run `naleznosci demo` to create the demo one".to_string()
        }
        other => other.to_string(),
    })?;
    let rates = store.rate_table().await.map_err(|e| e.to_string())?;
    Ok(Cached { rates, municipality })
}

/// The routes and their configuration, for the server and for in-process tests.
pub fn configure(state: web::Data<AppState>) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let dev_token = state.settings.dev_token;
        if let Some(simulator) = &state.simulator {
            cfg.service(simulator.scope(crate::payflow::SIMULATOR_PATH));
        }
        if let Some(fake) = state.fake_wk.clone() {
            cfg.service(web::scope(crate::login::FAKE_WK_PATH).configure(move |c| fake.configure(c)));
        }
        cfg.app_data(state)
            .app_data(web::JsonConfig::default().limit(64 * 1024).error_handler(error::json_error))
            .app_data(web::PathConfig::default().error_handler(error::path_error))
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::FormConfig::default().limit(16 * 1024))
            .service(routes::ops::health)
            .service(routes::ops::metrics)
            .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", ApiDoc::openapi()))
            .service(routes::api_scope(dev_token))
            .configure(|cfg| routes::auth_services(cfg, dev_token));
    }
}

/// The SPA: its files, and for any other browser path (client-side routes) the page of its bundle:
/// `admin.html` (the staff bundle, every page) under `/admin`, `index.html` (the residents' bundle)
/// elsewhere. API paths never fall back: a missing API resource is a 404 problem.
fn spa(dir: &std::path::Path) -> actix_files::Files {
    let index = dir.join("index.html");
    let staff = dir.join("admin.html");
    actix_files::Files::new("/", dir).index_file("index.html").default_handler(web::to(move |req: actix_web::HttpRequest| {
        let (index, staff) = (index.clone(), staff.clone());
        async move {
            let path = req.path();
            let api =
                ["/api/", "/auth/", "/health", "/metrics", "/swagger-ui", "/api-docs", "/.well-known/"].iter().any(|p| path.starts_with(p));
            if api || req.method() != actix_web::http::Method::GET {
                return Err(ApiError::NotFound);
            }
            // Looked up per request: a web app rebuilt while the server runs is served as it is now.
            let page = if (path == "/admin" || path.starts_with("/admin/")) && staff.is_file() { staff } else { index };
            actix_files::NamedFile::open_async(&page)
                .await
                .map(|f| f.into_response(&req))
                .map_err(|e| ApiError::Internal(format!("SPA page: {e}")))
        }
    }))
}

/// A running server.
#[derive(Debug)]
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub handle: ServerHandle,
}

/// Binds and starts serving in the background; returns the bound address (port 0 picks a free one).
pub async fn start(mut settings: Settings) -> Result<Running, String> {
    let bind = settings.bind.clone();
    let listener = std::net::TcpListener::bind(&bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if settings.public_url.is_empty() {
        settings.public_url = format!("http://{addr}");
    }
    let state = state(settings).await?;
    crate::payflow::spawn_status_poller(state.clone());
    crate::routes::sync::start_workers(&state).await?;
    let server = HttpServer::new(move || {
        let app = App::new().wrap(from_fn(security_headers)).configure(configure(state.clone()));
        match &state.settings.spa_dir {
            Some(dir) => app.service(spa(dir)),
            None => app.default_service(web::to(|| async { Err::<actix_web::HttpResponse, ApiError>(ApiError::NotFound) })),
        }
    })
    .listen(listener)
    .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    Ok(Running { addr, handle })
}
