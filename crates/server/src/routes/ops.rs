//! Operational endpoints, outside `/api/v1`.

use std::sync::atomic::Ordering;

use actix_web::{HttpResponse, get, web};
use api_types::Health;

use crate::app::AppState;

/// Liveness and database reachability.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200, body = Health), (status = 503, body = Health)))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    match state.store.ping().await {
        Ok(()) => HttpResponse::Ok().json(Health { status: "ok".into(), database: "ok".into() }),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            HttpResponse::ServiceUnavailable().json(Health { status: "degraded".into(), database: "unreachable".into() })
        }
    }
}

/// Request counters in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, content_type = "text/plain", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let m = &state.metrics;
    let body = format!(
        "# HELP naleznosci_http_requests_total HTTP requests served.\n# TYPE naleznosci_http_requests_total counter\nnaleznosci_http_requests_total {}\n\
         # HELP naleznosci_http_client_errors_total Responses with a 4xx status.\n# TYPE naleznosci_http_client_errors_total counter\nnaleznosci_http_client_errors_total {}\n\
         # HELP naleznosci_http_server_errors_total Responses with a 5xx status.\n# TYPE naleznosci_http_server_errors_total counter\nnaleznosci_http_server_errors_total {}\n\
         # HELP naleznosci_http_request_duration_microseconds_total Time spent serving requests.\n# TYPE naleznosci_http_request_duration_microseconds_total counter\nnaleznosci_http_request_duration_microseconds_total {}\n",
        m.requests.load(Ordering::Relaxed),
        m.client_errors.load(Ordering::Relaxed),
        m.server_errors.load(Ordering::Relaxed),
        m.duration_micros.load(Ordering::Relaxed),
    );
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(body)
}
