//! Small pieces every page uses: waiting, errors, money, status badges, totals, copy buttons.

use api_types::{Me, ObligationStatus, Role, Totals};
use leptos::prelude::*;

use super::load::Load;
use wasm_bindgen_futures::JsFuture;

use super::api::Failure;
use super::{lang, tr};
use crate::format;
use crate::i18n::Key as K;

pub fn is_staff(me: &Me) -> bool {
    me.roles.iter().any(|r| matches!(r, Role::Clerk | Role::Admin))
}

pub fn is_admin(me: &Me) -> bool {
    me.roles.contains(&Role::Admin)
}

/// Money in the current language ("1 234,56 zł"), reactive.
pub fn money(value: impl std::fmt::Display) -> impl Fn() -> String + Clone + 'static {
    let text = value.to_string();
    move || format::money(&text, lang())
}

pub fn date(day: time::Date) -> impl Fn() -> String + Clone + 'static {
    move || format::date(day, lang())
}

pub fn decimal(text: String) -> impl Fn() -> String + Clone + 'static {
    move || format::decimal(&text, lang())
}

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {t!(Loading)}
        </p>
    }
}

#[component]
pub fn ErrorNotice(failure: Failure) -> impl IntoView {
    let retry = failure == Failure::Network;
    view! {
        <div class="notice error" role="alert">
            <p>{move || failure.message(lang())}</p>
            {retry.then(|| view! { <p>{t!(ErrNetworkHint)}</p> })}
        </div>
    }
}

/// Renders a resource: waiting, the error, or the value.
pub fn show<T, V>(resource: Load<Result<T, Failure>>, f: impl Fn(T) -> V + Send + Sync + 'static) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    move || match resource.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(value)) => f(value).into_any(),
        Some(Err(failure)) => view! { <ErrorNotice failure/> }.into_any(),
    }
}

pub fn status_key(status: ObligationStatus) -> K {
    match status {
        ObligationStatus::Paid => K::StatusPaid,
        ObligationStatus::Open => K::StatusOpen,
        ObligationStatus::Overdue => K::StatusOverdue,
    }
}

/// The status as a word in a badge (never colour alone).
#[component]
pub fn StatusBadge(status: ObligationStatus) -> impl IntoView {
    let class = match status {
        ObligationStatus::Paid => "badge paid",
        ObligationStatus::Open => "badge open",
        ObligationStatus::Overdue => "badge overdue",
    };
    view! { <span class=class>{move || tr(status_key(status))}</span> }
}

/// The four numbers a resident looks for first.
#[component]
pub fn TotalsView(totals: Totals) -> impl IntoView {
    let next = totals.next_due_date.map(|day| (day, totals.next_due_amount));
    let costs = (!totals.reminder_costs.is_zero()).then_some(totals.reminder_costs);
    view! {
        <dl class="totals">
            <div class="total main">
                <dt>{t!(ToPayToday)}</dt>
                <dd>{money(totals.to_pay_today)}</dd>
            </div>
            <div class="total">
                <dt>{t!(Overdue)}</dt>
                <dd>{money(totals.overdue)}</dd>
            </div>
            <div class="total">
                <dt>{t!(InterestToday)}</dt>
                <dd>{money(totals.interest_today)}</dd>
            </div>
            {costs
                .map(|c| {
                    view! {
                        <div class="total">
                            <dt>{t!(ReminderCosts)}</dt>
                            <dd>{money(c)}</dd>
                        </div>
                    }
                })}
            <div class="total">
                <dt>{t!(NextDue)}</dt>
                <dd>
                    {match next {
                        Some((day, amount)) => {
                            view! {
                                {date(day)}
                                {amount.map(|a| view! { <span class="sub">{money(a)}</span> })}
                            }
                                .into_any()
                        }
                        None => view! { {t!(NoNextDue)} }.into_any(),
                    }}
                </dd>
            </div>
        </dl>
    }
}

/// Copies a value; the result is announced politely.
#[component]
pub fn CopyButton(value: String, label: K) -> impl IntoView {
    let (status, set_status) = signal(None::<K>);
    let copy = move |_| {
        let value = value.clone();
        leptos::task::spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let done = JsFuture::from(clipboard.write_text(&value)).await.is_ok();
            set_status.set(Some(if done { K::Copied } else { K::CopyFailed }));
        });
    };
    view! {
        <button type="button" class="copy secondary" on:click=copy>
            {move || tr(label)}
        </button>
        <span class="copy-status" role="status" aria-live="polite">
            {move || status.get().map(tr)}
        </span>
    }
}

/// A link back up, as a breadcrumb.
#[component]
pub fn Back(href: String, label: K) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label=t!(Breadcrumb)>
            <a href=href>"← " {move || tr(label)}</a>
        </nav>
    }
}

/// A message for a form field, tied to it with `aria-describedby` by its id.
#[component]
pub fn FieldError(#[prop(into)] id: String, message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-error" id=id hidden=move || message.get().is_none()>
            {move || message.get()}
        </p>
    }
}

/// `aria-describedby` for a field: the hint and, when there is one, the error.
pub fn described_by(hint: Option<&str>, error_id: &str, has_error: bool) -> Option<String> {
    let ids: Vec<&str> = hint.into_iter().chain(has_error.then_some(error_id)).collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Saves a text as a file the user downloads (the .ics calendar).
pub fn download(file_name: &str, media_type: &str, content: &str) -> Result<(), Failure> {
    let parts = js_sys::Array::new();
    parts.push(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| Failure::Decode)?;
    save_blob(&blob, file_name)
}

pub fn save_blob(blob: &web_sys::Blob, file_name: &str) -> Result<(), Failure> {
    use wasm_bindgen::JsCast;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| Failure::Decode)?;
    let a = document()
        .create_element("a")
        .map_err(|_| Failure::Decode)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| Failure::Decode)?;
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    // Let the browser start the download before the URL goes.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(60));
    Ok(())
}
