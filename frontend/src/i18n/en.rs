//! English. Every key must be here: the match is exhaustive.

use super::Key as K;

pub(super) fn text(key: K) -> &'static str {
    match key {
        K::AppName => "e-Należności",
        K::SkipToContent => "Skip to content",
        K::MainNavigation => "Main menu",
        K::FooterNavigation => "Information",
        K::FooterNote => {
            "The municipality's receivables portal: local taxes and fees. Interest amounts are for information; the municipality's decisions and accounts are binding."
        }
        K::ApiDocs => "API documentation",
        K::SwitchLanguage => "Polski",
        K::SwitchLanguageLabel => "Zmień język na polski (switch to Polish)",
        K::LogOut => "Log out",
        K::NavDashboard => "My receivables",
        K::NavAdmin => "Clerk's panel",
        K::Loading => "Loading…",
        K::TryAgain => "Try again",
        K::Breadcrumb => "Breadcrumb",
        K::BackToDashboard => "Back to my receivables",

        K::ErrNetwork => "Could not connect to the server.",
        K::ErrNetworkHint => "Check your internet connection and reload the page.",
        K::ErrUnreachable => "Could not check whether you are logged in: the server does not respond.",
        K::ErrLoggedOut => "Your session has ended. Please log in again.",
        K::ErrDecode => "The server answered unexpectedly. Please try again later.",
        K::ErrNotFound => "Not found — or you have no access to it.",
        K::ErrValidation => "Some fields are not filled in correctly.",
        K::ErrUnauthorized => "You need to log in.",
        K::ErrForbidden => "You are not allowed to do this.",
        K::ErrConflict => "This change cannot be saved: it conflicts with existing data.",
        K::ErrTooMany => "Too many attempts. Wait a moment and try again.",
        K::ErrInternal => "Something went wrong on the server. Please try again later.",
        K::ErrQuoteNotComputable => "The amount for that day cannot be computed (e.g. no interest rates for that date).",
        K::ErrBadRequest => "The server did not accept the request.",
        K::ErrPayloadTooLarge => "The data sent is too large.",
        K::ErrMalformedBody => "The server could not read the data sent.",
        K::ErrGeneric => "Something went wrong. Please try again.",
        K::FieldInvalid => "Invalid value.",
        K::FieldOutOfRange => "Value out of the allowed range.",
        K::FieldUnknown => "No such item.",
        K::FieldRequired => "This field is required.",
        K::FieldInvalidDate => "Enter a valid date.",
        K::FieldNotGranted => "Not permitted.",
        K::ErrDayInvalid => "Enter the payment day (a date).",
        K::ErrAmountInvalid => "Enter an amount in złoty, e.g. 1234.56 (at most two decimal places).",
        K::ErrAmountZero => "The amount must be greater than zero.",
        K::WarnRatesNotVerified => {
            "Interest rates are verified up to {0}. If the NBP changes the lombard rate later, the interest for payment on {1} may change."
        }
        K::NoAccessTitle => "No access",
        K::NoAccess => "This part of the portal is for clerks and administrators.",

        K::LoginTitle => "Log in",
        K::LoginIntro => {
            "See your local taxes and fees, installments, due dates and today's interest, download the decision, and pay — online or by transfer to your own account number."
        }
        K::LoginButton => "Log in with login.gov.pl",
        K::LoginNote => {
            "You log in with the trusted profile (profil zaufany), an e-ID card or online banking at the national node login.gov.pl. The portal never sees your password."
        }
        K::NotFoundTitle => "Page not found",
        K::NotFoundText => "There is no page at this address. Check the address or go back to your receivables.",
        K::AccessibilityStatement => "Accessibility statement",
        K::AccessibilityBody => ACCESSIBILITY,
        K::PrivacyNotice => "Personal data protection (GDPR)",
        K::PrivacyBody => PRIVACY,

        K::DashboardTitle => "My receivables",
        K::Greeting => "Hello, {0}. These are the taxes and fees of the people and companies you may act for.",
        K::NoTaxpayers => "Your account is not linked to any taxpayer yet. Contact the municipal office to have it linked.",
        K::YourLink => "Your link: {0}",
        K::LinkOwner => "taxpayer (own obligations)",
        K::LinkCoOwner => "co-owner",
        K::LinkProxy => "proxy",
        K::LinkRepresentative => "company representative",
        K::Obligations => "Obligations",
        K::NoObligations => "No obligations.",
        K::ToPayToday => "To pay today",
        K::Overdue => "Overdue",
        K::InterestToday => "Interest today",
        K::ReminderCosts => "Reminder costs",
        K::NextDue => "Next due date",
        K::NoNextDue => "none",
        K::StatusPaid => "Paid",
        K::StatusOpen => "Not yet due",
        K::StatusOverdue => "Overdue",
        K::ActionPay => "Pay online",
        K::ActionTransfer => "Transfer details",
        K::ActionWhatIf => "What if I pay…",
        K::ActionHistory => "Payment history",
        K::ActionCalendar => "Due dates to calendar (.ics)",
        K::CalendarSaved => "The calendar file has been downloaded.",
        K::NoUpcomingDates => "There are no upcoming due dates to save: the installments are paid or already past due.",
        K::IcsCalendarName => "e-Należności: due dates",
        K::IcsReminder => "A payment is due in 3 days",
        K::IcsSummary => "Due: {0}, installment {1} ({2})",
        K::IcsDescription => "Decision {0}. To pay: {1}. Details and payment: the e-Należności portal.",
        K::ColObligation => "Obligation",
        K::ColDecision => "Decision",
        K::ColAmount => "Amount",
        K::ColPaid => "Paid",
        K::ColStatus => "Status",

        K::ObligationTitle => "Obligation",
        K::DecisionOf => "Decision {0} of {1}",
        K::DataAsOf => "Data from the municipality's system as of {0}",
        K::BasisTitle => "Basis of assessment",
        K::NoBasis => "The decision lists no basis items.",
        K::ColCategory => "What was taxed",
        K::ColQuantity => "Quantity",
        K::ColRate => "Rate",
        K::ColResolution => "Council resolution",
        K::ScheduleTitle => "Installments and due dates",
        K::ColInstallment => "Installment",
        K::ColDueDate => "Due date",
        K::ColOutstanding => "Outstanding",
        K::ColInterest => "Interest",
        K::ShiftedTo => "moved to {0}",
        K::InterestTitle => "Late-payment interest — where the amount comes from",
        K::InterestIntro => {
            "For every overdue installment we show how today's interest came about: period by period, at the rate in force at the time."
        }
        K::NoInterest => "No installment is overdue, so no interest accrues.",
        K::InstallmentDue => "Installment {0} (due {1})",
        K::DayOne => "{0} day",
        K::DayMany => "{0} days",
        K::ExplainShifted => {
            "The due date in the decision, {0}, fell on a day off, so it moved to the next working day: {1} (art. 12 § 5 of the Tax Ordinance)."
        }
        K::ExplainAfterPayment => {
            "Part of the installment was paid on {0}; the interest up to that day was settled then, and from the next day it runs on the amount left."
        }
        K::ExplainIntro => {
            "Interest runs on the unpaid {0} for every day from {1} to {2} inclusive, at the annual late-payment rate in force in each period; a year counts 365 days."
        }
        K::ExplainNoPeriods => "There are no days of delay to count.",
        K::ExplainPeriod => "From {0} to {1} ({2}), rate {3} a year: {4} × {3} × {5}/365 = {6}",
        K::ExplainSum => {
            "Total, exactly: {0}. Interest is rounded to full złoty — less than 50 grosze is dropped, 50 grosze or more rounds up (art. 63 § 1 of the Tax Ordinance): {1}."
        }
        K::ExplainThresholdRounded => {
            "Interest is not charged when it does not exceed {0} (art. 54 § 1(5) of the Tax Ordinance); the municipality compares the rounded amount with this threshold."
        }
        K::ExplainThresholdExact => {
            "Interest is not charged when it does not exceed {0} (art. 54 § 1(5) of the Tax Ordinance); the municipality compares the exact amount, before rounding, with this threshold."
        }
        K::ExplainCharged => "{0} is more than {1}, so the interest is owed: {2}.",
        K::ExplainNotCharged => "{0} does not exceed {1}, so no interest is charged (PLN 0.00).",
        K::ExplainOwedTotal => {
            "Interest owed on this installment in total: {0} — including interest left over from an earlier partial payment."
        }
        K::DocumentsTitle => "Documents",
        K::NoDocuments => "No documents to download.",
        K::DocDecision => "Decision",
        K::DocOther => "Document",
        K::DocumentReady => "Document ready — open it",
        K::PaymentsReachedTitle => "Payments allocated to this obligation",
        K::NoPaymentsReached => "No payment has been allocated yet.",
        K::ColPaymentDate => "Payment day",
        K::ColSource => "Channel",
        K::ColReachedThis => "Allocated",
        K::AllocationLine => "installment {0}: principal {1}, interest {2}",

        K::PaymentsTitle => "Payment history",
        K::NoPayments => "There are no payments yet.",
        K::ColBookingDate => "Booked",
        K::ColWhereItWent => "Allocated to",
        K::AllocationToObligation => "{0}: principal {1}, interest {2}",
        K::AllocationToCosts => "reminder costs: {0}",
        K::Overpayment => "overpayment: {0}",
        K::SourceOnline => "online payment",
        K::SourceTransfer => "bank transfer",
        K::SourceCash => "cash at the office",
        K::SourceDomainSystem => "from the municipality's system",
        K::SourceOther => "other",
        K::PayPending => "in progress",
        K::PayBooked => "booked",
        K::PayRejected => "rejected",
        K::PayExpired => "expired",
        K::PayOther => "other state",

        K::PayTitle => "Pay online",
        K::NothingToPay => "You have nothing to pay. Thank you!",
        K::WhatToPay => "What do you want to pay?",
        K::ChoiceAllOverdue => "All arrears with interest — {0}",
        K::ChoiceNextDue => "The next installments (nothing is overdue) — {0}",
        K::ChoiceEverythingDue => "Everything that is due",
        K::ChoiceInstallments => "Chosen installments",
        K::ChooseInstallments => "Which installments do you want to pay?",
        K::InstallmentLine => "installment {0}, due {1}: principal {2}, interest today {3}",
        K::ChosenTotalNote => {
            "The municipality's server computes the total for the chosen installments (principal with today's interest) when the payment starts; you will see it at the payment operator before you confirm."
        }
        K::StartingPayment => "Starting the payment…",
        K::ChooseSomething => "Tick at least one installment.",
        K::PaymentNotPending => "This payment is no longer waiting to be paid.",
        K::SeePayment => "See the payment",
        K::PaymentTitle => "Payment",
        K::PaymentPendingNote => "Waiting for the payment operator's confirmation. This page refreshes by itself.",
        K::PaymentBookedNote => "Payment booked. Thank you! You can download the receipt below.",
        K::PaymentFailedNote => "The payment did not go through. You can try again or pay by transfer.",
        K::PaymentReference => "Reference number",
        K::ReceiptPdf => "Payment receipt",
        K::AmountForToday => "Amount for today",
        K::WhereItGoes => "Where the payment will be allocated",
        K::ColFor => "Towards",
        K::ColPrincipal => "Principal",
        K::GoToPayment => "Go to payment",
        K::CheckingOnline => "Checking whether online payment is available…",
        K::OnlineUnavailable => {
            "Online payments are not switched on in this municipality yet. Pay by transfer to your own account number — the payment is recognised automatically."
        }
        K::OnlineRedirectNote => "You will be taken to the payment operator's page and come back here after paying.",
        K::PayByTransferInstead => "Pay by transfer",

        K::TransferTitle => "Transfer details",
        K::TransferIntro => "Pay to your own account number. A transfer to this number goes straight to your taxpayer account.",
        K::TransferFor => "What are you paying for?",
        K::TransferAccountOnly => "Account number only (no obligation indicated)",
        K::TransferData => "Transfer data",
        K::Recipient => "Recipient",
        K::RecipientNip => "Tax ID (NIP)",
        K::AccountNumber => "Account number",
        K::VirtualAccountNote => "This is your own account number: payments to it are assigned to you automatically.",
        K::TransferTitleField => "Transfer title",
        K::TransferChooseForQr => "Choose an obligation to see the title, today's amount and the QR code.",
        K::CopyAccount => "Copy account number",
        K::CopyTitle => "Copy title",
        K::CopyAmount => "Copy amount",
        K::Copied => "Copied.",
        K::CopyFailed => "Could not copy — select the text and copy it yourself.",
        K::QrTitle => "QR code for the transfer",
        K::QrAlt => "QR code with the transfer data (ZBP standard): recipient, account number, amount and title as given next to it",
        K::QrHint => "Scan the code in your bank's app (the \"pay with QR code\" option); the transfer fills itself in.",
        K::QrOpenAmount => "The code carries no amount (above PLN 9,999.99) — type it in your bank's app.",

        K::WhatIfTitle => "What if I pay…",
        K::WhatIfIntro => {
            "See how much is due on a chosen day and where a given amount would be allocated. The municipality's server computes the amounts under the Tax Ordinance."
        }
        K::PaymentDay => "Payment day",
        K::PaymentAmount => "Amount paid (PLN)",
        K::PaymentAmountHint => "E.g. 1234.56. Leave empty to see only the amounts due on that day.",
        K::IndicateObligation => "Obligation indicated (optional)",
        K::IndicateObligationHint => {
            "A payment goes first to reminder costs, then to the arrears of the indicated tax (art. 62 of the Tax Ordinance)."
        }
        K::NoIndication => "none",
        K::Calculate => "Calculate",
        K::ResultTitle => "Result",
        K::WhatIfEmpty => "Choose a day and an amount, then press \"Calculate\".",
        K::OnDay => "As of {0}:",
        K::ToPayOverdue => "Arrears with interest",
        K::ToPayAll => "Everything, including installments not yet due",
        K::InterestPart => "Of which interest",
        K::WhatRemains => "What remains to pay after this payment",
        K::RemainingOverdue => "Arrears",
        K::RemainingAll => "Total",

        K::AdminTitle => "Clerk's panel",
        K::AdminIntro => "Residents' accounts, the interest-rate table, the municipality's settings and the audit log.",
        K::AdminNavigation => "Clerk's panel",
        K::NavUsers => "Users",
        K::NavRates => "Interest rates",
        K::NavSettings => "Settings",
        K::NavAudit => "Audit log",
        K::NavStatements => "Bank statements",
        K::NavUnmatched => "Unmatched payments",
        K::NavSync => "Synchronisation",
        K::AdminUsersHint => "Accounts, links to taxpayers, roles",
        K::AdminRatesHint => "Late-payment interest rates and the threshold",
        K::AdminSettingsHint => "Municipality data, accounts, threshold mode",
        K::AdminAuditHint => "Who read or changed which data, and when",
        K::SyncTitle => "Synchronisation with the domain systems",
        K::SyncIntro => {
            "How the data exchange with the tax accounting and assessment systems goes: the last runs, exported payments, rejected rows and background jobs."
        }
        K::Refresh => "Refresh",
        K::SyncConnected => {
            "A domain system keeps the books: the allocation the portal shows is provisional until the domain system books the payment."
        }
        K::SyncStandalone => "Standalone mode: no domain system is connected, the portal's own allocation of payments is final.",
        K::Yes => "yes",
        K::No => "no",
        K::SyncSourceFlags => "Enabled: {0}; keeps the books: {1}; receives the portal's payments: {2}",
        K::SyncContract => "Integration contract version: {0}",
        K::SyncEntitiesCaption => "The last run of each view",
        K::SyncExports => "Payments exported to the domain system",
        K::SyncNoExports => "No payments exported.",
        K::SyncRejected => "Rejected rows",
        K::SyncRejectedCount => "Rows waiting for a correction in the domain system: {0}",
        K::SyncColEntity => "View",
        K::SyncColSourceId => "Source id",
        K::SyncColReason => "Reason",
        K::SyncColLastRun => "Last run",
        K::SyncColLastSuccess => "Last success",
        K::SyncColRead => "Read",
        K::SyncColChanged => "Changed",
        K::SyncColErrors => "Errors",
        K::SyncColLastError => "Last error",
        K::SyncJobs => "Background jobs",
        K::SyncNoJobs => "No jobs: no domain system is connected.",
        K::SyncColJob => "Job",
        K::SyncColRuns => "Runs",
        K::SyncColNextRun => "Next run",
        K::ExportPending => "pending",
        K::ExportWritten => "written",
        K::ExportAccepted => "accepted",
        K::ExportRejected => "rejected",
        K::ExportBooked => "booked",
        K::JobQueued => "queued",
        K::JobRunning => "running",
        K::JobDone => "done",
        K::JobFailed => "failed",
        K::AdminStatementsHint => "Statement import and unmatched payments",
        K::AdminSyncHint => "Data exchange with the domain systems",
        K::AllocationProvisional => "Provisional allocation: waiting for the municipality's tax system to book it.",
        K::UsersTitle => "Users",
        K::UsersIntro => {
            "Link a resident's account to a taxpayer (owner, co-owner, proxy, company representative) or end a link. The history of links is kept."
        }
        K::UsersCount => "Accounts: {0}",
        K::RolesAre => "Roles: {0}",
        K::NoLinks => "No links to taxpayers.",
        K::LinksCaption => "Links to taxpayers",
        K::ColTaxpayer => "Taxpayer",
        K::ColLinkKind => "Kind of link",
        K::ColValidFrom => "From",
        K::ColValidTo => "Until",
        K::ColActions => "Actions",
        K::EndOn => "End on",
        K::EndLink => "End",
        K::AddLink => "Add link",
        K::TaxpayerId => "Taxpayer identifier",
        K::TaxpayerIdHint => "The identifier (UUID) from the system, e.g. 3f2b…; find it in the audit log or the taxpayer's data.",
        K::ValidFromHint => "Empty means from today.",
        K::Saved => "Saved.",
        K::ChangeRoles => "Change roles",
        K::Roles => "Roles",
        K::RoleResident => "resident",
        K::RoleClerk => "clerk",
        K::RoleAdmin => "administrator",
        K::SaveRoles => "Save roles",
        K::Pagination => "Result pages",
        K::PrevPage => "Previous page",
        K::NextPage => "Next page",
        K::PageOf => "Page {0} of {1}",
        K::RatesTitle => "Late-payment interest rates",
        K::RatesIntro => {
            "The standard rate is twice the NBP lombard rate plus 2 percentage points, at least 8% (art. 56 § 1 of the Tax Ordinance); the reduced rate is 50% and the increased rate 150% of it. Rates change on the day the lombard rate changes — add a new row then."
        }
        K::VerifiedUpTo => "Rates checked against NBP decisions up to {0}.",
        K::SetVerifiedUpTo => "Checked up to",
        K::Save => "Save",
        K::RatesTable => "Rate table",
        K::ThresholdsTable => "Interest threshold (art. 54 § 1(5))",
        K::ColFrom => "In force from",
        K::ColLombard => "Lombard rate",
        K::ColStandard => "Standard",
        K::ColReduced => "Reduced",
        K::ColIncreased => "Increased",
        K::ColThreshold => "Threshold",
        K::AddRate => "Add rate",
        K::RateSourceHint => "Source: e.g. the Minister of Finance's announcement or the MPC resolution.",
        K::SettingsTitle => "Municipality settings",
        K::MunicipalityName => "Municipality name",
        K::Address => "Address",
        K::BankAccount => "Municipality's bank account",
        K::VirtualPrefix => "Virtual account prefix",
        K::ThresholdMode => "Comparison with the interest threshold",
        K::ThresholdModeHint => {
            "Whether the PLN 8.70 threshold is compared with the interest rounded to full złoty or with the exact amount."
        }
        K::ModeRounded => "rounded amount",
        K::ModeExact => "exact amount",
        K::RatesVerified => "Rates checked up to",
        K::ChangeSettings => "Change settings",
        K::AuditTitle => "Audit log",
        K::AuditFilters => "Audit log filters",
        K::ColActor => "Who",
        K::ColAction => "Action",
        K::ColOutcome => "Outcome",
        K::ColWhen => "When",
        K::ColSubject => "Subject",
        K::AnyOutcome => "any",
        K::OutcomeAllowed => "allowed",
        K::OutcomeDenied => "denied",
        K::OutcomeFailed => "failed",
        K::OutcomeOther => "other",
        K::DateFrom => "From",
        K::DateTo => "Until",
        K::Search => "Search",
        K::Results => "Results",
        K::ResultsCount => "Found: {0}",
        K::NoResults => "Nothing found.",

        K::StatementsTitle => "Bank statements",
        K::StatementsIntro => {
            "Import a bank statement (MT940 or camt.053). Payments to virtual accounts are booked to their taxpayers; payments that cannot be matched go to the queue of unmatched payments."
        }
        K::UploadTitle => "Import a statement",
        K::StatementFile => "Statement file",
        K::StatementFileHint => "MT940 (.sta, .mt940, .txt) or camt.053 (.xml), at most 50 MB. The character encoding is detected.",
        K::DryRun => "Check only — book nothing",
        K::ImportStatement => "Import the statement",
        K::ChooseFile => "Choose a statement file.",
        K::UploadReading => "Reading the file: {0}%",
        K::UploadSending => "Sending the file: {0}%",
        K::UploadProcessing => "File sent — matching the payments…",
        K::UploadDone => "Done.",
        K::UploadFailed => "The import was not done.",
        K::ImportSummaryTitle => "Import result",
        K::ImportImported => "imported",
        K::ImportImportedUnbalanced => "imported despite unbalanced balances",
        K::ImportDryRun => "check only — nothing booked",
        K::ImportUnbalanced => "held back — the balances do not add up, nothing booked",
        K::SumStatus => "Status",
        K::SumFile => "File",
        K::SumFormat => "Format and encoding",
        K::EncodingDetected => "{0} (detected)",
        K::SumStatements => "Statements in the file",
        K::SumLines => "Statement lines",
        K::SumCredits => "Payments in (credits)",
        K::SumDebits => "Debits and reversals",
        K::SumMatched => "Matched and booked",
        K::SumUnmatched => "Unmatched (queued)",
        K::SumSettledOnline => "Settlements of online payments",
        K::SumDuplicates => "Skipped — imported before",
        K::SumTotalCredited => "Total of new payments",
        K::SumTotalBooked => "Booked",
        K::SumOverpayments => "Of which overpayments",
        K::UnbalancedLine => "Account {0}, statement {1}: closing balance {2}, but the entries give {3} (difference {4}).",
        K::UnbalancedHint => "The file may be incomplete or damaged. Import it anyway only if you know it is complete.",
        K::ImportAnyway => "Import despite the balances",
        K::GoToUnmatched => "Go to the unmatched payments",
        K::ErrInvalidStatement => "This file cannot be read as a bank statement. Nothing was imported.",
        K::ProblemDetail => "Details:",
        K::ImportsTitle => "Imported files",
        K::NoImports => "No statement has been imported yet.",
        K::ColImportedAt => "Imported",
        K::ColFile => "File",
        K::ColCredits => "Credits",
        K::ColMatched => "Matched",
        K::ColUnmatched => "Unmatched",
        K::ColTotal => "Total",
        K::UnmatchedTitle => "Unmatched payments",
        K::UnmatchedIntro => {
            "Payments from statements that could not be matched automatically. Check the suggestions and assign each payment to a taxpayer — it is booked with the statement's date."
        }
        K::UnmatchedCount => "Payments in the queue: {0}",
        K::NoUnmatched => "No unmatched payments.",
        K::UnmatchedHeading => "{0} of {1}",
        K::Payer => "Payer",
        K::PayerAccount => "Payer's account",
        K::VirtualAccountOnLine => "Account paid to",
        K::StatementOfLine => "Statement",
        K::BankReference => "Bank reference",
        K::WhyUnmatched => "Why unmatched",
        K::AssignTo => "Assign the payment",
        K::NoSuggestions => "No suggestions — enter the taxpayer's identifier.",
        K::SuggestionLine => "confidence: {0}",
        K::ConfidenceHigh => "high",
        K::ConfidenceMedium => "medium",
        K::ConfidenceLow => "low",
        K::OtherTaxpayer => "Another taxpayer",
        K::AssignPayment => "Book the payment",
        K::AssignedNote => "Payment of {0} booked to: {1}.",
        K::ChooseTaxpayer => "Choose a taxpayer or enter their identifier.",
        K::ReasonDecision => "decision {0} in the title",
        K::ReasonIdentifier => "the taxpayer's identifier in the title",
        K::ReasonName => "the payer's name is the taxpayer's",
        K::ReasonAccount => "this account paid for the taxpayer before",
        K::ReasonNoVirtual => "paid to the municipality's main account, without a virtual account",
        K::ReasonUnknownVirtual => "virtual account {0} is not issued to any taxpayer",
    }
}

