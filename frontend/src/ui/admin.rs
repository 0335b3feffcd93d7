//! The clerks' and administrators' panel: users and their links, roles, the interest-rate table,
//! settings, the audit log. The server checks the role on every call; the UI only hides what the
//! user could not do anyway.

use api_types::{
    AuditPage, CreateLink, EndLink, InterestRates, LinkKind, LinkView, NewRateRow, Role, SetRoles, Settings, SettingsUpdate, UserPage,
    UserView, VerifiedUpTo,
};
use leptos::prelude::*;

use super::load::Load;
use leptos_router::components::A;
use uuid::Uuid;

use super::api::{self, Failure, enc};
use super::resident::link_key;
use super::widgets::{ErrorNotice, FieldError, described_by, is_admin, money, show};
use super::{lang, page_title, tr, trf};
use crate::format;
use crate::i18n::{self, Key as K};

fn admin() -> bool {
    api::me().is_some_and(|me| is_admin(&me))
}

#[component]
pub(super) fn AdminNav() -> impl IntoView {
    view! {
        <nav class="sub-nav" aria-label=t!(AdminNavigation)>
            <ul>
                <li>
                    <A href="/admin/users">{t!(NavUsers)}</A>
                </li>
                <li>
                    <A href="/admin/rates">{t!(NavRates)}</A>
                </li>
                <li>
                    <A href="/admin/settings">{t!(NavSettings)}</A>
                </li>
                {move || {
                    admin()
                        .then(|| {
                            view! {
                                <li>
                                    <A href="/admin/audit">{t!(NavAudit)}</A>
                                </li>
                            }
                        })
                }}
                <li>
                    <A href="/admin/statements">{t!(NavStatements)}</A>
                </li>
                <li>
                    <A href="/admin/unmatched">{t!(NavUnmatched)}</A>
                </li>
                <li>
                    <A href="/admin/sync">{t!(NavSync)}</A>
                </li>
            </ul>
        </nav>
    }
}

#[component]
pub fn AdminHome() -> impl IntoView {
    page_title(K::AdminTitle);
    view! {
        <h1 tabindex="-1">{t!(AdminTitle)}</h1>
        <AdminNav/>
        <p class="lead">{t!(AdminIntro)}</p>
        <ul class="tiles">
            <li>
                <a href="/admin/users">
                    <strong>{t!(NavUsers)}</strong>
                    <span>{t!(AdminUsersHint)}</span>
                </a>
            </li>
            <li>
                <a href="/admin/rates">
                    <strong>{t!(NavRates)}</strong>
                    <span>{t!(AdminRatesHint)}</span>
                </a>
            </li>
            <li>
                <a href="/admin/settings">
                    <strong>{t!(NavSettings)}</strong>
                    <span>{t!(AdminSettingsHint)}</span>
                </a>
            </li>
            <li>
                <a href="/admin/statements">
                    <strong>{t!(NavStatements)}</strong>
                    <span>{t!(AdminStatementsHint)}</span>
                </a>
            </li>
            <li>
                <a href="/admin/sync">
                    <strong>{t!(NavSync)}</strong>
                    <span>{t!(AdminSyncHint)}</span>
                </a>
            </li>
            {move || {
                admin()
                    .then(|| {
                        view! {
                            <li>
                                <a href="/admin/audit">
                                    <strong>{t!(NavAudit)}</strong>
                                    <span>{t!(AdminAuditHint)}</span>
                                </a>
                            </li>
                        }
                    })
            }}
        </ul>
    }
}

fn roles_text(roles: &[Role]) -> String {
    roles.iter().map(|r| tr(i18n::role_key(*r))).collect::<Vec<_>>().join(", ")
}

