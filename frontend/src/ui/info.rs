//! Pages without login: the login page, the accessibility statement, the personal-data notice,
//! and "not found".

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::api::enc;
use super::{page_title, tr};
use crate::i18n::{Block, Key as K, blocks};

#[component]
pub fn LoginPage() -> impl IntoView {
    page_title(K::LoginTitle);
    let location = use_location();
    let login = move |_| {
        let search = location.search.get_untracked();
        let here =
            if search.is_empty() { location.pathname.get_untracked() } else { format!("{}?{search}", location.pathname.get_untracked()) };
        let _ = window().location().assign(&format!("/auth/login?return_to={}", enc(&here)));
    };
    view! {
        <div class="login">
            <h1 tabindex="-1">{t!(LoginTitle)}</h1>
            <p class="lead">{t!(LoginIntro)}</p>
            <button type="button" class="login-button" on:click=login>
                {t!(LoginButton)}
            </button>
            <p class="note">{t!(LoginNote)}</p>
            <p>
                <a href="/rodo">{t!(PrivacyNotice)}</a>
            </p>
        </div>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    page_title(K::NotFoundTitle);
    view! {
        <h1 tabindex="-1">{t!(NotFoundTitle)}</h1>
        <p>{t!(NotFoundText)}</p>
        <p>
            <a href="/">{t!(BackToDashboard)}</a>
        </p>
    }
}

/// A page written as text blocks in the translation tables.
fn text_page(title: K, body: K) -> impl IntoView {
    page_title(title);
    view! {
        <article class="text-page">
            <h1 tabindex="-1">{move || tr(title)}</h1>
            {move || {
                blocks(tr(body))
                    .into_iter()
                    .map(|b| match b {
                        Block::Heading(t) => view! { <h2>{t}</h2> }.into_any(),
                        Block::Paragraph(t) => view! { <p>{t}</p> }.into_any(),
                        Block::List(items) => {
                            view! { <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }
                                .into_any()
                        }
                    })
                    .collect_view()
            }}
        </article>
    }
}

#[component]
pub fn AccessibilityStatement() -> impl IntoView {
    text_page(K::AccessibilityStatement, K::AccessibilityBody)
}

#[component]
pub fn PrivacyNotice() -> impl IntoView {
    text_page(K::PrivacyNotice, K::PrivacyBody)
}
