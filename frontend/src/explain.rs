//! Late-payment interest explained in plain words, period by period, from the numbers the API
//! computed (`InstallmentView.interest`). Nothing is recomputed here: every amount shown is one the
//! server sent; the text only says how it came about.

use api_types::{InstallmentView, InterestResult};

use crate::format;
use crate::i18n::{Key as K, Lang, fill, text};

/// The explanation of one installment's interest, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// From when, on what, at which rates.
    pub intro: Vec<String>,
    /// One line per stretch of the delay with a constant rate.
    pub periods: Vec<String>,
    /// The exact sum, the rounding, the threshold and the outcome.
    pub outcome: Vec<String>,
}

pub fn days(n: i64, lang: Lang) -> String {
    let key = if n == 1 { K::DayOne } else { K::DayMany };
    fill(text(lang, key), &[&n.to_string()])
}

pub fn explain(installment: &InstallmentView, interest: &InterestResult, lang: Lang) -> Explanation {
    let money = |amount: &str| format::money(amount, lang);
    let date = |d: time::Date| format::date(d, lang);
    let principal = installment.principal_outstanding.to_string();
    let mut intro = Vec::new();
    if installment.effective_due_date != installment.due_date {
        intro.push(fill(text(lang, K::ExplainShifted), &[&date(installment.due_date), &date(installment.effective_due_date)]));
    }
    if interest.effective_due > installment.effective_due_date {
        // Interest up to an earlier partial payment was settled then; it runs on from there.
        intro.push(fill(text(lang, K::ExplainAfterPayment), &[&date(interest.effective_due)]));
    }
    match (interest.periods.first(), interest.periods.last()) {
        (Some(first), Some(last)) => {
            intro.push(fill(text(lang, K::ExplainIntro), &[&money(&principal), &date(first.from), &date(last.to)]))
        }
        _ => intro.push(text(lang, K::ExplainNoPeriods).to_string()),
    }
    let periods = interest
        .periods
        .iter()
        .map(|p| {
            fill(
                text(lang, K::ExplainPeriod),
                &[
                    &date(p.from),
                    &date(p.to),
                    &days(p.days, lang),
                    &format::percent(&p.rate, lang),
                    &money(&principal),
                    &p.days.to_string(),
                    &money(&p.amount),
                ],
            )
        })
        .collect();
    let threshold = interest.threshold.amount.to_string();
    let computed = interest.computed.to_string();
    let mut outcome = vec![fill(text(lang, K::ExplainSum), &[&money(&interest.exact), &money(&computed)])];
    let exact_mode = interest.threshold.mode == "exact";
    outcome.push(fill(text(lang, if exact_mode { K::ExplainThresholdExact } else { K::ExplainThresholdRounded }), &[&money(&threshold)]));
    let compared = if exact_mode { money(&interest.exact) } else { money(&computed) };
    outcome.push(if interest.charged {
        fill(text(lang, K::ExplainCharged), &[&compared, &money(&threshold), &money(&interest.interest.to_string())])
    } else {
        fill(text(lang, K::ExplainNotCharged), &[&compared, &money(&threshold)])
    });
    if installment.interest_owed != interest.interest {
        outcome.push(fill(text(lang, K::ExplainOwedTotal), &[&money(&installment.interest_owed.to_string())]));
    }
    Explanation { intro, periods, outcome }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::{InterestPeriod, ObligationStatus, Threshold};
    use time::macros::date;

    fn installment(outstanding: &str, interest_owed: &str) -> InstallmentView {
        InstallmentView {
            id: uuid::Uuid::nil(),
            number: 1,
            due_date: date!(2025 - 03 - 15),
            effective_due_date: date!(2025 - 03 - 17),
            amount: outstanding.parse().unwrap(),
            principal_paid: "0.00".parse().unwrap(),
            principal_outstanding: outstanding.parse().unwrap(),
            interest_paid: "0.00".parse().unwrap(),
            interest_owed: interest_owed.parse().unwrap(),
            status: ObligationStatus::Overdue,
            interest: None,
        }
    }

    /// The README's example: 1000 zł due 15.03.2025 (a Saturday), paid 31.12.2025.
    fn result(charged: bool, mode: &str) -> InterestResult {
        InterestResult {
            interest: if charged { "102.00" } else { "0.00" }.parse().unwrap(),
            computed: "102.00".parse().unwrap(),
            exact: "101.8630".into(),
            charged,
            effective_due: date!(2025 - 03 - 17),
            threshold: Threshold { amount: "8.70".parse().unwrap(), mode: mode.into() },
            periods: vec![
                InterestPeriod {
                    from: date!(2025 - 03 - 18),
                    to: date!(2025 - 05 - 07),
                    days: 51,
                    rate: "14.5".into(),
                    amount: "20.2603".into(),
                },
                InterestPeriod {
                    from: date!(2025 - 05 - 08),
                    to: date!(2025 - 05 - 08),
                    days: 1,
                    rate: "13.5".into(),
                    amount: "0.3699".into(),
                },
            ],
            warnings: vec![],
        }
    }

    #[test]
    fn polish_explanation_names_every_number() {
        let e = explain(&installment("1000.00", "102.00"), &result(true, "rounded"), Lang::Pl);
        let all = [e.intro.join(" "), e.periods.join(" "), e.outcome.join(" ")].join(" ");
        for needle in [
            "15.03.2025",
            "17.03.2025",
            "18.03.2025",
            "07.05.2025",
            "51 dni",
            "1 dzień",
            "14,5%",
            "13,5%",
            "20,2603\u{a0}zł",
            "101,8630\u{a0}zł",
            "102,00\u{a0}zł",
            "8,70\u{a0}zł",
            "1\u{a0}000,00\u{a0}zł",
            "365",
        ] {
            assert!(all.contains(needle), "missing {needle:?} in {all}");
        }
        assert_eq!(e.periods.len(), 2);
        // The owed total equals the charged interest: no extra sentence.
        assert_eq!(e.outcome.len(), 3);
    }

    #[test]
    fn below_the_threshold_says_nothing_is_charged() {
        let e = explain(&installment("1000.00", "0.00"), &result(false, "exact"), Lang::Pl);
        let outcome = e.outcome.join(" ");
        assert!(outcome.contains("nie pobiera"), "{outcome}");
        // Exact mode compares the unrounded sum.
        assert!(outcome.contains("101,8630"), "{outcome}");
    }

    #[test]
    fn english_too_and_carried_interest_mentioned() {
        let e = explain(&installment("1000.00", "110.00"), &result(true, "rounded"), Lang::En);
        let all = e.outcome.join(" ");
        assert!(all.contains("PLN\u{a0}110.00"), "{all}");
        assert!(e.periods[0].contains("51 days"), "{}", e.periods[0]);
    }
}
