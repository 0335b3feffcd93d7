//! The Polish statutory calendar: holidays, working days, due-date shifting and the Warsaw civil date.

use time::{Date, Duration, Month, OffsetDateTime, UtcOffset, Weekday};

/// Statutory non-working days of a year (ustawa z 18.01.1951 o dniach wolnych od pracy, art. 1,
/// t.j. Dz.U. 2025 poz. 296), Sundays aside. Each with its Polish name.
///
/// - 6 January (Trzech Króli) from 2011 (Dz.U. 2010 nr 224 poz. 1459);
/// - 24 December (Wigilia) from 2025 (amendment in force 2025-02-01; 24.12.2024 was a working day);
/// - 12 November 2018, a one-off day off (ustawa z 23.10.2018, Dz.U. 2018 poz. 2024);
/// - movable feasts from the Gregorian Easter: Easter Sunday and Monday, Pentecost Sunday (+49 days),
///   Corpus Christi (+60 days).
///
/// Art. 1a allows the Prime Minister to designate extra days off in an epidemic: add such days as
/// data through [`Calendar::with_extra_days_off`].
pub fn holidays(year: i32) -> Vec<(Date, &'static str)> {
    let mut days = Vec::with_capacity(16);
    let mut fixed = |month: Month, day: u8, name: &'static str| {
        if let Ok(date) = Date::from_calendar_date(year, month, day) {
            days.push((date, name));
        }
    };
    fixed(Month::January, 1, "Nowy Rok");
    if year >= 2011 {
        fixed(Month::January, 6, "Trzech Króli");
    }
    fixed(Month::May, 1, "Święto Pracy");
    fixed(Month::May, 3, "Święto Konstytucji 3 Maja");
    fixed(Month::August, 15, "Wniebowzięcie Najświętszej Maryi Panny");
    fixed(Month::November, 1, "Wszystkich Świętych");
    fixed(Month::November, 11, "Narodowe Święto Niepodległości");
    if year == 2018 {
        fixed(Month::November, 12, "Dzień wolny (100-lecie Niepodległości)");
    }
    if year >= 2025 {
        fixed(Month::December, 24, "Wigilia Bożego Narodzenia");
    }
    fixed(Month::December, 25, "Boże Narodzenie (pierwszy dzień)");
    fixed(Month::December, 26, "Boże Narodzenie (drugi dzień)");
    if let Some(easter) = easter_sunday(year) {
        days.push((easter, "Wielkanoc"));
        days.push((easter + Duration::days(1), "Poniedziałek Wielkanocny"));
        days.push((easter + Duration::days(49), "Zielone Świątki"));
        days.push((easter + Duration::days(60), "Boże Ciało"));
    }
    days.sort_unstable();
    days
}

/// Gregorian Easter Sunday (the anonymous "Meeus/Jones/Butcher" computus).
pub fn easter_sunday(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// Which days are free for the purpose of time limits. The default is the statute; extra days off
/// (art. 1a of the holidays act) can be added as data.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    extra_days_off: Vec<Date>,
}

impl Calendar {
    pub fn statutory() -> Self {
        Self::default()
    }

    pub fn with_extra_days_off(mut self, days: impl IntoIterator<Item = Date>) -> Self {
        self.extra_days_off.extend(days);
        self.extra_days_off.sort_unstable();
        self.extra_days_off.dedup();
        self
    }

    /// A statutory holiday (Sundays are not listed here; see [`Calendar::is_working_day`]).
    pub fn is_holiday(&self, date: Date) -> bool {
        is_fixed_or_movable_holiday(date) || self.extra_days_off.binary_search(&date).is_ok()
    }

    /// A day on which a time limit may end: not a Saturday, not a Sunday, not a holiday
    /// (art. 12 § 5 OP treats Saturdays like statutory non-working days).
    pub fn is_working_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !self.is_holiday(date)
    }

    /// Art. 12 § 5 OP: a time limit whose last day is a Saturday or a statutory non-working day ends
    /// on the next day that is neither. Only due dates shift; a payment date never moves.
    pub fn effective_due_date(&self, due: Date) -> Date {
        let mut day = due;
        while !self.is_working_day(day) {
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        day
    }
}

/// Checked without allocating: the hot path of interest valuation shifts millions of due dates.
fn is_fixed_or_movable_holiday(date: Date) -> bool {
    let year = date.year();
    let fixed = match (date.month(), date.day()) {
        (Month::January, 1) | (Month::May, 1 | 3) | (Month::August, 15) => true,
        (Month::November, 1 | 11) | (Month::December, 25 | 26) => true,
        (Month::January, 6) => year >= 2011,
        (Month::December, 24) => year >= 2025,
        (Month::November, 12) => year == 2018,
        _ => false,
    };
    if fixed {
        return true;
    }
    // Movable feasts fall between 22 March and 24 June.
    if !(Month::March..=Month::June).contains(&date.month()) {
        return false;
    }
    easter_sunday(year).is_some_and(|easter| matches!((date - easter).whole_days(), 0 | 1 | 49 | 60))
}