const ACCESSIBILITY: &str = "The municipal office that provides the e-Należności portal undertakes to make it accessible in accordance with the Act of 4 April 2019 on the digital accessibility of websites and mobile applications of public bodies. This statement covers the e-Należności application: the residents' part and the clerk's panel.

## Publication and update dates

Published: 3 December 2026. Last substantial update: 3 December 2026.

## Compliance status

The application is partially compliant with the Act on digital accessibility (WCAG 2.1 level AA) because of the non-compliances listed below.

- PDF decision documents may lack full structure (tags) for screen readers. The content of the decision — basis of assessment, installments, due dates and amounts — is shown in the application as accessible text.
- The transfer QR code is an image; all its data (recipient, account number, title, amount) is given next to it as text with copy buttons.

## Preparation of this statement

This statement was prepared on 3 December 2026 from a self-assessment by the team that builds the application: keyboard-only use, colour contrast, focus visibility, field labels, layout at a screen width of 360 pixels.

## Accessibility features

- The whole application can be used with the keyboard; the focused element is always clearly visible.
- Every page starts with a \"Skip to content\" link.
- The application works in Polish and English (switch in the header).
- Text can be enlarged to 200% without loss of content; the layout adapts to screens from 360 pixels wide.
- Results that appear after a moment (e.g. calculations) are announced by screen readers.

