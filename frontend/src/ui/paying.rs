//! Paying: online (the amount always comes from the server's quote), by transfer to the taxpayer's
//! virtual account with the ZBP QR code, and "what if I pay this much on that day".

use api_types::{
    GatewayForm, ObligationDetail, ObligationStatus, ObligationsPage, PaymentQuote, PaymentQuoteRequest, PaymentStarted, QuotedLine,
    StartPayment, TransferDetails,
};
use domain::Amount;
use leptos::prelude::*;

use super::load::Load;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;
use wasm_bindgen::JsCast;

use super::api::{self, Failure};
use super::resident::{Warnings, books, obligations_of, param};
use super::widgets::{Back, CopyButton, ErrorNotice, FieldError, described_by, money, show};
use super::{lang, page_title, tr, trf};
use crate::format;
use crate::i18n::Key as K;

async fn quote(tid: Uuid, request: &PaymentQuoteRequest) -> Result<PaymentQuote, Failure> {
    api::post(&format!("/api/v1/taxpayers/{tid}/payment-quote"), request).await
}

fn today_quote() -> PaymentQuoteRequest {
    PaymentQuoteRequest { day: None, amount: None, obligation_id: None }
}

fn query_uuid(name: &'static str) -> Memo<Option<Uuid>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get(name)).and_then(|v| v.parse().ok()))
}

/// An installment as people recognise it: which obligation, which installment, due when.
#[derive(Debug, Clone, PartialEq)]
struct Target {
    installment: Uuid,
    number: i32,
    due: time::Date,
}

fn targets(details: &[ObligationDetail]) -> Vec<Target> {
    details
        .iter()
        .flat_map(|d| d.installments.iter().map(|i| Target { installment: i.id, number: i.number, due: i.effective_due_date }))
        .collect()
}

/// THE hook for online payments: `POST /api/v1/taxpayers/{id}/payments` with an idempotency key;
/// the server computes the amount for today and answers with the form to post to the gateway.
async fn start_online_payment(tid: Uuid, request: &StartPayment, idempotency_key: &str) -> Result<PaymentStarted, Failure> {
    api::post_with_key(&format!("/api/v1/taxpayers/{tid}/payments"), request, idempotency_key).await
}

/// Sends the browser to the gateway: a real form POST (PayByNet's `hashtrans`), or a plain
/// redirect when the gateway gave only an address.
fn go_to_gateway(form: &GatewayForm) -> Result<(), Failure> {
    if form.fields.is_empty() {
        return window().location().assign(&form.action).map_err(|_| Failure::Decode);
    }
    let doc = document();
    let el: web_sys::HtmlFormElement = doc.create_element("form").map_err(|_| Failure::Decode)?.dyn_into().map_err(|_| Failure::Decode)?;
    el.set_method("post");
    el.set_action(&form.action);
    for field in &form.fields {
        let input: web_sys::HtmlInputElement =
            doc.create_element("input").map_err(|_| Failure::Decode)?.dyn_into().map_err(|_| Failure::Decode)?;
        input.set_type("hidden");
        input.set_name(&field.name);
        input.set_value(&field.value);
        el.append_child(&input).map_err(|_| Failure::Decode)?;
    }
    doc.body().ok_or(Failure::Decode)?.append_child(&el).map_err(|_| Failure::Decode)?;
    el.submit().map_err(|_| Failure::Decode)
}

/// A fresh idempotency key per attempt (a retry of the same click reuses it).
fn idempotency_key() -> String {
    window().crypto().map(|c| c.random_uuid()).unwrap_or_else(|_| format!("spa-{}", js_sys::Date::now()))
}

#[component]
pub fn PayPage() -> impl IntoView {
    page_title(K::PayTitle);
    let tid = param("tid");
    let preselect = query_uuid("obligation");
    let data = Load::new(move || {
        let tid = tid.get();
        async move {
            let tid = tid.ok_or(Failure::Http(404))?;
            let (page, details) = books(tid).await?;
            let today = quote(tid, &today_quote()).await?;
            Ok::<_, Failure>((tid, page, details, today))
        }
    });
    view! {
        <Back href="/".to_string() label=K::BackToDashboard/>
        <h1 tabindex="-1">{t!(PayTitle)}</h1>
        {show(
            data,
            move |(tid, page, details, today)| {
                view! { <PayForm tid page details today preselect=preselect.get_untracked()/> }
            },
        )}
    }
}

