//! The demo municipality ("Gmina Przykładowo"): deterministic from a seed, realistic enough that
//! every rule of the domain engine shows up — rounding, the 100 zł rule, late decisions, interest
//! above and below the threshold, rate changes, proportional splits, reminder costs.
//!
//! Rates: property tax from Dynów's published resolution for 2022 (land for business 0.96 zł/m²,
//! other land 0.39 zł/m², residential buildings 0.85 zł/m², business buildings 22.81 zł/m²),
//! agricultural tax from the rye price announced by GUS for 2023 (74.05 zł/dt); the demo applies
//! them to every year 2023–2026. Forest tax, waste and dog fee rates are the demo's own.

mod exchange;
mod people;
mod rng;
pub mod statement;

use domain::Amount;
use domain::calendar::Calendar;
use domain::identifiers::Pesel;
use domain::interest::{InterestRules, late_interest};
use domain::ledger::AllocationLine;
use domain::nrb::{IdentifierCheck, VirtualAccountLayout};
use domain::obligation::{ObligationKind, PersonKind};
use domain::rates::{RateKind, RateTable};
use domain::schedule::{FeeSchedule, ScheduledInstallment, fee_schedule, tax_schedule};
use rust_decimal::{Decimal, RoundingStrategy};
use store::entities::*;
use store::sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, TransactionTrait};
use store::{Store, TaxpayerBooks};
use time::{Date, Duration, Month, OffsetDateTime};
use uuid::Uuid;

pub use rng::Rng;

const RESOLUTION_PROPERTY: &str =
    "Uchwała Rady Miejskiej w Dynowie w sprawie stawek podatku od nieruchomości na 2022 r. (stawki przyjęte w demo)";
const RESOLUTION_AGRICULTURAL: &str = "Komunikat Prezesa GUS z 20.10.2022: cena żyta 74,05 zł/dt (art. 6 ustawy o podatku rolnym)";
const RESOLUTION_FOREST: &str = "Stawka demonstracyjna: 0,220 m³ drewna × 435,94 zł/m³ za 1 ha (art. 4 ustawy o podatku leśnym)";
const RESOLUTION_WASTE: &str = "Uchwała demonstracyjna w sprawie opłaty za gospodarowanie odpadami: 32,00 zł od osoby miesięcznie";
const RESOLUTION_DOG: &str = "Uchwała demonstracyjna w sprawie opłaty od posiadania psów: 60,00 zł od psa rocznie";

/// The demo municipality's bank: settlement number 1090 1014 and the payee code 4711 the bank
/// assigned for virtual accounts; the identifier is the taxpayer's number.
pub const VIRTUAL_PREFIX: &str = "109010144711";
pub const MUNICIPALITY_ACCOUNT: &str = "61109010140000071219812874";
pub const MUNICIPALITY_NIP: &str = "1234563218";
/// A document row whose PDF the server renders from the obligation's data on first download.
pub const GENERATED_DOCUMENT: &str = "generated";

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub seed: u64,
    /// Taxpayers beyond the named personas.
    pub taxpayers: usize,
    /// The day the demo's history runs up to (payments after it do not exist yet).
    pub today: Date,
    pub first_year: i32,
    pub last_year: i32,
    /// Where the generated integration-contract files go (kept); `None`: a temporary folder,
    /// removed after the import.
    pub exchange_dir: Option<std::path::PathBuf>,
}

impl DemoOptions {
    pub fn new(today: Date) -> Self {
        DemoOptions { seed: 2026, taxpayers: 6_000, today, first_year: 2023, last_year: 2026, exchange_dir: None }
    }
}

pub use exchange::SOURCE as DEMO_SOURCE;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("database error: {0}")]
    Db(#[from] store::sea_orm::DbErr),
    #[error("{0}")]
    Rule(String),
}

/// A named person to log in as (listed in the README).
#[derive(Debug, Clone)]
pub struct Persona {
    pub key: &'static str,
    pub name: String,
    pub pesel: Pesel,
    pub roles: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub taxpayers: usize,
    pub obligations: usize,
    pub installments: usize,
    pub payments: usize,
    pub reminder_costs: usize,
}

fn pesel(born: Date, serial: u16) -> Result<Pesel, DemoError> {
    Pesel::generate(born, serial).map_err(|e| DemoError::Rule(e.to_string()))
}

fn date(y: i32, m: u8, d: u8) -> Result<Date, DemoError> {
    Month::try_from(m)
        .ok()
        .and_then(|m| Date::from_calendar_date(y, m, d).ok())
        .ok_or_else(|| DemoError::Rule(format!("bad date {y}-{m}-{d}")))
}

