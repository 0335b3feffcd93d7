//! The integration with the domain systems for clerks: whether the portal or a domain system keeps
//! the books, each source's last run per view (rows read, changed, errors), the payment export
//! ledger, rows the domain system must correct, and the background jobs. Read-only.

use api_types::{EntityStatus, JobStatus, SourceStatus, SyncStatus};
use leptos::prelude::*;

use super::load::Load;

use super::admin::AdminNav;
use super::api;
use super::widgets::show;
use super::{lang, page_title, tr, trf};
use crate::format;
use crate::i18n::Key as K;

fn when(at: Option<time::OffsetDateTime>) -> impl Fn() -> String + Send + Sync + 'static {
    move || at.map(|at| format::timestamp(at, lang())).unwrap_or_else(|| "—".into())
}

#[component]
pub fn SyncPage() -> impl IntoView {
    page_title(K::SyncTitle);
    let status = Load::new(|| api::get::<SyncStatus>("/api/v1/admin/sync-status"));
    view! {
        <h1 tabindex="-1">{t!(SyncTitle)}</h1>
        <AdminNav/>
        <p class="lead">{t!(SyncIntro)}</p>
        <p>
            <button type="button" class="secondary" on:click=move |_| status.refetch()>
                {t!(Refresh)}
            </button>
        </p>
        <div aria-live="polite">
            {show(
                status,
                |s: SyncStatus| {
                    let connected = s.mode == "connected";
                    view! {
                        <p class="notice" data-mode=s.mode.clone()>
                            {move || tr(if connected { K::SyncConnected } else { K::SyncStandalone })}
                        </p>
                        {s.sources.into_iter().map(source).collect_view()}
                        <JobTable jobs=s.jobs/>
                    }
                },
            )}
        </div>
    }
}

