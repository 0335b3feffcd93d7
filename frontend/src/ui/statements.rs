//! Bank statements for clerks: upload a statement file (read and sent with its progress announced),
//! the import's summary, the imported files, and the queue of unmatched payments with suggestions
//! and a form to assign each one to a taxpayer. The server checks the role on every call.

use api_types::{AssignLine, AssignedLine, StatementImportPage, StatementImportSummary, UnmatchedLine, UnmatchedPage};
use leptos::prelude::*;

use super::load::Load;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

use super::admin::{AdminNav, Pager};
use super::api::{self, Failure, enc};
use super::widgets::{ErrorNotice, FieldError, date, described_by, money, show};
use super::{lang, page_title, tr, trf};
use crate::format;
use crate::i18n::{self, Key as K};

/// Where an upload stands.
#[derive(Debug, Clone, PartialEq)]
enum Upload {
    Idle,
    Reading(u32),
    Sending(u32),
    Processing,
    /// The server's summary (imported, a dry run, or held back because it does not balance).
    Done(StatementImportSummary),
    Failed(Failure),
}

impl Upload {
    fn percent(&self) -> Option<u32> {
        match self {
            Upload::Reading(p) => Some(p / 2),
            Upload::Sending(p) => Some(50 + p / 2),
            Upload::Processing | Upload::Done(_) => Some(100),
            Upload::Idle | Upload::Failed(_) => None,
        }
    }

    fn message(&self) -> Option<String> {
        match self {
            Upload::Idle => None,
            Upload::Reading(p) => Some(trf(K::UploadReading, &[&p.to_string()])),
            Upload::Sending(p) => Some(trf(K::UploadSending, &[&p.to_string()])),
            Upload::Processing => Some(tr(K::UploadProcessing).to_string()),
            Upload::Done(_) => Some(tr(K::UploadDone).to_string()),
            Upload::Failed(_) => Some(tr(K::UploadFailed).to_string()),
        }
    }
}

/// Reads a file into memory, reporting the share read (0–100).
async fn read_file(file: &web_sys::File, on_progress: impl Fn(u32) + 'static) -> Result<js_sys::Uint8Array, Failure> {
    let reader = web_sys::FileReader::new().map_err(|_| Failure::Decode)?;
    let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() {
            on_progress(api::percent(e.loaded(), e.total()));
        }
    });
    reader.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    let target = reader.clone();
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        target.set_onload(Some(&resolve));
        target.set_onerror(Some(&reject));
    });
    reader.read_as_array_buffer(file).map_err(|_| Failure::Decode)?;
    let finished = JsFuture::from(done).await;
    drop(progress);
    finished.map_err(|_| Failure::Decode)?;
    let buffer = reader.result().map_err(|_| Failure::Decode)?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// Sends the file to `POST /api/v1/admin/statements`; 200 and 409 (held back, not balanced) carry
/// the summary, anything else is a problem.
async fn import(
    bytes: &js_sys::Uint8Array,
    file_name: &str,
    dry_run: bool,
    accept_unbalanced: bool,
    on_progress: impl Fn(u32) + 'static,
) -> Result<StatementImportSummary, Failure> {
    let path = format!(
        "/api/v1/admin/statements?file_name={}{}{}",
        enc(file_name),
        if dry_run { "&dry_run=true" } else { "" },
        if accept_unbalanced { "&accept_unbalanced=true" } else { "" }
    );
    let answer = api::upload(&path, bytes, on_progress).await?;
    match answer.status {
        200 | 409 => serde_json::from_str(&answer.body).map_err(|_| Failure::Decode),
        _ => Err(answer.failure()),
    }
}