/// The demo's people to log in as: four residents, a clerk and an administrator.
pub fn personas() -> Result<Vec<Persona>, DemoError> {
    Ok(vec![
        Persona {
            key: "owner",
            name: "Anna Kowalska".into(),
            pesel: pesel(date(1978, 4, 12)?, 1_204)?,
            roles: "resident",
            description: "właścicielka domu: podatek od nieruchomości i opłata za odpady; jedna zaległa rata z odsetkami poniżej progu",
        },
        Persona {
            key: "farmer",
            name: "Jan Nowak".into(),
            pesel: pesel(date(1961, 9, 3)?, 3_517)?,
            roles: "resident",
            description: "rolnik: łączne zobowiązanie pieniężne (nieruchomości, rolny, leśny) i opłata od psów; spóźnione i częściowe wpłaty",
        },
        Persona {
            key: "company",
            name: "Piotr Zieliński".into(),
            pesel: pesel(date(1983, 1, 27)?, 5_731)?,
            roles: "resident",
            description: "reprezentant firmy Dynbud sp. z o.o.: podatek od nieruchomości płacony miesięcznie",
        },
        Persona {
            key: "debtor",
            name: "Tomasz Wiśniewski".into(),
            pesel: pesel(date(1970, 11, 30)?, 2_215)?,
            roles: "resident",
            description: "zaległości od 2023 r., upomnienie z kosztami, odsetki po zmianach stóp",
        },
        Persona {
            key: "clerk",
            name: "Urszula Malinowska".into(),
            pesel: pesel(date(1988, 6, 15)?, 4_402)?,
            roles: "resident,clerk",
            description: "urzędniczka: panel urzędnika",
        },
        Persona {
            key: "admin",
            name: "Adam Wójcik".into(),
            pesel: pesel(date(1975, 2, 8)?, 6_613)?,
            roles: "resident,clerk,admin",
            description: "administrator: role, stawki, dziennik zdarzeń",
        },
    ])
}

/// True when the database already holds a municipality (the demo is not seeded twice).
pub async fn is_seeded(store: &Store) -> Result<bool, DemoError> {
    Ok(municipality::Entity::find_by_id(1).one(store.db()).await?.is_some())
}

/// What one taxpayer owns, which decides their obligations.
#[derive(Debug, Clone)]
struct Holding {
    land_other_m2: Decimal,
    residential_m2: Decimal,
    land_business_m2: Decimal,
    business_building_m2: Decimal,
    agricultural_ha: Decimal,
    forest_ha: Decimal,
    household: i64,
    dogs: i64,
}

/// One basis item before it is stored: category, quantity, unit, rate, resolution.
type BasisLine = (String, Decimal, &'static str, Decimal, &'static str);

/// How a taxpayer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Habit {
    Punctual,
    SometimesLate,
    Debtor,
    Partial,
}

/// A scripted payment for a persona: installment (year, kind, number) paid `days` after its
/// effective due date (negative: before), `percent` of it, with or without the interest.
#[derive(Debug, Clone, Copy)]
struct Scripted {
    year: i32,
    kind: ObligationKind,
    number: u32,
    days: i64,
    percent: i64,
    with_interest: bool,
}

struct Taxpayer {
    model: taxpayer::Model,
    person: PersonKind,
    holding: Holding,
    habit: Habit,
    script: Option<Vec<Scripted>>,
    reminder: Option<Date>,
}

struct Generator<'a> {
    rng: Rng,
    options: &'a DemoOptions,
    calendar: Calendar,
    rates: RateTable,
    layout: VirtualAccountLayout,
    now: OffsetDateTime,
    decision_seq: u32,
    summary: DemoSummary,
    used_pesels: std::collections::HashSet<String>,
    /// The domain system's part of the demo: integration-contract files, imported at the end.
    exchange: Option<exchange::Exchange>,
    remove_exchange: bool,
    taxpayer_ids: Vec<Uuid>,
    /// The portal's own part, written after the import (by the generator's taxpayer ids).
    accounts: Vec<virtual_account::Model>,
    users: Vec<(portal_user::Model, Option<user_taxpayer_link::Model>)>,
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap_or_default()
}

fn money(value: Decimal) -> Amount {
    let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    Amount::new(rounded).unwrap_or(Amount::ZERO)
}

