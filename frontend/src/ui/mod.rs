//! The browser side: the app shell, routing, the language switch. Compiled for wasm32 only.

/// A reactive translated text: `t!(Dashboard)` re-renders when the language changes. Every use is
/// the same closure type ([`text_of`]), so the views' render code is instantiated once for all
/// texts rather than once per text (about 460 of them: a large part of the bundle otherwise).
macro_rules! t {
    ($key:ident) => {
        $crate::ui::text_of($crate::i18n::Key::$key)
    };
}

mod admin;
mod api;
mod info;
mod load;
mod paying;
mod resident;
mod statements;
mod sync;
mod widgets;

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::i18n::{self, Key as K, Lang};
use api::Session;

thread_local! {
    // Arc signals: not owned by any component, so never disposed while the app runs.
    static LANG: ArcRwSignal<Lang> = ArcRwSignal::new(Lang::Pl);
    static TITLE: Cell<Option<K>> = const { Cell::new(None) };
    /// The path the document was loaded for.
    static INITIAL_PATH: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The current language (tracked: reading it inside a closure makes the closure follow it).
pub fn lang() -> Lang {
    LANG.with(|l| l.get())
}

/// The text of `key` in the current language, as a reactive closure (see `t!`).
pub fn text_of(key: K) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || tr(key)
}

/// The translated text for the current language (tracked).
pub fn tr(key: K) -> &'static str {
    i18n::text(lang(), key)
}

/// A template with `{0}`, `{1}`… filled in (tracked).
pub fn trf(key: K, args: &[&str]) -> String {
    i18n::fill(tr(key), args)
}

/// Where the chosen language is remembered across visits: `localStorage` holds this one
/// preference and nothing else (no personal data, no session).
const LANG_STORAGE_KEY: &str = "lang";

fn stored_lang() -> Option<Lang> {
    let stored = window().local_storage().ok().flatten()?.get_item(LANG_STORAGE_KEY).ok().flatten()?;
    [Lang::Pl, Lang::En].into_iter().find(|l| l.code() == stored)
}

fn set_lang(new: Lang) {
    LANG.with(|l| l.set(new));
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(LANG_STORAGE_KEY, new.code());
    }
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", new.code());
    }
    if let Some(key) = TITLE.with(Cell::get) {
        set_document_title(i18n::text(new, key));
    }
}

fn set_document_title(page: &str) {
    document().set_title(&format!("{page} — {}", i18n::text(LANG.with(|l| l.get_untracked()), K::AppName)));
}

/// Every page names itself: the tab title follows the page and the language.
pub fn page_title(key: K) {
    TITLE.with(|t| t.set(Some(key)));
    set_document_title(i18n::text(LANG.with(|l| l.get_untracked()), key));
}

/// Starts the app: mounts it and checks the session.
pub fn start<B: Bundle>() {
    console_error_panic_hook::set_once();
    let lang = stored_lang().unwrap_or_default();
    LANG.with(|l| l.set(lang));
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", lang.code());
    }
    if let Some(placeholder) = document().get_element_by_id("boot") {
        placeholder.remove();
    }
    INITIAL_PATH.with(|p| *p.borrow_mut() = window().location().pathname().ok());
    leptos::mount::mount_to_body(app::<B>);
    leptos::task::spawn_local(api::start_session());
}

/// Which pages a compiled bundle carries. The residents' bundle (the `frontend` binary, served at
/// `/`) leaves the clerks' pages out to keep within the size budget of issue 8; the staff bundle
/// (the `staff` binary, served for `/admin/…`) carries every page. Monomorphisation does the split:
/// `app::<ResidentBundle>` never names a clerk's page, so the linker drops their code.
pub trait Bundle: 'static {
    fn staff_page(page: StaffPage) -> AnyView;
}

/// The clerks' and administrators' pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffPage {
    Home,
    Users,
    Rates,
    Settings,
    Audit,
    Statements,
    Unmatched,
    Sync,
}

/// Residents' pages only; a clerk's page is loaded from the server, which answers `/admin/…`
/// with the staff bundle.
#[derive(Debug)]
pub struct ResidentBundle;

