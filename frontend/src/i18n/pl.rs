//! Polski — the default language. Every key must be here: the match is exhaustive.

use super::Key as K;

pub(super) fn text(key: K) -> &'static str {
    match key {
        K::AppName => "e-Należności",
        K::SkipToContent => "Przejdź do treści",
        K::MainNavigation => "Menu główne",
        K::FooterNavigation => "Informacje",
        K::FooterNote => {
            "Portal należności gminy: podatki i opłaty lokalne. Kwoty odsetek mają charakter informacyjny; wiążące są decyzje i rozliczenia urzędu."
        }
        K::ApiDocs => "Dokumentacja API",
        K::SwitchLanguage => "English",
        K::SwitchLanguageLabel => "Switch to English (zmień język na angielski)",
        K::LogOut => "Wyloguj się",
        K::NavDashboard => "Moje należności",
        K::NavAdmin => "Panel urzędnika",
        K::Loading => "Wczytywanie…",
        K::TryAgain => "Spróbuj ponownie",
        K::Breadcrumb => "Ścieżka",
        K::BackToDashboard => "Wróć do moich należności",

        K::ErrNetwork => "Nie udało się połączyć z serwerem.",
        K::ErrNetworkHint => "Sprawdź połączenie z internetem i odśwież stronę.",
        K::ErrUnreachable => "Nie udało się sprawdzić, czy jesteś zalogowany: serwer nie odpowiada.",
        K::ErrLoggedOut => "Sesja wygasła. Zaloguj się ponownie.",
        K::ErrDecode => "Serwer odpowiedział w nieoczekiwany sposób. Spróbuj ponownie później.",
        K::ErrNotFound => "Nie znaleziono — albo nie masz do tego dostępu.",
        K::ErrValidation => "Niektóre pola są wypełnione niepoprawnie.",
        K::ErrUnauthorized => "Musisz się zalogować.",
        K::ErrForbidden => "Nie masz uprawnień do tej czynności.",
        K::ErrConflict => "Tej zmiany nie można zapisać: koliduje z istniejącymi danymi.",
        K::ErrTooMany => "Zbyt wiele prób. Odczekaj chwilę i spróbuj ponownie.",
        K::ErrInternal => "Wystąpił błąd po stronie serwera. Spróbuj ponownie później.",
        K::ErrQuoteNotComputable => "Nie da się policzyć kwoty na ten dzień (np. brak stawek odsetek dla tej daty).",
        K::ErrBadRequest => "Serwer nie przyjął żądania.",
        K::ErrPayloadTooLarge => "Przesłane dane są za duże.",
        K::ErrMalformedBody => "Serwer nie mógł odczytać przesłanych danych.",
        K::ErrGeneric => "Coś poszło nie tak. Spróbuj ponownie.",
        K::FieldInvalid => "Niepoprawna wartość.",
        K::FieldOutOfRange => "Wartość spoza dopuszczalnego zakresu.",
        K::FieldUnknown => "Nie ma takiej pozycji.",
        K::FieldRequired => "To pole jest wymagane.",
        K::FieldInvalidDate => "Podaj poprawną datę.",
        K::FieldNotGranted => "Brak uprawnienia.",
        K::ErrDayInvalid => "Podaj dzień zapłaty (data).",
        K::ErrAmountInvalid => "Podaj kwotę w złotych, np. 1234,56 (najwyżej dwa miejsca po przecinku).",
        K::ErrAmountZero => "Kwota musi być większa od zera.",
        K::WarnRatesNotVerified => {
            "Stawki odsetek są sprawdzone do {0}. Jeśli NBP później zmieni stopę lombardową, odsetki przy zapłacie {1} mogą się zmienić."
        }
        K::NoAccessTitle => "Brak dostępu",
        K::NoAccess => "Ta część portalu jest dostępna dla urzędników i administratorów.",

        K::LoginTitle => "Zaloguj się",
        K::LoginIntro => {
            "Zobacz swoje podatki i opłaty lokalne, raty, terminy i odsetki na dziś, pobierz decyzję i zapłać — online albo przelewem na swój indywidualny rachunek."
        }
        K::LoginButton => "Zaloguj się przez login.gov.pl",
        K::LoginNote => {
            "Logujesz się profilem zaufanym, e-dowodem lub przez bankowość elektroniczną w krajowym węźle login.gov.pl. Portal nie poznaje Twojego hasła."
        }
        K::NotFoundTitle => "Nie znaleziono strony",
        K::NotFoundText => "Pod tym adresem nie ma strony. Sprawdź adres albo wróć do swoich należności.",
        K::AccessibilityStatement => "Deklaracja dostępności",
        K::AccessibilityBody => ACCESSIBILITY,
        K::PrivacyNotice => "Ochrona danych osobowych (RODO)",
        K::PrivacyBody => PRIVACY,

        K::DashboardTitle => "Moje należności",
        K::Greeting => "Dzień dobry, {0}. Oto podatki i opłaty osób i firm, w których imieniu możesz działać.",
        K::NoTaxpayers => "Twoje konto nie jest jeszcze powiązane z żadnym podatnikiem. Zgłoś się do urzędu gminy, aby je powiązać.",
        K::YourLink => "Twoje powiązanie: {0}",
        K::LinkOwner => "podatnik (własne zobowiązania)",
        K::LinkCoOwner => "współwłaściciel",
        K::LinkProxy => "pełnomocnik",
        K::LinkRepresentative => "reprezentant firmy",
        K::Obligations => "Zobowiązania",
        K::NoObligations => "Brak zobowiązań.",
        K::ToPayToday => "Do zapłaty dziś",
        K::Overdue => "Zaległości",
        K::InterestToday => "Odsetki na dziś",
        K::ReminderCosts => "Koszty upomnienia",
        K::NextDue => "Najbliższy termin",
        K::NoNextDue => "brak",
        K::StatusPaid => "Zapłacone",
        K::StatusOpen => "Przed terminem",
        K::StatusOverdue => "Po terminie",
        K::ActionPay => "Zapłać online",
        K::ActionTransfer => "Dane do przelewu",
        K::ActionWhatIf => "Co, jeśli zapłacę…",
        K::ActionHistory => "Historia wpłat",
        K::ActionCalendar => "Terminy do kalendarza (.ics)",
        K::CalendarSaved => "Plik z terminami został pobrany.",
        K::NoUpcomingDates => "Nie ma nadchodzących terminów do zapisania: raty są zapłacone albo ich termin już minął.",
        K::IcsCalendarName => "e-Należności: terminy płatności",
        K::IcsReminder => "Za 3 dni upływa termin płatności",
        K::IcsSummary => "Termin płatności: {0}, rata {1} ({2})",
        K::IcsDescription => "Decyzja {0}. Do zapłaty: {1}. Szczegóły i płatność: portal e-Należności.",
        K::ColObligation => "Zobowiązanie",
        K::ColDecision => "Decyzja",
        K::ColAmount => "Kwota",
        K::ColPaid => "Zapłacono",
        K::ColStatus => "Stan",

        K::ObligationTitle => "Zobowiązanie",
        K::DecisionOf => "Decyzja {0} z dnia {1}",
        K::DataAsOf => "Dane z systemu urzędu z {0}",
        K::BasisTitle => "Podstawa opodatkowania",
        K::NoBasis => "Decyzja nie wymienia pozycji podstawy.",
        K::ColCategory => "Przedmiot",
        K::ColQuantity => "Ilość",
        K::ColRate => "Stawka",
        K::ColResolution => "Uchwała rady gminy",
        K::ScheduleTitle => "Raty i terminy",
        K::ColInstallment => "Rata",
        K::ColDueDate => "Termin płatności",
        K::ColOutstanding => "Pozostało",
        K::ColInterest => "Odsetki",
        K::ShiftedTo => "przesunięty na {0}",
        K::InterestTitle => "Odsetki za zwłokę — skąd ta kwota",
        K::InterestIntro => {
            "Dla każdej raty po terminie pokazujemy, jak powstały odsetki na dziś: okres po okresie, ze stawką obowiązującą w danym czasie."
        }
        K::NoInterest => "Żadna rata nie jest po terminie, więc odsetki nie narastają.",
        K::InstallmentDue => "Rata {0} (termin {1})",
        K::DayOne => "{0} dzień",
        K::DayMany => "{0} dni",
        K::ExplainShifted => {
            "Termin z decyzji, {0}, przypadał na dzień wolny od pracy, więc przesunął się na najbliższy dzień roboczy: {1} (art. 12 § 5 Ordynacji podatkowej)."
        }
        K::ExplainAfterPayment => {
            "Część raty zapłacono {0}; odsetki do tego dnia zostały wtedy rozliczone, a od następnego dnia liczymy je od kwoty, która pozostała."
        }
        K::ExplainIntro => {
            "Odsetki liczymy od niezapłaconej kwoty {0} za każdy dzień od {1} do {2} włącznie, według rocznej stawki odsetek za zwłokę obowiązującej w danym okresie; rok liczy 365 dni."
        }
        K::ExplainNoPeriods => "Brak dni zwłoki do policzenia.",
        K::ExplainPeriod => "Od {0} do {1} ({2}), stawka {3} rocznie: {4} × {3} × {5}/365 = {6}",
        K::ExplainSum => {
            "Razem, dokładnie: {0}. Odsetki zaokrągla się do pełnych złotych — końcówki poniżej 50 groszy pomija się, 50 groszy i więcej podwyższa do pełnego złotego (art. 63 § 1 Ordynacji podatkowej): {1}."
        }
        K::ExplainThresholdRounded => {
            "Odsetek nie pobiera się, jeżeli nie przekraczają {0} (art. 54 § 1 pkt 5 Ordynacji podatkowej); gmina porównuje z progiem kwotę po zaokrągleniu."
        }
        K::ExplainThresholdExact => {
            "Odsetek nie pobiera się, jeżeli nie przekraczają {0} (art. 54 § 1 pkt 5 Ordynacji podatkowej); gmina porównuje z progiem kwotę dokładną, przed zaokrągleniem."
        }
        K::ExplainCharged => "{0} to więcej niż {1}, więc odsetki są należne: {2}.",
        K::ExplainNotCharged => "{0} nie przekracza {1}, więc odsetek się nie pobiera (0,00 zł).",
        K::ExplainOwedTotal => {
            "Łącznie odsetki do zapłaty za tę ratę: {0} — razem z odsetkami pozostałymi po wcześniejszej wpłacie częściowej."
        }
        K::DocumentsTitle => "Dokumenty",
        K::NoDocuments => "Brak dokumentów do pobrania.",
        K::DocDecision => "Decyzja",
        K::DocOther => "Dokument",
        K::DocumentReady => "Dokument gotowy — otwórz",
        K::PaymentsReachedTitle => "Wpłaty zaliczone na to zobowiązanie",
        K::NoPaymentsReached => "Nie zaliczono jeszcze żadnej wpłaty.",
        K::ColPaymentDate => "Dzień zapłaty",
        K::ColSource => "Sposób",
        K::ColReachedThis => "Zaliczono",
        K::AllocationLine => "rata {0}: należność {1}, odsetki {2}",

        K::PaymentsTitle => "Historia wpłat",
        K::NoPayments => "Nie ma jeszcze żadnych wpłat.",
        K::ColBookingDate => "Zaksięgowano",
        K::ColWhereItWent => "Na co zaliczono",
        K::AllocationToObligation => "{0}: należność {1}, odsetki {2}",
        K::AllocationToCosts => "koszty upomnienia: {0}",
        K::Overpayment => "nadpłata: {0}",
        K::SourceOnline => "płatność online",
        K::SourceTransfer => "przelew",
        K::SourceCash => "gotówka w kasie",
        K::SourceDomainSystem => "z systemu urzędu",
        K::SourceOther => "inny",
        K::PayPending => "w trakcie",
        K::PayBooked => "zaksięgowana",
        K::PayRejected => "odrzucona",
        K::PayExpired => "wygasła",
        K::PayOther => "inny stan",

        K::PayTitle => "Zapłać online",
        K::NothingToPay => "Nie masz nic do zapłaty. Dziękujemy!",
        K::WhatToPay => "Co chcesz zapłacić?",
        K::ChoiceAllOverdue => "Wszystkie zaległości z odsetkami — {0}",
        K::ChoiceNextDue => "Najbliższe raty (nic nie jest po terminie) — {0}",
        K::ChoiceEverythingDue => "Wszystko, co jest do zapłaty",
        K::ChoiceInstallments => "Wybrane raty",
        K::ChooseInstallments => "Które raty chcesz zapłacić?",
        K::InstallmentLine => "rata {0}, termin {1}: należność {2}, odsetki na dziś {3}",
        K::ChosenTotalNote => {
            "Łączną kwotę za wybrane raty (należność z odsetkami na dziś) policzy serwer gminy przy rozpoczęciu płatności; zobaczysz ją u operatora płatności przed zatwierdzeniem."
        }
        K::StartingPayment => "Rozpoczynamy płatność…",
        K::ChooseSomething => "Zaznacz co najmniej jedną ratę.",
        K::PaymentNotPending => "Ta płatność nie czeka już na zapłatę.",
        K::SeePayment => "Zobacz płatność",
        K::PaymentTitle => "Płatność",
        K::PaymentPendingNote => "Czekamy na potwierdzenie od operatora płatności. Strona odświeży się sama.",
        K::PaymentBookedNote => "Płatność zaksięgowana. Dziękujemy! Potwierdzenie wpłaty możesz pobrać poniżej.",
        K::PaymentFailedNote => "Płatność nie doszła do skutku. Możesz spróbować ponownie albo zapłacić przelewem.",
        K::PaymentReference => "Numer referencyjny",
        K::ReceiptPdf => "Potwierdzenie wpłaty",
        K::AmountForToday => "Kwota na dziś",
        K::WhereItGoes => "Na co zostanie zaliczona wpłata",
        K::ColFor => "Na poczet",
        K::ColPrincipal => "Należność",
        K::GoToPayment => "Przejdź do płatności",
        K::CheckingOnline => "Sprawdzamy, czy płatność online jest dostępna…",
        K::OnlineUnavailable => {
            "Płatności online nie są jeszcze uruchomione w tej gminie. Zapłać przelewem na swój indywidualny rachunek — wpłata zostanie rozpoznana automatycznie."
        }
        K::OnlineRedirectNote => "Przeniesiemy Cię na stronę operatora płatności; po zapłacie wrócisz tutaj.",
        K::PayByTransferInstead => "Zapłać przelewem",

        K::TransferTitle => "Dane do przelewu",
        K::TransferIntro => "Wpłać na swój indywidualny numer rachunku. Przelew z tym numerem trafia od razu na Twoje konto podatnika.",
        K::TransferFor => "Za co płacisz?",
        K::TransferAccountOnly => "Tylko numer rachunku (bez wskazania zobowiązania)",
        K::TransferData => "Dane przelewu",
        K::Recipient => "Odbiorca",
        K::RecipientNip => "NIP",
        K::AccountNumber => "Numer rachunku",
        K::VirtualAccountNote => "To Twój indywidualny rachunek: wpłaty na niego przypisujemy Tobie automatycznie.",
        K::TransferTitleField => "Tytuł przelewu",
        K::TransferChooseForQr => "Wybierz zobowiązanie, aby zobaczyć tytuł, kwotę na dziś i kod QR.",
        K::CopyAccount => "Kopiuj numer rachunku",
        K::CopyTitle => "Kopiuj tytuł",
        K::CopyAmount => "Kopiuj kwotę",
        K::Copied => "Skopiowano.",
        K::CopyFailed => "Nie udało się skopiować — zaznacz tekst i skopiuj ręcznie.",
        K::QrTitle => "Kod QR do przelewu",
        K::QrAlt => "Kod QR z danymi przelewu (standard ZBP): odbiorca, numer rachunku, kwota i tytuł podane obok",
        K::QrHint => "Zeskanuj kod w aplikacji swojego banku (opcja „płatność kodem QR”); dane przelewu uzupełnią się same.",
        K::QrOpenAmount => "Kod nie zawiera kwoty (powyżej 9 999,99 zł) — wpisz ją w aplikacji banku.",

        K::WhatIfTitle => "Co, jeśli zapłacę…",
        K::WhatIfIntro => {
            "Sprawdź, ile trzeba zapłacić w wybranym dniu i na co zostanie zaliczona wpłata danej kwoty. Kwoty liczy serwer gminy według Ordynacji podatkowej."
        }
        K::PaymentDay => "Dzień zapłaty",
        K::PaymentAmount => "Kwota wpłaty (zł)",
        K::PaymentAmountHint => "Np. 1234,56. Zostaw puste, aby zobaczyć tylko kwoty do zapłaty w tym dniu.",
        K::IndicateObligation => "Wskazane zobowiązanie (opcjonalnie)",
        K::IndicateObligationHint => {
            "Wpłata trafia najpierw na koszty upomnienia, potem na zaległości wskazanego podatku (art. 62 Ordynacji podatkowej)."
        }
        K::NoIndication => "bez wskazania",
        K::Calculate => "Oblicz",
        K::ResultTitle => "Wynik",
        K::WhatIfEmpty => "Wybierz dzień i kwotę, a następnie naciśnij „Oblicz”.",
        K::OnDay => "Stan na dzień {0}:",
        K::ToPayOverdue => "Zaległości z odsetkami",
        K::ToPayAll => "Wszystko, także raty przed terminem",
        K::InterestPart => "W tym odsetki",
        K::WhatRemains => "Co zostanie do zapłaty po tej wpłacie",
        K::RemainingOverdue => "Zaległości",
        K::RemainingAll => "Razem",

        K::AdminTitle => "Panel urzędnika",
        K::AdminIntro => "Obsługa kont mieszkańców, tabela odsetek, ustawienia gminy i dziennik zdarzeń.",
        K::AdminNavigation => "Panel urzędnika",
        K::NavUsers => "Użytkownicy",
        K::NavRates => "Stawki odsetek",
        K::NavSettings => "Ustawienia",
        K::NavAudit => "Dziennik zdarzeń",
        K::NavStatements => "Wyciągi bankowe",
        K::NavUnmatched => "Nierozpoznane wpłaty",
        K::NavSync => "Synchronizacja",
        K::AdminUsersHint => "Konta, powiązania z podatnikami, role",
        K::AdminRatesHint => "Stawki odsetek za zwłokę i próg",
        K::AdminSettingsHint => "Dane gminy, rachunki, tryb progu",
        K::AdminAuditHint => "Kto i kiedy odczytał lub zmienił dane",
        K::SyncTitle => "Synchronizacja z systemami dziedzinowymi",
        K::SyncIntro => {
            "Stan wymiany danych z systemami księgowości podatkowej i wymiaru: ostatnie przebiegi, przekazane wpłaty, wiersze odrzucone i zadania w tle."
        }
        K::Refresh => "Odśwież",
        K::SyncConnected => {
            "Księgi prowadzi system dziedzinowy: podział wpłat pokazany w portalu jest wstępny, dopóki system dziedzinowy nie zaksięguje wpłaty."
        }
        K::SyncStandalone => {
            "Tryb samodzielny: żaden system dziedzinowy nie jest podłączony, podział wpłat dokonany przez portal jest ostateczny."
        }
        K::Yes => "tak",
        K::No => "nie",
        K::SyncSourceFlags => "Włączony: {0}; prowadzi księgi: {1}; otrzymuje wpłaty z portalu: {2}",
        K::SyncContract => "Wersja kontraktu integracyjnego: {0}",
        K::SyncEntitiesCaption => "Ostatni przebieg każdego widoku",
        K::SyncExports => "Wpłaty przekazane do systemu dziedzinowego",
        K::SyncNoExports => "Brak przekazanych wpłat.",
        K::SyncRejected => "Wiersze odrzucone",
        K::SyncRejectedCount => "Wierszy czekających na poprawienie w systemie dziedzinowym: {0}",
        K::SyncColEntity => "Widok",
        K::SyncColSourceId => "Identyfikator źródłowy",
        K::SyncColReason => "Powód",
        K::SyncColLastRun => "Ostatni przebieg",
        K::SyncColLastSuccess => "Ostatni udany",
        K::SyncColRead => "Odczytane",
        K::SyncColChanged => "Zmienione",
        K::SyncColErrors => "Błędy",
        K::SyncColLastError => "Ostatni błąd",
        K::SyncJobs => "Zadania w tle",
        K::SyncNoJobs => "Brak zadań: żaden system dziedzinowy nie jest podłączony.",
        K::SyncColJob => "Zadanie",
        K::SyncColRuns => "Przebiegi",
        K::SyncColNextRun => "Następny przebieg",
        K::ExportPending => "oczekujące",
        K::ExportWritten => "zapisane",
        K::ExportAccepted => "przyjęte",
        K::ExportRejected => "odrzucone",
        K::ExportBooked => "zaksięgowane",
        K::JobQueued => "w kolejce",
        K::JobRunning => "w toku",
        K::JobDone => "zakończone",
        K::JobFailed => "nieudane",
        K::AdminStatementsHint => "Import wyciągów i nierozpoznane wpłaty",
        K::AdminSyncHint => "Wymiana danych z systemami dziedzinowymi",
        K::AllocationProvisional => "Podział wstępny: czeka na zaksięgowanie w systemie podatkowym gminy.",
        K::UsersTitle => "Użytkownicy",
        K::UsersIntro => {
            "Powiąż konto mieszkańca z podatnikiem (właściciel, współwłaściciel, pełnomocnik, reprezentant firmy) albo zakończ powiązanie. Historia powiązań jest zachowywana."
        }
        K::UsersCount => "Liczba kont: {0}",
        K::RolesAre => "Role: {0}",
        K::NoLinks => "Brak powiązań z podatnikami.",
        K::LinksCaption => "Powiązania z podatnikami",
        K::ColTaxpayer => "Podatnik",
        K::ColLinkKind => "Rodzaj powiązania",
        K::ColValidFrom => "Od dnia",
        K::ColValidTo => "Do dnia",
        K::ColActions => "Działania",
        K::EndOn => "Zakończ z dniem",
        K::EndLink => "Zakończ",
        K::AddLink => "Dodaj powiązanie",
        K::TaxpayerId => "Identyfikator podatnika",
        K::TaxpayerIdHint => "Identyfikator (UUID) z systemu, np. 3f2b…; znajdziesz go w dzienniku zdarzeń lub w danych podatnika.",
        K::ValidFromHint => "Puste oznacza od dziś.",
        K::Saved => "Zapisano.",
        K::ChangeRoles => "Zmień role",
        K::Roles => "Role",
        K::RoleResident => "mieszkaniec",
        K::RoleClerk => "urzędnik",
        K::RoleAdmin => "administrator",
        K::SaveRoles => "Zapisz role",
        K::Pagination => "Strony wyników",
        K::PrevPage => "Poprzednia strona",
        K::NextPage => "Następna strona",
        K::PageOf => "Strona {0} z {1}",
        K::RatesTitle => "Stawki odsetek za zwłokę",
        K::RatesIntro => {
            "Stawka podstawowa to dwukrotność stopy lombardowej NBP plus 2 punkty procentowe, nie mniej niż 8% (art. 56 § 1 Ordynacji podatkowej); obniżona to 50%, a podwyższona 150% stawki podstawowej. Stawki zmieniają się od dnia zmiany stopy lombardowej — wtedy dodaj nowy wiersz."
        }
        K::VerifiedUpTo => "Stawki sprawdzone z decyzjami NBP do dnia {0}.",
        K::SetVerifiedUpTo => "Sprawdzone do dnia",
        K::Save => "Zapisz",
        K::RatesTable => "Tabela stawek",
        K::ThresholdsTable => "Próg odsetek (art. 54 § 1 pkt 5)",
        K::ColFrom => "Obowiązuje od",
        K::ColLombard => "Stopa lombardowa",
        K::ColStandard => "Podstawowa",
        K::ColReduced => "Obniżona",
        K::ColIncreased => "Podwyższona",
        K::ColThreshold => "Próg",
        K::AddRate => "Dodaj stawkę",
        K::RateSourceHint => "Podstawa: np. numer obwieszczenia Ministra Finansów lub uchwały RPP.",
        K::SettingsTitle => "Ustawienia gminy",
        K::MunicipalityName => "Nazwa gminy",
        K::Address => "Adres",
        K::BankAccount => "Rachunek bankowy gminy",
        K::VirtualPrefix => "Prefiks rachunków wirtualnych",
        K::ThresholdMode => "Porównanie z progiem odsetek",
        K::ThresholdModeHint => "Czy z progiem 8,70 zł porównywać kwotę odsetek po zaokrągleniu do pełnych złotych, czy dokładną.",
        K::ModeRounded => "kwota po zaokrągleniu",
        K::ModeExact => "kwota dokładna",
        K::RatesVerified => "Stawki sprawdzone do",
        K::ChangeSettings => "Zmień ustawienia",
        K::AuditTitle => "Dziennik zdarzeń",
        K::AuditFilters => "Filtry dziennika",
        K::ColActor => "Kto",
        K::ColAction => "Czynność",
        K::ColOutcome => "Wynik",
        K::ColWhen => "Kiedy",
        K::ColSubject => "Czego dotyczy",
        K::AnyOutcome => "dowolny",
        K::OutcomeAllowed => "dozwolone",
        K::OutcomeDenied => "odmowa",
        K::OutcomeFailed => "błąd",
        K::OutcomeOther => "inny",
        K::DateFrom => "Od dnia",
        K::DateTo => "Do dnia",
        K::Search => "Szukaj",
        K::Results => "Wyniki",
        K::ResultsCount => "Znaleziono: {0}",
        K::NoResults => "Nic nie znaleziono.",

        K::StatementsTitle => "Wyciągi bankowe",
        K::StatementsIntro => {
            "Zaimportuj wyciąg z banku (MT940 albo camt.053). Wpłaty na rachunki wirtualne zostaną zaksięgowane u właściwych podatników; wpłaty, których nie da się przypisać, trafią do kolejki nierozpoznanych wpłat."
        }
        K::UploadTitle => "Import wyciągu",
        K::StatementFile => "Plik wyciągu",
        K::StatementFileHint => "MT940 (.sta, .mt940, .txt) albo camt.053 (.xml), najwyżej 50 MB. Kodowanie znaków zostanie rozpoznane.",
        K::DryRun => "Tylko sprawdź — niczego nie księguj",
        K::ImportStatement => "Importuj wyciąg",
        K::ChooseFile => "Wybierz plik wyciągu.",
        K::UploadReading => "Wczytywanie pliku: {0}%",
        K::UploadSending => "Wysyłanie pliku: {0}%",
        K::UploadProcessing => "Plik wysłany — trwa dopasowywanie wpłat…",
        K::UploadDone => "Gotowe.",
        K::UploadFailed => "Importu nie wykonano.",
        K::ImportSummaryTitle => "Wynik importu",
        K::ImportImported => "zaimportowany",
        K::ImportImportedUnbalanced => "zaimportowany mimo niezgodnych sald",
        K::ImportDryRun => "sprawdzenie — nic nie zaksięgowano",
        K::ImportUnbalanced => "wstrzymany — salda się nie zgadzają, nic nie zaksięgowano",
        K::SumStatus => "Stan",
        K::SumFile => "Plik",
        K::SumFormat => "Format i kodowanie",
        K::EncodingDetected => "{0} (rozpoznane)",
        K::SumStatements => "Wyciągi w pliku",
        K::SumLines => "Pozycje wyciągu",
        K::SumCredits => "Wpłaty (uznania)",
        K::SumDebits => "Obciążenia i zwroty",
        K::SumMatched => "Dopasowane i zaksięgowane",
        K::SumUnmatched => "Nierozpoznane (w kolejce)",
        K::SumSettledOnline => "Rozliczenia płatności online",
        K::SumDuplicates => "Pominięte — zaimportowane wcześniej",
        K::SumTotalCredited => "Suma nowych wpłat",
        K::SumTotalBooked => "Zaksięgowano",
        K::SumOverpayments => "W tym nadpłaty",
        K::UnbalancedLine => "Rachunek {0}, wyciąg nr {1}: saldo końcowe {2}, a z operacji wychodzi {3} (różnica {4}).",
        K::UnbalancedHint => "Plik może być niepełny albo uszkodzony. Zaimportuj go mimo to tylko wtedy, gdy wiesz, że jest kompletny.",
        K::ImportAnyway => "Importuj mimo niezgodnych sald",
        K::GoToUnmatched => "Przejdź do nierozpoznanych wpłat",
        K::ErrInvalidStatement => "Tego pliku nie da się odczytać jako wyciągu bankowego. Nic nie zaimportowano.",
        K::ProblemDetail => "Szczegóły:",
        K::ImportsTitle => "Zaimportowane pliki",
        K::NoImports => "Nie zaimportowano jeszcze żadnego wyciągu.",
        K::ColImportedAt => "Zaimportowano",
        K::ColFile => "Plik",
        K::ColCredits => "Wpłaty",
        K::ColMatched => "Dopasowane",
        K::ColUnmatched => "Nierozpoznane",
        K::ColTotal => "Suma wpłat",
        K::UnmatchedTitle => "Nierozpoznane wpłaty",
        K::UnmatchedIntro => {
            "Wpłaty z wyciągów, których nie udało się przypisać automatycznie. Sprawdź propozycje i przypisz wpłatę podatnikowi — zostanie zaksięgowana z datą z wyciągu."
        }
        K::UnmatchedCount => "Wpłat w kolejce: {0}",
        K::NoUnmatched => "Brak nierozpoznanych wpłat.",
        K::UnmatchedHeading => "{0} z dnia {1}",
        K::Payer => "Wpłacający",
        K::PayerAccount => "Rachunek wpłacającego",
        K::VirtualAccountOnLine => "Rachunek, na który wpłacono",
        K::StatementOfLine => "Wyciąg",
        K::BankReference => "Referencja banku",
        K::WhyUnmatched => "Dlaczego nierozpoznana",
        K::AssignTo => "Przypisz wpłatę",
        K::NoSuggestions => "Brak propozycji — wpisz identyfikator podatnika.",
        K::SuggestionLine => "pewność: {0}",
        K::ConfidenceHigh => "wysoka",
        K::ConfidenceMedium => "średnia",
        K::ConfidenceLow => "niska",
        K::OtherTaxpayer => "Inny podatnik",
        K::AssignPayment => "Zaksięguj wpłatę",
        K::AssignedNote => "Wpłata {0} zaksięgowana u podatnika: {1}.",
        K::ChooseTaxpayer => "Wybierz podatnika albo wpisz jego identyfikator.",
        K::ReasonDecision => "numer decyzji {0} w tytule",
        K::ReasonIdentifier => "identyfikator podatnika w tytule",
        K::ReasonName => "wpłacający nazywa się jak podatnik",
        K::ReasonAccount => "z tego rachunku płacono już za tego podatnika",
        K::ReasonNoVirtual => "wpłata na główny rachunek gminy, bez rachunku wirtualnego",
        K::ReasonUnknownVirtual => "rachunek wirtualny {0} nie jest przypisany żadnemu podatnikowi",
    }
}