/// Seeds the demo into an empty database. Deterministic: the same options give the same data.
///
/// The municipality's settings, virtual accounts and portal users are the portal's own; everything
/// a domain system would hold (taxpayers, decisions, installments, reminder costs, historical
/// payments and their bookings) is written as integration-contract files and imported through the
/// file connector, as a real municipality's data arrives.
pub async fn seed(store: &Store, options: &DemoOptions) -> Result<DemoSummary, DemoError> {
    let now = OffsetDateTime::now_utc();
    let layout = VirtualAccountLayout::new(VIRTUAL_PREFIX, IdentifierCheck::None).map_err(|e| DemoError::Rule(e.to_string()))?;
    store
        .save_municipality(municipality::Model {
            id: 1,
            name: "Gmina Przykładowo".into(),
            nip: MUNICIPALITY_NIP.into(),
            address: format!("Rynek 1, {} {}", people::POSTAL_CODE, people::CITY),
            bank_account: MUNICIPALITY_ACCOUNT.into(),
            virtual_account_prefix: VIRTUAL_PREFIX.into(),
            virtual_account_check: "none".into(),
            threshold_mode: "rounded".into(),
            rates_verified_up_to: RateTable::shipped().verified_up_to,
            updated_at: now,
        })
        .await?;
    let rates = store.rate_table().await?;
    let exchange_dir =
        options.exchange_dir.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("naleznosci-demo-{}", Uuid::new_v4().simple())));
    let mut generator = Generator {
        rng: Rng::new(options.seed),
        options,
        calendar: Calendar::statutory(),
        rates,
        layout,
        now,
        decision_seq: 0,
        summary: DemoSummary::default(),
        used_pesels: personas()?.iter().map(|p| p.pesel.as_str().to_string()).collect(),
        exchange: Some(exchange::Exchange::create(&exchange_dir)?),
        remove_exchange: options.exchange_dir.is_none(),
        taxpayer_ids: Vec::new(),
        accounts: Vec::new(),
        users: Vec::new(),
    };
    let personas = personas()?;
    let mut batch = Vec::new();
    let mut number = 0_u64;
    for taxpayer in generator.persona_taxpayers(&personas)? {
        number += 1;
        batch.push((number, taxpayer));
    }
    generator.write(std::mem::take(&mut batch), &personas)?;
    for _ in 0..options.taxpayers {
        number += 1;
        let taxpayer = generator.random_taxpayer(number)?;
        batch.push((number, taxpayer));
        if batch.len() == 250 {
            generator.write(std::mem::take(&mut batch), &[])?;
        }
    }
    generator.write(batch, &[])?;
    generator.finish(store).await?;
    Ok(generator.summary)
}

