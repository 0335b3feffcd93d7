//! Minimal HTML helpers for the few server-rendered pages of this crate (the auto-submit form and
//! the simulator). Every dynamic value goes through [`escape`].

/// Escapes text for HTML element content and double-quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A complete Polish page: `lang="pl"`, UTF-8, a viewport for phones, one `<main>` landmark.
/// `banner` is shown above the main content (the simulator uses it to say it is not a bank).
pub(crate) fn page(title: &str, banner: Option<&str>, body: &str) -> String {
    let banner =
        banner.map(|text| format!("<header role=\"banner\"><p class=\"banner\">{}</p></header>\n", escape(text))).unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"pl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n{banner}<main>\n{body}\n</main>\n</body>\n</html>\n",
        title = escape(title),
    )
}

/// Readable defaults: large enough text, visible focus, sufficient contrast.
const STYLE: &str = "body{font-family:system-ui,sans-serif;font-size:1.1rem;line-height:1.5;max-width:40rem;margin:0 auto;padding:1rem;color:#111;background:#fff}\
.banner{background:#fff3cd;border:2px solid #8a6d00;padding:.5rem 1rem}\
fieldset{border:1px solid #555;padding:1rem}\
button{font-size:1.1rem;padding:.5rem 1.2rem;margin:.5rem .5rem 0 0}\
:focus{outline:3px solid #1a4f9c;outline-offset:2px}\
.error{border-left:6px solid #a40000;padding-left:1rem}\
dt{font-weight:bold}\
table{border-collapse:collapse;width:100%;font-size:.95rem}\
th,td{border:1px solid #777;padding:.3rem;text-align:left;vertical-align:top}\
td{overflow-wrap:anywhere}\
caption{text-align:left;font-weight:bold;padding:.3rem 0}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape("Gmina Przykładowo"), "Gmina Przykładowo");
    }

    #[test]
    fn page_is_polish_and_escapes_the_title() {
        let html = page("A & B", None, "<p>x</p>");
        assert!(html.contains("<html lang=\"pl\">"));
        assert!(html.contains("<title>A &amp; B</title>"));
        assert!(html.contains("<main>\n<p>x</p>\n</main>"));
    }
}
