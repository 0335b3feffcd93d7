//! Calendar dates on the wire as `YYYY-MM-DD` (ISO 8601 extended, the same text `time` writes),
//! read by a small hand-written parser rather than `time`'s format-description machinery, which
//! would otherwise be the largest part of `time` in the web app's bundle (issue 8's size budget).
//! Use with `#[serde(with = "crate::iso_date")]`, or `crate::iso_date::option` for `Option<Date>`.

use serde::{Deserialize, Deserializer, Serializer};
use time::{Date, Month};

/// `YYYY-MM-DD` with a four-digit year; `None` for anything else, impossible days included.
pub fn parse(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u16> {
        b[range].iter().try_fold(0u16, |n, &c| c.is_ascii_digit().then(|| n * 10 + u16::from(c - b'0')))
    };
    let month = Month::try_from(u8::try_from(number(5..7)?).ok()?).ok()?;
    let day = u8::try_from(number(8..10)?).ok()?;
    Date::from_calendar_date(i32::from(number(0..4)?), month, day).ok()
}

/// `YYYY-MM-DD`.
pub fn format(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*date))
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| serde::de::Error::custom(format_args!("invalid date {text:?}: expected YYYY-MM-DD")))
}

/// For `Option<Date>` (`null` or absent is `None`; pair with `default`).
pub mod option {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => super::serialize(date, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
        match <Option<std::borrow::Cow<'de, str>>>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => super::parse(&text)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format_args!("invalid date {text:?}: expected YYYY-MM-DD"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn reads_and_writes_what_time_does() {
        for (text, expected) in [
            ("2026-12-03", Some(date!(2026 - 12 - 03))),
            ("2024-02-29", Some(date!(2024 - 02 - 29))),
            ("0999-01-01", Some(date!(0999 - 01 - 01))),
            ("2025-02-29", None),
            ("2026-13-01", None),
            ("2026-00-10", None),
            ("2026-12-32", None),
            ("2026-1-03", None),
            ("2026/12/03", None),
            ("2026-12-03T00:00", None),
            ("+2026-12-3", None),
            ("", None),
        ] {
            assert_eq!(parse(text), expected, "{text}");
            if let Some(d) = expected {
                assert_eq!(format(d), text);
                assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{}\"", format(d)), "time's own serialization agrees");
            }
        }
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Row {
        #[serde(with = "crate::iso_date")]
        day: Date,
        #[serde(default, with = "crate::iso_date::option")]
        until: Option<Date>,
    }

    #[test]
    fn round_trips_in_json() {
        let row: Row = serde_json::from_str(r#"{"day":"2026-12-03"}"#).unwrap();
        assert_eq!(row, Row { day: date!(2026 - 12 - 03), until: None });
        let row: Row = serde_json::from_str(r#"{"day":"2026-12-03","until":null}"#).unwrap();
        assert_eq!(row.until, None);
        let row = Row { day: date!(2026 - 01 - 05), until: Some(date!(2027 - 01 - 05)) };
        assert_eq!(serde_json::to_string(&row).unwrap(), r#"{"day":"2026-01-05","until":"2027-01-05"}"#);
        let err = serde_json::from_str::<Row>(r#"{"day":"2026-02-30"}"#).unwrap_err().to_string();
        assert!(err.contains("invalid date \"2026-02-30\""), "{err}");
    }
}