fn source(s: SourceStatus) -> impl IntoView {
    let heading = format!("source-{}", s.name);
    let labelled_by = heading.clone();
    let exports: Vec<(String, i64)> = s.exports.into_iter().collect();
    let rejected = s.rejected_rows;
    let flags = {
        let (owns, export, enabled) = (s.owns_bookings, s.export_payments, s.enabled);
        move || {
            let yes_no = |b: bool| tr(if b { K::Yes } else { K::No });
            trf(K::SyncSourceFlags, &[yes_no(enabled), yes_no(owns), yes_no(export)])
        }
    };
    let contract = s.contract_version.unwrap_or_else(|| "—".into());
    view! {
        <section aria-labelledby=labelled_by>
            <h2 id=heading>{format!("{} ({})", s.name, s.kind)}</h2>
            <p>{flags}</p>
            <p>{move || trf(K::SyncContract, &[&contract])}</p>
            <EntityTable entities=s.entities/>
            <h3>{t!(SyncExports)}</h3>
            {if exports.is_empty() {
                view! { <p>{t!(SyncNoExports)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {exports
                            .into_iter()
                            .map(|(state, n)| {
                                let label = state_text(export_state_key(&state), state);
                                view! { <li>{move || format!("{}: {n}", label())}</li> }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <h3>{t!(SyncRejected)}</h3>
            <p>{move || trf(K::SyncRejectedCount, &[&rejected.to_string()])}</p>
            {(!s.recent_rejections.is_empty())
                .then(|| {
                    view! {
                        <table class="stack">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(ColWhen)}</th>
                                    <th scope="col">{t!(SyncColEntity)}</th>
                                    <th scope="col">{t!(SyncColSourceId)}</th>
                                    <th scope="col">{t!(SyncColReason)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {s.recent_rejections
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <tr>
                                                <th scope="row" data-label=t!(ColWhen)>{when(Some(r.at))}</th>
                                                <td data-label=t!(SyncColEntity)>{r.entity}</td>
                                                <td data-label=t!(SyncColSourceId)>{format!("{} v{}", r.source_id, r.source_version)}</td>
                                                <td data-label=t!(SyncColReason)>{r.reason}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
        </section>
    }
}

#[component]
fn EntityTable(entities: Vec<EntityStatus>) -> impl IntoView {
    view! {
        <table class="stack">
            <caption>{t!(SyncEntitiesCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(SyncColEntity)}</th>
                    <th scope="col">{t!(SyncColLastRun)}</th>
                    <th scope="col">{t!(SyncColLastSuccess)}</th>
                    <th scope="col" class="num">{t!(SyncColRead)}</th>
                    <th scope="col" class="num">{t!(SyncColChanged)}</th>
                    <th scope="col" class="num">{t!(SyncColErrors)}</th>
                    <th scope="col">{t!(SyncColLastError)}</th>
                </tr>
            </thead>
            <tbody>
                {entities
                    .into_iter()
                    .map(|e| {
                        view! {
                            <tr class=(e.errors > 0).then_some("warn")>
                                <th scope="row" data-label=t!(SyncColEntity)>{e.entity}</th>
                                <td data-label=t!(SyncColLastRun)>{when(e.last_run_at)}</td>
                                <td data-label=t!(SyncColLastSuccess)>{when(e.last_success_at)}</td>
                                <td class="num" data-label=t!(SyncColRead)>{e.rows_read}</td>
                                <td class="num" data-label=t!(SyncColChanged)>{e.rows_changed}</td>
                                <td class="num" data-label=t!(SyncColErrors)>{e.errors}</td>
                                <td data-label=t!(SyncColLastError)>{e.last_error.unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn JobTable(jobs: Vec<JobStatus>) -> impl IntoView {
    view! {
        <section aria-labelledby="jobs-h">
            <h2 id="jobs-h">{t!(SyncJobs)}</h2>
            {if jobs.is_empty() {
                view! { <p>{t!(SyncNoJobs)}</p> }.into_any()
            } else {
                view! {
                    <table class="stack">
                        <thead>
                            <tr>
                                <th scope="col">{t!(SyncColJob)}</th>
                                <th scope="col">{t!(ColStatus)}</th>
                                <th scope="col" class="num">{t!(SyncColRuns)}</th>
                                <th scope="col">{t!(SyncColLastRun)}</th>
                                <th scope="col">{t!(SyncColNextRun)}</th>
                                <th scope="col">{t!(SyncColLastError)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {jobs
                                .into_iter()
                                .map(|j| {
                                    view! {
                                        <tr>
                                            <th scope="row" data-label=t!(SyncColJob)>{j.key}</th>
                                            <td data-label=t!(ColStatus)>{state_text(job_state_key(&j.state), j.state.clone())}</td>
                                            <td class="num" data-label=t!(SyncColRuns)>{j.runs}</td>
                                            <td data-label=t!(SyncColLastRun)>{when(j.last_finished_at.or(j.last_started_at))}</td>
                                            <td data-label=t!(SyncColNextRun)>{when(Some(j.next_run_at))}</td>
                                            <td data-label=t!(SyncColLastError)>{j.last_error.unwrap_or_default()}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
    }
}

fn export_state_key(state: &str) -> Option<K> {
    Some(match state {
        "pending" => K::ExportPending,
        "written" => K::ExportWritten,
        "accepted" => K::ExportAccepted,
        "rejected" => K::ExportRejected,
        "booked" => K::ExportBooked,
        _ => return None,
    })
}

fn job_state_key(state: &str) -> Option<K> {
    Some(match state {
        "queued" => K::JobQueued,
        "running" => K::JobRunning,
        "done" => K::JobDone,
        "failed" => K::JobFailed,
        _ => return None,
    })
}

/// A state the server names, translated when known (a newer server may add states).
fn state_text(key: Option<K>, raw: String) -> impl Fn() -> String + Send + Sync + 'static {
    move || key.map(|k| tr(k).to_string()).unwrap_or_else(|| raw.clone())
}
