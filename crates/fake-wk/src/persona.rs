//! Test personas the fake login node can log in as.

use std::fmt;

use domain::identifiers::Pesel;
use identity::LoA;
use time::Date;
use time::macros::date;

/// A synthetic person. PESELs are generated with valid check digits; none belongs to a real
/// person (`Pesel::generate`). `Debug` shows only the login name.
#[derive(Clone, PartialEq, Eq)]
pub struct Persona {
    /// Given name.
    pub first_name: String,
    /// Surname.
    pub last_name: String,
    /// PESEL.
    pub pesel: Pesel,
    /// Date of birth as the node sends it.
    pub date_of_birth: Date,
    /// LoA of the means this persona logs in with.
    pub loa: LoA,
    /// The NameID (WK sends a login name).
    pub login: String,
    /// `AuthenticatingAuthority` (`pz.gov.pl` for Profil Zaufany).
    pub authenticating_authority: String,
}

impl fmt::Debug for Persona {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Persona").field("login", &self.login).field("loa", &self.loa).finish_non_exhaustive()
    }
}

impl Persona {
    /// A Profil Zaufany persona (LoA substantial) born on the date coded in `pesel`.
    pub fn new(first_name: &str, last_name: &str, pesel: Pesel) -> Persona {
        let login = format!("{}{}", first_name.chars().next().unwrap_or('x'), last_name).to_lowercase();
        Persona {
            first_name: first_name.to_owned(),
            last_name: last_name.to_owned(),
            date_of_birth: pesel.birth_date(),
            pesel,
            loa: LoA::Substantial,
            login,
            authenticating_authority: "pz.gov.pl".to_owned(),
        }
    }

    /// Sets the LoA (e.g. `High` for e-dowód, with authority `e-dowod`).
    pub fn with_loa(mut self, loa: LoA, authenticating_authority: &str) -> Persona {
        self.loa = loa;
        self.authenticating_authority = authenticating_authority.to_owned();
        self
    }

    /// Polish label of the LoA.
    pub fn loa_label(&self) -> &'static str {
        loa_label(self.loa)
    }
}

/// Polish label of a level of assurance.
pub fn loa_label(loa: LoA) -> &'static str {
    match loa {
        LoA::Low => "niski",
        LoA::Substantial => "znaczny",
        LoA::High => "wysoki",
    }
}

fn synthetic(first: &str, last: &str, born: Date, serial: u16) -> Option<Persona> {
    Pesel::generate(born, serial).ok().map(|pesel| Persona::new(first, last, pesel))
}

/// The default personas: varied names (Polish letters included), ages and one high-LoA login.
pub fn default_personas() -> Vec<Persona> {
    [
        synthetic("Jan", "Kowalski", date!(1980 - 05 - 14), 1234),
        synthetic("Anna", "Nowak", date!(1992 - 11 - 03), 5682),
        synthetic("Zofia", "Wiśniewska-Żółć", date!(1951 - 01 - 30), 471),
        synthetic("Łukasz", "Dąbrowski", date!(2004 - 02 - 29), 9013).map(|p| p.with_loa(LoA::High, "e-dowod")),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The persona forgeries are made for: if the service provider ever returns her, an attack
/// succeeded.
pub fn intruder() -> Result<Persona, domain::identifiers::PeselGenerationError> {
    Pesel::generate(date!(1975 - 07 - 07), 6660).map(|pesel| Persona::new("Ewa", "Intruz", pesel))
}
