//! Every attack case the fake node can produce (identity.md §3), plus the browser-binding
//! attacks, run end to end over HTTP against the service provider: each must be refused with
//! the expected error, and none may yield an identity. The tally is printed (run with
//! `--nocapture`) and asserted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code: failing loudly is the point")]

mod common;

use common::*;
use fake_wk::Misbehaviour as M;
use identity::{AcsRequest, LoginError};

/// Whether the refusal must happen on the first login, or on a second one after a good first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum When {
    FirstLogin,
    SecondLogin,
}

/// The refusal each misbehaviour must produce (`LoginError::code`), `None` = must be accepted.
fn expectation(m: M) -> (Option<&'static str>, When) {
    use When::*;
    let refusal = |code| (Some(code), FirstLogin);
    match m {
        M::WellBehaved | M::ShortContentKey => (None, FirstLogin),
        M::Unsigned | M::UnsignedResponse | M::UnsignedArtifactResponse => refusal("missing_signature"),
        M::WrongKey | M::TamperedAfterSigning => refusal("signature_invalid"),
        M::XswWrappedArtifactResponse | M::XswForgedResponseWrapsSigned | M::XswSignedResponseInExtensions => refusal("missing_signature"),
        M::XswSignatureMovedToForgedRoot | M::XswForgedResponseWithCopiedSignature => refusal("signature_reference_mismatch"),
        M::XswForgedResponseInExtensions => refusal("signature_structure"),
        M::ExtraAssertion | M::PlaintextAssertionAlongside => refusal("assertion_count"),
        M::Expired => refusal("assertion_expired"),
        M::NotYetValid => refusal("assertion_not_yet_valid"),
        M::StaleResponse => refusal("issue_instant_out_of_range"),
        M::WrongAudience => refusal("audience_mismatch"),
        M::WrongRecipient => refusal("recipient_mismatch"),
        M::WrongInResponseTo | M::WrongResolveInResponseTo => refusal("in_response_to_mismatch"),
        M::WrongIssuer => refusal("issuer_mismatch"),
        M::ReplayArtifact => (Some("artifact_replayed"), SecondLogin),
        M::ReplayResponseId => (Some("response_replayed"), SecondLogin),
        M::ReplayAssertionId => (Some("assertion_replayed"), SecondLogin),
        M::FailedStatusWithPayload => refusal("status_not_success"),
        M::Sha1Signature | M::RsaSignature => refusal("disallowed_algorithm"),
        M::Doctype | M::DoctypeInAssertion => refusal("doctype_forbidden"),
        M::CommentInNameId | M::CommentInAttribute => refusal("mixed_content"),
        M::DuplicateIds => refusal("duplicate_id"),
        M::LowLoa => refusal("loa_too_low"),
        M::MissingAttribute => refusal("attribute_missing"),
        M::EmptyArtifactResponse => refusal("missing_response"),
        M::InvalidCurvePoint => refusal("invalid_ephemeral_key"),
        M::TruncatedCiphertext => refusal("decryption_failed"),
        M::OversizedResponse => refusal("response_too_large"),
    }
}

#[derive(Default)]
struct Tally {
    tried: usize,
    accepted: usize,
    wrong_error: Vec<String>,
    lines: Vec<String>,
}