const ACCESSIBILITY: &str = "Urząd gminy, który udostępnia portal e-Należności, zobowiązuje się zapewnić jego dostępność zgodnie z ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych. Deklaracja dotyczy aplikacji e-Należności: części dla mieszkańców i panelu urzędnika.

## Daty publikacji i aktualizacji

Data publikacji aplikacji: 3 grudnia 2026 r. Data ostatniej istotnej aktualizacji: 3 grudnia 2026 r.

## Stan dostępności cyfrowej

Aplikacja jest częściowo zgodna z ustawą o dostępności cyfrowej (standard WCAG 2.1 na poziomie AA) z powodu niezgodności wymienionych poniżej.

- Dokumenty PDF z decyzjami mogą nie mieć pełnej struktury (znaczników) dla czytników ekranu. Treść decyzji — podstawa opodatkowania, raty, terminy i kwoty — jest pokazana w aplikacji jako dostępny tekst.
- Kod QR do przelewu jest obrazem; wszystkie dane z kodu (odbiorca, numer rachunku, tytuł, kwota) są podane obok jako tekst z przyciskami kopiowania.

## Przygotowanie deklaracji

Deklarację sporządzono 3 grudnia 2026 r. na podstawie samooceny zespołu tworzącego aplikację: obsługa wyłącznie klawiaturą, kontrast kolorów, widoczność fokusu, etykiety pól, układ przy szerokości ekranu 360 pikseli.

