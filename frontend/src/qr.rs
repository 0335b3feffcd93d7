//! The ZBP 2D payment code as an SVG path: the matrix comes from the `qrcode` crate (error
//! correction L, as the ZBP recommendation uses), drawn as one path of horizontal runs.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white margin around the code (the QR specification's quiet zone).
pub const QUIET_ZONE: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPath {
    /// Side of the square in modules, quiet zone included (the SVG `viewBox` is `0 0 size size`).
    pub size: usize,
    /// The dark modules as `M x y h n v 1 h -n z` runs.
    pub path: String,
}

pub fn qr_path(payload: &str) -> Option<QrPath> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::L).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                path.push_str(&format!("M{} {}h{}v1h-{}z", start + QUIET_ZONE, y + QUIET_ZONE, run, run));
            } else {
                x += 1;
            }
        }
    }
    Some(QrPath { size: width + 2 * QUIET_ZONE, path })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYLOAD: &str = "5250001090|PL|61109010140000071219812874|030850|Gmina Demo|Podatek od nieruchomości 2026|||";

    #[test]
    fn draws_every_dark_module_once_inside_the_quiet_zone() {
        let qr = qr_path(PAYLOAD).unwrap();
        let code = QrCode::with_error_correction_level(PAYLOAD.as_bytes(), EcLevel::L).unwrap();
        assert_eq!(qr.size, code.width() + 8);
        let dark = code.to_colors().iter().filter(|c| **c == Color::Dark).count();
        let drawn: usize = qr
            .path
            .split('h')
            .skip(1)
            .step_by(2)
            .map(|n| n.chars().take_while(char::is_ascii_digit).collect::<String>().parse::<usize>().unwrap())
            .sum();
        assert_eq!(drawn, dark);
        // The finder pattern's top-left corner starts right after the quiet zone.
        assert!(qr.path.starts_with("M4 4h7v1h-7z"), "{}", &qr.path[..20]);
    }

    #[test]
    fn error_correction_l_fits_the_longest_zbp_payload_in_a_small_version() {
        // 160 characters is the ZBP maximum (Polish letters take two bytes); level L keeps the
        // code at version 10 or lower, small enough for a phone to scan from a screen or paper.
        let long = "ż".repeat(80);
        let qr = qr_path(&long).unwrap();
        assert!(qr.size - 8 <= 57, "version 10 or lower, got width {}", qr.size - 8);
    }
}