impl Tally {
    fn record(&mut self, name: &str, expected: &str, result: Result<identity::LoginOutcome, LoginError>) {
        self.tried += 1;
        match result {
            Ok(outcome) => {
                self.accepted += 1;
                self.lines.push(format!("ACCEPTED  {name:<44} identity loa={:?}", outcome.identity.loa));
            }
            Err(e) if e.code() == expected => self.lines.push(format!("rejected  {name:<44} {:<30} {e}", e.code())),
            Err(e) => {
                self.wrong_error.push(format!("{name}: expected {expected}, got {} ({e})", e.code()));
                self.lines.push(format!("rejected* {name:<44} {:<30} {e}", e.code()));
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_attack_case_is_refused_with_the_right_error() {
    let mut tally = Tally::default();
    let mut positives = 0;
    for &m in M::ALL {
        let (expected, when) = expectation(m);
        let h = start(m, Some(0)).await;
        if when == When::SecondLogin {
            login(&h, 0).await.unwrap_or_else(|e| panic!("{m}: first login must succeed, got {e}"));
        }
        let result = login(&h, 0).await;
        match expected {
            None => {
                positives += 1;
                result.unwrap_or_else(|e| panic!("{m} must be accepted, got {e}"));
            }
            Some(code) => tally.record(m.name(), code, result),
        }
        h.running.stop().await;
    }

    // Browser-binding attacks against a well-behaved node (identity.md §3 #15–#17).
    let h = start(M::WellBehaved, Some(0)).await;
    let complete = |start: &identity::LoginStart, post: &AcsPost, cookie: Option<String>, relay: Option<String>| {
        let sp = h.sp.clone();
        let art = post.saml_art.clone();
        let relay = relay.unwrap_or_else(|| post.relay_state.clone());
        let _ = start;
        async move { sp.complete_login(AcsRequest { saml_art: &art, relay_state: &relay, cookie_token: cookie.as_deref() }).await }
    };
    // 1. Login CSRF: the attacker's artifact posted into the victim's browser (victim's cookie
    //    and RelayState, attacker's artifact).
    let attacker = h.sp.start_login(None).await.unwrap();
    let attacker_post = browser_to_node(&h, &attacker, 0).await;
    let victim = h.sp.start_login(None).await.unwrap();
    let victim_post = browser_to_node(&h, &victim, 1).await;
    let csrf = complete(&victim, &attacker_post, Some(victim.cookie_token.clone()), Some(victim_post.relay_state.clone())).await;
    tally.record("login-csrf-foreign-artifact", "in_response_to_mismatch", csrf);
    // 2. The ACS post replayed after a successful login (same cookie).
    let good = h.sp.start_login(None).await.unwrap();
    let good_post = browser_to_node(&h, &good, 0).await;
    complete(&good, &good_post, Some(good.cookie_token.clone()), None).await.expect("genuine login");
    let replayed = complete(&good, &good_post, Some(good.cookie_token.clone()), None).await;
    tally.record("acs-post-replayed", "pending_login_not_found", replayed);
    // 3. The artifact replayed under a fresh pending login of the same browser.
    let fresh = h.sp.start_login(None).await.unwrap();
    let fresh_post = browser_to_node(&h, &fresh, 0).await;
    let reused = complete(&fresh, &good_post, Some(fresh.cookie_token.clone()), Some(fresh_post.relay_state.clone())).await;
    tally.record("artifact-replayed-new-session", "artifact_replayed", reused);
    // 4. No binding cookie (e.g. a stolen artifact posted from elsewhere).
    let lost = h.sp.start_login(None).await.unwrap();
    let lost_post = browser_to_node(&h, &lost, 0).await;
    tally.record("no-binding-cookie", "pending_login_not_found", complete(&lost, &lost_post, None, None).await);
    // 5. Someone else's RelayState with this browser's cookie.
    let mine = h.sp.start_login(None).await.unwrap();
    let mine_post = browser_to_node(&h, &mine, 0).await;
    let theirs = h.sp.start_login(None).await.unwrap();
    tally.record(
        "foreign-relay-state",
        "relay_state_mismatch",
        complete(&mine, &mine_post, Some(mine.cookie_token.clone()), Some(theirs.form.relay_state.clone())).await,
    );
    // 6. Malformed artifact.
    let junk = h.sp.start_login(None).await.unwrap();
    let junk_post = AcsPost { action: ACS_URL.into(), saml_art: "<script>".into(), relay_state: junk.form.relay_state.clone() };
    tally.record("malformed-artifact", "artifact_malformed", complete(&junk, &junk_post, Some(junk.cookie_token.clone()), None).await);
    // 7. Unknown artifact (never issued by the node).
    let unknown = h.sp.start_login(None).await.unwrap();
    let unknown_post = AcsPost {
        action: ACS_URL.into(),
        saml_art: "AAQAAE5vdElzc3VlZEJ5VGhlTm9kZQ==".into(),
        relay_state: unknown.form.relay_state.clone(),
    };
    tally.record("unknown-artifact", "missing_response", complete(&unknown, &unknown_post, Some(unknown.cookie_token.clone()), None).await);
    h.running.stop().await;

    for line in &tally.lines {
        println!("{line}");
    }
    println!(
        "SAML attack cases tried: {}, accepted: {}, refused with an unexpected error: {}; positive controls accepted: {positives}",
        tally.tried,
        tally.accepted,
        tally.wrong_error.len()
    );
    assert_eq!(tally.accepted, 0, "attacks accepted:\n{}", tally.lines.join("\n"));
    assert!(tally.wrong_error.is_empty(), "unexpected errors:\n{}", tally.wrong_error.join("\n"));
    assert_eq!(tally.tried, M::ALL.len() - 1 + 7);
}