impl Generator<'_> {
    fn address(&mut self) -> (String, String, String) {
        let street = *self.rng.pick(people::STREETS);
        let number = self.rng.range(1, 140);
        (format!("{street} {number}"), people::POSTAL_CODE.into(), people::CITY.into())
    }

    fn natural(&mut self, first: &str, last: &str, pesel: &Pesel, holding: Holding, habit: Habit) -> Taxpayer {
        let (street, postal_code, city) = self.address();
        Taxpayer {
            model: taxpayer::Model {
                id: self.rng.uuid(),
                kind: "natural".into(),
                name: format!("{first} {last}"),
                first_name: Some(first.into()),
                last_name: Some(last.into()),
                pesel: Some(pesel.as_str().into()),
                nip: None,
                regon: None,
                street,
                postal_code,
                city,
                created_at: self.now,
            },
            person: PersonKind::Natural,
            holding,
            habit,
            script: None,
            reminder: None,
        }
    }

    fn persona_taxpayers(&mut self, personas: &[Persona]) -> Result<Vec<Taxpayer>, DemoError> {
        use ObligationKind::*;
        let s = |year, kind, number, days, percent, with_interest| Scripted { year, kind, number, days, percent, with_interest };
        let mut out = Vec::new();
        let house = Holding {
            land_other_m2: dec("820"),
            residential_m2: dec("142.5"),
            land_business_m2: Decimal::ZERO,
            business_building_m2: Decimal::ZERO,
            agricultural_ha: Decimal::ZERO,
            forest_ha: Decimal::ZERO,
            household: 3,
            dogs: 0,
        };
        let mut owner = self.natural("Anna", "Kowalska", &personas[0].pesel, house, Habit::Punctual);
        let mut script = Vec::new();
        for year in self.options.first_year..=self.options.last_year {
            for n in 1..=4 {
                if !(year == 2026 && n == 2) {
                    script.push(s(year, PropertyTax, n, -2, 100, false));
                }
                script.push(s(year, WasteFee, n, -1, 100, false));
            }
        }
        owner.script = Some(script);
        out.push(owner);

        let farm = Holding {
            land_other_m2: dec("1500"),
            residential_m2: dec("160"),
            land_business_m2: Decimal::ZERO,
            business_building_m2: Decimal::ZERO,
            agricultural_ha: dec("12.5"),
            forest_ha: dec("4.2"),
            household: 4,
            dogs: 2,
        };
        let mut farmer = self.natural("Jan", "Nowak", &personas[1].pesel, farm, Habit::SometimesLate);
        let mut script = Vec::new();
        for year in self.options.first_year..=self.options.last_year {
            let last = year == 2026;
            script.push(s(year, CombinedObligation, 1, 0, 100, false));
            script.push(s(year, CombinedObligation, 2, if last { 63 } else { 20 }, 100, !last));
            if last {
                script.push(s(year, CombinedObligation, 3, 30, 60, false));
            } else {
                script.push(s(year, CombinedObligation, 3, -3, 100, false));
                script.push(s(year, CombinedObligation, 4, 41, 100, true));
            }
            for n in 1..=4 {
                script.push(s(year, WasteFee, n, 0, 100, false));
            }
            script.push(s(year, DogFee, 1, if last { 5 } else { 0 }, 100, false));
        }
        farmer.script = Some(script);
        out.push(farmer);

        let plant = Holding {
            land_other_m2: Decimal::ZERO,
            residential_m2: Decimal::ZERO,
            land_business_m2: dec("2400"),
            business_building_m2: dec("850"),
            agricultural_ha: Decimal::ZERO,
            forest_ha: Decimal::ZERO,
            household: 0,
            dogs: 0,
        };
        let (street, postal_code, city) = self.address();
        let mut script = Vec::new();
        for year in self.options.first_year..=self.options.last_year {
            for n in 1..=12 {
                let late = match (year, n) {
                    (2026, 11) => continue,
                    (2026, 6) | (2025, 3) => 34,
                    (2026, 9) => 12,
                    _ => -1,
                };
                script.push(s(year, PropertyTax, n, late, 100, false));
            }
        }
        out.push(Taxpayer {
            model: taxpayer::Model {
                id: self.rng.uuid(),
                kind: "legal".into(),
                name: "Dynbud sp. z o.o.".into(),
                first_name: None,
                last_name: None,
                pesel: None,
                nip: Some("7941796532".into()),
                regon: Some("180531485".into()),
                street,
                postal_code,
                city,
                created_at: self.now,
            },
            person: PersonKind::Legal,
            holding: plant,
            habit: Habit::Punctual,
            script: Some(script),
            reminder: None,
        });

        let small = Holding {
            land_other_m2: dec("2100"),
            residential_m2: dec("240"),
            land_business_m2: dec("300"),
            business_building_m2: dec("60"),
            agricultural_ha: Decimal::ZERO,
            forest_ha: Decimal::ZERO,
            household: 2,
            dogs: 1,
        };
        let mut debtor = self.natural("Tomasz", "Wiśniewski", &personas[3].pesel, small, Habit::Debtor);
        let mut script =
            vec![s(2023, PropertyTax, 1, 0, 100, false), s(2023, PropertyTax, 2, 95, 100, false), s(2024, PropertyTax, 1, 200, 50, false)];
        for year in self.options.first_year..=self.options.last_year {
            for n in 1..=4 {
                if year < 2026 || n == 1 {
                    script.push(s(year, WasteFee, n, 10, 100, false));
                }
            }
        }
        debtor.script = Some(script);
        debtor.reminder = Some(date(2024, 1, 22)?);
        out.push(debtor);
        Ok(out)
    }

    fn random_taxpayer(&mut self, number: u64) -> Result<Taxpayer, DemoError> {
        let habit = match self.rng.range(0, 99) {
            0..=59 => Habit::Punctual,
            60..=84 => Habit::SometimesLate,
            85..=94 => Habit::Debtor,
            _ => Habit::Partial,
        };
        if self.rng.chance(4) {
            return self.random_company(number, habit);
        }
        let female = self.rng.chance(50);
        let (first, (male_last, female_last)) = if female {
            (*self.rng.pick(people::FEMALE), *self.rng.pick(people::SURNAMES))
        } else {
            (*self.rng.pick(people::MALE), *self.rng.pick(people::SURNAMES))
        };
        let last = if female { female_last } else { male_last };
        // Serial digits: the taxpayer number modulo 5000, then the sex digit (even for women).
        let serial = u16::try_from((number % 5_000) * 2 + u64::from(!female)).unwrap_or(0);
        let pesel = loop {
            let born = date(1940, 1, 1)? + Duration::days(self.rng.range(0, 64 * 365));
            let candidate = pesel(born, serial)?;
            if self.used_pesels.insert(candidate.as_str().to_string()) {
                break candidate;
            }
        };
        let farmer = self.rng.chance(10);
        let holding = Holding {
            land_other_m2: Decimal::from(self.rng.range(250, 2500)),
            residential_m2: Decimal::new(self.rng.range(450, 2600), 1),
            land_business_m2: if self.rng.chance(8) { Decimal::from(self.rng.range(50, 600)) } else { Decimal::ZERO },
            business_building_m2: if self.rng.chance(6) { Decimal::from(self.rng.range(15, 180)) } else { Decimal::ZERO },
            agricultural_ha: if farmer { Decimal::new(self.rng.range(100, 4000), 2) } else { Decimal::ZERO },
            forest_ha: if farmer && self.rng.chance(50) { Decimal::new(self.rng.range(20, 900), 2) } else { Decimal::ZERO },
            household: self.rng.range(1, 5),
            dogs: if self.rng.chance(25) { self.rng.range(1, 2) } else { 0 },
        };
        let mut taxpayer = self.natural(first, last, &pesel, holding, habit);
        if habit == Habit::Debtor && self.rng.chance(50) {
            taxpayer.reminder = Some(date(self.options.first_year + 1, 2, 10)? + Duration::days(self.rng.range(0, 20)));
        }
        Ok(taxpayer)
    }

    fn random_company(&mut self, number: u64, habit: Habit) -> Result<Taxpayer, DemoError> {
        let name = format!("{} {} {}", self.rng.pick(people::COMPANY_WORDS), number, self.rng.pick(people::COMPANY_FORMS));
        let (street, postal_code, city) = self.address();
        let nip = self.nip();
        let holding = Holding {
            land_other_m2: Decimal::ZERO,
            residential_m2: Decimal::ZERO,
            land_business_m2: Decimal::from(self.rng.range(200, 6000)),
            business_building_m2: Decimal::from(self.rng.range(40, 1500)),
            agricultural_ha: Decimal::ZERO,
            forest_ha: Decimal::ZERO,
            household: 0,
            dogs: 0,
        };
        Ok(Taxpayer {
            model: taxpayer::Model {
                id: self.rng.uuid(),
                kind: "legal".into(),
                name,
                first_name: None,
                last_name: None,
                pesel: None,
                nip: Some(nip),
                regon: None,
                street,
                postal_code,
                city,
                created_at: self.now,
            },
            person: PersonKind::Legal,
            holding,
            habit,
            script: None,
            reminder: None,
        })
    }

    /// A random NIP with a valid check digit (weights 6,5,7,2,3,4,5,6,7; remainder 10 is skipped).
    fn nip(&mut self) -> String {
        loop {
            let digits: Vec<i64> = (0..9).map(|i| if i == 0 { self.rng.range(1, 9) } else { self.rng.range(0, 9) }).collect();
            let check = digits.iter().zip([6, 5, 7, 2, 3, 4, 5, 6, 7]).map(|(d, w)| d * w).sum::<i64>() % 11;
            if check < 10 {
                return digits.iter().chain(std::iter::once(&check)).map(ToString::to_string).collect();
            }
        }
    }

    /// The obligations one taxpayer has in one year, with basis items.
    fn obligations_for(&mut self, t: &Taxpayer, year: i32) -> Vec<(ObligationKind, Vec<BasisLine>)> {
        let h = &t.holding;
        let mut property = Vec::new();
        let item = |list: &mut Vec<_>, category: &str, quantity: Decimal, unit: &'static str, rate: &str, resolution: &'static str| {
            if quantity > Decimal::ZERO {
                list.push((category.to_string(), quantity, unit, dec(rate), resolution));
            }
        };
        item(&mut property, "Grunty pozostałe", h.land_other_m2, "m²", "0.39", RESOLUTION_PROPERTY);
        item(&mut property, "Grunty związane z działalnością gospodarczą", h.land_business_m2, "m²", "0.96", RESOLUTION_PROPERTY);
        item(&mut property, "Budynki mieszkalne", h.residential_m2, "m² pow. użytkowej", "0.85", RESOLUTION_PROPERTY);
        item(
            &mut property,
            "Budynki związane z działalnością gospodarczą",
            h.business_building_m2,
            "m² pow. użytkowej",
            "22.81",
            RESOLUTION_PROPERTY,
        );
        let mut out = Vec::new();
        if t.person == PersonKind::Natural && h.agricultural_ha > Decimal::ZERO {
            // The combined obligation: property + agricultural + forest tax in one decision.
            item(&mut property, "Grunty orne (ha przeliczeniowe)", h.agricultural_ha, "ha", "185.125", RESOLUTION_AGRICULTURAL);
            item(&mut property, "Lasy", h.forest_ha, "ha", "95.9068", RESOLUTION_FOREST);
            out.push((ObligationKind::CombinedObligation, property));
        } else if !property.is_empty() {
            out.push((ObligationKind::PropertyTax, property));
        }
        if t.person == PersonKind::Natural && h.household > 0 {
            out.push((
                ObligationKind::WasteFee,
                vec![(
                    "Gospodarstwo domowe: osoby × 12 miesięcy".into(),
                    Decimal::from(h.household * 12),
                    "osobomiesiące",
                    dec("32.00"),
                    RESOLUTION_WASTE,
                )],
            ));
        }
        if h.dogs > 0 {
            out.push((ObligationKind::DogFee, vec![("Psy".into(), Decimal::from(h.dogs), "szt.", dec("60.00"), RESOLUTION_DOG)]));
        }
        let _ = year;
        out
    }

    fn schedule(
        &self,
        kind: ObligationKind,
        person: PersonKind,
        year: i32,
        annual: Amount,
        delivered: Option<Date>,
    ) -> Result<Vec<ScheduledInstallment>, DemoError> {
        let result = if kind.is_tax() {
            tax_schedule(&self.calendar, kind, person, year, annual, delivered)
        } else {
            let schedule = if kind == ObligationKind::WasteFee { FeeSchedule::QuarterlyTaxDates } else { FeeSchedule::dog_fee_default() };
            fee_schedule(&self.calendar, kind, year, annual, &schedule, delivered)
        };
        result.map_err(|e| DemoError::Rule(e.to_string()))
    }

    /// Generates one taxpayer's books (obligations, installments, payments) up to `today`.
    fn books(&mut self, number: u64, t: &Taxpayer) -> Result<(TaxpayerBooks, Vec<basis_item::Model>), DemoError> {
        let today = self.options.today;
        let mut books = TaxpayerBooks {
            taxpayer: t.model.clone(),
            obligations: Vec::new(),
            installments: Vec::new(),
            payments: Vec::new(),
            reminder_costs: Vec::new(),
        };
        let mut basis = Vec::new();
        for year in self.options.first_year..=self.options.last_year {
            let decision_date = date(year, 2, 1)? + Duration::days(self.rng.range(0, 20));
            if decision_date > today {
                continue;
            }
            for (kind, items) in self.obligations_for(t, year) {
                self.decision_seq += 1;
                let obligation_id = self.rng.uuid();
                let mut total = Amount::ZERO;
                for (position, (category, quantity, unit, rate, resolution)) in items.iter().enumerate() {
                    let amount = money(*quantity * *rate);
                    total = total + amount;
                    basis.push(basis_item::Model {
                        id: self.rng.uuid(),
                        obligation_id,
                        position: i32::try_from(position).unwrap_or(0) + 1,
                        category: category.clone(),
                        quantity: quantity.normalize().to_string(),
                        unit: (*unit).into(),
                        rate: rate.normalize().to_string(),
                        amount_grosze: amount.grosze(),
                        resolution: (*resolution).into(),
                    });
                }
                let annual = kind.assessed_amount(total);
                // A few decisions reach the taxpayer late: the first installments move (art. 47 § 1).
                let delivered = if t.script.is_none() && self.rng.chance(3) {
                    Some(date(year, 3, 10)?)
                } else {
                    Some(decision_date + Duration::days(self.rng.range(3, 12)))
                };
                let schedule = self.schedule(kind, t.person, year, annual, delivered)?;
                books.obligations.push(obligation::Model {
                    id: obligation_id,
                    taxpayer_id: t.model.id,
                    kind: kind.code().into(),
                    year,
                    title: title(kind, year),
                    decision_number: format!("FN.3120.{}.{year}", self.decision_seq),
                    decision_date,
                    delivered_date: delivered,
                    amount_grosze: annual.grosze(),
                    interest_regime: "tax_ordinance".into(),
                    rate_kind: "standard".into(),
                    source_system: "demo".into(),
                    source_id: format!("{number}/{year}/{}", kind.code()),
                    source_version: 1,
                    synced_at: self.now,
                });
                for s in schedule {
                    let installment_id = self.rng.uuid();
                    books.installments.push(installment::Model {
                        id: installment_id,
                        obligation_id,
                        number: i32::try_from(s.number).unwrap_or(0),
                        due_date: s.due_date,
                        amount_grosze: s.amount.grosze(),
                    });
                    if let Some((day, amount)) = self.payment_for(t, year, kind, &s)? {
                        books.payments.push(payment::Model {
                            id: self.rng.uuid(),
                            taxpayer_id: t.model.id,
                            source: if self.rng.chance(70) {
                                "transfer".into()
                            } else if self.rng.chance(80) {
                                "online".into()
                            } else {
                                "cash".into()
                            },
                            status: "booked".into(),
                            payment_date: Some(day),
                            booking_date: Some(self.calendar.effective_due_date(day + Duration::days(1))),
                            amount_grosze: amount.grosze(),
                            payer: Some(t.model.name.clone()),
                            reference: Some(format!("{} rata {}", title(kind, year), s.number)),
                            idempotency_key: None,
                            indicated_obligation_id: Some(obligation_id),
                            gateway: None,
                            gateway_transaction_id: None,
                            created_at: self.now,
                            booked_at: Some(self.now),
                        });
                    }
                }
            }
        }
        if let Some(delivered) = t.reminder.filter(|d| *d <= today) {
            books.reminder_costs.push(reminder_cost::Model {
                id: self.rng.uuid(),
                taxpayer_id: t.model.id,
                obligation_id: books.obligations.first().map(|o| o.id),
                delivered,
                amount_grosze: domain::ledger::reminder_cost_on(delivered).grosze(),
            });
        }
        books.payments.sort_by_key(|p| p.payment_date);
        Ok((books, basis))
    }

    /// When and how much a taxpayer pays for one installment, by habit or script; `None` = unpaid.
    fn payment_for(
        &mut self,
        t: &Taxpayer,
        year: i32,
        kind: ObligationKind,
        s: &ScheduledInstallment,
    ) -> Result<Option<(Date, Amount)>, DemoError> {
        let (days, percent, with_interest) = match &t.script {
            Some(script) => match script.iter().find(|p| p.year == year && p.kind == kind && p.number == s.number) {
                Some(p) => (p.days, p.percent, p.with_interest),
                None => return Ok(None),
            },
            None => match t.habit {
                Habit::Punctual => (-self.rng.range(0, 10), 100, false),
                Habit::SometimesLate if self.rng.chance(30) => (self.rng.range(5, 150), 100, self.rng.chance(50)),
                Habit::SometimesLate => (-self.rng.range(0, 5), 100, false),
                Habit::Debtor if self.rng.chance(40) => return Ok(None),
                Habit::Debtor if self.rng.chance(50) => (self.rng.range(30, 400), 100, self.rng.chance(30)),
                Habit::Debtor => (0, 100, false),
                Habit::Partial => (self.rng.range(-3, 20), self.rng.range(40, 90), false),
            },
        };
        let day = s.effective_due_date + Duration::days(days);
        if day > self.options.today {
            return Ok(None);
        }
        let mut amount = money(s.amount.decimal() * Decimal::from(percent) / Decimal::from(100));
        if with_interest {
            let rules = InterestRules::new(&self.rates, &self.calendar);
            let interest =
                late_interest(&rules, s.amount, s.due_date, day, RateKind::Standard, true).map_err(|e| DemoError::Rule(e.to_string()))?;
            amount = amount + interest.interest;
        }
        Ok((!amount.is_zero()).then_some((day, amount)))
    }

    /// Generates a batch of taxpayers: the domain system's part into the contract files, the
    /// portal's part kept for [`Generator::finish`].
    fn write(&mut self, batch: Vec<(u64, Taxpayer)>, personas: &[Persona]) -> Result<(), DemoError> {
        let mut taxpayers = Vec::new();
        let mut accounts = Vec::new();
        let mut obligations = Vec::new();
        let mut basis = Vec::new();
        let mut installments = Vec::new();
        let mut payments = Vec::new();
        let mut allocations = Vec::new();
        let mut costs = Vec::new();
        let mut documents = Vec::new();
        for (number, t) in &batch {
            let (books, items) = self.books(*number, t)?;
            // The allocation of every payment, as the engine makes it (standalone mode: final).
            let ledger = books.ledger()?;
            let rules = InterestRules::new(&self.rates, &self.calendar);
            let state = ledger.state_on(&rules, self.options.today).map_err(|e| DemoError::Rule(e.to_string()))?;
            for a in &state.allocations {
                let payment_id: Uuid = a
                    .payment_id
                    .as_deref()
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(|| DemoError::Rule("allocation without payment".into()))?;
                let last = a.lines.len();
                for (position, line) in a.lines.iter().enumerate() {
                    let (installment_id, reminder_cost_id, principal, interest, cost) = match line {
                        AllocationLine::ReminderCost { index, amount } => {
                            (None, books.reminder_costs.get(*index).map(|c| c.id), Amount::ZERO, Amount::ZERO, *amount)
                        }
                        AllocationLine::Installment { id, principal, interest } => {
                            (id.parse().ok(), None, *principal, *interest, Amount::ZERO)
                        }
                    };
                    allocations.push(allocation::Model {
                        id: self.rng.uuid(),
                        payment_id,
                        position: i32::try_from(position).unwrap_or(0),
                        installment_id,
                        reminder_cost_id,
                        principal_grosze: principal.grosze(),
                        interest_grosze: interest.grosze(),
                        reminder_costs_grosze: cost.grosze(),
                        overpayment_grosze: if position + 1 == last { a.overpayment.grosze() } else { 0 },
                    });
                }
                if a.lines.is_empty() {
                    allocations.push(allocation::Model {
                        id: self.rng.uuid(),
                        payment_id,
                        position: 0,
                        installment_id: None,
                        reminder_cost_id: None,
                        principal_grosze: 0,
                        interest_grosze: 0,
                        reminder_costs_grosze: 0,
                        overpayment_grosze: a.overpayment.grosze(),
                    });
                }
            }
            let nrb = self.layout.build(*number).map_err(|e| DemoError::Rule(e.to_string()))?;
            accounts.push(virtual_account::Model {
                nrb: nrb.digits().to_string(),
                taxpayer_id: t.model.id,
                identifier: i64::try_from(*number).unwrap_or(0),
                created_at: self.now,
            });
            self.summary.taxpayers += 1;
            self.summary.obligations += books.obligations.len();
            self.summary.installments += books.installments.len();
            self.summary.payments += books.payments.len();
            self.summary.reminder_costs += books.reminder_costs.len();
            // Decisions are rendered on first download from the same data (and then kept).
            for o in &books.obligations {
                documents.push(document::Model {
                    id: self.rng.uuid(),
                    obligation_id: o.id,
                    kind: "decision".into(),
                    file_name: format!("decyzja-{}.pdf", o.decision_number.replace(['.', '/'], "-")),
                    media_type: "application/pdf".into(),
                    content: None,
                    reference: Some(GENERATED_DOCUMENT.into()),
                    sha256: String::new(),
                    created_at: self.now,
                });
            }
            taxpayers.push(books.taxpayer);
            obligations.extend(books.obligations);
            basis.extend(items);
            installments.extend(books.installments);
            payments.extend(books.payments);
            costs.extend(books.reminder_costs);
        }
        let files = self.exchange.as_mut().ok_or_else(|| DemoError::Rule("the demo's files are closed".into()))?;
        for t in &taxpayers {
            files.taxpayer(t)?;
        }
        for o in &obligations {
            files.obligation(o)?;
        }
        for b in &basis {
            files.basis_item(b)?;
        }
        for d in &documents {
            files.document(d)?;
        }
        for i in &installments {
            files.installment(i)?;
        }
        for c in &costs {
            files.reminder_cost(c)?;
        }
        for p in &payments {
            files.payment(p)?;
        }
        for a in &allocations {
            files.allocation(a)?;
        }
        self.taxpayer_ids.extend(taxpayers.iter().map(|t| t.id));
        self.accounts.extend(accounts);
        for persona in personas {
            let user = portal_user::Model {
                id: self.rng.uuid(),
                pesel: Some(persona.pesel.as_str().into()),
                display_name: persona.name.clone(),
                roles: persona.roles.into(),
                created_at: self.now,
                last_login_at: None,
            };
            // Residents own their taxpayer record; the company's representative represents it.
            let target = match persona.key {
                "company" => taxpayers.iter().find(|t| t.kind == "legal").map(|t| (t.id, "representative")),
                _ => taxpayers.iter().find(|t| t.pesel.as_deref() == Some(persona.pesel.as_str())).map(|t| (t.id, "owner")),
            };
            let link = match target {
                Some((taxpayer_id, kind)) => Some(user_taxpayer_link::Model {
                    id: self.rng.uuid(),
                    user_id: user.id,
                    taxpayer_id,
                    kind: kind.into(),
                    valid_from: date(self.options.first_year, 1, 1)?,
                    valid_to: None,
                    granted_by: None,
                    created_at: self.now,
                }),
                None => None,
            };
            self.users.push((user, link));
        }
        Ok(())
    }

    /// Imports the contract files through the file connector, then writes the portal's own part
    /// (virtual accounts, users and their links) for the taxpayers as the import created them.
    async fn finish(&mut self, store: &Store) -> Result<(), DemoError> {
        let files = self.exchange.take().ok_or_else(|| DemoError::Rule("the demo's files are closed".into()))?;
        let dir = files.dir().to_path_buf();
        let imported = match files.finish() {
            Ok(dir) => exchange::import(store, &dir, &self.taxpayer_ids).await,
            Err(e) => Err(e),
        };
        if self.remove_exchange {
            let _ = std::fs::remove_dir_all(&dir);
        }
        let ids = imported?;
        let local = |id: Uuid| ids.get(&id).copied().ok_or_else(|| DemoError::Rule(format!("taxpayer {id} was not imported")));
        let accounts = std::mem::take(&mut self.accounts)
            .into_iter()
            .map(|mut a| {
                a.taxpayer_id = local(a.taxpayer_id)?;
                Ok(a)
            })
            .collect::<Result<Vec<_>, DemoError>>()?;
        let txn = store.db().begin().await?;
        insert_all::<virtual_account::Entity, _>(&txn, accounts).await?;
        for (user, link) in std::mem::take(&mut self.users) {
            portal_user::ActiveModel::from(user).insert(&txn).await?;
            if let Some(mut link) = link {
                link.taxpayer_id = local(link.taxpayer_id)?;
                user_taxpayer_link::ActiveModel::from(link).insert(&txn).await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }
}

async fn insert_all<E, M>(txn: &store::sea_orm::DatabaseTransaction, rows: Vec<M>) -> Result<(), DemoError>
where
    E: EntityTrait,
    M: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let mut rows = rows.into_iter().map(IntoActiveModel::into_active_model).peekable();
    while rows.peek().is_some() {
        let chunk: Vec<E::ActiveModel> = rows.by_ref().take(400).collect();
        E::insert_many(chunk).exec_without_returning(txn).await?;
    }
    Ok(())
}

fn title(kind: ObligationKind, year: i32) -> String {
    let name = match kind {
        ObligationKind::PropertyTax => "Podatek od nieruchomości",
        ObligationKind::AgriculturalTax => "Podatek rolny",
        ObligationKind::ForestTax => "Podatek leśny",
        ObligationKind::CombinedObligation => "Łączne zobowiązanie pieniężne",
        ObligationKind::WasteFee => "Opłata za gospodarowanie odpadami komunalnymi",
        ObligationKind::DogFee => "Opłata od posiadania psów",
    };
    format!("{name} {year}")
}