## Ułatwienia

- Całą aplikację można obsłużyć z klawiatury; zaznaczony element jest zawsze wyraźnie widoczny.
- Na początku każdej strony jest odnośnik „Przejdź do treści”.
- Aplikacja działa po polsku i po angielsku (przełącznik w nagłówku).
- Tekst można powiększyć do 200% bez utraty treści; układ dostosowuje się do ekranów od 360 pikseli szerokości.
- Wyniki, które pojawiają się po chwili (np. obliczenia), są ogłaszane przez czytniki ekranu.

## Informacje zwrotne i dane kontaktowe

Jeśli zauważysz problem z dostępnością, napisz do urzędu gminy lub zadzwoń — dane kontaktowe są w Biuletynie Informacji Publicznej urzędu. Tą samą drogą możesz poprosić o informację niedostępną w aplikacji albo o jej udostępnienie w innej formie.

## Procedura wnioskowo-skargowa

Każdy ma prawo zażądać zapewnienia dostępności cyfrowej aplikacji lub jej elementu albo dostępu alternatywnego. Żądanie zawiera dane osoby zgłaszającej, wskazanie elementu i sposób kontaktu. Urząd realizuje je niezwłocznie, nie później niż w ciągu 7 dni; jeśli to niemożliwe, informuje o terminie (nie dłuższym niż 2 miesiące) lub proponuje dostęp alternatywny. Po odmowie możesz złożyć skargę do urzędu, a następnie zawiadomić Rzecznika Praw Obywatelskich.

