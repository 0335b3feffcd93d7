//! Translations. Every text the app shows is a [`Key`]; `pl.rs` and `en.rs` each map every key to
//! its text with an exhaustive `match`, so a key missing from either table fails the build.
//! Templates use `{0}`, `{1}`… and both languages must use the same placeholders (a unit test checks).
//! The API's stable error `code`s, payment statuses and the like map to keys here too.

mod en;
mod pl;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Pl,
    En,
}

impl Lang {
    /// The BCP 47 code for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }
}

macro_rules! keys {
    ($($key:ident),* $(,)?) => {
        /// Everything the app says.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key { $($key),* }

        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$key),*];
        }
    };
}

keys! {
    AppName, SkipToContent, MainNavigation, FooterNavigation, FooterNote, ApiDocs, SwitchLanguage, SwitchLanguageLabel,
    LogOut, NavDashboard, NavAdmin, Loading, TryAgain, Breadcrumb, BackToDashboard,
    // errors
    ErrNetwork, ErrNetworkHint, ErrUnreachable, ErrLoggedOut, ErrDecode, ErrNotFound, ErrValidation, ErrUnauthorized,
    ErrForbidden, ErrConflict, ErrTooMany, ErrInternal, ErrQuoteNotComputable, ErrBadRequest, ErrPayloadTooLarge,
    ErrMalformedBody, ErrGeneric, FieldInvalid, FieldOutOfRange, FieldUnknown, FieldRequired, FieldInvalidDate,
    FieldNotGranted, ErrDayInvalid, ErrAmountInvalid, ErrAmountZero, WarnRatesNotVerified, NoAccessTitle, NoAccess,
    // login and static pages
    LoginTitle, LoginIntro, LoginButton, LoginNote, NotFoundTitle, NotFoundText, AccessibilityStatement,
    AccessibilityBody, PrivacyNotice, PrivacyBody,
    // dashboard
    DashboardTitle, Greeting, NoTaxpayers, YourLink, LinkOwner, LinkCoOwner, LinkProxy, LinkRepresentative, Obligations,
    NoObligations, ToPayToday, Overdue, InterestToday, ReminderCosts, NextDue, NoNextDue, StatusPaid, StatusOpen,
    StatusOverdue, ActionPay, ActionTransfer, ActionWhatIf, ActionHistory, ActionCalendar, CalendarSaved, NoUpcomingDates,
    IcsCalendarName, IcsReminder, IcsSummary, IcsDescription,
    ColObligation, ColDecision, ColAmount, ColPaid, ColStatus,
    // obligation
    ObligationTitle, DecisionOf, DataAsOf, BasisTitle, NoBasis, ColCategory, ColQuantity, ColRate, ColResolution,
    ScheduleTitle, ColInstallment, ColDueDate, ColOutstanding, ColInterest, ShiftedTo, InterestTitle, InterestIntro,
    NoInterest, InstallmentDue, DayOne, DayMany, ExplainShifted, ExplainAfterPayment, ExplainIntro, ExplainNoPeriods,
    ExplainPeriod, ExplainSum, ExplainThresholdRounded, ExplainThresholdExact, ExplainCharged, ExplainNotCharged,
    ExplainOwedTotal, DocumentsTitle, NoDocuments, DocDecision, DocOther, DocumentReady, PaymentsReachedTitle,
    NoPaymentsReached, ColPaymentDate, ColSource, ColReachedThis, AllocationLine,
    // payments
    PaymentsTitle, NoPayments, ColBookingDate, ColWhereItWent, AllocationToObligation, AllocationToCosts, Overpayment,
    SourceOnline, SourceTransfer, SourceCash, SourceDomainSystem, SourceOther, PayPending, PayBooked, PayRejected,
    PayExpired, PayOther,
    // pay
    PayTitle, NothingToPay, WhatToPay, ChoiceAllOverdue, ChoiceNextDue, ChoiceEverythingDue, ChoiceInstallments,
    ChooseInstallments, InstallmentLine, ChosenTotalNote, AmountForToday, WhereItGoes, ColFor, ColPrincipal, GoToPayment,
    CheckingOnline, OnlineUnavailable, OnlineRedirectNote, StartingPayment, ChooseSomething, PaymentNotPending, SeePayment,
    PayByTransferInstead, PaymentTitle, PaymentPendingNote, PaymentBookedNote, PaymentFailedNote, PaymentReference,
    ReceiptPdf,
    // transfer
    TransferTitle, TransferIntro, TransferFor, TransferAccountOnly, TransferData, Recipient, RecipientNip,
    AccountNumber, VirtualAccountNote, TransferTitleField, TransferChooseForQr, CopyAccount, CopyTitle, CopyAmount,
    Copied, CopyFailed, QrTitle, QrAlt, QrHint, QrOpenAmount,
    // what if
    WhatIfTitle, WhatIfIntro, PaymentDay, PaymentAmount, PaymentAmountHint, IndicateObligation, IndicateObligationHint,
    NoIndication, Calculate, ResultTitle, WhatIfEmpty, OnDay, ToPayOverdue, ToPayAll, InterestPart, WhatRemains,
    RemainingOverdue, RemainingAll,
    // admin
    AdminTitle, AdminIntro, AdminNavigation, NavUsers, NavRates, NavSettings, NavAudit, NavStatements, NavUnmatched,
    NavSync, AdminUsersHint, AdminRatesHint, AdminSettingsHint, AdminAuditHint, SyncTitle, SyncIntro, Refresh, SyncConnected, SyncStandalone, Yes, No, SyncSourceFlags, SyncContract, SyncEntitiesCaption, SyncExports, SyncNoExports, SyncRejected, SyncRejectedCount, SyncColEntity, SyncColSourceId, SyncColReason, SyncColLastRun, SyncColLastSuccess, SyncColRead, SyncColChanged, SyncColErrors, SyncColLastError, SyncJobs, SyncNoJobs, SyncColJob, SyncColRuns, SyncColNextRun, ExportPending, ExportWritten, ExportAccepted, ExportRejected, ExportBooked, JobQueued, JobRunning, JobDone, JobFailed, AdminStatementsHint, AdminSyncHint, AllocationProvisional,
    UsersTitle, UsersIntro, UsersCount, RolesAre, NoLinks, LinksCaption, ColTaxpayer, ColLinkKind, ColValidFrom,
    ColValidTo, ColActions, EndOn, EndLink, AddLink, TaxpayerId, TaxpayerIdHint, ValidFromHint, Saved, ChangeRoles,
    Roles, RoleResident, RoleClerk, RoleAdmin, SaveRoles, Pagination, PrevPage, NextPage, PageOf,
    RatesTitle, RatesIntro, VerifiedUpTo, SetVerifiedUpTo, Save, RatesTable, ThresholdsTable, ColFrom, ColLombard,
    ColStandard, ColReduced, ColIncreased, ColThreshold, AddRate, RateSourceHint,
    SettingsTitle, MunicipalityName, Address, BankAccount, VirtualPrefix, ThresholdMode, ThresholdModeHint,
    ModeRounded, ModeExact, RatesVerified, ChangeSettings,
    AuditTitle, AuditFilters, ColActor, ColAction, ColOutcome, ColWhen, ColSubject, AnyOutcome, OutcomeAllowed,
    OutcomeDenied, OutcomeFailed, OutcomeOther, DateFrom, DateTo, Search, Results, ResultsCount, NoResults,
    // bank statements and unmatched payments
    StatementsTitle, StatementsIntro, UploadTitle, StatementFile,
    StatementFileHint, DryRun, ImportStatement, ChooseFile, UploadReading, UploadSending, UploadProcessing, UploadDone,
    UploadFailed, ImportSummaryTitle, ImportImported, ImportImportedUnbalanced, ImportDryRun, ImportUnbalanced,
    SumStatus, SumFile, SumFormat, EncodingDetected, SumStatements, SumLines, SumCredits, SumDebits, SumMatched,
    SumUnmatched, SumSettledOnline, SumDuplicates, SumTotalCredited, SumTotalBooked, SumOverpayments, UnbalancedLine,
    UnbalancedHint, ImportAnyway, GoToUnmatched, ErrInvalidStatement, ProblemDetail, ImportsTitle, NoImports, ColCredits, ColMatched, ColUnmatched, ColTotal,
    ColImportedAt, ColFile, UnmatchedTitle, UnmatchedIntro, UnmatchedCount, NoUnmatched, UnmatchedHeading, Payer,
    PayerAccount, VirtualAccountOnLine, StatementOfLine, BankReference, WhyUnmatched, AssignTo, NoSuggestions,
    SuggestionLine, ConfidenceHigh, ConfidenceMedium, ConfidenceLow, OtherTaxpayer, AssignPayment, AssignedNote,
    ChooseTaxpayer, ReasonDecision, ReasonIdentifier, ReasonName, ReasonAccount, ReasonNoVirtual, ReasonUnknownVirtual,
}