## Feedback and contact details

If you notice an accessibility problem, write to or call the municipal office — its contact details are in its Public Information Bulletin (BIP). The same way you can ask for information not accessible in the application, or for it in another form.

## Requests and complaints

Everyone has the right to demand digital accessibility of the application or of an element of it, or alternative access. The request gives the requester's details, the element concerned and a way to reply. The office handles it without delay, within 7 days at the latest; if that is impossible, it gives a date (no later than 2 months) or offers alternative access. After a refusal you may complain to the office and then notify the Commissioner for Human Rights (Rzecznik Praw Obywatelskich).

## Architectural accessibility

Information on the accessibility of the office building (entrances, lifts, induction loops, sign-language interpreting) is in the accessibility statement on the office's website.";

const PRIVACY: &str = "This notice fulfils the obligation under Article 13 of Regulation (EU) 2016/679 of the European Parliament and of the Council (GDPR).

## Controller

The controller of your personal data is the municipality (gmina) that runs the e-Należności portal, represented by its mayor (wójt, burmistrz or prezydent miasta). The municipal office's address and contact details are in its Public Information Bulletin (BIP).

## Data protection officer

For data protection matters you can write to the municipal office's data protection officer; the e-mail and postal address are in the office's Public Information Bulletin.

## Purposes and legal bases