## Dostępność architektoniczna

Informacje o dostępności budynku urzędu (wejścia, windy, pętle indukcyjne, tłumacz języka migowego) są w deklaracji dostępności na stronie internetowej urzędu.";

const PRIVACY: &str = "Ta informacja spełnia obowiązek z art. 13 rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 (RODO).

## Administrator danych

Administratorem Twoich danych osobowych jest gmina, która prowadzi portal e-Należności, reprezentowana przez wójta (burmistrza, prezydenta miasta). Adres i dane kontaktowe urzędu gminy są w jego Biuletynie Informacji Publicznej.

## Inspektor ochrony danych

W sprawach ochrony danych możesz pisać do inspektora ochrony danych urzędu gminy; jego adres e-mail i adres pocztowy są w Biuletynie Informacji Publicznej urzędu.

## Cele i podstawy przetwarzania

- ustalanie i pobór podatków i opłat lokalnych, rachunkowość podatkowa, rozliczanie wpłat — art. 6 ust. 1 lit. c RODO w związku z Ordynacją podatkową, ustawą o podatkach i opłatach lokalnych, ustawą o podatku rolnym, ustawą o podatku leśnym i ustawą o utrzymaniu czystości i porządku w gminach;
- pokazywanie należności i przyjmowanie płatności w portalu — art. 6 ust. 1 lit. e RODO (zadanie w interesie publicznym);
- potwierdzenie tożsamości przy logowaniu przez login.gov.pl — art. 6 ust. 1 lit. c RODO w związku z ustawą o informatyzacji działalności podmiotów realizujących zadania publiczne;
- dziennik zdarzeń (kto i kiedy odczytał lub zmienił dane) — art. 6 ust. 1 lit. c i art. 32 RODO.