/// The text of a key in a language.
pub fn text(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::Pl => pl::text(key),
        Lang::En => en::text(key),
    }
}

/// Fills `{0}`, `{1}`… with the arguments; a placeholder without an argument stays as it is.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}').and_then(|end| after[..end].parse::<usize>().ok().map(|i| (end, i))) {
            Some((end, i)) if i < args.len() => {
                out.push_str(args[i]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders a template uses, sorted.
pub fn placeholders(template: &str) -> Vec<usize> {
    let mut found: Vec<usize> =
        template.split('{').skip(1).filter_map(|part| part.split_once('}').and_then(|(n, _)| n.parse().ok())).collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The API's stable problem `code` → a message.
pub fn problem_key(code: &str) -> Option<Key> {
    Some(match code {
        "not_found" => Key::ErrNotFound,
        "validation_failed" => Key::ErrValidation,
        "unauthorized" => Key::ErrUnauthorized,
        "forbidden" => Key::ErrForbidden,
        "conflict" => Key::ErrConflict,
        "too_many_requests" => Key::ErrTooMany,
        "internal_error" => Key::ErrInternal,
        "quote_not_computable" => Key::ErrQuoteNotComputable,
        "payload_too_large" => Key::ErrPayloadTooLarge,
        "malformed_body" | "unsupported_media_type" => Key::ErrMalformedBody,
        "invalid_statement" => Key::ErrInvalidStatement,
        _ => return None,
    })
}

/// A message for an HTTP status without a known code.
pub fn status_key(status: u16) -> Key {
    match status {
        400 => Key::ErrBadRequest,
        401 => Key::ErrUnauthorized,
        403 => Key::ErrForbidden,
        404 => Key::ErrNotFound,
        409 => Key::ErrConflict,
        429 => Key::ErrTooMany,
        500..=599 => Key::ErrInternal,
        _ => Key::ErrGeneric,
    }
}

/// A field error `code` → a message next to the field.
pub fn field_error_key(code: &str) -> Key {
    match code {
        "out_of_range" => Key::FieldOutOfRange,
        "unknown" => Key::FieldUnknown,
        "required" => Key::FieldRequired,
        "invalid_date" => Key::FieldInvalidDate,
        "not_granted" => Key::FieldNotGranted,
        _ => Key::FieldInvalid,
    }
}

pub fn payment_source_key(source: &str) -> Key {
    match source {
        "online" => Key::SourceOnline,
        "transfer" => Key::SourceTransfer,
        "cash" => Key::SourceCash,
        "domain_system" => Key::SourceDomainSystem,
        _ => Key::SourceOther,
    }
}

pub fn payment_status_key(status: &str) -> Key {
    match status {
        "pending" => Key::PayPending,
        "booked" => Key::PayBooked,
        "rejected" => Key::PayRejected,
        "expired" => Key::PayExpired,
        _ => Key::PayOther,
    }
}

pub fn document_kind_key(kind: &str) -> Key {
    match kind {
        "decision" => Key::DocDecision,
        _ => Key::DocOther,
    }
}

pub fn role_key(role: api_types::Role) -> Key {
    match role {
        api_types::Role::Resident => Key::RoleResident,
        api_types::Role::Clerk => Key::RoleClerk,
        api_types::Role::Admin => Key::RoleAdmin,
    }
}

pub fn threshold_mode_key(mode: &str) -> Key {
    match mode {
        "exact" => Key::ModeExact,
        _ => Key::ModeRounded,
    }
}

pub fn outcome_key(outcome: &str) -> Key {
    match outcome {
        "allowed" => Key::OutcomeAllowed,
        "denied" => Key::OutcomeDenied,
        "failed" => Key::OutcomeFailed,
        _ => Key::OutcomeOther,
    }
}

/// The status of a statement import.
pub fn import_status_key(status: &str) -> Key {
    match status {
        "imported_unbalanced" => Key::ImportImportedUnbalanced,
        "dry_run" => Key::ImportDryRun,
        "unbalanced" => Key::ImportUnbalanced,
        _ => Key::ImportImported,
    }
}

pub fn confidence_key(confidence: api_types::Confidence) -> Key {
    match confidence {
        api_types::Confidence::High => Key::ConfidenceHigh,
        api_types::Confidence::Medium => Key::ConfidenceMedium,
        api_types::Confidence::Low => Key::ConfidenceLow,
    }
}

/// Why reconciliation suggests a taxpayer or left a line unmatched, translated when recognised
/// (several reasons are joined with "; "). `None` when a part is not recognised: the caller shows
/// the server's English text, marked as English.
pub fn reconcile_reason(text_en: &str, lang: Lang) -> Option<String> {
    let one = |part: &str| -> Option<String> {
        let part = part.trim();
        if let Some(number) = part.strip_prefix("decision ").and_then(|r| r.strip_suffix(" in the title")) {
            return Some(fill(text(lang, Key::ReasonDecision), &[number]));
        }
        if let Some(account) = part.strip_prefix("virtual account ").and_then(|r| r.strip_suffix(" is not issued to any taxpayer")) {
            return Some(fill(text(lang, Key::ReasonUnknownVirtual), &[account]));
        }
        if part.starts_with("the taxpayer's ") && part.ends_with(" in the title") {
            return Some(text(lang, Key::ReasonIdentifier).to_string());
        }
        match part {
            "the payer's name is the taxpayer's" => Some(text(lang, Key::ReasonName).to_string()),
            "the payer's account paid for this taxpayer before" => Some(text(lang, Key::ReasonAccount).to_string()),
            "no virtual account of the municipality on the line" => Some(text(lang, Key::ReasonNoVirtual).to_string()),
            _ => None,
        }
    };
    let parts: Option<Vec<String>> = text_en.split("; ").map(one).collect();
    parts.map(|p| p.join("; "))
}

/// A warning from the server, translated when recognised (the domain's wording is stable:
/// "interest rates are verified up to YYYY-MM-DD; … for payment on YYYY-MM-DD"), else as sent.
pub fn warning(text_en: &str, lang: Lang) -> String {
    const PREFIX: &str = "interest rates are verified up to ";
    if let Some(rest) = text_en.strip_prefix(PREFIX) {
        let verified = rest.get(..10).and_then(crate::format::parse_iso_date);
        let paid = text_en.rsplit(' ').next().and_then(crate::format::parse_iso_date);
        if let (Some(verified), Some(paid)) = (verified, paid) {
            return fill(text(lang, Key::WarnRatesNotVerified), &[&crate::format::date(verified, lang), &crate::format::date(paid, lang)]);
        }
    }
    text_en.to_string()
}

/// A long text written in the tables with a tiny markup: blocks separated by a blank line;
/// "## " starts a heading, lines starting with "- " make a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
}

pub fn blocks(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| {
            if let Some(h) = b.strip_prefix("## ") {
                Block::Heading(h.trim().to_string())
            } else if b.starts_with("- ") {
                Block::List(b.lines().map(|l| l.trim().trim_start_matches("- ").to_string()).collect())
            } else {
                Block::Paragraph(b.split_whitespace().collect::<Vec<_>>().join(" "))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_both_languages_with_the_same_placeholders() {
        for key in Key::ALL {
            let (pl, en) = (text(Lang::Pl, *key), text(Lang::En, *key));
            assert!(!pl.trim().is_empty(), "{key:?} is empty in Polish");
            assert!(!en.trim().is_empty(), "{key:?} is empty in English");
            assert_eq!(placeholders(pl), placeholders(en), "{key:?}: placeholders differ");
            // Placeholders are numbered from 0 without gaps.
            let p = placeholders(pl);
            assert!(p.iter().enumerate().all(|(i, n)| i == *n), "{key:?}: placeholders {p:?}");
        }
    }

    #[test]
    fn polish_is_polish() {
        assert_eq!(text(Lang::Pl, Key::LoginButton), "Zaloguj się przez login.gov.pl");
        assert_eq!(text(Lang::Pl, Key::GoToPayment), "Przejdź do płatności");
        assert_eq!(text(Lang::Pl, Key::AccessibilityStatement), "Deklaracja dostępności");
    }

    #[test]
    fn fill_replaces_numbered_placeholders() {
        assert_eq!(fill("{0} i {1}, znowu {0}", &["a", "b"]), "a i b, znowu a");
        assert_eq!(fill("brak {2} {x} {", &["a"]), "brak {2} {x} {");
        assert_eq!(placeholders("{1} {0} {1}"), vec![0, 1]);
    }

    #[test]
    fn every_api_error_code_is_translated() {
        for code in [
            "not_found",
            "validation_failed",
            "unauthorized",
            "forbidden",
            "conflict",
            "too_many_requests",
            "internal_error",
            "quote_not_computable",
            "payload_too_large",
            "malformed_body",
            "unsupported_media_type",
            "invalid_statement",
        ] {
            assert!(problem_key(code).is_some(), "{code}");
        }
        assert_eq!(problem_key("something_new"), None);
        assert_eq!(status_key(503), Key::ErrInternal);
    }

    #[test]
    fn reconciliation_reasons_are_translated() {
        assert_eq!(
            reconcile_reason("decision FN.3120.1.2026 in the title; the payer's name is the taxpayer's", Lang::Pl).as_deref(),
            Some("numer decyzji FN.3120.1.2026 w tytule; wpłacający nazywa się jak podatnik")
        );
        assert_eq!(
            reconcile_reason("no virtual account of the municipality on the line", Lang::En).as_deref(),
            Some("paid to the municipality's main account, without a virtual account")
        );
        assert_eq!(reconcile_reason("something new", Lang::Pl), None);
        assert_eq!(import_status_key("unbalanced"), Key::ImportUnbalanced);
    }

    #[test]
    fn the_rates_warning_is_translated() {
        let w = "interest rates are verified up to 2026-10-08; a later change of the NBP lombard rate would change the result for payment on 2026-12-03";
        let pl = warning(w, Lang::Pl);
        assert!(pl.contains("08.10.2026") && pl.contains("03.12.2026"), "{pl}");
        assert_eq!(warning("something else", Lang::Pl), "something else");
    }

    #[test]
    fn static_pages_parse_into_headings_paragraphs_and_lists() {
        for lang in [Lang::Pl, Lang::En] {
            for key in [Key::AccessibilityBody, Key::PrivacyBody] {
                let b = blocks(text(lang, key));
                assert!(b.iter().filter(|b| matches!(b, Block::Heading(_))).count() >= 5, "{key:?} {lang:?}");
                assert!(b.iter().any(|b| matches!(b, Block::List(_))), "{key:?} {lang:?}");
            }
        }
        assert_eq!(
            blocks("## H\n\nline one\nline two\n\n- a\n- b"),
            vec![Block::Heading("H".into()), Block::Paragraph("line one line two".into()), Block::List(vec!["a".into(), "b".into()])]
        );
    }
}