#[component]
pub fn StatementsPage() -> impl IntoView {
    page_title(K::StatementsTitle);
    let imports = Load::new(|| api::get::<StatementImportPage>("/api/v1/admin/statements?per_page=20"));
    let (state, set_state) = signal(Upload::Idle);
    let (file_error, set_file_error) = signal(None::<K>);
    let dry_run = RwSignal::new(false);
    let busy = move || matches!(state.get(), Upload::Reading(_) | Upload::Sending(_) | Upload::Processing);
    let file_input = NodeRef::<leptos::html::Input>::new();
    // The file last read, kept for "import anyway" without reading it again.
    let last = StoredValue::new_local(None::<(js_sys::Uint8Array, String)>);

    let send = move |bytes: js_sys::Uint8Array, name: String, accept_unbalanced: bool| {
        let dry = dry_run.get_untracked();
        leptos::task::spawn_local(async move {
            set_state.set(Upload::Sending(0));
            let on_sent = move |p: u32| set_state.set(if p >= 100 { Upload::Processing } else { Upload::Sending(p) });
            let result = import(&bytes, &name, dry, accept_unbalanced, on_sent).await;
            match result {
                Ok(summary) => {
                    let booked = summary.booked;
                    set_state.set(Upload::Done(summary));
                    if booked {
                        imports.refetch();
                    }
                }
                Err(f) => set_state.set(Upload::Failed(f)),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = file_input.get_untracked().and_then(|input| input.files()).and_then(|files| files.get(0));
        let Some(file) = file else {
            set_file_error.set(Some(K::ChooseFile));
            return;
        };
        set_file_error.set(None);
        let name = file.name();
        leptos::task::spawn_local(async move {
            set_state.set(Upload::Reading(0));
            match read_file(&file, move |p| set_state.set(Upload::Reading(p))).await {
                Ok(bytes) => {
                    last.set_value(Some((bytes.clone(), name.clone())));
                    send(bytes, name, false);
                }
                Err(f) => set_state.set(Upload::Failed(f)),
            }
        });
    };
    let import_anyway = move |_| {
        if let Some((bytes, name)) = last.get_value() {
            send(bytes, name, true);
        }
    };
    let file_msg = Signal::derive(move || file_error.get().map(|k| tr(k).to_string()));
    view! {
        <h1 tabindex="-1">{t!(StatementsTitle)}</h1>
        <AdminNav/>
        <p class="lead">{t!(StatementsIntro)}</p>
        <section class="card" aria-labelledby="upload-h">
            <h2 id="upload-h">{t!(UploadTitle)}</h2>
            <form class="grid-form" on:submit=submit novalidate>
                <div class="field">
                    <label for="statement-file">{t!(StatementFile)}</label>
                    <input
                        id="statement-file"
                        type="file"
                        node_ref=file_input
                        accept=".sta,.mt940,.940,.txt,.xml,.exp"
                        aria-invalid=move || file_msg.get().is_some().to_string()
                        aria-describedby=move || described_by(Some("statement-file-hint"), "statement-file-err", file_msg.get().is_some())
                    />
                    <p class="hint" id="statement-file-hint">{t!(StatementFileHint)}</p>
                    <FieldError id="statement-file-err" message=file_msg/>
                </div>
                <div class="checkbox">
                    <input id="statement-dry-run" type="checkbox" bind:checked=dry_run/>
                    <label for="statement-dry-run">{t!(DryRun)}</label>
                </div>
                <div class="form-actions">
                    <button type="submit" disabled=busy>{t!(ImportStatement)}</button>
                </div>
            </form>
            <div class="upload-progress">
                <p id="upload-status" role="status" aria-live="polite">{move || state.get().message()}</p>
                {move || {
                    state
                        .get()
                        .percent()
                        .map(|p| view! { <progress max="100" value=p.to_string() aria-labelledby="upload-status">{format!("{p}%")}</progress> })
                }}
            </div>
        </section>
        <div aria-live="polite">
            {move || match state.get() {
                Upload::Done(summary) => view! { <SummaryView summary import_anyway/> }.into_any(),
                Upload::Failed(failure) => view! { <ImportFailure failure/> }.into_any(),
                _ => ().into_any(),
            }}
        </div>
        <section aria-labelledby="imports-h">
            <h2 id="imports-h">{t!(ImportsTitle)}</h2>
            {show(imports, |page| view! { <ImportsTable page/> })}
        </section>
    }
}

/// The failure of an import: the message and, for a file the server could not read, its detail
/// (which line and field).
#[component]
fn ImportFailure(failure: Failure) -> impl IntoView {
    let detail = match &failure {
        Failure::Problem(p) => p.detail.clone().filter(|d| !d.is_empty()),
        _ => None,
    };
    view! {
        <div class="notice error" role="alert" id="import-error">
            <p>{move || failure.message(lang())}</p>
            {detail.map(|d| view! { <p>{t!(ProblemDetail)} " " <span lang="en" class="mono">{d}</span></p> })}
        </div>
    }
}

#[component]
fn SummaryView(summary: StatementImportSummary, import_anyway: impl Fn(leptos::ev::MouseEvent) + Clone + 'static) -> impl IntoView {
    let s = summary;
    let status = s.status.clone();
    let held_back = s.status == "unbalanced";
    let encoding = s.encoding.clone();
    let encoding_detected = s.encoding_detected;
    let format_name = s.format.clone();
    let count = |n: u32| n.to_string();
    let unbalanced = s.unbalanced_statements.clone();
    let warnings = s.warnings.clone();
    let unmatched = s.unmatched;
    let booked = s.booked;
    view! {
        <section class="card import-summary" aria-labelledby="summary-h">
            <h2 id="summary-h">{t!(ImportSummaryTitle)}</h2>
            <dl class="pairs">
                <dt>{t!(SumStatus)}</dt>
                <dd>
                    <span class=format!("badge import-{}", s.status)>{move || tr(i18n::import_status_key(&status))}</span>
                </dd>
                <dt>{t!(SumFile)}</dt>
                <dd>{s.file_name.clone()}</dd>
                <dt>{t!(SumFormat)}</dt>
                <dd>
                    {move || {
                        let enc = if encoding_detected { trf(K::EncodingDetected, &[&encoding]) } else { encoding.clone() };
                        format!("{format_name}, {enc}")
                    }}
                </dd>
                <dt>{t!(SumStatements)}</dt>
                <dd id="sum-statements">{count(s.statements)}</dd>
                <dt>{t!(SumLines)}</dt>
                <dd id="sum-lines">{count(s.lines)}</dd>
                <dt>{t!(SumCredits)}</dt>
                <dd id="sum-credits">{count(s.credits)}</dd>
                <dt>{t!(SumDebits)}</dt>
                <dd id="sum-debits">{count(s.debits)}</dd>
                <dt>{t!(SumMatched)}</dt>
                <dd id="sum-matched">{count(s.matched)}</dd>
                <dt>{t!(SumUnmatched)}</dt>
                <dd id="sum-unmatched">{count(s.unmatched)}</dd>
                <dt>{t!(SumSettledOnline)}</dt>
                <dd id="sum-settled">{count(s.settled_online)}</dd>
                <dt>{t!(SumDuplicates)}</dt>
                <dd id="sum-duplicates">{count(s.duplicates)}</dd>
                <dt>{t!(SumTotalCredited)}</dt>
                <dd id="sum-total">{money(s.total_credited)}</dd>
                <dt>{t!(SumTotalBooked)}</dt>
                <dd id="sum-booked">{money(s.total_booked)}</dd>
                <dt>{t!(SumOverpayments)}</dt>
                <dd id="sum-overpayments">{money(s.overpayments)}</dd>
            </dl>
            {(!unbalanced.is_empty())
                .then(|| {
                    view! {
                        <div class="notice warning">
                            <ul>
                                {unbalanced
                                    .into_iter()
                                    .map(|u| {
                                        view! {
                                            <li>
                                                {move || {
                                                    trf(
                                                        K::UnbalancedLine,
                                                        &[
                                                            &format::grouped_nrb(&u.account),
                                                            &u.number,
                                                            &format::money(&u.closing, lang()),
                                                            &format::money(&u.computed_closing, lang()),
                                                            &format::money(&u.difference, lang()),
                                                        ],
                                                    )
                                                }}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            {held_back
                                .then(|| {
                                    view! {
                                        <p>{t!(UnbalancedHint)}</p>
                                        <button type="button" class="secondary" on:click=import_anyway.clone()>
                                            {t!(ImportAnyway)}
                                        </button>
                                    }
                                })}
                        </div>
                    }
                })}
            {(!warnings.is_empty())
                .then(|| {
                    view! {
                        <div class="notice warning">
                            <ul lang="en">{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                        </div>
                    }
                })}
            {(booked && unmatched > 0)
                .then(|| {
                    view! {
                        <p>
                            <a class="button" href="/admin/unmatched">
                                {t!(GoToUnmatched)}
                                {format!(" ({unmatched})")}
                            </a>
                        </p>
                    }
                })}
        </section>
    }
}

#[component]
fn ImportsTable(page: StatementImportPage) -> impl IntoView {
    if page.items.is_empty() {
        return view! { <p>{t!(NoImports)}</p> }.into_any();
    }
    view! {
        <table class="stack imports">
            <thead>
                <tr>
                    <th scope="col">{t!(ColImportedAt)}</th>
                    <th scope="col">{t!(ColFile)}</th>
                    <th scope="col">{t!(SumStatus)}</th>
                    <th scope="col" class="num">{t!(ColCredits)}</th>
                    <th scope="col" class="num">{t!(ColMatched)}</th>
                    <th scope="col" class="num">{t!(ColUnmatched)}</th>
                    <th scope="col" class="num">{t!(ColTotal)}</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .items
                    .into_iter()
                    .map(|i| {
                        let at = i.imported_at;
                        let status = i.status.clone();
                        view! {
                            <tr>
                                <th scope="row" data-label=t!(ColImportedAt)>
                                    {move || format::timestamp(at, lang())}
                                </th>
                                <td data-label=t!(ColFile)>{i.file_name}</td>
                                <td data-label=t!(SumStatus)>{move || tr(i18n::import_status_key(&status))}</td>
                                <td class="num" data-label=t!(ColCredits)>{i.credits}</td>
                                <td class="num" data-label=t!(ColMatched)>{i.matched}</td>
                                <td class="num" data-label=t!(ColUnmatched)>{i.unmatched}</td>
                                <td class="num" data-label=t!(ColTotal)>{money(i.total_credited)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A reason from the server, in the page's language when recognised, else as sent (English).
fn reason_view(text: String) -> impl IntoView {
    move || match i18n::reconcile_reason(&text, lang()) {
        Some(translated) => view! { <span>{translated}</span> }.into_any(),
        None => view! { <span lang="en">{text.clone()}</span> }.into_any(),
    }
}

#[component]
pub fn UnmatchedPage() -> impl IntoView {
    page_title(K::UnmatchedTitle);
    let page = RwSignal::new(1u32);
    let lines = Load::new(move || {
        let page = page.get();
        async move { api::get::<UnmatchedPage>(&format!("/api/v1/admin/unmatched?page={page}&per_page=20")).await }
    });
    let (assigned, set_assigned) = signal(None::<(AssignedLine, String)>);
    let on_assigned = move |done: AssignedLine, name: String| {
        set_assigned.set(Some((done, name)));
        lines.refetch();
    };
    view! {
        <h1 tabindex="-1">{t!(UnmatchedTitle)}</h1>
        <AdminNav/>
        <p class="lead">{t!(UnmatchedIntro)}</p>
        <p role="status" aria-live="polite" class="assigned-note">
            {move || {
                assigned
                    .get()
                    .map(|(done, name)| trf(K::AssignedNote, &[&format::amount(&done.payment.amount, lang()), &name]))
            }}
        </p>
        <div aria-live="polite">
            {show(
                lines,
                move |p| {
                    if p.items.is_empty() {
                        return view! { <p class="notice">{t!(NoUnmatched)}</p> }.into_any();
                    }
                    let total = p.total_items;
                    let last = p.total_items.div_ceil(u64::from(p.per_page.max(1))).max(1);
                    view! {
                        <p>{move || trf(K::UnmatchedCount, &[&total.to_string()])}</p>
                        {p.items.into_iter().map(|line| view! { <UnmatchedCard line on_assigned/> }).collect_view()}
                        <Pager page last/>
                    }
                        .into_any()
                },
            )}
        </div>
    }
}

#[component]
fn UnmatchedCard(line: UnmatchedLine, on_assigned: impl Fn(AssignedLine, String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let lid = line.id;
    let heading = format!("um-{lid}");
    let labelled_by = heading.clone();
    let amount = line.amount;
    let value_date = line.value_date;
    let suggestions = line.suggestions.clone();
    // Which choice: "s0", "s1"… for a suggestion, "other" for a typed identifier.
    let choice = RwSignal::new(if suggestions.is_empty() { "other".to_string() } else { "s0".to_string() });
    let other = RwSignal::new(String::new());
    let (failure, set_failure) = signal(None::<Failure>);
    let (missing, set_missing) = signal(false);
    let (busy, set_busy) = signal(false);
    let names = StoredValue::new(suggestions.iter().map(|s| (s.taxpayer_id, s.taxpayer_name.clone(), s.obligation_id)).collect::<Vec<_>>());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_missing.set(false);
        let picked = choice.get_untracked();
        let target = match picked.strip_prefix('s').and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => names.with_value(|list| list.get(n).cloned()),
            None => other.get_untracked().trim().parse::<Uuid>().ok().map(|id| (id, id.to_string(), None)),
        };
        let Some((taxpayer_id, name, obligation_id)) = target else {
            set_missing.set(true);
            return;
        };
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let result =
                api::post::<_, AssignedLine>(&format!("/api/v1/admin/unmatched/{lid}/assign"), &AssignLine { taxpayer_id, obligation_id })
                    .await;
            set_busy.set(false);
            match result {
                Ok(done) => on_assigned(done, name),
                Err(f) => set_failure.set(Some(f)),
            }
        });
    };
    let other_id = format!("um-{lid}-other");
    let other_input = format!("um-{lid}-tp");
    let other_err = format!("um-{lid}-tp-err");
    let other_err_ref = other_err.clone();
    let field_msg = Signal::derive(move || {
        if missing.get() {
            return Some(tr(K::ChooseTaxpayer).to_string());
        }
        failure.get().and_then(|f| f.field_message("taxpayer_id", lang()))
    });
    let general =
        move || failure.get().filter(|f| f.field_message("taxpayer_id", lang()).is_none()).map(|failure| view! { <ErrorNotice failure/> });
    let account = line.counterparty_account.clone();
    let virtual_account = line.virtual_account.clone();
    view! {
        <article class="card unmatched" aria-labelledby=labelled_by>
            <h2 id=heading>
                {move || trf(K::UnmatchedHeading, &[&format::amount(&amount, lang()), &format::date(value_date, lang())])}
            </h2>
            <dl class="pairs">
                <dt>{t!(Payer)}</dt>
                <dd>{line.counterparty_name.clone().unwrap_or_default()}</dd>
                {account
                    .map(|a| {
                        view! {
                            <dt>{t!(PayerAccount)}</dt>
                            <dd class="account">{format::grouped_nrb(&a)}</dd>
                        }
                    })}
                <dt>{t!(TransferTitleField)}</dt>
                <dd class="line-title">{line.title.clone().unwrap_or_default()}</dd>
                {virtual_account
                    .map(|a| {
                        view! {
                            <dt>{t!(VirtualAccountOnLine)}</dt>
                            <dd class="account">{format::grouped_nrb(&a)}</dd>
                        }
                    })}
                <dt>{t!(StatementOfLine)}</dt>
                <dd>
                    <span class="account">{format::grouped_nrb(&line.statement_account)}</span>
                    {format!(", nr {}", line.statement_number)}
                    {line.booking_date.map(|d| view! { <span class="sub">{date(d)}</span> })}
                </dd>
                {line
                    .bank_reference
                    .clone()
                    .map(|r| {
                        view! {
                            <dt>{t!(BankReference)}</dt>
                            <dd class="mono">{r}</dd>
                        }
                    })}
                {line
                    .reason
                    .clone()
                    .map(|r| {
                        view! {
                            <dt>{t!(WhyUnmatched)}</dt>
                            <dd>{reason_view(r)}</dd>
                        }
                    })}
            </dl>
            <form class="assign-form" on:submit=submit novalidate>
                <fieldset>
                    <legend>{t!(AssignTo)}</legend>
                    {suggestions.is_empty().then(|| view! { <p class="hint">{t!(NoSuggestions)}</p> })}
                    {suggestions
                        .into_iter()
                        .enumerate()
                        .map(|(n, s)| {
                            let value = format!("s{n}");
                            let id = format!("um-{lid}-s{n}");
                            let confidence = s.confidence;
                            let name = s.taxpayer_name.clone();
                            let reason = s.reason.clone();
                            let checked_value = value.clone();
                            view! {
                                <div class="radio">
                                    <input
                                        type="radio"
                                        name=format!("um-{lid}")
                                        id=id.clone()
                                        value=value.clone()
                                        prop:checked=move || choice.get() == checked_value
                                        on:change=move |_| choice.set(value.clone())
                                    />
                                    <label for=id>
                                        <strong>{name}</strong>
                                        " — "
                                        {move || trf(K::SuggestionLine, &[tr(i18n::confidence_key(confidence))])}
                                        "; "
                                        {reason_view(reason)}
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                    <div class="radio">
                        <input
                            type="radio"
                            name=format!("um-{lid}")
                            id=other_id.clone()
                            value="other"
                            prop:checked=move || choice.get() == "other"
                            on:change=move |_| choice.set("other".into())
                        />
                        <label for=other_id>{t!(OtherTaxpayer)}</label>
                    </div>
                    <div class="field" hidden=move || choice.get() != "other">
                        <label for=other_input.clone()>{t!(TaxpayerId)}</label>
                        <input
                            id=other_input
                            type="text"
                            autocomplete="off"
                            bind:value=other
                            aria-invalid=move || field_msg.get().is_some().to_string()
                            aria-describedby=move || described_by(None, &other_err_ref, field_msg.get().is_some())
                        />
                    </div>
                    <FieldError id=other_err message=field_msg/>
                </fieldset>
                <button type="submit" disabled=move || busy.get()>{t!(AssignPayment)}</button>
                {general}
            </form>
        </article>
    }
}