- assessing and collecting local taxes and fees, tax accounting, settling payments — Article 6(1)(c) GDPR with the Tax Ordinance, the Act on local taxes and fees, the Agricultural Tax Act, the Forest Tax Act and the Act on maintaining cleanliness and order in municipalities;
- showing receivables and accepting payments in the portal — Article 6(1)(e) GDPR (a task carried out in the public interest);
- confirming your identity at login through login.gov.pl — Article 6(1)(c) GDPR with the Act on the computerisation of entities performing public tasks;
- the audit log (who read or changed data, and when) — Article 6(1)(c) and Article 32 GDPR.

## What data we process

Name, PESEL number (or a company's NIP and REGON), address, data on obligations, installments, payments and interest, your own account number for payments, and login data (time, assurance level of the means of identification).

## Where the data comes from

Data on receivables comes from the office's domain systems (tax assessment and tax accounting). Identity data at login is provided by the National Electronic Identification Node (login.gov.pl).

## Recipients

- IT service providers running the portal, under data processing agreements;
- the bank holding the municipality's accounts and the online payment operator — as far as needed for payments;
- authorities entitled by law.

## How long we keep the data

For the periods set by the archives law and the office's filing instructions; tax records as a rule for 5 years from the end of the year in which the payment was due, longer where the law requires.

## Your rights

You have the right of access to your data, to rectification and to restriction of processing, and — for processing under Article 6(1)(e) GDPR — the right to object. You may lodge a complaint with the President of the Personal Data Protection Office (ul. Stawki 2, 00-193 Warszawa).

## Whether you must provide data

The obligation to provide data follows from tax law. Using the portal is voluntary — everything can also be done at the office.

## Automated decisions and cookies

No decisions are taken about you solely by automated processing, including profiling. Interest amounts in the portal are for information; the office's decisions and accounts are binding. The portal uses a single, necessary session cookie (to keep you logged in); it uses no analytics or advertising cookies.";
