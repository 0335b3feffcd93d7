//! What a resident sees: every linked taxpayer with totals, an obligation in detail (basis, schedule,
//! interest explained, documents, payments), the payment history, due dates for a calendar.

use api_types::{
    ObligationDetail, ObligationStatus, ObligationSummary, ObligationsPage, PaymentList, PaymentView, TaxpayerList, TaxpayerSummary,
};
use leptos::prelude::*;

use super::load::Load;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::api::{self, Failure};
use super::widgets::{Back, ErrorNotice, StatusBadge, TotalsView, date, decimal, money, show};
use super::{lang, page_title, tr, trf};
use crate::explain::explain;
use crate::i18n::{self, Key as K};
use crate::{format, ical};

/// A UUID from the route, or `None` for a malformed link.
pub fn param(name: &'static str) -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name)).and_then(|v| v.parse().ok()))
}

pub async fn obligations_of(tid: Uuid) -> Result<ObligationsPage, Failure> {
    api::get(&format!("/api/v1/taxpayers/{tid}/obligations?per_page=200")).await
}

pub async fn obligation(oid: Uuid) -> Result<ObligationDetail, Failure> {
    api::get(&format!("/api/v1/obligations/{oid}")).await
}

/// The taxpayer's obligations and, for those not paid, their installments.
pub async fn books(tid: Uuid) -> Result<(ObligationsPage, Vec<ObligationDetail>), Failure> {
    let page = obligations_of(tid).await?;
    let mut details = Vec::new();
    for o in page.items.iter().filter(|o| o.status != ObligationStatus::Paid) {
        details.push(obligation(o.id).await?);
    }
    Ok((page, details))
}

#[component]
pub fn Dashboard() -> impl IntoView {
    page_title(K::DashboardTitle);
    let taxpayers = Load::new(|| api::get::<TaxpayerList>("/api/v1/taxpayers"));
    view! {
        <h1 tabindex="-1">{t!(DashboardTitle)}</h1>
        {move || api::me().map(|me| view! { <p class="lead">{move || trf(K::Greeting, &[&me.display_name])}</p> })}
        <div aria-live="polite">
            {show(
                taxpayers,
                |list| {
                    if list.items.is_empty() {
                        view! { <p class="notice">{t!(NoTaxpayers)}</p> }.into_any()
                    } else {
                        list.items.into_iter().map(|taxpayer| view! { <TaxpayerCard taxpayer/> }).collect_view().into_any()
                    }
                },
            )}
        </div>
    }
}

pub fn link_key(link: api_types::LinkKind) -> K {
    match link {
        api_types::LinkKind::Owner => K::LinkOwner,
        api_types::LinkKind::CoOwner => K::LinkCoOwner,
        api_types::LinkKind::Proxy => K::LinkProxy,
        api_types::LinkKind::Representative => K::LinkRepresentative,
    }
}

#[component]
fn TaxpayerCard(taxpayer: TaxpayerSummary) -> impl IntoView {
    let tid = taxpayer.id;
    let page = Load::new(move || obligations_of(tid));
    let heading = format!("tp-{tid}");
    let labelled_by = heading.clone();
    let link = taxpayer.link;
    view! {
        <section class="card taxpayer" aria-labelledby=labelled_by>
            <h2 id=heading>{taxpayer.name}</h2>
            <p class="meta">
                <span>{taxpayer.identifier}</span>
                <span>{taxpayer.address}</span>
                <span>{move || trf(K::YourLink, &[tr(link_key(link))])}</span>
            </p>
            {show(
                page,
                move |p| {
                    view! {
                        <TotalsView totals=p.totals.clone()/>
                        <Warnings list=p.warnings.clone()/>
                        <TaxpayerActions tid/>
                        <h3>{t!(Obligations)}</h3>
                        <ObligationTable tid items=p.items/>
                    }
                },
            )}
        </section>
    }
}

#[component]
fn TaxpayerActions(tid: Uuid) -> impl IntoView {
    view! {
        <ul class="actions">
            <li>
                <a class="button" href=format!("/taxpayers/{tid}/pay")>{t!(ActionPay)}</a>
            </li>
            <li>
                <a class="button secondary" href=format!("/taxpayers/{tid}/transfer")>{t!(ActionTransfer)}</a>
            </li>
            <li>
                <a class="button secondary" href=format!("/taxpayers/{tid}/what-if")>{t!(ActionWhatIf)}</a>
            </li>
            <li>
                <a class="button secondary" href=format!("/taxpayers/{tid}/payments")>{t!(ActionHistory)}</a>
            </li>
            <li>
                <CalendarButton tid only=None/>
            </li>
        </ul>
    }
}