#[component]
pub fn UsersPage() -> impl IntoView {
    page_title(K::UsersTitle);
    let page = RwSignal::new(1u32);
    let users = Load::new(move || {
        let page = page.get();
        async move { api::get::<UserPage>(&format!("/api/v1/admin/users?page={page}&per_page=20")).await }
    });
    let reload = move || users.refetch();
    view! {
        <h1 tabindex="-1">{t!(UsersTitle)}</h1>
        <AdminNav/>
        <p class="lead">{t!(UsersIntro)}</p>
        <div aria-live="polite">
            {show(
                users,
                move |p| {
                    let total = p.total_items;
                    let last = p.total_items.div_ceil(u64::from(p.per_page.max(1))).max(1);
                    view! {
                        <p>{move || trf(K::UsersCount, &[&total.to_string()])}</p>
                        {p.items.into_iter().map(|user| view! { <UserCard user reload/> }).collect_view()}
                        <Pager page last/>
                    }
                },
            )}
        </div>
    }
}

#[component]
pub(super) fn Pager(page: RwSignal<u32>, last: u64) -> impl IntoView {
    view! {
        <nav class="pager" aria-label=t!(Pagination)>
            <button type="button" class="secondary" disabled=move || page.get() <= 1 on:click=move |_| page.update(|p| *p -= 1)>
                {t!(PrevPage)}
            </button>
            <span>{move || trf(K::PageOf, &[&page.get().to_string(), &last.to_string()])}</span>
            <button
                type="button"
                class="secondary"
                disabled=move || { u64::from(page.get()) >= last }
                on:click=move |_| page.update(|p| *p += 1)
            >
                {t!(NextPage)}
            </button>
        </nav>
    }
}

