//! The integration with the domain systems (docs/integration-contract.md): the worker that runs
//! sync and export jobs on this replica, and the clerks' view of how it goes.

use actix_web::{get, web};
use api_types as api;
use api_types::{EntityStatus, JobStatus, RejectedRow, SourceStatus, SyncStatus};

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::routes::audit as record;
use crate::routes::require_role;

/// The state of the integration with the domain systems: sources, the last run of each view,
/// the payment export, rejected rows and the background jobs (clerks and administrators).
#[utoipa::path(get, path = "/api/v1/admin/sync-status", tag = "administration", security(("bearer" = [])),
    responses((status = 200, body = SyncStatus), (status = 403, body = api::Problem)))]
#[get("/admin/sync-status")]
pub async fn status(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<SyncStatus>, ApiError> {
    require_role(&state, &principal, "clerk", "admin.sync.read").await?;
    let store = &state.store;
    let statuses = store.sync_statuses().await?;
    let watermarks = store.sync_watermarks().await?;
    let mut sources = Vec::new();
    for s in store.sync_sources().await? {
        let entities = statuses
            .iter()
            .filter(|st| st.source_system == s.name)
            .map(|st| EntityStatus {
                entity: st.entity.clone(),
                last_run_at: st.last_run_at,
                last_success_at: st.last_success_at,
                rows_read: st.rows_read,
                rows_changed: st.rows_changed,
                errors: st.errors,
                last_error: st.last_error.clone(),
                total_rows_read: st.total_rows_read,
                total_rows_changed: st.total_rows_changed,
                watermark: watermarks.iter().find(|w| w.source_system == s.name && w.entity == st.entity).map(|w| w.row_version),
            })
            .collect();
        let (rejected, rejected_rows) = store.sync_rejected(&s.name, 20).await?;
        sources.push(SourceStatus {
            exports: store.export_counts(&s.name).await?.into_iter().collect(),
            recent_rejections: rejected
                .into_iter()
                .map(|r| RejectedRow {
                    entity: r.entity,
                    source_id: r.source_id,
                    source_version: r.source_version,
                    reason: r.reason,
                    at: r.at,
                })
                .collect(),
            rejected_rows,
            entities,
            name: s.name,
            kind: s.kind,
            owns_bookings: s.owns_bookings,
            export_payments: s.export_payments,
            enabled: s.enabled,
            contract_version: s.contract_version,
        });
    }
    let connected = sources.iter().any(|s| s.enabled && s.owns_bookings);
    let jobs = store
        .jobs()
        .await?
        .into_iter()
        .map(|j| JobStatus {
            key: j.job_key,
            kind: j.kind,
            state: j.state,
            attempts: j.attempts,
            runs: j.runs,
            next_run_at: j.next_run_at,
            last_started_at: j.last_started_at,
            last_finished_at: j.last_finished_at,
            last_error: j.last_error,
            locked_by: j.locked_by,
        })
        .collect();
    record(&state, &principal, "admin.sync.read", None, None, "allowed", None).await?;
    Ok(web::Json(SyncStatus { mode: if connected { "connected" } else { "standalone" }.into(), sources, jobs }))
}

/// Starts this replica's worker for the domain systems configured in `NALEZNOSCI_CONNECTORS`
/// (none: standalone, nothing starts). `NALEZNOSCI_WORKERS=0` keeps a replica from running jobs
/// (it still serves the API). A configuration that does not parse stops the start.
pub async fn start_workers(state: &web::Data<AppState>) -> Result<(), String> {
    if std::env::var("NALEZNOSCI_WORKERS").is_ok_and(|v| matches!(v.trim(), "0" | "off" | "false")) {
        return Ok(());
    }
    let sources = connectors::config::from_env().map_err(|e| e.to_string())?;
    if sources.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    // The stop switch is dropped: the worker runs as long as the process.
    let _ = connectors::worker::start(state.store.clone(), sources).await?;
    tracing::info!(sources = ?names, "domain-system integration started");
    Ok(())
}
