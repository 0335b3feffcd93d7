//! The node's pages: the persona picker (Polish, accessible: landmarks, a labelled fieldset of
//! radio buttons, visible focus, no JavaScript needed) and the auto-submitting form that carries
//! the artifact back to the service provider.

use identity::LoA;
use identity::xml::escape_attr as attr;
use identity::xml::escape_text as text;

use crate::persona::{Persona, loa_label};

const STYLE: &str = concat!(
    "body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.5}",
    "header{background:#1d3f7a;color:#fff;padding:.75rem 1.5rem}",
    "main{max-width:44rem;margin:0 auto;padding:1.5rem}",
    "fieldset{border:1px solid #767676;border-radius:.25rem;padding:1rem}",
    "legend{font-weight:600;padding:0 .25rem}",
    ".option{display:flex;gap:.5rem;align-items:flex-start;padding:.5rem 0}",
    "input[type=radio]{width:1.25rem;height:1.25rem;margin-top:.2rem}",
    "button{font-size:1rem;padding:.6rem 1.2rem;margin:1rem .5rem 0 0;border-radius:.25rem;border:2px solid #1d3f7a;cursor:pointer}",
    "button.primary{background:#1d3f7a;color:#fff}",
    "button.secondary{background:#fff;color:#1d3f7a}",
    ":focus-visible{outline:3px solid #d4351c;outline-offset:2px}",
    ".warning{background:#fff4e5;border-left:4px solid #b45309;padding:.5rem 1rem}"
);

fn page(title: &str, body: &str) -> String {
    format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>{title}</title><style>{style}</style></head><body>",
            "<header><p><strong>Symulator Węzła Krajowego</strong> — tylko do testów i demonstracji, nie łączy się z login.gov.pl</p></header>",
            "<main id=\"tresc\">{body}</main></body></html>\n"
        ),
        title = text(title),
        style = STYLE,
        body = body,
    )
}

fn polish_date(persona: &Persona) -> String {
    let d = persona.date_of_birth;
    format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year())
}

/// The persona picker.
pub(crate) fn persona_picker(action: &str, handle: &str, sp_entity_id: &str, required: LoA, personas: &[Persona]) -> String {
    let options: String = personas
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let below = !p.loa.satisfies(required);
            format!(
                concat!(
                    "<div class=\"option\"><input type=\"radio\" id=\"osoba-{i}\" name=\"persona\" value=\"{i}\"{checked} required aria-describedby=\"opis-{i}\">",
                    "<label for=\"osoba-{i}\"><strong>{first} {last}</strong><br>",
                    "<span id=\"opis-{i}\">PESEL {pesel}, data urodzenia {born}, poziom bezpieczeństwa: {loa}{warn}</span></label></div>"
                ),
                i = i,
                checked = if i == 0 { " checked" } else { "" },
                first = text(&p.first_name),
                last = text(&p.last_name),
                pesel = text(p.pesel.as_str()),
                born = polish_date(p),
                loa = loa_label(p.loa),
                warn = if below { " (niższy niż wymagany)" } else { "" },
            )
        })
        .collect();
    let body = format!(
        concat!(
            "<h1>Wybierz osobę testową</h1>",
            "<p>Serwis <strong>{sp}</strong> prosi o zalogowanie z poziomem bezpieczeństwa co najmniej <strong>{loa}</strong>.</p>",
            "<form method=\"post\" action=\"{action}\">",
            "<input type=\"hidden\" name=\"request\" value=\"{handle}\">",
            "<fieldset><legend>Osoby testowe</legend>{options}</fieldset>",
            "<button type=\"submit\" class=\"primary\" name=\"action\" value=\"login\">Zaloguj jako wybrana osoba</button>",
            "<button type=\"submit\" class=\"secondary\" name=\"action\" value=\"cancel\" formnovalidate>Anuluj logowanie</button>",
            "</form>"
        ),
        sp = text(sp_entity_id),
        loa = loa_label(required),
        action = attr(action),
        handle = attr(handle),
        options = options,
    );
    page("Węzeł Krajowy (symulator) — wybór osoby testowej", &body)
}

/// The auto-submitting POST of `SAMLart` + `RelayState` to the ACS (as the real node does).
pub(crate) fn artifact_post(acs_url: &str, artifact: &str, relay_state: Option<&str>) -> String {
    let relay = relay_state.map(|rs| format!("<input type=\"hidden\" name=\"RelayState\" value=\"{}\">", attr(rs))).unwrap_or_default();
    let body = format!(
        concat!(
            "<h1>Powrót do serwisu</h1>",
            "<form id=\"powrot\" method=\"post\" action=\"{acs}\">",
            "<input type=\"hidden\" name=\"SAMLart\" value=\"{art}\">{relay}",
            "<p>Jeżeli przeglądarka nie przeniesie Cię automatycznie, naciśnij przycisk.</p>",
            "<button type=\"submit\" class=\"primary\">Wróć do serwisu</button></form>",
            "<script>document.getElementById('powrot').submit();</script>"
        ),
        acs = attr(acs_url),
        art = attr(artifact),
        relay = relay,
    );
    page("Węzeł Krajowy (symulator) — powrót do serwisu", &body)
}

/// An error page (the code is a protocol-level reason, no personal data).
pub(crate) fn error_page(message: &str) -> String {
    page(
        "Węzeł Krajowy (symulator) — błąd",
        &format!("<h1>Nie można obsłużyć żądania</h1><p class=\"warning\" role=\"alert\">{}</p>", text(message)),
    )
}

/// The start page describing this instance.
pub(crate) fn info_page(entity_id: &str, base_url: &str, fingerprint: &str, misbehaviour: &str, personas: &[Persona]) -> String {
    let list: String =
        personas.iter().map(|p| format!("<li>{} {} ({})</li>", text(&p.first_name), text(&p.last_name), loa_label(p.loa))).collect();
    let body = format!(
        concat!(
            "<h1>Symulator Węzła Krajowego</h1><dl>",
            "<dt>Identyfikator (Issuer)</dt><dd><code>{entity}</code></dd>",
            "<dt>Adres bazowy</dt><dd><code>{base}</code></dd>",
            "<dt>Odcisk SHA-256 certyfikatu podpisującego</dt><dd><code>{fp}</code> (<a href=\"{base}/certificate.pem\">certyfikat PEM</a>)</dd>",
            "<dt>Tryb</dt><dd><code>{mis}</code></dd></dl>",
            "<h2>Osoby testowe</h2><ul>{list}</ul>"
        ),
        entity = text(entity_id),
        base = attr(base_url),
        fp = text(fingerprint),
        mis = text(misbehaviour),
        list = list,
    );
    page("Symulator Węzła Krajowego", &body)
}