#[component]
fn UserCard(user: UserView, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let uid = user.id;
    let heading = format!("user-{uid}");
    let labelled_by = heading.clone();
    let roles = user.roles.clone();
    view! {
        <article class="card user" aria-labelledby=labelled_by>
            <h2 id=heading>{user.display_name.clone()}</h2>
            <p class="meta">
                <span>{move || trf(K::RolesAre, &[&roles_text(&roles)])}</span>
                <span class="mono">{uid.to_string()}</span>
            </p>
            {if user.links.is_empty() {
                view! { <p>{t!(NoLinks)}</p> }.into_any()
            } else {
                view! {
                    <table class="stack">
                        <caption class="visually-hidden">{t!(LinksCaption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(ColTaxpayer)}</th>
                                <th scope="col">{t!(ColLinkKind)}</th>
                                <th scope="col">{t!(ColValidFrom)}</th>
                                <th scope="col">{t!(ColValidTo)}</th>
                                <th scope="col">{t!(ColActions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {user.links.iter().cloned().map(|link| view! { <LinkRow link reload/> }).collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
            <details>
                <summary>{t!(AddLink)}</summary>
                <AddLinkForm uid reload/>
            </details>
            {move || {
                let roles = user.roles.clone();
                admin()
                    .then(|| {
                        view! {
                            <details>
                                <summary>{t!(ChangeRoles)}</summary>
                                <RolesForm uid roles reload/>
                            </details>
                        }
                    })
            }}
        </article>
    }
}

#[component]
fn LinkRow(link: LinkView, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lid = link.id;
    let kind = link.kind;
    let end = RwSignal::new(String::new());
    let (failure, set_failure) = signal(None::<Failure>);
    let field_id = format!("end-{lid}");
    let err_id = format!("end-{lid}-err");
    let err_ref = err_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(valid_to) = format::parse_iso_date(&end.get_untracked()) else {
            set_failure.set(Some(local_field("valid_to", "invalid_date")));
            return;
        };
        leptos::task::spawn_local(async move {
            match api::post::<_, LinkView>(&format!("/api/v1/admin/links/{lid}/end"), &EndLink { valid_to }).await {
                Ok(_) => reload(),
                Err(f) => set_failure.set(Some(f)),
            }
        });
    };
    let msg = Signal::derive(move || failure.get().map(|f| f.field_message("valid_to", lang()).unwrap_or_else(|| f.message(lang()))));
    let active = link.valid_to.is_none();
    view! {
        <tr>
            <th scope="row" data-label=t!(ColTaxpayer)>
                {link.taxpayer_name.clone()}
                <span class="sub mono">{link.taxpayer_id.to_string()}</span>
            </th>
            <td data-label=t!(ColLinkKind)>{move || tr(link_key(kind))}</td>
            <td data-label=t!(ColValidFrom)>{super::widgets::date(link.valid_from)}</td>
            <td data-label=t!(ColValidTo)>{link.valid_to.map(super::widgets::date)}</td>
            <td data-label=t!(ColActions)>
                {active
                    .then(|| {
                        view! {
                            <form class="inline-form" on:submit=submit novalidate>
                                <label for=field_id.clone()>{t!(EndOn)}</label>
                                <input
                                    id=field_id.clone()
                                    type="date"
                                    bind:value=end
                                    required
                                    aria-invalid=move || msg.get().is_some().to_string()
                                    aria-describedby=move || described_by(None, &err_ref, msg.get().is_some())
                                />
                                <button type="submit" class="secondary">{t!(EndLink)}</button>
                                <FieldError id=err_id message=msg/>
                            </form>
                        }
                    })}
            </td>
        </tr>
    }
}

/// A validation failure found before sending, shaped like the server's.
fn local_field(field: &str, code: &str) -> Failure {
    Failure::Problem(api_types::Problem {
        type_: String::new(),
        title: String::new(),
        status: 400,
        code: "validation_failed".into(),
        detail: None,
        errors: vec![api_types::FieldError { field: field.into(), code: code.into(), message: String::new() }],
    })
}

fn field_msg(failure: ReadSignal<Option<Failure>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || failure.get().and_then(|f| f.field_message(field, lang())))
}

/// The general message of a failure, when it is not only about fields the form shows.
fn general_msg(failure: ReadSignal<Option<Failure>>, fields: &'static [&'static str]) -> impl Fn() -> Option<AnyView> {
    move || {
        failure.get().and_then(|f| {
            let only_fields = matches!(&f, Failure::Problem(p) if !p.errors.is_empty()) && f.other_fields(fields).is_empty();
            (!only_fields).then(|| view! { <ErrorNotice failure=f/> }.into_any())
        })
    }
}

#[component]
fn AddLinkForm(uid: Uuid, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let taxpayer = RwSignal::new(String::new());
    let kind = RwSignal::new("owner".to_string());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let (failure, set_failure) = signal(None::<Failure>);
    let (done, set_done) = signal(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_done.set(false);
        let Ok(taxpayer_id) = taxpayer.get_untracked().trim().parse::<Uuid>() else {
            set_failure.set(Some(local_field("taxpayer_id", "invalid")));
            return;
        };
        let date = |s: String| if s.is_empty() { Ok(None) } else { format::parse_iso_date(&s).map(Some).ok_or(()) };
        let (Ok(valid_from), Ok(valid_to)) = (date(from.get_untracked()), date(to.get_untracked())) else {
            set_failure.set(Some(local_field("valid_from", "invalid_date")));
            return;
        };
        let kind = LinkKind::parse(&kind.get_untracked()).unwrap_or(LinkKind::Owner);
        leptos::task::spawn_local(async move {
            let body = CreateLink { taxpayer_id, kind, valid_from, valid_to };
            match api::post::<_, LinkView>(&format!("/api/v1/admin/users/{uid}/links"), &body).await {
                Ok(_) => {
                    set_failure.set(None);
                    set_done.set(true);
                    reload();
                }
                Err(f) => set_failure.set(Some(f)),
            }
        });
    };
    let ids = |name: &str| format!("{name}-{uid}");
    let (tp_id, kind_id, from_id, to_id) = (ids("lt"), ids("lk"), ids("lf"), ids("lto"));
    let (tp_hint, tp_err, from_hint, from_err, to_err) = (ids("lt-hint"), ids("lt-err"), ids("lf-hint"), ids("lf-err"), ids("lto-err"));
    let (tp_hint2, tp_err2, from_hint2, from_err2, to_err2) =
        (tp_hint.clone(), tp_err.clone(), from_hint.clone(), from_err.clone(), to_err.clone());
    let tp_msg = field_msg(failure, "taxpayer_id");
    let from_msg = field_msg(failure, "valid_from");
    let to_msg = field_msg(failure, "valid_to");
    view! {
        <form class="grid-form" on:submit=submit novalidate>
            <div class="field">
                <label for=tp_id.clone()>{t!(TaxpayerId)}</label>
                <input
                    id=tp_id
                    type="text"
                    bind:value=taxpayer
                    required
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=move || tp_msg.get().is_some().to_string()
                    aria-describedby=move || described_by(Some(&tp_hint2), &tp_err2, tp_msg.get().is_some())
                />
                <p class="hint" id=tp_hint>{t!(TaxpayerIdHint)}</p>
                <FieldError id=tp_err message=tp_msg/>
            </div>
            <div class="field">
                <label for=kind_id.clone()>{t!(ColLinkKind)}</label>
                <select id=kind_id bind:value=kind>
                    {[LinkKind::Owner, LinkKind::CoOwner, LinkKind::Proxy, LinkKind::Representative]
                        .into_iter()
                        .map(|k| view! { <option value=k.code()>{move || tr(link_key(k))}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=from_id.clone()>{t!(ColValidFrom)}</label>
                <input
                    id=from_id
                    type="date"
                    bind:value=from
                    aria-invalid=move || from_msg.get().is_some().to_string()
                    aria-describedby=move || described_by(Some(&from_hint2), &from_err2, from_msg.get().is_some())
                />
                <p class="hint" id=from_hint>{t!(ValidFromHint)}</p>
                <FieldError id=from_err message=from_msg/>
            </div>
            <div class="field">
                <label for=to_id.clone()>{t!(ColValidTo)}</label>
                <input
                    id=to_id
                    type="date"
                    bind:value=to
                    aria-invalid=move || to_msg.get().is_some().to_string()
                    aria-describedby=move || described_by(None, &to_err2, to_msg.get().is_some())
                />
                <FieldError id=to_err message=to_msg/>
            </div>
            <div class="form-actions">
                <button type="submit">{t!(AddLink)}</button>
                <span role="status" aria-live="polite">{move || done.get().then(|| tr(K::Saved))}</span>
            </div>
            {general_msg(failure, &["taxpayer_id", "valid_from", "valid_to"])}
        </form>
    }
}

#[component]
fn RolesForm(uid: Uuid, roles: Vec<Role>, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let all = [Role::Resident, Role::Clerk, Role::Admin];
    let checked: Vec<(Role, RwSignal<bool>)> = all.iter().map(|r| (*r, RwSignal::new(roles.contains(r)))).collect();
    let checked = StoredValue::new(checked);
    let (failure, set_failure) = signal(None::<Failure>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let roles: Vec<Role> = checked.with_value(|c| c.iter().filter(|(_, s)| s.get_untracked()).map(|(r, _)| *r).collect());
        leptos::task::spawn_local(async move {
            match api::call::<_, UserView>("PUT", &format!("/api/v1/admin/users/{uid}/roles"), &SetRoles { roles }).await {
                Ok(_) => {
                    set_failure.set(None);
                    reload();
                }
                Err(f) => set_failure.set(Some(f)),
            }
        });
    };
    view! {
        <form on:submit=submit>
            <fieldset>
                <legend>{t!(Roles)}</legend>
                {checked
                    .get_value()
                    .into_iter()
                    .map(|(role, signal)| {
                        let id = format!("role-{}-{uid}", role.code());
                        view! {
                            <div class="checkbox">
                                <input type="checkbox" id=id.clone() bind:checked=signal/>
                                <label for=id>{move || tr(i18n::role_key(role))}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <button type="submit">{t!(SaveRoles)}</button>
            {move || failure.get().map(|failure| view! { <ErrorNotice failure/> })}
        </form>
    }
}

#[component]
pub fn RatesPage() -> impl IntoView {
    page_title(K::RatesTitle);
    let rates = Load::new(|| api::get::<InterestRates>("/api/v1/admin/interest-rates"));
    let reload = move || rates.refetch();
    view! {
        <h1 tabindex="-1">{t!(RatesTitle)}</h1>
        <AdminNav/>
        <p class="lead">{t!(RatesIntro)}</p>
        <div aria-live="polite">
            {show(
                rates,
                move |r| {
                    let verified = r.verified_up_to;
                    let mut rows = r.rates.clone();
                    rows.reverse();
                    let mut thresholds = r.thresholds.clone();
                    thresholds.reverse();
                    view! {
                        <p class="notice">
                            {move || trf(K::VerifiedUpTo, &[&format::date(verified, lang())])}
                        </p>
                        {move || admin().then(|| view! { <VerifiedForm reload/> })}
                        <section aria-labelledby="rates-h">
                            <h2 id="rates-h">{t!(RatesTable)}</h2>
                            <table class="stack">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(ColFrom)}</th>
                                        <th scope="col" class="num">{t!(ColLombard)}</th>
                                        <th scope="col" class="num">{t!(ColStandard)}</th>
                                        <th scope="col" class="num">{t!(ColReduced)}</th>
                                        <th scope="col" class="num">{t!(ColIncreased)}</th>
                                        <th scope="col">{t!(ColSource)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows
                                        .into_iter()
                                        .map(|row| {
                                            let pct = |v: Option<String>| {
                                                move || v.as_deref().map(|v| format::percent(v, lang())).unwrap_or_else(|| "—".into())
                                            };
                                            view! {
                                                <tr>
                                                    <th scope="row" data-label=t!(ColFrom)>
                                                        {super::widgets::date(row.effective_from)}
                                                    </th>
                                                    <td class="num" data-label=t!(ColLombard)>{pct(row.lombard)}</td>
                                                    <td class="num" data-label=t!(ColStandard)>{pct(Some(row.standard))}</td>
                                                    <td class="num" data-label=t!(ColReduced)>{pct(Some(row.reduced))}</td>
                                                    <td class="num" data-label=t!(ColIncreased)>{pct(row.increased)}</td>
                                                    <td data-label=t!(ColSource)>{row.source}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </section>
                        <section aria-labelledby="thresholds-h">
                            <h2 id="thresholds-h">{t!(ThresholdsTable)}</h2>
                            <table class="stack">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(ColFrom)}</th>
                                        <th scope="col" class="num">{t!(ColThreshold)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {thresholds
                                        .into_iter()
                                        .map(|t| {
                                            view! {
                                                <tr>
                                                    <th scope="row" data-label=t!(ColFrom)>
                                                        {super::widgets::date(t.effective_from)}
                                                    </th>
                                                    <td class="num" data-label=t!(ColThreshold)>{money(t.amount)}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </section>
                        {move || admin().then(|| view! { <NewRateForm reload/> })}
                    }
                },
            )}
        </div>
    }
}

#[component]
fn VerifiedForm(reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let day = RwSignal::new(String::new());
    let (failure, set_failure) = signal(None::<Failure>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(verified_up_to) = format::parse_iso_date(&day.get_untracked()) else {
            set_failure.set(Some(local_field("verified_up_to", "invalid_date")));
            return;
        };
        leptos::task::spawn_local(async move {
            match api::call::<_, InterestRates>("PUT", "/api/v1/admin/interest-rates/verified-up-to", &VerifiedUpTo { verified_up_to })
                .await
            {
                Ok(_) => reload(),
                Err(f) => set_failure.set(Some(f)),
            }
        });
    };
    let msg = Signal::derive(move || failure.get().map(|f| f.field_message("verified_up_to", lang()).unwrap_or_else(|| f.message(lang()))));
    view! {
        <form class="inline-form card" on:submit=submit novalidate>
            <label for="verified-day">{t!(SetVerifiedUpTo)}</label>
            <input
                id="verified-day"
                type="date"
                bind:value=day
                required
                aria-invalid=move || msg.get().is_some().to_string()
                aria-describedby=move || described_by(None, "verified-err", msg.get().is_some())
            />
            <button type="submit">{t!(Save)}</button>
            <FieldError id="verified-err" message=msg/>
        </form>
    }
}

#[component]
fn NewRateForm(reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let lombard = RwSignal::new(String::new());
    let standard = RwSignal::new(String::new());
    let reduced = RwSignal::new(String::new());
    let increased = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let (failure, set_failure) = signal(None::<Failure>);
    let (saved, set_saved) = signal(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_saved.set(false);
        let Some(effective_from) = format::parse_iso_date(&from.get_untracked()) else {
            set_failure.set(Some(local_field("effective_from", "invalid_date")));
            return;
        };
        // Rates are decimal text; the server validates them exactly.
        let opt = |s: RwSignal<String>| Some(format::normalize_amount_input(&s.get_untracked())).filter(|v| !v.is_empty());
        let body = NewRateRow {
            effective_from,
            lombard: opt(lombard),
            standard: format::normalize_amount_input(&standard.get_untracked()),
            reduced: format::normalize_amount_input(&reduced.get_untracked()),
            increased: opt(increased),
            source: source.get_untracked().trim().to_string(),
        };
        leptos::task::spawn_local(async move {
            match api::post::<_, InterestRates>("/api/v1/admin/interest-rates", &body).await {
                Ok(_) => {
                    set_failure.set(None);
                    set_saved.set(true);
                    reload();
                }
                Err(f) => set_failure.set(Some(f)),
            }
        });
    };
    let field = move |id: &'static str, name: &'static str, label: K, value: RwSignal<String>, kind: &'static str| {
        let err_id: &'static str = name;
        let msg = field_msg(failure, name);
        view! {
            <div class="field">
                <label for=id>{move || tr(label)}</label>
                <input
                    id=id
                    type=kind
                    inputmode=if kind == "text" { "decimal" } else { "none" }
                    bind:value=value
                    aria-invalid=move || msg.get().is_some().to_string()
                    aria-describedby=move || described_by(None, err_id, msg.get().is_some())
                />
                <FieldError id=err_id message=msg/>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="new-rate-h">
            <h2 id="new-rate-h">{t!(AddRate)}</h2>
            <form class="grid-form" on:submit=submit novalidate>
                {field("nr-from", "effective_from", K::ColFrom, from, "date")}
                {field("nr-lombard", "lombard", K::ColLombard, lombard, "text")}
                {field("nr-standard", "standard", K::ColStandard, standard, "text")}
                {field("nr-reduced", "reduced", K::ColReduced, reduced, "text")}
                {field("nr-increased", "increased", K::ColIncreased, increased, "text")}
                <div class="field">
                    <label for="nr-source">{t!(ColSource)}</label>
                    <input id="nr-source" type="text" bind:value=source required aria-describedby="nr-source-hint"/>
                    <p class="hint" id="nr-source-hint">{t!(RateSourceHint)}</p>
                </div>
                <div class="form-actions">
                    <button type="submit">{t!(AddRate)}</button>
                    <span role="status" aria-live="polite">{move || saved.get().then(|| tr(K::Saved))}</span>
                </div>
                {general_msg(failure, &["effective_from", "lombard", "standard", "reduced", "increased"])}
            </form>
        </section>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    page_title(K::SettingsTitle);
    let settings = Load::new(|| api::get::<Settings>("/api/v1/admin/settings"));
    view! {
        <h1 tabindex="-1">{t!(SettingsTitle)}</h1>
        <AdminNav/>
        <div aria-live="polite">
            {show(
                settings,
                move |s| {
                    let mode = s.threshold_mode.clone();
                    let verified = s.rates_verified_up_to;
                    let form_settings = s.clone();
                    view! {
                        <dl class="pairs card">
                            <dt>{t!(MunicipalityName)}</dt>
                            <dd>{s.name.clone()}</dd>
                            <dt>{t!(RecipientNip)}</dt>
                            <dd>{s.nip.clone()}</dd>
                            <dt>{t!(Address)}</dt>
                            <dd>{s.address.clone()}</dd>
                            <dt>{t!(BankAccount)}</dt>
                            <dd class="account">{s.bank_account.clone()}</dd>
                            <dt>{t!(VirtualPrefix)}</dt>
                            <dd class="mono">{s.virtual_account_prefix.clone()}</dd>
                            <dt>{t!(ThresholdMode)}</dt>
                            <dd>{move || tr(i18n::threshold_mode_key(&mode))}</dd>
                            <dt>{t!(RatesVerified)}</dt>
                            <dd>{super::widgets::date(verified)}</dd>
                        </dl>
                        {move || admin().then(|| view! { <SettingsForm s=form_settings.clone() reload=move || settings.refetch()/> })}
                    }
                },
            )}
        </div>
    }
}

#[component]
fn SettingsForm(s: Settings, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let name = RwSignal::new(s.name.clone());
    let address = RwSignal::new(s.address.clone());
    let mode = RwSignal::new(s.threshold_mode.clone());
    let (failure, set_failure) = signal(None::<Failure>);
    let (saved, set_saved) = signal(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_saved.set(false);
        let body = SettingsUpdate {
            threshold_mode: Some(mode.get_untracked()),
            name: Some(name.get_untracked().trim().to_string()),
            address: Some(address.get_untracked().trim().to_string()),
        };
        leptos::task::spawn_local(async move {
            match api::call::<_, Settings>("PATCH", "/api/v1/admin/settings", &body).await {
                Ok(_) => {
                    set_failure.set(None);
                    set_saved.set(true);
                    reload();
                }
                Err(f) => set_failure.set(Some(f)),
            }
        });
    };
    let mode_msg = field_msg(failure, "threshold_mode");
    view! {
        <section class="card" aria-labelledby="settings-form-h">
            <h2 id="settings-form-h">{t!(ChangeSettings)}</h2>
            <form class="grid-form" on:submit=submit novalidate>
                <div class="field">
                    <label for="set-name">{t!(MunicipalityName)}</label>
                    <input id="set-name" type="text" bind:value=name required/>
                </div>
                <div class="field">
                    <label for="set-address">{t!(Address)}</label>
                    <input id="set-address" type="text" bind:value=address required/>
                </div>
                <div class="field">
                    <label for="set-mode">{t!(ThresholdMode)}</label>
                    <select
                        id="set-mode"
                        bind:value=mode
                        aria-describedby=move || described_by(Some("set-mode-hint"), "set-mode-err", mode_msg.get().is_some())
                    >
                        <option value="rounded">{t!(ModeRounded)}</option>
                        <option value="exact">{t!(ModeExact)}</option>
                    </select>
                    <p class="hint" id="set-mode-hint">{t!(ThresholdModeHint)}</p>
                    <FieldError id="set-mode-err" message=mode_msg/>
                </div>
                <div class="form-actions">
                    <button type="submit">{t!(Save)}</button>
                    <span role="status" aria-live="polite">{move || saved.get().then(|| tr(K::Saved))}</span>
                </div>
                {general_msg(failure, &["threshold_mode"])}
            </form>
        </section>
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
struct AuditFilter {
    actor_id: String,
    action: String,
    taxpayer_id: String,
    outcome: String,
    from: String,
    to: String,
}

impl AuditFilter {
    /// The query string; dates are whole Warsaw days.
    fn query(&self, page: u32) -> String {
        let mut q = format!("page={page}&per_page=50");
        for (name, value) in
            [("actor_id", &self.actor_id), ("action", &self.action), ("taxpayer_id", &self.taxpayer_id), ("outcome", &self.outcome)]
        {
            if !value.trim().is_empty() {
                q.push_str(&format!("&{name}={}", enc(value.trim())));
            }
        }
        if let Some(day) = format::parse_iso_date(&self.from) {
            q.push_str(&format!("&from={}", enc(&warsaw_instant(day, time::Time::MIDNIGHT))));
        }
        if let Some(day) = format::parse_iso_date(&self.to) {
            let end = time::Time::from_hms(23, 59, 59).unwrap_or(time::Time::MIDNIGHT);
            q.push_str(&format!("&to={}", enc(&warsaw_instant(day, end))));
        }
        q
    }
}

fn warsaw_instant(day: time::Date, at: time::Time) -> String {
    let utc_guess = time::PrimitiveDateTime::new(day, at).assume_utc();
    let offset = domain::calendar::warsaw_offset(utc_guess);
    let local = time::PrimitiveDateTime::new(day, at).assume_offset(offset);
    local.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    page_title(K::AuditTitle);
    let draft = RwSignal::new(AuditFilter::default());
    let filter = RwSignal::new(AuditFilter::default());
    let page = RwSignal::new(1u32);
    let entries = Load::new(move || {
        let query = filter.get().query(page.get());
        async move { api::get::<AuditPage>(&format!("/api/v1/admin/audit-log?{query}")).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.set(1);
        filter.set(draft.get_untracked());
    };
    let text = move |id: &'static str, label: K, get: fn(&AuditFilter) -> String, set: fn(&mut AuditFilter, String), kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || tr(label)}</label>
                <input
                    id=id
                    type=kind
                    prop:value=move || draft.with(get)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| set(d, v));
                    }
                />
            </div>
        }
    };
    view! {
        <h1 tabindex="-1">{t!(AuditTitle)}</h1>
        <AdminNav/>
        <form class="card grid-form" on:submit=submit role="search" aria-label=t!(AuditFilters)>
            {text("au-actor", K::ColActor, |d| d.actor_id.clone(), |d, v| d.actor_id = v, "text")}
            {text("au-action", K::ColAction, |d| d.action.clone(), |d, v| d.action = v, "text")}
            {text("au-taxpayer", K::TaxpayerId, |d| d.taxpayer_id.clone(), |d, v| d.taxpayer_id = v, "text")}
            <div class="field">
                <label for="au-outcome">{t!(ColOutcome)}</label>
                <select
                    id="au-outcome"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| d.outcome = v);
                    }
                >
                    <option value="">{t!(AnyOutcome)}</option>
                    <option value="allowed">{t!(OutcomeAllowed)}</option>
                    <option value="denied">{t!(OutcomeDenied)}</option>
                    <option value="failed">{t!(OutcomeFailed)}</option>
                </select>
            </div>
            {text("au-from", K::DateFrom, |d| d.from.clone(), |d, v| d.from = v, "date")}
            {text("au-to", K::DateTo, |d| d.to.clone(), |d, v| d.to = v, "date")}
            <div class="form-actions">
                <button type="submit">{t!(Search)}</button>
            </div>
        </form>
        <section aria-labelledby="audit-results-h" aria-live="polite">
            <h2 id="audit-results-h">{t!(Results)}</h2>
            {show(
                entries,
                move |p| {
                    let total = p.total_items;
                    let last = p.total_items.div_ceil(u64::from(p.per_page.max(1))).max(1);
                    if p.items.is_empty() {
                        return view! { <p>{t!(NoResults)}</p> }.into_any();
                    }
                    view! {
                        <p>{move || trf(K::ResultsCount, &[&total.to_string()])}</p>
                        <table class="stack">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(ColWhen)}</th>
                                    <th scope="col">{t!(ColActor)}</th>
                                    <th scope="col">{t!(ColAction)}</th>
                                    <th scope="col">{t!(ColSubject)}</th>
                                    <th scope="col">{t!(ColOutcome)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {p
                                    .items
                                    .into_iter()
                                    .map(|e| {
                                        let at = e.at;
                                        let outcome = e.outcome.clone();
                                        let subject = match (e.subject_kind, e.subject_id) {
                                            (Some(k), Some(id)) => format!("{k} {id}"),
                                            (Some(k), None) => k,
                                            _ => String::new(),
                                        };
                                        view! {
                                            <tr>
                                                <th scope="row" data-label=t!(ColWhen)>
                                                    {move || format::timestamp(at, lang())}
                                                </th>
                                                <td data-label=t!(ColActor)>
                                                    {e.actor_kind} " "
                                                    <span class="mono">{e.actor_id.unwrap_or_default()}</span>
                                                </td>
                                                <td data-label=t!(ColAction) class="mono">{e.action}</td>
                                                <td data-label=t!(ColSubject)>
                                                    <span class="mono">{subject}</span>
                                                    {e.taxpayer_id.map(|t| view! { <span class="sub mono">{t.to_string()}</span> })}
                                                </td>
                                                <td data-label=t!(ColOutcome)>
                                                    <span class=format!("badge outcome-{}", e.outcome)>
                                                        {move || tr(i18n::outcome_key(&outcome))}
                                                    </span>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <Pager page last/>
                    }
                        .into_any()
                },
            )}
        </section>
    }
}