impl Bundle for ResidentBundle {
    fn staff_page(_: StaffPage) -> AnyView {
        view! { <LoadStaffBundle/> }.into_any()
    }
}

/// Every page.
#[derive(Debug)]
pub struct StaffBundle;

impl Bundle for StaffBundle {
    fn staff_page(page: StaffPage) -> AnyView {
        view! {
            <Protected>
                <Staff>
                    {move || match page {
                        StaffPage::Home => view! { <admin::AdminHome/> }.into_any(),
                        StaffPage::Users => view! { <admin::UsersPage/> }.into_any(),
                        StaffPage::Rates => view! { <admin::RatesPage/> }.into_any(),
                        StaffPage::Settings => view! { <admin::SettingsPage/> }.into_any(),
                        StaffPage::Audit => view! { <admin::AuditPage/> }.into_any(),
                        StaffPage::Statements => view! { <statements::StatementsPage/> }.into_any(),
                        StaffPage::Unmatched => view! { <statements::UnmatchedPage/> }.into_any(),
                        StaffPage::Sync => view! { <sync::SyncPage/> }.into_any(),
                    }}
                </Staff>
            </Protected>
        }
        .into_any()
    }
}

/// In the residents' bundle, a client-side navigation to a clerk's page becomes a page load. When
/// the document itself was loaded for that path (a server that does not route `/admin/…` to the
/// staff bundle), it says the page is not here instead of loading it again and again.
#[component]
fn LoadStaffBundle() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let first = INITIAL_PATH.with(|p| p.borrow().as_deref() == Some(path.as_str()));
    if first {
        view! { <info::NotFound/> }.into_any()
    } else {
        let _ = window().location().assign(&format!("{path}{}", location.search.get_untracked()));
        view! { <widgets::Loading/> }.into_any()
    }
}

fn app<B: Bundle>() -> impl IntoView {
    view! {
        <Router>
            <Shell>
                <Routes fallback=|| view! { <info::NotFound/> }>
                    <Route path=path!("/") view=|| view! { <Protected><resident::Dashboard/></Protected> }/>
                    <Route
                        path=path!("/taxpayers/:tid/obligations/:oid")
                        view=|| view! { <Protected><resident::ObligationPage/></Protected> }
                    />
                    <Route path=path!("/taxpayers/:tid/payments") view=|| view! { <Protected><resident::PaymentsPage/></Protected> }/>
                    <Route path=path!("/taxpayers/:tid/pay") view=|| view! { <Protected><paying::PayPage/></Protected> }/>
                    <Route path=path!("/taxpayers/:tid/transfer") view=|| view! { <Protected><paying::TransferPage/></Protected> }/>
                    <Route path=path!("/taxpayers/:tid/what-if") view=|| view! { <Protected><paying::WhatIfPage/></Protected> }/>
                    <Route path=path!("/platnosci/:pid") view=|| view! { <Protected><resident::PaymentStatusPage/></Protected> }/>
                    <Route path=path!("/admin") view=|| B::staff_page(StaffPage::Home)/>
                    <Route path=path!("/admin/users") view=|| B::staff_page(StaffPage::Users)/>
                    <Route path=path!("/admin/rates") view=|| B::staff_page(StaffPage::Rates)/>
                    <Route path=path!("/admin/settings") view=|| B::staff_page(StaffPage::Settings)/>
                    <Route path=path!("/admin/audit") view=|| B::staff_page(StaffPage::Audit)/>
                    <Route
                        path=path!("/admin/statements")
                        view=|| B::staff_page(StaffPage::Statements)
                    />
                    <Route
                        path=path!("/admin/unmatched")
                        view=|| B::staff_page(StaffPage::Unmatched)
                    />
                    <Route path=path!("/admin/sync") view=|| B::staff_page(StaffPage::Sync)/>
                    <Route path=path!("/deklaracja-dostepnosci") view=info::AccessibilityStatement/>
                    <Route path=path!("/rodo") view=info::PrivacyNotice/>
                </Routes>
            </Shell>
        </Router>
    }
}