## Jakie dane przetwarzamy

Imię i nazwisko, numer PESEL (albo NIP i REGON firmy), adres, dane o zobowiązaniach, ratach, wpłatach i odsetkach, indywidualny numer rachunku do wpłat oraz dane o logowaniu (czas, poziom bezpieczeństwa środka identyfikacji).

## Skąd mamy dane

Dane o należnościach pochodzą z systemów dziedzinowych urzędu (wymiar i księgowość podatkowa). Dane potwierdzające tożsamość przy logowaniu przekazuje Węzeł Krajowy Identyfikacji Elektronicznej (login.gov.pl).

## Odbiorcy danych

- dostawcy usług informatycznych obsługujący portal, na podstawie umów powierzenia przetwarzania;
- bank prowadzący rachunki gminy i operator płatności internetowych — w zakresie potrzebnym do płatności;
- organy uprawnione na podstawie przepisów prawa.

## Jak długo przechowujemy dane

Przez okres wynikający z przepisów o archiwach i z instrukcji kancelaryjnej urzędu; dokumentację podatkową co do zasady przez 5 lat od końca roku, w którym upłynął termin płatności, a dłużej, jeśli wymagają tego przepisy.

## Twoje prawa

Masz prawo dostępu do swoich danych, ich sprostowania i ograniczenia przetwarzania, a w zakresie przetwarzania na podstawie art. 6 ust. 1 lit. e RODO — prawo sprzeciwu. Możesz wnieść skargę do Prezesa Urzędu Ochrony Danych Osobowych (ul. Stawki 2, 00-193 Warszawa).

## Obowiązek podania danych

Obowiązek podania danych wynika z przepisów prawa podatkowego. Korzystanie z portalu jest dobrowolne — sprawy można załatwić także w urzędzie.

## Decyzje zautomatyzowane i pliki cookie

Nie podejmujemy wobec Ciebie decyzji opartych wyłącznie na zautomatyzowanym przetwarzaniu, w tym profilowaniu. Kwoty odsetek w portalu mają charakter informacyjny; wiążące są decyzje i rozliczenia urzędu. Portal używa tylko jednego, niezbędnego pliku cookie sesji (do utrzymania zalogowania); nie używa plików cookie analitycznych ani reklamowych.";