/// Pay everything due, or chosen installments. Every amount shown is one the server sent; the
/// total for chosen installments is computed by the server when the payment starts.
#[component]
fn PayForm(
    tid: Uuid,
    page: ObligationsPage,
    details: Vec<ObligationDetail>,
    today: PaymentQuote,
    preselect: Option<Uuid>,
) -> impl IntoView {
    let unpaid: Vec<(String, api_types::InstallmentView)> = details
        .iter()
        .flat_map(|d| d.installments.iter().filter(|i| i.status != ObligationStatus::Paid).map(|i| (d.obligation.title.clone(), i.clone())))
        .collect();
    if unpaid.is_empty() {
        return view! { <p class="notice">{t!(NothingToPay)}</p> }.into_any();
    }
    let preselected: Vec<Uuid> = details
        .iter()
        .filter(|d| Some(d.obligation.id) == preselect)
        .flat_map(|d| d.installments.iter().filter(|i| i.status != ObligationStatus::Paid).map(|i| i.id))
        .collect();
    let everything = RwSignal::new(preselected.is_empty());
    let chosen = RwSignal::new(preselected);
    let everything_amount = if today.to_pay_overdue.is_zero() { page.totals.next_due_amount } else { Some(today.to_pay_overdue) };
    let allocation = Load::new(move || {
        let all = everything.get();
        async move {
            match (all, everything_amount) {
                (true, Some(amount)) if !amount.is_zero() => {
                    quote(tid, &PaymentQuoteRequest { day: None, amount: Some(amount), obligation_id: None }).await.map(Some)
                }
                _ => Ok(None),
            }
        }
    });
    let online = Load::new(move || api::route_exists("POST", format!("/api/v1/taxpayers/{tid}/payments")));
    let (pay_error, set_pay_error) = signal(None::<Failure>);
    let (busy, set_busy) = signal(false);
    let (started, set_started) = signal(None::<api_types::PaymentView>);
    let go = move |_| {
        let request = if everything.get_untracked() {
            StartPayment { installment_ids: Vec::new(), everything_due: true }
        } else {
            StartPayment { installment_ids: chosen.get_untracked(), everything_due: false }
        };
        set_busy.set(true);
        set_pay_error.set(None);
        leptos::task::spawn_local(async move {
            let key = idempotency_key();
            match start_online_payment(tid, &request, &key).await {
                Ok(PaymentStarted { gateway_form: Some(form), .. }) => {
                    if let Err(f) = go_to_gateway(&form) {
                        set_busy.set(false);
                        set_pay_error.set(Some(f));
                    }
                }
                Ok(PaymentStarted { payment, gateway_form: None }) => {
                    set_busy.set(false);
                    set_started.set(Some(payment));
                }
                Err(f) => {
                    set_busy.set(false);
                    set_pay_error.set(Some(f));
                }
            }
        });
    };
    let nothing_chosen = move || !everything.get() && chosen.with(Vec::is_empty);
    let can_pay = move || online.get() == Some(true) && !busy.get() && !nothing_chosen();
    let titles = StoredValue::new(page.items.iter().map(|o| (o.id, o.title.clone())).collect::<Vec<_>>());
    let targets = StoredValue::new(targets(&details));
    view! {
        <form class="card" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <fieldset>
                <legend>{t!(WhatToPay)}</legend>
                <div class="radio">
                    <input
                        type="radio"
                        name="what"
                        id="pay-everything"
                        prop:checked=move || everything.get()
                        on:change=move |_| everything.set(true)
                    />
                    <label for="pay-everything">
                        {move || match everything_amount {
                            Some(a) if !today.to_pay_overdue.is_zero() => trf(K::ChoiceAllOverdue, &[&format::amount(&a, lang())]),
                            Some(a) => trf(K::ChoiceNextDue, &[&format::amount(&a, lang())]),
                            None => tr(K::ChoiceEverythingDue).to_string(),
                        }}
                    </label>
                </div>
                <div class="radio">
                    <input
                        type="radio"
                        name="what"
                        id="pay-chosen"
                        prop:checked=move || !everything.get()
                        on:change=move |_| everything.set(false)
                    />
                    <label for="pay-chosen">{t!(ChoiceInstallments)}</label>
                </div>
            </fieldset>
            <fieldset class="installments" hidden=move || everything.get()>
                <legend>{t!(ChooseInstallments)}</legend>
                {unpaid
                    .into_iter()
                    .map(|(title, i)| {
                        let id = i.id;
                        let input_id = format!("inst-{id}");
                        let number = i.number.to_string();
                        let due = i.effective_due_date;
                        let (principal, interest) = (i.principal_outstanding, i.interest_owed);
                        view! {
                            <div class="checkbox">
                                <input
                                    type="checkbox"
                                    id=input_id.clone()
                                    prop:checked=move || chosen.with(|c| c.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|x| *x != id);
                                            if on {
                                                c.push(id);
                                            }
                                        });
                                    }
                                />
                                <label for=input_id>
                                    <strong>{title}</strong>
                                    " — "
                                    {move || {
                                        trf(
                                            K::InstallmentLine,
                                            &[
                                                &number,
                                                &format::date(due, lang()),
                                                &format::amount(&principal, lang()),
                                                &format::amount(&interest, lang()),
                                            ],
                                        )
                                    }}
                                </label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </form>
        <section class="card" aria-labelledby="amount-h">
            <h2 id="amount-h">{t!(AmountForToday)}</h2>
            <div aria-live="polite">
                {move || {
                    everything
                        .get()
                        .then(|| {
                            view! {
                                {everything_amount.map(|a| view! { <p class="big-amount">{money(a)}</p> })}
                                <h3>{t!(WhereItGoes)}</h3>
                                {show(
                                    allocation,
                                    move |q| match q {
                                        Some(q) => {
                                            view! { <QuoteLines q titles=titles.get_value() targets=targets.get_value()/> }
                                                .into_any()
                                        }
                                        None => ().into_any(),
                                    },
                                )}
                            }
                        })
                }}
                {move || (!everything.get()).then(|| view! { <p>{t!(ChosenTotalNote)}</p> })}
            </div>
            <div class="pay-action">
                <button type="button" on:click=go disabled=move || !can_pay() aria-describedby="pay-note">
                    {t!(GoToPayment)}
                </button>
                <p id="pay-note" class="note" aria-live="polite">
                    {move || match online.get() {
                        None => tr(K::CheckingOnline).to_string(),
                        Some(_) if busy.get() => tr(K::StartingPayment).to_string(),
                        Some(true) if nothing_chosen() => tr(K::ChooseSomething).to_string(),
                        Some(true) => tr(K::OnlineRedirectNote).to_string(),
                        Some(false) => tr(K::OnlineUnavailable).to_string(),
                    }}
                </p>
                {move || {
                    (online.get() == Some(false))
                        .then(|| {
                            let href = match preselect {
                                Some(o) => format!("/taxpayers/{tid}/transfer?obligation={o}"),
                                None => format!("/taxpayers/{tid}/transfer"),
                            };
                            view! { <a class="button secondary" href=href>{t!(PayByTransferInstead)}</a> }
                        })
                }}
                {move || pay_error.get().map(|failure| view! { <ErrorNotice failure/> })}
                {move || {
                    started
                        .get()
                        .map(|p| {
                            view! {
                                <p class="notice">
                                    {t!(PaymentNotPending)} " "
                                    <a href=format!("/platnosci/{}", p.id)>{t!(SeePayment)}</a>
                                </p>
                            }
                        })
                }}
            </div>
        </section>
    }
    .into_any()
}
#[component]
fn QuoteLines(q: PaymentQuote, titles: Vec<(Uuid, String)>, targets: Vec<Target>) -> impl IntoView {
    let title_of =
        move |id: Option<Uuid>| id.and_then(|id| titles.iter().find(|(i, _)| *i == id).map(|(_, t)| t.clone())).unwrap_or_default();
    let target_of = move |id: Option<Uuid>| id.and_then(|id| targets.iter().find(|t| t.installment == id).cloned());
    let lines: Vec<(QuotedLine, String, Option<Target>)> =
        q.lines.iter().map(|l| (l.clone(), title_of(l.obligation_id), target_of(l.installment_id))).collect();
    let overpayment = q.overpayment.filter(|o| !o.is_zero());
    view! {
        <table class="stack">
            <thead>
                <tr>
                    <th scope="col">{t!(ColFor)}</th>
                    <th scope="col" class="num">{t!(ColPrincipal)}</th>
                    <th scope="col" class="num">{t!(ColInterest)}</th>
                    <th scope="col" class="num">{t!(ReminderCosts)}</th>
                </tr>
            </thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|(l, title, target)| {
                        let is_cost = l.to == "reminder_cost";
                        view! {
                            <tr>
                                <th scope="row" data-label=t!(ColFor)>
                                    {move || if is_cost { tr(K::ReminderCosts).to_string() } else { title.clone() }}
                                    {target
                                        .clone()
                                        .map(|t| {
                                            view! {
                                                <span class="sub">
                                                    {move || {
                                                        trf(K::InstallmentDue, &[&t.number.to_string(), &format::date(t.due, lang())])
                                                    }}
                                                </span>
                                            }
                                        })}
                                </th>
                                <td class="num" data-label=t!(ColPrincipal)>{money(l.principal)}</td>
                                <td class="num" data-label=t!(ColInterest)>{money(l.interest)}</td>
                                <td class="num" data-label=t!(ReminderCosts)>{money(l.reminder_costs)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        {overpayment.map(|o| view! { <p>{move || trf(K::Overpayment, &[&format::amount(&o, lang())])}</p> })}
        <Warnings list=q.warnings.clone()/>
    }
}

#[component]
pub fn TransferPage() -> impl IntoView {
    page_title(K::TransferTitle);
    let tid = param("tid");
    let selected = query_uuid("obligation");
    let obligations = Load::new(move || {
        let tid = tid.get();
        async move { obligations_of(tid.ok_or(Failure::Http(404))?).await }
    });
    let details = Load::new(move || {
        let (tid, selected) = (tid.get(), selected.get());
        async move {
            let tid = tid.ok_or(Failure::Http(404))?;
            let path = match selected {
                Some(o) => format!("/api/v1/taxpayers/{tid}/transfer-details?obligation={o}"),
                None => format!("/api/v1/taxpayers/{tid}/transfer-details"),
            };
            api::get::<TransferDetails>(&path).await
        }
    });
    let navigate = StoredValue::new_local(use_navigate());
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let Some(tid) = tid.get_untracked() else { return };
        let to =
            if value.is_empty() { format!("/taxpayers/{tid}/transfer") } else { format!("/taxpayers/{tid}/transfer?obligation={value}") };
        navigate.with_value(|go| go(&to, leptos_router::NavigateOptions { replace: true, scroll: false, ..Default::default() }));
    };
    view! {
        <Back href="/".to_string() label=K::BackToDashboard/>
        <h1 tabindex="-1">{t!(TransferTitle)}</h1>
        <p class="lead">{t!(TransferIntro)}</p>
        {move || {
            obligations
                .get()
                .and_then(Result::ok)
                .map(|page| {
                    let open: Vec<_> = page.items.into_iter().filter(|o| o.status != ObligationStatus::Paid).collect();
                    view! {
                        <div class="field">
                            <label for="transfer-obligation">{t!(TransferFor)}</label>
                            <select id="transfer-obligation" on:change=choose>
                                <option value="" selected=move || selected.get().is_none()>
                                    {t!(TransferAccountOnly)}
                                </option>
                                {open
                                    .into_iter()
                                    .map(|o| {
                                        let id = o.id;
                                        view! {
                                            <option value=id.to_string() selected=move || selected.get() == Some(id)>
                                                {o.title}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })
        }}
        <div aria-live="polite">
            {show(
                details,
                move |d| {
                    let qr = match (tid.get_untracked(), selected.get_untracked(), &d.qr_payload) {
                        (Some(tid), Some(o), Some(_)) => Some(format!("/api/v1/taxpayers/{tid}/transfer-details/qr?obligation={o}")),
                        _ => None,
                    };
                    view! { <TransferCard d qr/> }
                },
            )}
        </div>
    }
}

#[component]
fn TransferCard(d: TransferDetails, qr: Option<String>) -> impl IntoView {
    let account_digits: String = d.account.chars().filter(char::is_ascii_digit).collect();
    let open_amount = d
        .qr_payload
        .as_deref()
        .and_then(|p| domain::zbp_qr::ZbpQr::parse(p).ok())
        .is_some_and(|q| q.amount() == domain::zbp_qr::QrAmount::Open);
    let amount = d.amount;
    view! {
        <div class="transfer">
            <section class="card" aria-labelledby="transfer-data-h">
                <h2 id="transfer-data-h">{t!(TransferData)}</h2>
                <dl class="pairs">
                    <dt>{t!(Recipient)}</dt>
                    <dd>{d.recipient_name.clone()} <br/> {d.recipient_address.clone()}</dd>
                    <dt>{t!(RecipientNip)}</dt>
                    <dd>{d.recipient_nip.clone()}</dd>
                    <dt>{t!(AccountNumber)}</dt>
                    <dd>
                        <span class="account">{d.account.clone()}</span>
                        <CopyButton value=account_digits label=K::CopyAccount/>
                        <p class="note">{t!(VirtualAccountNote)}</p>
                    </dd>
                    {d
                        .title
                        .clone()
                        .map(|title| {
                            view! {
                                <dt>{t!(TransferTitleField)}</dt>
                                <dd>
                                    <span>{title.clone()}</span>
                                    <CopyButton value=title label=K::CopyTitle/>
                                </dd>
                            }
                        })}
                    {amount
                        .map(|a| {
                            view! {
                                <dt>{t!(AmountForToday)}</dt>
                                <dd>
                                    <span class="big-amount">{money(a)}</span>
                                    <CopyButton value=a.to_string().replace('.', ",") label=K::CopyAmount/>
                                </dd>
                            }
                        })}
                </dl>
                {d.title.is_none().then(|| view! { <p class="note">{t!(TransferChooseForQr)}</p> })}
            </section>
            {qr.map(|path| {
                view! {
                    <section class="card qr-card" aria-labelledby="qr-h">
                        <h2 id="qr-h">{t!(QrTitle)}</h2>
                        <QrImage path/>
                        <p class="note">{t!(QrHint)}</p>
                        {open_amount.then(|| view! { <p class="note">{t!(QrOpenAmount)}</p> })}
                    </section>
                }
            })}
        </div>
    }
}

#[component]
pub fn WhatIfPage() -> impl IntoView {
    page_title(K::WhatIfTitle);
    let tid = param("tid");
    let setup = Load::new(move || {
        let tid = tid.get();
        async move {
            let tid = tid.ok_or(Failure::Http(404))?;
            let (page, details) = books(tid).await?;
            let today = quote(tid, &today_quote()).await?;
            Ok::<_, Failure>((tid, page, targets(&details), today))
        }
    });
    view! {
        <Back href="/".to_string() label=K::BackToDashboard/>
        <h1 tabindex="-1">{t!(WhatIfTitle)}</h1>
        <p class="lead">{t!(WhatIfIntro)}</p>
        {show(setup, |(tid, page, targets, today)| view! { <WhatIfForm tid page targets today/> })}
    }
}

#[component]
fn WhatIfForm(tid: Uuid, page: ObligationsPage, targets: Vec<Target>, today: PaymentQuote) -> impl IntoView {
    let day = RwSignal::new(format::iso_date(today.day));
    let amount =
        RwSignal::new(if today.to_pay_overdue.is_zero() { String::new() } else { today.to_pay_overdue.to_string().replace('.', ",") });
    let obligation = RwSignal::new(String::new());
    let day_error = RwSignal::new(None::<K>);
    let amount_error = RwSignal::new(None::<K>);
    let (result, set_result) = signal(None::<Result<PaymentQuote, Failure>>);
    let (busy, set_busy) = signal(false);
    let titles: Vec<(Uuid, String)> = page.items.iter().map(|o| (o.id, o.title.clone())).collect();
    let titles = StoredValue::new(titles);
    let targets = StoredValue::new(targets);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed_day = format::parse_iso_date(&day.get_untracked());
        let text = format::normalize_amount_input(&amount.get_untracked());
        let parsed_amount = if text.is_empty() { Ok(None) } else { text.parse::<Amount>().map(Some) };
        day_error.set(parsed_day.is_none().then_some(K::ErrDayInvalid));
        amount_error.set(match &parsed_amount {
            Err(_) => Some(K::ErrAmountInvalid),
            Ok(Some(a)) if a.is_zero() => Some(K::ErrAmountZero),
            _ => None,
        });
        let (Some(d), Ok(a)) = (parsed_day, parsed_amount) else { return };
        if amount_error.get_untracked().is_some() {
            return;
        }
        let obligation_id = obligation.get_untracked().parse().ok();
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let r = quote(tid, &PaymentQuoteRequest { day: Some(d), amount: a, obligation_id }).await;
            set_busy.set(false);
            set_result.set(Some(r));
        });
    };
    // A server-side field error is shown at its field.
    let server_field =
        move |field: &'static str| Signal::derive(move || result.get().and_then(|r| r.err()).and_then(|f| f.field_message(field, lang())));
    let day_msg = Signal::derive(move || day_error.get().map(|k| tr(k).to_string()).or_else(|| server_field("day").get()));
    let amount_msg = Signal::derive(move || amount_error.get().map(|k| tr(k).to_string()).or_else(|| server_field("amount").get()));
    view! {
        <form class="card" on:submit=submit novalidate>
            <div class="field">
                <label for="wi-day">{t!(PaymentDay)}</label>
                <input
                    id="wi-day"
                    type="date"
                    bind:value=day
                    required
                    aria-invalid=move || day_msg.get().is_some().to_string()
                    aria-describedby=move || described_by(None, "wi-day-err", day_msg.get().is_some())
                />
                <FieldError id="wi-day-err" message=day_msg/>
            </div>
            <div class="field">
                <label for="wi-amount">{t!(PaymentAmount)}</label>
                <input
                    id="wi-amount"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    bind:value=amount
                    aria-invalid=move || amount_msg.get().is_some().to_string()
                    aria-describedby=move || described_by(Some("wi-amount-hint"), "wi-amount-err", amount_msg.get().is_some())
                />
                <p class="hint" id="wi-amount-hint">{t!(PaymentAmountHint)}</p>
                <FieldError id="wi-amount-err" message=amount_msg/>
            </div>
            <div class="field">
                <label for="wi-obligation">{t!(IndicateObligation)}</label>
                <select id="wi-obligation" bind:value=obligation aria-describedby="wi-obligation-hint">
                    <option value="">{t!(NoIndication)}</option>
                    {page
                        .items
                        .iter()
                        .filter(|o| o.status != ObligationStatus::Paid)
                        .map(|o| view! { <option value=o.id.to_string()>{o.title.clone()}</option> })
                        .collect_view()}
                </select>
                <p class="hint" id="wi-obligation-hint">{t!(IndicateObligationHint)}</p>
            </div>
            <button type="submit" disabled=move || busy.get()>{t!(Calculate)}</button>
        </form>
        <section aria-labelledby="wi-result-h" aria-live="polite" class="card">
            <h2 id="wi-result-h">{t!(ResultTitle)}</h2>
            {move || match result.get() {
                None => view! { <p>{t!(WhatIfEmpty)}</p> }.into_any(),
                Some(Err(failure)) => view! { <ErrorNotice failure/> }.into_any(),
                Some(Ok(q)) => {
                    let day = q.day;
                    view! {
                        <p>{move || trf(K::OnDay, &[&format::date(day, lang())])}</p>
                        <dl class="totals">
                            <div class="total">
                                <dt>{t!(ToPayOverdue)}</dt>
                                <dd>{money(q.to_pay_overdue)}</dd>
                            </div>
                            <div class="total">
                                <dt>{t!(ToPayAll)}</dt>
                                <dd>{money(q.to_pay_all)}</dd>
                            </div>
                            <div class="total">
                                <dt>{t!(InterestPart)}</dt>
                                <dd>{money(q.interest_today)}</dd>
                            </div>
                        </dl>
                        {(!q.lines.is_empty())
                            .then(|| {
                                let q = q.clone();
                                view! {
                                    <h3>{t!(WhereItGoes)}</h3>
                                    <QuoteLines q titles=titles.get_value() targets=targets.get_value()/>
                                }
                            })}
                        {q
                            .remaining_all
                            .map(|all| {
                                let overdue = q.remaining_overdue;
                                view! {
                                    <h3>{t!(WhatRemains)}</h3>
                                    <dl class="totals">
                                        {overdue
                                            .map(|o| {
                                                view! {
                                                    <div class="total">
                                                        <dt>{t!(RemainingOverdue)}</dt>
                                                        <dd>{money(o)}</dd>
                                                    </div>
                                                }
                                            })}
                                        <div class="total">
                                            <dt>{t!(RemainingAll)}</dt>
                                            <dd>{money(all)}</dd>
                                        </div>
                                    </dl>
                                }
                            })}
                        {q.lines.is_empty().then(|| view! { <Warnings list=q.warnings.clone()/> })}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// The ZBP code as the server draws it (`…/transfer-details/qr`, the same payload as the details
/// beside it), shown from a blob URL: the request needs the bearer token, which `<img src>` cannot
/// send.
#[component]
fn QrImage(path: String) -> impl IntoView {
    let url = RwSignal::new_local(None::<String>);
    leptos::task::spawn_local(async move {
        let Some(src) = api::blob(&path).await.ok().and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).ok()) else {
            return;
        };
        // The card may be gone by now: then the signal is disposed and the URL must go too.
        if let Some(Some(orphan)) = url.try_set(Some(src)) {
            let _ = web_sys::Url::revoke_object_url(&orphan);
        }
    });
    on_cleanup(move || {
        if let Some(Some(src)) = url.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&src);
        }
    });
    move || url.get().map(|src| view! { <img class="qr" src=src alt=t!(QrAlt) width="256" height="256"/> })
}
