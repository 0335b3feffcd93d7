//! PayByNet status codes (payments.md §1.5) mapped into [`PaymentStatus`].

use crate::gateway::PaymentStatus;

/// The codes the simulator sends; the first of each family in payments.md §1.5.
pub mod code {
    pub const PENDING: &str = "2101";
    pub const EXPIRED: &str = "2201";
    pub const REJECTED: &str = "2202";
    pub const PAID: &str = "2203";
    /// The first of the 1000–1012 "weryfikacja odrzucona" range.
    pub const VERIFICATION_REJECTED: &str = "1000";
}

/// The portal status of a PayByNet code, `None` for a code the table does not list.
///
/// The 22xx and 23xx families mean the same to every client; their difference is undocumented
/// (payments.md §1.5, uncertain), so both map alike. Codes are plain ASCII digits, nothing else.
pub fn status_of(code: &str) -> Option<PaymentStatus> {
    if code.is_empty() || code.len() > 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match code.parse::<u16>().ok()? {
        2101 | 2102 => Some(PaymentStatus::Pending),
        2201 | 2301 => Some(PaymentStatus::Expired),
        2202 | 2302 => Some(PaymentStatus::Rejected),
        2203 | 2303 => Some(PaymentStatus::Paid),
        1000..=1012 => Some(PaymentStatus::VerificationRejected),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of payments.md §1.5.
    #[test]
    fn the_status_table() {
        let mut table = vec![
            ("2101", PaymentStatus::Pending),
            ("2102", PaymentStatus::Pending),
            ("2201", PaymentStatus::Expired),
            ("2301", PaymentStatus::Expired),
            ("2202", PaymentStatus::Rejected),
            ("2302", PaymentStatus::Rejected),
            ("2203", PaymentStatus::Paid),
            ("2303", PaymentStatus::Paid),
        ];
        let range: Vec<String> = (1000..=1012).map(|c: u16| c.to_string()).collect();
        table.extend(range.iter().map(|c| (c.as_str(), PaymentStatus::VerificationRejected)));
        for (code, status) in table {
            assert_eq!(status_of(code), Some(status), "{code}");
        }
    }

    #[test]
    fn unknown_or_malformed_codes() {
        for code in ["", "999", "1013", "2100", "2103", "2204", "2304", "9999", "02203", " 2203", "2203 ", "+2203", "22O3"] {
            assert_eq!(status_of(code), None, "{code:?}");
        }
    }

    #[test]
    fn simulator_codes_map_to_their_statuses() {
        assert_eq!(status_of(code::PENDING), Some(PaymentStatus::Pending));
        assert_eq!(status_of(code::EXPIRED), Some(PaymentStatus::Expired));
        assert_eq!(status_of(code::REJECTED), Some(PaymentStatus::Rejected));
        assert_eq!(status_of(code::PAID), Some(PaymentStatus::Paid));
        assert_eq!(status_of(code::VERIFICATION_REJECTED), Some(PaymentStatus::VerificationRejected));
    }
}