/// Skip link, header with navigation and the language switch, main, footer.
#[component]
fn Shell(children: Children) -> impl IntoView {
    let location = use_location();
    // After a navigation, move focus to the new page's heading so that screen readers announce it
    // and keyboard users continue from the top of the content.
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            request_animation_frame(focus_heading);
        }
        path
    });
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        focus_heading();
    };
    let toggle_lang = move |_| set_lang(if lang() == Lang::Pl { Lang::En } else { Lang::Pl });
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    let logout = move |_| {
        leptos::task::spawn_local(async move {
            api::logout().await;
            navigate.with_value(|go| go("/", Default::default()));
        });
    };
    let staff = move || api::me().is_some_and(|me| widgets::is_staff(&me));
    view! {
        <a class="skip-link" href="#main" rel="external" on:click=skip>
            {t!(SkipToContent)}
        </a>
        <header class="site-header">
            <div class="header-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"eN"</span>
                    {t!(AppName)}
                </a>
                <nav class="main-nav" aria-label=t!(MainNavigation)>
                    <ul>
                        {move || {
                            api::me()
                                .map(|_| {
                                    view! {
                                        <li>
                                            <A href="/" exact=true>
                                                {t!(NavDashboard)}
                                            </A>
                                        </li>
                                    }
                                })
                        }}
                        {move || {
                            staff()
                                .then(|| {
                                    view! {
                                        <li>
                                            <A href="/admin">{t!(NavAdmin)}</A>
                                        </li>
                                    }
                                })
                        }}
                    </ul>
                </nav>
                <div class="header-tools">
                    <button
                        type="button"
                        class="lang-switch"
                        on:click=toggle_lang
                        aria-label=t!(SwitchLanguageLabel)
                    >
                        <span lang=move || if lang() == Lang::Pl { "en" } else { "pl" }>{t!(SwitchLanguage)}</span>
                    </button>
                    {move || {
                        api::me()
                            .map(|me| {
                                view! {
                                    <span class="user-name">{me.display_name}</span>
                                    <button type="button" class="secondary" on:click=logout>
                                        {t!(LogOut)}
                                    </button>
                                }
                            })
                    }}
                </div>
            </div>
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <nav aria-label=t!(FooterNavigation)>
                <ul>
                    <li>
                        <a href="/deklaracja-dostepnosci">{t!(AccessibilityStatement)}</a>
                    </li>
                    <li>
                        <a href="/rodo">{t!(PrivacyNotice)}</a>
                    </li>
                    <li>
                        <a href="/swagger-ui/" rel="external">
                            {t!(ApiDocs)}
                        </a>
                    </li>
                </ul>
            </nav>
            <p>{t!(FooterNote)}</p>
        </footer>
    }
}

fn focus_heading() {
    let target = document().query_selector("main h1").ok().flatten().or_else(|| document().get_element_by_id("main"));
    if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Shows the login page (or the wait, or the "cannot reach the server" notice) instead of the
/// children until the user is signed in.
#[component]
fn Protected(children: ChildrenFn) -> impl IntoView {
    move || match api::session().get() {
        Session::Checking => view! { <widgets::Loading/> }.into_any(),
        Session::LoggedOut => view! { <info::LoginPage/> }.into_any(),
        Session::Unreachable => view! {
            <h1 tabindex="-1">{t!(AppName)}</h1>
            <div class="notice error" role="alert">
                <p>{t!(ErrUnreachable)}</p>
                <button type="button" on:click=move |_| leptos::task::spawn_local(api::start_session())>
                    {t!(TryAgain)}
                </button>
            </div>
        }
        .into_any(),
        Session::LoggedIn(_) => children().into_any(),
    }
}

/// Clerks' and administrators' pages; the server checks the role again on every call.
#[component]
fn Staff(children: ChildrenFn) -> impl IntoView {
    move || {
        if api::me().is_some_and(|me| widgets::is_staff(&me)) {
            children().into_any()
        } else {
            view! {
                <h1 tabindex="-1">{t!(NoAccessTitle)}</h1>
                <p>{t!(NoAccess)}</p>
            }
            .into_any()
        }
    }
}