#[component]
fn ObligationTable(tid: Uuid, items: Vec<ObligationSummary>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>{t!(NoObligations)}</p> }.into_any();
    }
    view! {
        <table class="stack">
            <caption class="visually-hidden">{t!(Obligations)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(ColObligation)}</th>
                    <th scope="col">{t!(ColDecision)}</th>
                    <th scope="col" class="num">{t!(ColAmount)}</th>
                    <th scope="col" class="num">{t!(ColPaid)}</th>
                    <th scope="col" class="num">{t!(ToPayToday)}</th>
                    <th scope="col">{t!(ColStatus)}</th>
                </tr>
            </thead>
            <tbody>
                {items
                    .into_iter()
                    .map(|o| {
                        let href = format!("/taxpayers/{tid}/obligations/{}", o.id);
                        view! {
                            <tr>
                                <th scope="row" data-label=t!(ColObligation)>
                                    <a href=href>{o.title}</a>
                                </th>
                                <td data-label=t!(ColDecision)>
                                    {o.decision_number} <span class="sub">{date(o.decision_date)}</span>
                                </td>
                                <td class="num" data-label=t!(ColAmount)>{money(o.amount)}</td>
                                <td class="num" data-label=t!(ColPaid)>{money(o.paid)}</td>
                                <td class="num" data-label=t!(ToPayToday)>{money(o.totals.to_pay_today)}</td>
                                <td data-label=t!(ColStatus)>
                                    <StatusBadge status=o.status/>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Server warnings (e.g. rates verified only up to a day), translated when recognised.
#[component]
pub fn Warnings(list: Vec<String>) -> impl IntoView {
    let mut list = list;
    list.sort();
    list.dedup();
    (!list.is_empty()).then(|| {
        view! {
            <div class="notice warning">
                <ul>
                    {list
                        .into_iter()
                        .map(|w| view! { <li>{move || i18n::warning(&w, lang())}</li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// Downloads the due dates still ahead as an .ics file: of one obligation, or of all.
#[component]
pub fn CalendarButton(tid: Uuid, only: Option<Uuid>) -> impl IntoView {
    // Some(Ok(true)): saved; Some(Ok(false)): nothing ahead to save.
    let (status, set_status) = signal(None::<Result<bool, Failure>>);
    let (busy, set_busy) = signal(false);
    let click = move |_| {
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                let (page, mut details) = books(tid).await?;
                if let Some(oid) = only {
                    details.retain(|d| d.obligation.id == oid);
                }
                let lang = super::LANG.with(|l| l.get_untracked());
                let events = ical::due_events(&details, page.as_of, lang);
                if events.is_empty() {
                    return Ok(false);
                }
                let ics = ical::calendar(
                    i18n::text(lang, K::IcsCalendarName),
                    &events,
                    time::OffsetDateTime::from_unix_timestamp((js_sys::Date::now() as i64) / 1000)
                        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
                    i18n::text(lang, K::IcsReminder),
                );
                super::widgets::download("terminy-platnosci.ics", "text/calendar;charset=utf-8", &ics).map(|()| true)
            }
            .await;
            set_busy.set(false);
            set_status.set(Some(result));
        });
    };
    view! {
        <button type="button" class="secondary" on:click=click disabled=move || busy.get()>
            {t!(ActionCalendar)}
        </button>
        <span role="status" aria-live="polite" class="inline-status">
            {move || match status.get() {
                Some(Ok(true)) => Some(tr(K::CalendarSaved).to_string()),
                Some(Ok(false)) => Some(tr(K::NoUpcomingDates).to_string()),
                Some(Err(f)) => Some(f.message(lang())),
                None => None,
            }}
        </span>
    }
}

#[component]
pub fn ObligationPage() -> impl IntoView {
    page_title(K::ObligationTitle);
    let tid = param("tid");
    let oid = param("oid");
    let detail = Load::new(move || {
        let oid = oid.get();
        async move {
            match oid {
                Some(oid) => obligation(oid).await,
                None => Err(Failure::Http(404)),
            }
        }
    });
    let heading = move || match detail.get() {
        Some(Ok(d)) => d.obligation.title,
        _ => tr(K::ObligationTitle).to_string(),
    };
    view! {
        <Back href="/".to_string() label=K::BackToDashboard/>
        <h1 tabindex="-1">{heading}</h1>
        {show(detail, move |d| view! { <ObligationBody tid=tid.get_untracked().unwrap_or_default() d/> })}
    }
}

#[component]
fn ObligationBody(tid: Uuid, d: ObligationDetail) -> impl IntoView {
    let o = d.obligation.clone();
    let oid = o.id;
    let installment_no = {
        let list: Vec<(Uuid, i32)> = d.installments.iter().map(|i| (i.id, i.number)).collect();
        move |id: Option<Uuid>| id.and_then(|id| list.iter().find(|(i, _)| *i == id).map(|(_, n)| *n))
    };
    let explained: Vec<_> = d.installments.iter().filter_map(|i| i.interest.clone().map(|r| (i.clone(), r))).collect();
    let data_as_of = o.data_as_of;
    view! {
        <p class="meta">
            <span>{move || trf(K::DecisionOf, &[&o.decision_number, &format::date(o.decision_date, lang())])}</span>
            <span>
                <StatusBadge status=o.status/>
            </span>
            <span>{move || trf(K::DataAsOf, &[&format::timestamp(data_as_of, lang())])}</span>
        </p>
        <TotalsView totals=o.totals.clone()/>
        <Warnings list=d.warnings.clone()/>
        <ul class="actions">
            {(o.status != ObligationStatus::Paid)
                .then(|| {
                    view! {
                        <li>
                            <a class="button" href=format!("/taxpayers/{tid}/pay?obligation={oid}")>{t!(ActionPay)}</a>
                        </li>
                        <li>
                            <a class="button secondary" href=format!("/taxpayers/{tid}/transfer?obligation={oid}")>
                                {t!(ActionTransfer)}
                            </a>
                        </li>
                        <li>
                            <CalendarButton tid only=Some(oid)/>
                        </li>
                    }
                })}
        </ul>

        <section aria-labelledby="basis-h">
            <h2 id="basis-h">{t!(BasisTitle)}</h2>
            {if d.basis_items.is_empty() {
                view! { <p>{t!(NoBasis)}</p> }.into_any()
            } else {
                view! {
                    <table class="stack">
                        <thead>
                            <tr>
                                <th scope="col">{t!(ColCategory)}</th>
                                <th scope="col" class="num">{t!(ColQuantity)}</th>
                                <th scope="col" class="num">{t!(ColRate)}</th>
                                <th scope="col" class="num">{t!(ColAmount)}</th>
                                <th scope="col">{t!(ColResolution)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {d
                                .basis_items
                                .iter()
                                .cloned()
                                .map(|b| {
                                    let unit = b.unit.clone();
                                    view! {
                                        <tr>
                                            <th scope="row" data-label=t!(ColCategory)>{b.category}</th>
                                            <td class="num" data-label=t!(ColQuantity)>
                                                {decimal(b.quantity)} " " {unit.clone()}
                                            </td>
                                            <td class="num" data-label=t!(ColRate)>
                                                {money(b.rate)} " / " {unit}
                                            </td>
                                            <td class="num" data-label=t!(ColAmount)>{money(b.amount)}</td>
                                            <td data-label=t!(ColResolution)>{b.resolution}</td>
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

        <section aria-labelledby="schedule-h">
            <h2 id="schedule-h">{t!(ScheduleTitle)}</h2>
            <table class="stack">
                <thead>
                    <tr>
                        <th scope="col">{t!(ColInstallment)}</th>
                        <th scope="col">{t!(ColDueDate)}</th>
                        <th scope="col" class="num">{t!(ColAmount)}</th>
                        <th scope="col" class="num">{t!(ColPaid)}</th>
                        <th scope="col" class="num">{t!(ColOutstanding)}</th>
                        <th scope="col" class="num">{t!(ColInterest)}</th>
                        <th scope="col">{t!(ColStatus)}</th>
                    </tr>
                </thead>
                <tbody>
                    {d
                        .installments
                        .iter()
                        .map(|i| {
                            let shifted = (i.effective_due_date != i.due_date).then_some(i.effective_due_date);
                            view! {
                                <tr>
                                    <th scope="row" data-label=t!(ColInstallment)>{i.number}</th>
                                    <td data-label=t!(ColDueDate)>
                                        {date(i.due_date)}
                                        {shifted
                                            .map(|s| {
                                                view! {
                                                    <span class="sub">
                                                        {move || trf(K::ShiftedTo, &[&format::date(s, lang())])}
                                                    </span>
                                                }
                                            })}
                                    </td>
                                    <td class="num" data-label=t!(ColAmount)>{money(i.amount)}</td>
                                    <td class="num" data-label=t!(ColPaid)>{money(i.principal_paid)}</td>
                                    <td class="num" data-label=t!(ColOutstanding)>{money(i.principal_outstanding)}</td>
                                    <td class="num" data-label=t!(ColInterest)>{money(i.interest_owed)}</td>
                                    <td data-label=t!(ColStatus)>
                                        <StatusBadge status=i.status/>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>

        <section aria-labelledby="interest-h">
            <h2 id="interest-h">{t!(InterestTitle)}</h2>
            {if explained.is_empty() {
                view! { <p>{t!(NoInterest)}</p> }.into_any()
            } else {
                view! {
                    <p>{t!(InterestIntro)}</p>
                    {explained
                        .into_iter()
                        .map(|(i, r)| {
                            let number = i.number.to_string();
                            let due = i.effective_due_date;
                            let e = {
                                let (i, r) = (i.clone(), r.clone());
                                move || explain(&i, &r, lang())
                            };
                            let e2 = e.clone();
                            let e3 = e.clone();
                            view! {
                                <article class="explain">
                                    <h3>{move || trf(K::InstallmentDue, &[&number, &format::date(due, lang())])}</h3>
                                    {move || e().intro.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                                    <ol class="periods">
                                        {move || e2().periods.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                    </ol>
                                    {move || e3().outcome.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                                </article>
                            }
                        })
                        .collect_view()}
                }
                    .into_any()
            }}
        </section>

        <section aria-labelledby="docs-h">
            <h2 id="docs-h">{t!(DocumentsTitle)}</h2>
            {if d.documents.is_empty() {
                view! { <p>{t!(NoDocuments)}</p> }.into_any()
            } else {
                view! {
                    <ul class="documents">
                        {d
                            .documents
                            .iter()
                            .cloned()
                            .map(|doc| {
                                view! {
                                    <li>
                                        <BlobLink
                                            path=format!("/api/v1/obligations/{oid}/documents/{}", doc.id)
                                            label=i18n::document_kind_key(&doc.kind)
                                            file_name=doc.file_name
                                        />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>

        <section aria-labelledby="paid-h">
            <h2 id="paid-h">{t!(PaymentsReachedTitle)}</h2>
            {if d.payments.is_empty() {
                view! { <p>{t!(NoPaymentsReached)}</p> }.into_any()
            } else {
                let rows = d
                    .payments
                    .iter()
                    .cloned()
                    .map(|p| {
                        let parts: Vec<_> = p
                            .allocations
                            .iter()
                            .filter(|a| a.obligation_id == Some(oid))
                            .map(|a| (installment_no(a.installment_id), a.principal, a.interest))
                            .collect();
                        view! {
                            <tr>
                                <th scope="row" data-label=t!(ColPaymentDate)>{p.payment_date.map(date)}</th>
                                <td class="num" data-label=t!(ColAmount)>{money(p.amount)}</td>
                                <td data-label=t!(ColSource)>{move || tr(i18n::payment_source_key(&p.source))}</td>
                                <td data-label=t!(ColReachedThis)>
                                    <ul class="plain">
                                        {parts
                                            .into_iter()
                                            .map(|(n, principal, interest)| {
                                                let n = n.map(|n| n.to_string()).unwrap_or_default();
                                                view! {
                                                    <li>
                                                        {move || {
                                                            trf(
                                                                K::AllocationLine,
                                                                &[&n, &format::amount(&principal, lang()), &format::amount(&interest, lang())],
                                                            )
                                                        }}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <table class="stack">
                        <thead>
                            <tr>
                                <th scope="col">{t!(ColPaymentDate)}</th>
                                <th scope="col" class="num">{t!(ColAmount)}</th>
                                <th scope="col">{t!(ColSource)}</th>
                                <th scope="col">{t!(ColReachedThis)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
    }
}

/// A PDF from the API (a decision, a receipt): fetched with the bearer token and opened from a
/// blob. A tab is opened at the click (so no pop-up blocker stops it) and pointed at the blob when
/// it arrives; a link to the blob is offered as well, in case the browser refused the tab.
#[component]
pub fn BlobLink(path: String, label: K, file_name: String) -> impl IntoView {
    let (state, set_state) = signal(None::<Result<String, Failure>>);
    let open = move |_| {
        let path = path.clone();
        let tab = window().open_with_url_and_target("about:blank", "_blank").ok().flatten();
        leptos::task::spawn_local(async move {
            match api::blob(&path).await {
                Ok(blob) => match web_sys::Url::create_object_url_with_blob(&blob) {
                    Ok(url) => {
                        if let Some(tab) = &tab {
                            let _ = tab.location().set_href(&url);
                        }
                        set_state.set(Some(Ok(url)));
                    }
                    Err(_) => set_state.set(Some(Err(Failure::Decode))),
                },
                Err(f) => {
                    if let Some(tab) = &tab {
                        let _ = tab.close();
                    }
                    set_state.set(Some(Err(f)));
                }
            }
        });
    };
    let shown_name = file_name.clone();
    view! {
        <button type="button" class="secondary" on:click=open>
            {move || tr(label)} " (PDF)"
        </button>
        <span class="sub">{shown_name}</span>
        <span role="status" aria-live="polite" class="inline-status">
            {move || match state.get() {
                Some(Ok(url)) => {
                    view! {
                        <a href=url target="_blank" rel="external" download=file_name.clone()>
                            {t!(DocumentReady)}
                        </a>
                    }
                        .into_any()
                }
                Some(Err(failure)) => view! { <ErrorNotice failure/> }.into_any(),
                None => ().into_any(),
            }}
        </span>
    }
}

/// Where the gateway sends the browser back (`/platnosci/{id}`): the payment's state, followed
/// until the gateway's notification books it, then the receipt.
#[component]
pub fn PaymentStatusPage() -> impl IntoView {
    page_title(K::PaymentTitle);
    let pid = param("pid");
    let round = RwSignal::new(0u32);
    let payment = Load::new(move || {
        round.track();
        let pid = pid.get();
        async move {
            let pid = pid.ok_or(Failure::Http(404))?;
            api::get::<PaymentView>(&format!("/api/v1/payments/{pid}")).await
        }
    });
    // While the payment is pending, ask again every 3 s for a minute.
    Effect::new(move |_| {
        if let Some(Ok(p)) = payment.get()
            && p.status == "pending"
            && round.get_untracked() < 20
        {
            set_timeout(move || round.update(|r| *r += 1), std::time::Duration::from_secs(3));
        }
    });
    view! {
        <Back href="/".to_string() label=K::BackToDashboard/>
        <h1 tabindex="-1">{t!(PaymentTitle)}</h1>
        <div aria-live="polite">
            {move || match payment.get() {
                None => view! { <super::widgets::Loading/> }.into_any(),
                Some(Err(failure)) => view! { <ErrorNotice failure/> }.into_any(),
                Some(Ok(p)) => {
                    let status = p.status.clone();
                    let note = match p.status.as_str() {
                        "booked" => K::PaymentBookedNote,
                        "pending" => K::PaymentPendingNote,
                        _ => K::PaymentFailedNote,
                    };
                    let booked = p.status == "booked";
                    let id = p.id;
                    view! {
                        <div class="card">
                            <p>
                                <span class=format!("badge payment-{}", p.status)>
                                    {move || tr(i18n::payment_status_key(&status))}
                                </span>
                            </p>
                            <p class="big-amount">{money(p.amount)}</p>
                            <p>{move || tr(note)}</p>
                            <dl class="pairs">
                                <dt>{t!(ColPaymentDate)}</dt>
                                <dd>{p.payment_date.map(date)}</dd>
                                <dt>{t!(ColSource)}</dt>
                                <dd>{move || tr(i18n::payment_source_key(&p.source))}</dd>
                                <dt>{t!(PaymentReference)}</dt>
                                <dd class="mono">{p.reference.clone()}</dd>
                            </dl>
                            {booked
                                .then(|| {
                                    view! {
                                        <p>
                                            <BlobLink
                                                path=format!("/api/v1/payments/{id}/receipt.pdf")
                                                label=K::ReceiptPdf
                                                file_name=format!("potwierdzenie-{id}.pdf")
                                            />
                                        </p>
                                    }
                                })}
                        </div>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

#[component]
pub fn PaymentsPage() -> impl IntoView {
    page_title(K::PaymentsTitle);
    let tid = param("tid");
    let data = Load::new(move || {
        let tid = tid.get();
        async move {
            let tid = tid.ok_or(Failure::Http(404))?;
            let payments = api::get::<PaymentList>(&format!("/api/v1/taxpayers/{tid}/payments")).await?;
            let obligations = obligations_of(tid).await?;
            Ok::<_, Failure>((payments, obligations))
        }
    });
    view! {
        <Back href="/".to_string() label=K::BackToDashboard/>
        <h1 tabindex="-1">{t!(PaymentsTitle)}</h1>
        <div aria-live="polite">
            {show(
                data,
                |(payments, obligations)| {
                    if payments.items.is_empty() {
                        return view! { <p>{t!(NoPayments)}</p> }.into_any();
                    }
                    let titles: Vec<(Uuid, String)> = obligations.items.iter().map(|o| (o.id, o.title.clone())).collect();
                    view! {
                        <table class="stack">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(ColPaymentDate)}</th>
                                    <th scope="col">{t!(ColBookingDate)}</th>
                                    <th scope="col" class="num">{t!(ColAmount)}</th>
                                    <th scope="col">{t!(ColSource)}</th>
                                    <th scope="col">{t!(ColStatus)}</th>
                                    <th scope="col">{t!(ColWhereItWent)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {payments.items.into_iter().map(|p| payment_row(p, &titles)).collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                },
            )}
        </div>
    }
}

fn payment_row(p: PaymentView, titles: &[(Uuid, String)]) -> impl IntoView + use<> {
    let title_of = |id: Option<Uuid>| id.and_then(|id| titles.iter().find(|(i, _)| *i == id).map(|(_, t)| t.clone())).unwrap_or_default();
    let lines: Vec<_> = p.allocations.iter().map(|a| (title_of(a.obligation_id), a.principal, a.interest, a.reminder_costs)).collect();
    let overpayment = (!p.overpayment.is_zero()).then_some(p.overpayment);
    let status = p.status.clone();
    let source = p.source.clone();
    let provisional = p.provisional;
    view! {
        <tr>
            <th scope="row" data-label=t!(ColPaymentDate)>
                {p.payment_date.map(date)}
                {p.reference.map(|r| view! { <span class="sub">{r}</span> })}
            </th>
            <td data-label=t!(ColBookingDate)>{p.booking_date.map(date)}</td>
            <td class="num" data-label=t!(ColAmount)>{money(p.amount)}</td>
            <td data-label=t!(ColSource)>{move || tr(i18n::payment_source_key(&source))}</td>
            <td data-label=t!(ColStatus)>
                <span class=format!("badge payment-{}", p.status)>{move || tr(i18n::payment_status_key(&status))}</span>
            </td>
            <td data-label=t!(ColWhereItWent)>
                <ul class="plain">
                    {lines
                        .into_iter()
                        .map(|(title, principal, interest, costs)| {
                            view! {
                                <li>
                                    {move || {
                                        if costs.is_zero() {
                                            trf(
                                                K::AllocationToObligation,
                                                &[&title, &format::amount(&principal, lang()), &format::amount(&interest, lang())],
                                            )
                                        } else {
                                            trf(K::AllocationToCosts, &[&format::amount(&costs, lang())])
                                        }
                                    }}
                                </li>
                            }
                        })
                        .collect_view()}
                    {overpayment
                        .map(|o| view! { <li>{move || trf(K::Overpayment, &[&format::amount(&o, lang())])}</li> })}
                    {provisional.then(|| view! { <li class="sub provisional">{t!(AllocationProvisional)}</li> })}
                </ul>
            </td>
        </tr>
    }
}
