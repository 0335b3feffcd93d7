//! Due dates as an iCalendar file (RFC 5545), built in the browser from the installments the API
//! returned: all-day events on the (shifted) due date with a reminder three days before.

use std::fmt::Write as _;

use time::{Date, OffsetDateTime, UtcOffset};

use crate::format;
use crate::i18n::{Key as K, Lang, fill, text};

/// One due date to put in the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueEvent {
    /// Stable across downloads so that importing again updates instead of duplicating.
    pub uid: String,
    pub date: Date,
    pub summary: String,
    pub description: String,
}

/// The due dates still ahead (on or after `from`) of the installments not yet paid.
pub fn due_events(details: &[api_types::ObligationDetail], from: Date, lang: Lang) -> Vec<DueEvent> {
    let mut events = Vec::new();
    for d in details {
        for i in &d.installments {
            if i.status == api_types::ObligationStatus::Paid || i.effective_due_date < from {
                continue;
            }
            let amount = format::amount(&i.principal_outstanding, lang);
            events.push(DueEvent {
                uid: format!("{}@e-naleznosci", i.id),
                date: i.effective_due_date,
                summary: fill(text(lang, K::IcsSummary), &[&d.obligation.title, &i.number.to_string(), &amount]),
                description: fill(text(lang, K::IcsDescription), &[&d.obligation.decision_number, &amount]),
            });
        }
    }
    events.sort_by_key(|e| e.date);
    events
}

/// The whole `.ics` file: CRLF line endings, lines folded at 75 octets, text escaped.
pub fn calendar(name: &str, events: &[DueEvent], stamp: OffsetDateTime, reminder: &str) -> String {
    let stamp = stamp.to_offset(UtcOffset::UTC);
    let stamp = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        stamp.year(),
        u8::from(stamp.month()),
        stamp.day(),
        stamp.hour(),
        stamp.minute(),
        stamp.second()
    );
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&fold(&text));
        out.push_str("\r\n");
    };
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//e-Naleznosci//Portal//PL".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape(&e.uid)));
        line(format!("DTSTAMP:{stamp}"));
        line(format!("DTSTART;VALUE=DATE:{}", compact(e.date)));
        // DTEND is exclusive: the next day makes a one-day, all-day event.
        line(format!("DTEND;VALUE=DATE:{}", compact(e.date.next_day().unwrap_or(e.date))));
        line(format!("SUMMARY:{}", escape(&e.summary)));
        line(format!("DESCRIPTION:{}", escape(&e.description)));
        line("TRANSP:TRANSPARENT".into());
        line("BEGIN:VALARM".into());
        line("ACTION:DISPLAY".into());
        line("TRIGGER:-P3D".into());
        line(format!("DESCRIPTION:{}", escape(reminder)));
        line("END:VALARM".into());
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

fn compact(day: Date) -> String {
    let mut s = String::with_capacity(8);
    let _ = write!(s, "{:04}{:02}{:02}", day.year(), u8::from(day.month()), day.day());
    s
}

/// TEXT value escaping (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line so that no line is longer than 75 octets, never splitting a UTF-8
/// character; continuation lines start with one space (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn sample() -> String {
        let events = vec![DueEvent {
            uid: "7c1e9a52-0000-4000-8000-000000000001@e-naleznosci".into(),
            date: date!(2026 - 03 - 16),
            summary: "Podatek od nieruchomości 2026, rata 1: 308,50 zł".into(),
            description: "Zapłać na rachunek 61 1090 1014; tytuł: PN 2026\nDecyzja DEC/1/2026".into(),
        }];
        calendar("e-Należności: terminy", &events, datetime!(2026-12-03 10:15:30 +01:00), "Za 3 dni termin płatności")
    }

    #[test]
    fn every_line_ends_with_crlf_and_nothing_else() {
        let ics = sample();
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert!(!ics.replace("\r\n", "").contains('\r'));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    }

    #[test]
    fn all_day_event_with_utc_stamp_and_reminder() {
        let ics = sample();
        assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20260316\r\n"));
        assert!(ics.contains("\r\nDTEND;VALUE=DATE:20260317\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20261203T091530Z\r\n"));
        assert!(ics.contains("\r\nTRIGGER:-P3D\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert_eq!(ics.matches("END:VEVENT").count(), 1);
    }

    #[test]
    fn text_is_escaped() {
        let ics = sample().replace("\r\n ", "");
        assert!(ics.contains("SUMMARY:Podatek od nieruchomości 2026\\, rata 1: 308\\,50 zł\r\n"), "{ics}");
        assert!(ics.contains("tytuł: PN 2026\\nDecyzja DEC/1/2026"));
        assert!(ics.contains("\\; tytuł"));
        assert_eq!(escape("a\\b"), "a\\\\b");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let long = "ż".repeat(100);
        let folded = fold(&format!("SUMMARY:{long}"));
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        // Unfolding gives the original back.
        assert_eq!(folded.replace("\r\n ", ""), format!("SUMMARY:{long}"));
        assert_eq!(fold("short"), "short");
    }

    #[test]
    fn empty_calendar_is_still_valid() {
        let ics = calendar("x", &[], datetime!(2026-01-01 0:00 UTC), "r");
        assert!(ics.contains("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.contains("VEVENT"));
    }
}
