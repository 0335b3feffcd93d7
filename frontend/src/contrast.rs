//! WCAG 2.1 contrast of the palette in `static/style.css`: every text/background pair the
//! stylesheet uses must reach 4.5:1 (1.4.3), and the focus ring 3:1 (1.4.11). Checked by `cargo test`.

/// The `--name: #rrggbb;` custom properties of the stylesheet's `:root`.
pub fn palette(css: &str) -> Vec<(String, [u8; 3])> {
    let root = css.split(":root").nth(1).and_then(|r| r.split('}').next()).unwrap_or_default();
    root.split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            let hex = value.trim().strip_prefix('#')?;
            if hex.len() != 6 {
                return None;
            }
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            Some((name.trim().trim_start_matches('{').trim().trim_start_matches("--").to_string(), [byte(0)?, byte(2)?, byte(4)?]))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::float_arithmetic)] // colour luminance, not money
mod tests {
    use super::*;

    fn luminance([r, g, b]: [u8; 3]) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// Foreground, background, minimum ratio: the pairs style.css draws text (or the focus ring) with.
    const PAIRS: &[(&str, &str, f64)] = &[
        ("text", "bg", 4.5),
        ("text", "bg-soft", 4.5),
        ("muted", "bg", 4.5),
        ("muted", "bg-soft", 4.5),
        ("link", "bg", 4.5),
        ("link", "bg-soft", 4.5),
        ("link", "open-bg", 4.5),
        ("primary", "bg", 4.5),
        ("primary", "open-bg", 4.5),
        ("primary-dark", "open-bg", 4.5),
        ("on-primary", "primary", 4.5),
        ("on-primary", "primary-dark", 4.5),
        ("ok-text", "ok-bg", 4.5),
        ("ok-text", "bg", 4.5),
        ("open-text", "open-bg", 4.5),
        ("bad-text", "bad-bg", 4.5),
        ("bad-text", "bg", 4.5),
        ("warn-text", "warn-bg", 4.5),
        ("focus", "focus-halo", 4.5),
        ("focus", "bg", 3.0),
        ("focus-halo", "primary-dark", 3.0),
    ];

    #[test]
    fn every_text_colour_pair_has_enough_contrast() {
        let palette = palette(include_str!("../static/style.css"));
        assert!(palette.len() >= 15, "palette not found: {palette:?}");
        let colour = |name: &str| palette.iter().find(|(n, _)| n == name).map(|(_, c)| *c);
        for (fg, bg, min) in PAIRS {
            let (Some(f), Some(b)) = (colour(fg), colour(bg)) else { panic!("--{fg} or --{bg} missing from style.css") };
            let r = ratio(f, b);
            assert!(r >= *min, "--{fg} on --{bg}: {r:.2}:1 < {min}:1");
        }
    }

    #[test]
    fn ratio_matches_the_wcag_examples() {
        assert!((ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 0.01);
        assert!((ratio([0x76, 0x76, 0x76], [255, 255, 255]) - 4.54).abs() < 0.01);
    }
}