/// Central European Time, which Poland keeps outside summer time.
const CET: UtcOffset = match UtcOffset::from_hms(1, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};
const CEST: UtcOffset = match UtcOffset::from_hms(2, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The Europe/Warsaw civil date of an instant (tax-rules.md §8.7: "today" is the Warsaw date).
pub fn warsaw_date(instant: OffsetDateTime) -> Date {
    instant.to_offset(warsaw_offset(instant)).date()
}

/// The UTC offset in force in Poland at an instant. Summer time follows the EU rule (directive
/// 2000/84/EC, applied in Poland since 1996): from the last Sunday of March, 01:00 UTC, to the last
/// Sunday of October, 01:00 UTC. Earlier years are outside the portal's data.
pub fn warsaw_offset(instant: OffsetDateTime) -> UtcOffset {
    let utc = instant.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let (Some(start), Some(end)) = (last_sunday_1am_utc(year, Month::March), last_sunday_1am_utc(year, Month::October)) else {
        return CET;
    };
    if utc >= start && utc < end { CEST } else { CET }
}

fn last_sunday_1am_utc(year: i32, month: Month) -> Option<OffsetDateTime> {
    let last_day = Date::from_calendar_date(year, month, month.length(year)).ok()?;
    let back = i64::from(last_day.weekday().number_days_from_sunday());
    let sunday = last_day - Duration::days(back);
    Some(sunday.with_hms(1, 0, 0).ok()?.assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    /// tax-rules.md §4, movable feasts checked against the published 2015–2030 table.
    #[test]
    fn movable_feasts_match_the_published_table() {
        let table = [
            (2015, date!(2015 - 04 - 05)),
            (2016, date!(2016 - 03 - 27)),
            (2017, date!(2017 - 04 - 16)),
            (2018, date!(2018 - 04 - 01)),
            (2019, date!(2019 - 04 - 21)),
            (2020, date!(2020 - 04 - 12)),
            (2021, date!(2021 - 04 - 04)),
            (2022, date!(2022 - 04 - 17)),
            (2023, date!(2023 - 04 - 09)),
            (2024, date!(2024 - 03 - 31)),
            (2025, date!(2025 - 04 - 20)),
            (2026, date!(2026 - 04 - 05)),
            (2027, date!(2027 - 03 - 28)),
            (2028, date!(2028 - 04 - 16)),
            (2029, date!(2029 - 04 - 01)),
            (2030, date!(2030 - 04 - 21)),
        ];
        for (year, easter) in table {
            assert_eq!(easter_sunday(year), Some(easter), "{year}");
            let names: Vec<_> = holidays(year).into_iter().filter(|(d, _)| d.month() != Month::January).collect();
            assert!(names.contains(&(easter + Duration::days(1), "Poniedziałek Wielkanocny")), "{year}");
            assert!(names.contains(&(easter + Duration::days(49), "Zielone Świątki")), "{year}");
            assert!(names.contains(&(easter + Duration::days(60), "Boże Ciało")), "{year}");
        }
        // Spot checks from the table's other columns.
        let cal = Calendar::statutory();
        for day in [date!(2025 - 06 - 19), date!(2024 - 05 - 30), date!(2026 - 06 - 04), date!(2027 - 05 - 16), date!(2016 - 05 - 15)] {
            assert!(cal.is_holiday(day), "{day}");
        }
    }

    #[test]
    fn holidays_depend_on_the_year_of_the_law() {
        let cal = Calendar::statutory();
        assert!(!cal.is_holiday(date!(2010 - 01 - 06)));
        assert!(cal.is_holiday(date!(2011 - 01 - 06)));
        assert!(!cal.is_holiday(date!(2024 - 12 - 24)));
        assert!(cal.is_holiday(date!(2025 - 12 - 24)));
        assert!(cal.is_holiday(date!(2018 - 11 - 12)));
        assert!(!cal.is_holiday(date!(2019 - 11 - 12)));
        assert_eq!(holidays(2015).len(), 13);
        assert_eq!(holidays(2026).len(), 14);
        // The allocation-free check and the listed holidays agree for every day of 2008–2035.
        for year in 2008..=2035 {
            let listed: Vec<Date> = holidays(year).into_iter().map(|(d, _)| d).collect();
            let mut day = date!(2008 - 01 - 01).replace_year(year).unwrap();
            while day.year() == year {
                assert_eq!(listed.contains(&day), cal.is_holiday(day), "{day}");
                day = day.next_day().unwrap();
            }
        }
    }

    /// tax-rules.md §4: effective installment dates of natural persons after art. 12 § 5
    /// (2015–2020 as published), extended to 2027 from the same calendar.
    #[test]
    fn installment_dates_shift_per_art_12_5() {
        let cal = Calendar::statutory();
        let table = [
            (2015, ["03-16", "05-15", "09-15", "11-16"]),
            (2016, ["03-15", "05-16", "09-15", "11-15"]),
            (2017, ["03-15", "05-15", "09-15", "11-15"]),
            (2018, ["03-15", "05-15", "09-17", "11-15"]),
            (2019, ["03-15", "05-15", "09-16", "11-15"]),
            (2020, ["03-16", "05-15", "09-15", "11-16"]),
            (2021, ["03-15", "05-17", "09-15", "11-15"]),
            (2022, ["03-15", "05-16", "09-15", "11-15"]),
            (2023, ["03-15", "05-15", "09-15", "11-15"]),
            (2024, ["03-15", "05-15", "09-16", "11-15"]),
            (2025, ["03-17", "05-15", "09-15", "11-17"]),
            (2026, ["03-16", "05-15", "09-15", "11-16"]),
            (2027, ["03-15", "05-17", "09-15", "11-15"]),
        ];
        for (year, expected) in table {
            for (i, (month, want)) in [Month::March, Month::May, Month::September, Month::November].into_iter().zip(expected).enumerate() {
                let due = Date::from_calendar_date(year, month, 15).unwrap();
                let got = cal.effective_due_date(due);
                assert_eq!(format!("{:02}-{:02}", u8::from(got.month()), got.day()), want, "{year} installment {}", i + 1);
            }
        }
    }

    #[test]
    fn shifting_crosses_holiday_clusters() {
        let cal = Calendar::statutory();
        // 2025-12-24 (Wed) Wigilia, 25–26 holidays, 27 Sat, 28 Sun → Monday 29 (tax-rules.md D7).
        assert_eq!(cal.effective_due_date(date!(2025 - 12 - 24)), date!(2025 - 12 - 29));
        // 3 May 2025 (Sat, holiday) → Monday 5 May (E6).
        assert_eq!(cal.effective_due_date(date!(2025 - 05 - 03)), date!(2025 - 05 - 05));
        // 31 Jan 2026 is a Saturday → Monday 2 Feb (D10).
        assert_eq!(cal.effective_due_date(date!(2026 - 01 - 31)), date!(2026 - 02 - 02));
        // Easter 2026: Sunday 5 April and Monday 6 April.
        assert_eq!(cal.effective_due_date(date!(2026 - 04 - 04)), date!(2026 - 04 - 07));
        // A working day stays.
        assert_eq!(cal.effective_due_date(date!(2026 - 03 - 17)), date!(2026 - 03 - 17));
        // An extra day off designated under art. 1a.
        let cal = Calendar::statutory().with_extra_days_off([date!(2026 - 03 - 17)]);
        assert_eq!(cal.effective_due_date(date!(2026 - 03 - 17)), date!(2026 - 03 - 18));
    }

    #[test]
    fn warsaw_date_across_dst_changes() {
        let cases = [
            // 22:59 UTC in winter is 23:59 in Warsaw: still the same day.
            (datetime!(2026-01-15 22:59 UTC), date!(2026 - 01 - 15)),
            (datetime!(2026-01-15 23:00 UTC), date!(2026 - 01 - 16)),
            // Summer: 22:00 UTC is already midnight in Warsaw.
            (datetime!(2026-07-15 21:59 UTC), date!(2026 - 07 - 15)),
            (datetime!(2026-07-15 22:00 UTC), date!(2026 - 07 - 16)),
            // DST starts 2026-03-29 01:00 UTC (02:00 CET → 03:00 CEST).
            (datetime!(2026-03-28 23:30 UTC), date!(2026 - 03 - 29)),
            (datetime!(2026-03-29 22:30 UTC), date!(2026 - 03 - 30)),
            // DST ends 2026-10-25 01:00 UTC; at 22:30 UTC that evening Warsaw shows 23:30 CET.
            (datetime!(2026-10-24 22:30 UTC), date!(2026 - 10 - 25)),
            (datetime!(2026-10-25 22:30 UTC), date!(2026 - 10 - 25)),
            // New Year's Eve, instant given in another offset.
            (datetime!(2026-12-31 23:30 +00:00).to_offset(UtcOffset::from_hms(-5, 0, 0).unwrap()), date!(2027 - 01 - 01)),
        ];
        for (instant, want) in cases {
            assert_eq!(warsaw_date(instant), want, "{instant}");
        }
        assert_eq!(warsaw_offset(datetime!(2026-03-29 00:59 UTC)), CET);
        assert_eq!(warsaw_offset(datetime!(2026-03-29 01:00 UTC)), CEST);
        assert_eq!(warsaw_offset(datetime!(2026-10-25 00:59 UTC)), CEST);
        assert_eq!(warsaw_offset(datetime!(2026-10-25 01:00 UTC)), CET);
    }
}
