//! The MS SQL Server connector (tiberius, TDS 7.3+, TLS through rustls, a small connection pool).
//!
//! Reads are incremental: each view is walked in (row_version, source_id) order strictly after the
//! watermark, `TOP (n)` rows at a time, and only below `MIN_ACTIVE_ROWVERSION()` so that a row of a
//! transaction still open (which got its rowversion earlier) is never jumped over. The keyset
//! compares `source_id` in a binary collation (code point order, the same as Rust's `str`), so
//! the domain system's collation (Polish_CI_AS, Polish_100_CI_AS, …) does not matter; text columns
//! are read as NVARCHAR (UTF-16), whatever their code page.
//!
//! Money is exact: `money` columns arrive from tiberius as `f64`, so every amount is cast to
//! `DECIMAL(19,4)` in the query and mapped from `Numeric` (an `i128` mantissa and a scale) to
//! [`Amount`], which refuses a third non-zero decimal place and negative values.

use std::borrow::Cow;
use std::sync::Mutex;
use std::time::Duration;

use domain::Amount;
use rust_decimal::Decimal;
use tiberius::{Client, ColumnData, Config, EncryptionLevel, Row as SqlRow};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};
use uuid::Uuid;

use crate::config::Marker;
use crate::contract::{
    Acknowledgement, BasisItem, Change, ContractVersion, Document, Entity, Installment, Obligation, Payload, Payment, PaymentAllocation,
    PortalPayment, ReminderCost, Row, Taxpayer, Watermark,
};
use crate::{Connector, ConnectorError};

type Conn = Client<Compat<TcpStream>>;

/// At most this many ids in one `IN (…)` list (SQL Server takes 2,100 parameters).
const IN_LIST: usize = 500;

/// A small pool: at most `size` connections, idle ones kept for reuse, a broken one dropped.
struct Pool {
    config: Config,
    idle: Mutex<Vec<Conn>>,
    permits: Semaphore,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool").field("available", &self.permits.available_permits()).finish_non_exhaustive()
    }
}

/// A connection taken from the pool; it goes back on drop unless marked broken.
struct Pooled<'a> {
    pool: &'a Pool,
    conn: Option<Conn>,
    broken: bool,
    _permit: SemaphorePermit<'a>,
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let (false, Some(conn)) = (self.broken, self.conn.take())
            && let Ok(mut idle) = self.pool.idle.lock()
        {
            idle.push(conn);
        }
    }
}

impl Pooled<'_> {
    fn conn(&mut self) -> Result<&mut Conn, ConnectorError> {
        self.conn.as_mut().ok_or_else(|| ConnectorError::Connection("the connection is gone".into()))
    }
}

async fn tcp(config: &Config) -> Result<Compat<TcpStream>, ConnectorError> {
    let tcp = TcpStream::connect(config.get_addr()).await.map_err(|e| ConnectorError::Connection(e.to_string()))?;
    tcp.set_nodelay(true).map_err(|e| ConnectorError::Connection(e.to_string()))?;
    Ok(tcp.compat_write())
}

async fn connect(config: &Config) -> Result<Conn, ConnectorError> {
    match Client::connect(config.clone(), tcp(config).await?).await {
        Ok(client) => Ok(client),
        // Azure SQL and availability groups may redirect the login to another host, once.
        Err(tiberius::error::Error::Routing { host, port }) => {
            let mut routed = config.clone();
            routed.host(&host);
            routed.port(port);
            let stream = tcp(&routed).await?;
            Client::connect(routed, stream).await.map_err(|e| ConnectorError::Connection(e.to_string()))
        }
        Err(e) => Err(ConnectorError::Connection(e.to_string())),
    }
}

impl Pool {
    async fn get(&self) -> Result<Pooled<'_>, ConnectorError> {
        let permit = tokio::time::timeout(Duration::from_secs(60), self.permits.acquire())
            .await
            .map_err(|_| ConnectorError::Connection("no free connection in the pool for 60 s".into()))?
            .map_err(|_| ConnectorError::Connection("the pool is closed".into()))?;
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => connect(&self.config).await?,
        };
        Ok(Pooled { pool: self, conn: Some(conn), broken: false, _permit: permit })
    }
}

/// The MS SQL connector of one domain system.
#[derive(Debug)]
pub struct MssqlConnector {
    pool: Pool,
    marker: Marker,
    lag_seconds: i64,
}

impl MssqlConnector {
    /// From an ADO.NET connection string. Encryption is required unless the string says
    /// `encrypt=false`; `TrustServerCertificate=true` is for test servers with self-signed
    /// certificates only. The pool connects lazily.
    pub fn new(connection: &str, pool_size: usize, marker: Marker, lag_seconds: i64) -> Result<MssqlConnector, ConnectorError> {
        let config = mssql_config(connection)?;
        Ok(MssqlConnector {
            pool: Pool { config, idle: Mutex::new(Vec::new()), permits: Semaphore::new(pool_size.max(1)) },
            marker,
            lag_seconds,
        })
    }

    /// Runs a query on a pooled connection; a failed connection is not returned to the pool.
    async fn rows(&self, sql: &str, params: &[&dyn tiberius::ToSql]) -> Result<Vec<SqlRow>, ConnectorError> {
        let mut pooled = self.pool.get().await?;
        let result = async {
            let stream = pooled.conn()?.query(sql, params).await.map_err(query_error)?;
            stream.into_first_result().await.map_err(query_error)
        }
        .await;
        if result.is_err() {
            pooled.broken = true;
        }
        result
    }

    async fn execute(&self, sql: &str, params: &[&dyn tiberius::ToSql]) -> Result<u64, ConnectorError> {
        let mut pooled = self.pool.get().await?;
        let result = pooled.conn()?.execute(sql, params).await.map_err(query_error).map(|r| r.rows_affected().iter().sum());
        if result.is_err() {
            pooled.broken = true;
        }
        result
    }
}

fn query_error(e: tiberius::error::Error) -> ConnectorError {
    match e {
        tiberius::error::Error::Io { .. } | tiberius::error::Error::Tls(_) => ConnectorError::Connection(e.to_string()),
        other => ConnectorError::Query(other.to_string()),
    }
}

/// The tiberius configuration from an ADO.NET string, with TLS required by default.
pub fn mssql_config(connection: &str) -> Result<Config, ConnectorError> {
    let mut config = Config::from_ado_string(connection).map_err(|e| ConnectorError::Config(format!("MS SQL connection string: {e}")))?;
    let says_encrypt = connection.split(';').any(|p| p.trim().to_ascii_lowercase().starts_with("encrypt"));
    if !says_encrypt {
        config.encryption(EncryptionLevel::Required);
    }
    config.application_name("e-Naleznosci");
    if connection.to_ascii_lowercase().contains("integratedsecurity") {
        return Err(ConnectorError::Config("integrated (Windows) authentication is not supported: use a SQL login".into()));
    }
    Ok(config)
}

/// The columns of a view, in the order [`map_row`] reads them, each cast to the type the mapping
/// expects (so the domain system's own column types — MONEY or DECIMAL, VARCHAR or NVARCHAR — do
/// not matter).
pub fn columns(entity: Entity) -> &'static [(&'static str, &'static str)] {
    const TEXT64: &str = "NVARCHAR(64)";
    match entity {
        Entity::Taxpayers => &[
            ("kind", "NVARCHAR(8)"),
            ("name", "NVARCHAR(200)"),
            ("first_name", "NVARCHAR(100)"),
            ("last_name", "NVARCHAR(100)"),
            ("pesel", "NVARCHAR(11)"),
            ("nip", "NVARCHAR(10)"),
            ("regon", "NVARCHAR(14)"),
            ("street", "NVARCHAR(200)"),
            ("postal_code", "NVARCHAR(6)"),
            ("city", "NVARCHAR(100)"),
        ],
        Entity::Obligations => &[
            ("taxpayer_source_id", TEXT64),
            ("kind", "NVARCHAR(32)"),
            ("year", "INT"),
            ("title", "NVARCHAR(200)"),
            ("decision_number", TEXT64),
            ("decision_date", "DATE"),
            ("delivered_date", "DATE"),
            ("amount", "DECIMAL(19,4)"),
            ("rate_kind", "NVARCHAR(16)"),
            ("interest_regime", "NVARCHAR(32)"),
        ],
        Entity::BasisItems => &[
            ("obligation_source_id", TEXT64),
            ("position", "INT"),
            ("category", "NVARCHAR(200)"),
            ("quantity", "DECIMAL(28,6)"),
            ("unit", "NVARCHAR(16)"),
            ("rate", "DECIMAL(28,6)"),
            ("amount", "DECIMAL(19,4)"),
            ("resolution", "NVARCHAR(400)"),
        ],
        Entity::Installments => &[("obligation_source_id", TEXT64), ("number", "INT"), ("due_date", "DATE"), ("amount", "DECIMAL(19,4)")],
        Entity::Documents => &[
            ("obligation_source_id", TEXT64),
            ("kind", "NVARCHAR(32)"),
            ("file_name", "NVARCHAR(200)"),
            ("media_type", "NVARCHAR(100)"),
            ("archive_reference", "NVARCHAR(400)"),
            ("sha256", "NVARCHAR(64)"),
            ("content", "VARBINARY(MAX)"),
        ],
        Entity::ReminderCosts => {
            &[("taxpayer_source_id", TEXT64), ("obligation_source_id", TEXT64), ("delivered_date", "DATE"), ("amount", "DECIMAL(19,4)")]
        }
        Entity::Payments => &[
            ("taxpayer_source_id", TEXT64),
            ("channel", "NVARCHAR(16)"),
            ("payment_date", "DATE"),
            ("booking_date", "DATE"),
            ("amount", "DECIMAL(19,4)"),
            ("payer", "NVARCHAR(200)"),
            ("reference", "NVARCHAR(200)"),
            ("indicated_obligation_source_id", TEXT64),
            ("portal_payment_id", "UNIQUEIDENTIFIER"),
        ],
        Entity::PaymentAllocations => &[
            ("payment_source_id", TEXT64),
            ("position", "INT"),
            ("installment_source_id", TEXT64),
            ("reminder_cost_source_id", TEXT64),
            ("principal", "DECIMAL(19,4)"),
            ("interest", "DECIMAL(19,4)"),
            ("reminder_costs", "DECIMAL(19,4)"),
            ("overpayment", "DECIMAL(19,4)"),
        ],
    }
}

/// The incremental read of a view. Parameters: `@P1` the batch size, `@P2`/`@P3` the watermark
/// (row_version, source_id), and with a modified-at marker `@P4` the lag in seconds.
pub fn select_sql(entity: Entity, marker: Marker) -> String {
    let mut sql = String::from(
        "SELECT TOP (@P1) CAST(source_id AS NVARCHAR(64)) AS source_id, CAST(row_version AS BIGINT) AS row_version, \
         CAST(modified_at AS DATETIME2(3)) AS modified_at, CAST(is_deleted AS BIT) AS is_deleted",
    );
    for (name, cast) in columns(entity) {
        sql.push_str(&format!(", CAST([{name}] AS {cast}) AS [{name}]"));
    }
    // No locking hint: rows of open transactions are excluded by the bound below, so plain
    // READ COMMITTED (or the database's read-committed snapshot) reads exactly what is safe.
    sql.push_str(&format!(" FROM portal.[{}]", entity.name()));
    sql.push_str(" WHERE (row_version > @P2 OR (row_version = @P2 AND source_id COLLATE Latin1_General_BIN2 > @P3))");
    match marker {
        Marker::Rowversion => sql.push_str(" AND row_version < CAST(MIN_ACTIVE_ROWVERSION() AS BIGINT)"),
        Marker::ModifiedAt => sql.push_str(" AND modified_at < DATEADD(SECOND, -@P4, SYSUTCDATETIME())"),
    }
    sql.push_str(" ORDER BY row_version, source_id COLLATE Latin1_General_BIN2");
    sql
}

/// Inserts a payment unless it is there: the primary key makes a repeated insert impossible and
/// the `NOT EXISTS` makes it a no-op (a race between two inserts ends in a key violation, 2627,
/// which counts as "already there").
pub const INSERT_PAYMENT_SQL: &str = "INSERT INTO portal.portal_payments \
     (portal_payment_id, taxpayer_source_id, channel, payment_date, booking_date, amount, payer, reference, \
      indicated_obligation_source_id, gateway_transaction_id, portal_allocation, exported_at) \
     SELECT @P1, @P2, @P3, @P4, @P5, @P6, @P7, @P8, @P9, @P10, @P11, @P12 \
     WHERE NOT EXISTS (SELECT 1 FROM portal.portal_payments WITH (UPDLOCK, HOLDLOCK) WHERE portal_payment_id = @P1)";

/// The acknowledgements of up to [`IN_LIST`] payments: `@P1`… the ids.
pub fn acknowledgements_sql(count: usize) -> String {
    let params: Vec<String> = (1..=count).map(|i| format!("@P{i}")).collect();
    format!(
        "SELECT portal_payment_id, CAST(ack_status AS NVARCHAR(16)) AS ack_status, \
         CAST(acknowledged_at AS DATETIME2(3)) AS acknowledged_at, CAST(ack_message AS NVARCHAR(400)) AS ack_message, \
         CAST(domain_payment_source_id AS NVARCHAR(64)) AS domain_payment_source_id \
         FROM portal.portal_payments WHERE acknowledged_at IS NOT NULL AND ack_status IS NOT NULL AND portal_payment_id IN ({})",
        params.join(", ")
    )
}

pub const CONTRACT_SQL: &str = "SELECT CAST(major AS INT) AS major, CAST(minor AS INT) AS minor FROM portal.contract_info";

// --- Type mapping --------------------------------------------------------------------------------

fn cell<'a>(row: &'a SqlRow, name: &str) -> Result<&'a ColumnData<'static>, String> {
    row.get_column_data(name).map_err(|_| format!("column {name} is missing"))
}

/// Text as a trimmed string (CHAR columns come padded); empty text is `None`.
pub fn text_of(data: &ColumnData<'_>) -> Result<Option<String>, String> {
    match data {
        ColumnData::String(s) => Ok(s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)),
        ColumnData::Guid(g) => Ok(g.map(|g| g.to_string())),
        ColumnData::I32(v) => Ok(v.map(|v| v.to_string())),
        ColumnData::I64(v) => Ok(v.map(|v| v.to_string())),
        other => Err(format!("expected text, found {}", kind(other))),
    }
}

/// An exact decimal from NUMERIC/DECIMAL (or an integer). Floats are refused: a `money` column
/// must be cast to DECIMAL in the query, never read through `f64`.
pub fn decimal_of(data: &ColumnData<'_>) -> Result<Option<Decimal>, String> {
    match data {
        ColumnData::Numeric(n) => n
            .map(|n| Decimal::try_from_i128_with_scale(n.value(), u32::from(n.scale())).map_err(|e| format!("decimal {}: {e}", n.value())))
            .transpose(),
        ColumnData::U8(v) => Ok(v.map(Decimal::from)),
        ColumnData::I16(v) => Ok(v.map(Decimal::from)),
        ColumnData::I32(v) => Ok(v.map(Decimal::from)),
        ColumnData::I64(v) => Ok(v.map(Decimal::from)),
        ColumnData::String(s) => {
            s.as_deref().map(|s| Decimal::from_str_exact(s.trim()).map_err(|e| format!("decimal {s:?}: {e}"))).transpose()
        }
        other => Err(format!("expected an exact decimal, found {} (cast MONEY to DECIMAL(19,4))", kind(other))),
    }
}

/// Money: exact, non-negative, at most two decimal places (`12.3400` is fine, `12.3450` is not).
pub fn amount_of(data: &ColumnData<'_>) -> Result<Option<Amount>, String> {
    decimal_of(data)?.map(|d| Amount::new(d).map_err(|e| format!("amount {d}: {e}"))).transpose()
}

pub fn int_of(data: &ColumnData<'_>) -> Result<Option<i64>, String> {
    match data {
        ColumnData::U8(v) => Ok(v.map(i64::from)),
        ColumnData::I16(v) => Ok(v.map(i64::from)),
        ColumnData::I32(v) => Ok(v.map(i64::from)),
        ColumnData::I64(v) => Ok(*v),
        ColumnData::Numeric(n) => n
            .map(|n| if n.scale() == 0 { i64::try_from(n.value()).map_err(|e| e.to_string()) } else { Err("not an integer".into()) })
            .transpose(),
        other => Err(format!("expected an integer, found {}", kind(other))),
    }
}

pub fn bool_of(data: &ColumnData<'_>) -> Result<Option<bool>, String> {
    match data {
        ColumnData::Bit(v) => Ok(*v),
        ColumnData::U8(v) => Ok(v.map(|v| v != 0)),
        ColumnData::I32(v) => Ok(v.map(|v| v != 0)),
        other => Err(format!("expected a bit, found {}", kind(other))),
    }
}

fn kind(data: &ColumnData<'_>) -> &'static str {
    match data {
        ColumnData::U8(_) | ColumnData::I16(_) | ColumnData::I32(_) | ColumnData::I64(_) => "an integer",
        ColumnData::F32(_) | ColumnData::F64(_) => "a float",
        ColumnData::Bit(_) => "a bit",
        ColumnData::String(_) => "text",
        ColumnData::Guid(_) => "a uniqueidentifier",
        ColumnData::Binary(_) => "binary",
        ColumnData::Numeric(_) => "a decimal",
        ColumnData::Xml(_) => "xml",
        _ => "a date or time",
    }
}

fn required<T>(name: &str, value: Result<Option<T>, String>) -> Result<T, String> {
    value.map_err(|e| format!("{name}: {e}"))?.ok_or_else(|| format!("{name} is NULL"))
}

fn optional<T>(name: &str, value: Result<Option<T>, String>) -> Result<Option<T>, String> {
    value.map_err(|e| format!("{name}: {e}"))
}

struct Cells<'a>(&'a SqlRow);

impl Cells<'_> {
    fn text(&self, name: &str) -> Result<String, String> {
        required(name, cell(self.0, name).and_then(text_of))
    }
    fn text_opt(&self, name: &str) -> Result<Option<String>, String> {
        optional(name, cell(self.0, name).and_then(text_of))
    }
    fn amount(&self, name: &str) -> Result<Amount, String> {
        required(name, cell(self.0, name).and_then(amount_of))
    }
    fn decimal(&self, name: &str) -> Result<Decimal, String> {
        required(name, cell(self.0, name).and_then(decimal_of))
    }
    fn int(&self, name: &str) -> Result<i32, String> {
        let value = required(name, cell(self.0, name).and_then(int_of))?;
        i32::try_from(value).map_err(|_| format!("{name}: {value} is out of range"))
    }
    fn date(&self, name: &str) -> Result<time::Date, String> {
        self.date_opt(name)?.ok_or_else(|| format!("{name} is NULL"))
    }
    fn date_opt(&self, name: &str) -> Result<Option<time::Date>, String> {
        self.0.try_get::<time::Date, _>(name).map_err(|e| format!("{name}: {e}"))
    }
    fn uuid_opt(&self, name: &str) -> Result<Option<Uuid>, String> {
        self.0.try_get::<Uuid, _>(name).map_err(|e| format!("{name}: {e}"))
    }
    fn bytes_opt(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        match cell(self.0, name)? {
            ColumnData::Binary(b) => Ok(b.as_deref().map(<[u8]>::to_vec)),
            other => Err(format!("{name}: expected binary, found {}", kind(other))),
        }
    }
}

/// One row of a view as a change. The change columns must be right (else the whole read fails:
/// the row could not be tracked); a problem in the other columns makes an invalid change.
pub fn map_row(entity: Entity, row: &SqlRow) -> Result<Change, ConnectorError> {
    let bad = |e: String| ConnectorError::Contract(format!("{}: {e}", entity.name()));
    let source_id = required("source_id", cell(row, "source_id").and_then(text_of)).map_err(bad)?;
    let row_version = required("row_version", cell(row, "row_version").and_then(int_of)).map_err(bad)?;
    let deleted = optional("is_deleted", cell(row, "is_deleted").and_then(bool_of)).map_err(bad)?.unwrap_or(false);
    let modified_at = row.try_get::<time::PrimitiveDateTime, _>("modified_at").ok().flatten().map(|t| t.assume_utc());
    let payload = if deleted {
        Payload::Delete
    } else {
        match map_columns(entity, &Cells(row)) {
            Ok(row) => Payload::Upsert(row),
            Err(reason) => Payload::Invalid(reason),
        }
    };
    Ok(Change { source_id, row_version, modified_at, payload })
}

fn map_columns(entity: Entity, c: &Cells<'_>) -> Result<Row, String> {
    Ok(match entity {
        Entity::Taxpayers => Row::Taxpayer(Taxpayer {
            kind: c.text("kind")?,
            name: c.text("name")?,
            first_name: c.text_opt("first_name")?,
            last_name: c.text_opt("last_name")?,
            pesel: c.text_opt("pesel")?,
            nip: c.text_opt("nip")?,
            regon: c.text_opt("regon")?,
            street: c.text("street")?,
            postal_code: c.text("postal_code")?,
            city: c.text("city")?,
        }),
        Entity::Obligations => Row::Obligation(Obligation {
            taxpayer_source_id: c.text("taxpayer_source_id")?,
            kind: c.text("kind")?,
            year: c.int("year")?,
            title: c.text("title")?,
            decision_number: c.text("decision_number")?,
            decision_date: c.date("decision_date")?,
            delivered_date: c.date_opt("delivered_date")?,
            amount: c.amount("amount")?,
            rate_kind: c.text_opt("rate_kind")?.unwrap_or_else(|| "standard".into()),
            interest_regime: c.text_opt("interest_regime")?.unwrap_or_else(|| "tax_ordinance".into()),
        }),
        Entity::BasisItems => Row::BasisItem(BasisItem {
            obligation_source_id: c.text("obligation_source_id")?,
            position: c.int("position")?,
            category: c.text("category")?,
            quantity: c.decimal("quantity")?.normalize(),
            unit: c.text("unit")?,
            rate: c.decimal("rate")?.normalize(),
            amount: c.amount("amount")?,
            resolution: c.text_opt("resolution")?.unwrap_or_default(),
        }),
        Entity::Installments => Row::Installment(Installment {
            obligation_source_id: c.text("obligation_source_id")?,
            number: c.int("number")?,
            due_date: c.date("due_date")?,
            amount: c.amount("amount")?,
        }),
        Entity::Documents => Row::Document(Document {
            obligation_source_id: c.text("obligation_source_id")?,
            kind: c.text("kind")?,
            file_name: c.text("file_name")?,
            media_type: c.text("media_type")?,
            archive_reference: c.text_opt("archive_reference")?,
            sha256: c.text_opt("sha256")?,
            content: c.bytes_opt("content")?,
        }),
        Entity::ReminderCosts => Row::ReminderCost(ReminderCost {
            taxpayer_source_id: c.text("taxpayer_source_id")?,
            obligation_source_id: c.text_opt("obligation_source_id")?,
            delivered_date: c.date("delivered_date")?,
            amount: c.amount("amount")?,
        }),
        Entity::Payments => Row::Payment(Payment {
            taxpayer_source_id: c.text("taxpayer_source_id")?,
            channel: c.text("channel")?,
            payment_date: c.date("payment_date")?,
            booking_date: c.date("booking_date")?,
            amount: c.amount("amount")?,
            payer: c.text_opt("payer")?,
            reference: c.text_opt("reference")?,
            indicated_obligation_source_id: c.text_opt("indicated_obligation_source_id")?,
            portal_payment_id: c.uuid_opt("portal_payment_id")?,
        }),
        Entity::PaymentAllocations => {
            let zero =
                |name: &str| -> Result<Amount, String> { Ok(optional(name, cell(c.0, name).and_then(amount_of))?.unwrap_or(Amount::ZERO)) };
            Row::PaymentAllocation(PaymentAllocation {
                payment_source_id: c.text("payment_source_id")?,
                position: c.int("position")?,
                installment_source_id: c.text_opt("installment_source_id")?,
                reminder_cost_source_id: c.text_opt("reminder_cost_source_id")?,
                principal: zero("principal")?,
                interest: zero("interest")?,
                reminder_costs: zero("reminder_costs")?,
                overpayment: zero("overpayment")?,
            })
        }
    })
}

/// An acknowledgement row.
pub fn map_acknowledgement(row: &SqlRow) -> Result<Acknowledgement, ConnectorError> {
    let c = Cells(row);
    let bad = |e: String| ConnectorError::Contract(format!("portal_payments: {e}"));
    let id = c.uuid_opt("portal_payment_id").map_err(bad)?.ok_or_else(|| bad("portal_payment_id is NULL".into()))?;
    let at = row
        .try_get::<time::PrimitiveDateTime, _>("acknowledged_at")
        .map_err(|e| bad(e.to_string()))?
        .ok_or_else(|| bad("acknowledged_at is NULL".into()))?;
    Ok(Acknowledgement {
        portal_payment_id: id,
        ack_status: c.text("ack_status").map_err(bad)?,
        acknowledged_at: at.assume_utc(),
        ack_message: c.text_opt("ack_message").map_err(bad)?,
        domain_payment_source_id: c.text_opt("domain_payment_source_id").map_err(bad)?,
    })
}

/// A parameter of a statement, owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Guid(Uuid),
    Text(Option<String>),
    Date(Option<time::Date>),
    Decimal(Decimal),
    DateTime(time::PrimitiveDateTime),
}

impl tiberius::ToSql for Param {
    fn to_sql(&self) -> ColumnData<'_> {
        match self {
            Param::Guid(v) => v.to_sql(),
            Param::Text(v) => ColumnData::String(v.as_deref().map(Cow::Borrowed)),
            Param::Date(v) => v.to_sql(),
            Param::Decimal(v) => v.to_sql(),
            Param::DateTime(v) => v.to_sql(),
        }
    }
}

/// `@P1` … `@P12` of [`INSERT_PAYMENT_SQL`] for one payment.
pub fn payment_params(p: &PortalPayment) -> Result<Vec<Param>, ConnectorError> {
    let allocation = serde_json::to_string(&p.portal_allocation).map_err(|e| ConnectorError::Contract(e.to_string()))?;
    let utc = p.exported_at.to_offset(time::UtcOffset::UTC);
    let text = |s: Option<&str>| Param::Text(s.map(str::to_string));
    Ok(vec![
        Param::Guid(p.portal_payment_id),
        text(Some(&p.taxpayer_source_id)),
        text(Some(&p.channel)),
        Param::Date(Some(p.payment_date)),
        Param::Date(p.booking_date),
        Param::Decimal(p.amount.decimal()),
        text(p.payer.as_deref()),
        text(p.reference.as_deref()),
        text(p.indicated_obligation_source_id.as_deref()),
        text(p.gateway_transaction_id.as_deref()),
        text(Some(&allocation)),
        Param::DateTime(time::PrimitiveDateTime::new(utc.date(), utc.time())),
    ])
}

#[async_trait::async_trait]
impl Connector for MssqlConnector {
    fn kind(&self) -> &'static str {
        "mssql"
    }

    async fn contract_version(&self) -> Result<ContractVersion, ConnectorError> {
        let rows = self.rows(CONTRACT_SQL, &[]).await?;
        let row = rows.first().ok_or_else(|| ConnectorError::Contract("portal.contract_info is empty".into()))?;
        let c = Cells(row);
        Ok(ContractVersion {
            major: c.int("major").map_err(ConnectorError::Contract)?,
            minor: c.int("minor").map_err(ConnectorError::Contract)?,
        })
    }

    async fn read(&self, entity: Entity, after: &Watermark, limit: usize) -> Result<Vec<Change>, ConnectorError> {
        let sql = select_sql(entity, self.marker);
        let top = i64::try_from(limit).unwrap_or(i64::MAX);
        // DATEADD takes an INT (a BIGINT parameter is refused).
        let lag = i32::try_from(self.lag_seconds).unwrap_or(i32::MAX);
        let rows = match self.marker {
            Marker::Rowversion => self.rows(&sql, &[&top, &after.row_version, &after.source_id.as_str()]).await?,
            Marker::ModifiedAt => self.rows(&sql, &[&top, &after.row_version, &after.source_id.as_str(), &lag]).await?,
        };
        rows.iter().map(|row| map_row(entity, row)).collect()
    }

    async fn write_payments(&self, payments: &[PortalPayment]) -> Result<Vec<Uuid>, ConnectorError> {
        let mut done = Vec::with_capacity(payments.len());
        for p in payments {
            let params = payment_params(p)?;
            let refs: Vec<&dyn tiberius::ToSql> = params.iter().map(|p| p as &dyn tiberius::ToSql).collect();
            match self.execute(INSERT_PAYMENT_SQL, &refs).await {
                Ok(_) => done.push(p.portal_payment_id),
                // A concurrent insert of the same payment won: it is there.
                Err(ConnectorError::Query(message)) if message.contains("2627") || message.contains("PRIMARY KEY") => {
                    done.push(p.portal_payment_id)
                }
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    async fn acknowledgements(&self, payment_ids: &[Uuid]) -> Result<Vec<Acknowledgement>, ConnectorError> {
        let mut out = Vec::new();
        for chunk in payment_ids.chunks(IN_LIST) {
            let sql = acknowledgements_sql(chunk.len());
            let refs: Vec<&dyn tiberius::ToSql> = chunk.iter().map(|id| id as &dyn tiberius::ToSql).collect();
            for row in self.rows(&sql, &refs).await? {
                out.push(map_acknowledgement(&row)?);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiberius::ColumnType;
    use tiberius::numeric::Numeric;

    #[test]
    fn the_incremental_query_uses_the_keyset_and_the_active_rowversion() {
        let sql = select_sql(Entity::Installments, Marker::Rowversion);
        assert!(sql.starts_with("SELECT TOP (@P1) CAST(source_id AS NVARCHAR(64)) AS source_id"), "{sql}");
        assert!(sql.contains("FROM portal.[installments]"), "{sql}");
        assert!(sql.contains("(row_version > @P2 OR (row_version = @P2 AND source_id COLLATE Latin1_General_BIN2 > @P3))"), "{sql}");
        assert!(sql.contains("row_version < CAST(MIN_ACTIVE_ROWVERSION() AS BIGINT)"), "{sql}");
        assert!(sql.ends_with("ORDER BY row_version, source_id COLLATE Latin1_General_BIN2"), "{sql}");
        assert!(sql.contains("CAST([amount] AS DECIMAL(19,4)) AS [amount]"), "money is read as an exact decimal: {sql}");
        let sql = select_sql(Entity::Payments, Marker::ModifiedAt);
        assert!(sql.contains("modified_at < DATEADD(SECOND, -@P4, SYSUTCDATETIME())") && !sql.contains("MIN_ACTIVE_ROWVERSION"), "{sql}");
        for entity in Entity::ALL {
            let sql = select_sql(entity, Marker::Rowversion);
            assert_eq!(sql.matches("@P").count(), 4, "{sql}");
            // Text is read as NVARCHAR whatever the domain system's collation or code page.
            assert!(!sql.contains("AS VARCHAR"), "{sql}");
        }
        assert_eq!(acknowledgements_sql(3).matches("@P").count(), 3);
        assert!(acknowledgements_sql(2).ends_with("IN (@P1, @P2)"));
        assert!(INSERT_PAYMENT_SQL.contains("WHERE NOT EXISTS") && INSERT_PAYMENT_SQL.contains("@P12"));
    }

    #[test]
    fn money_and_decimals_map_exactly() {
        // DECIMAL(19,4) 1234.5600 → 1234.56 exactly.
        let money = ColumnData::Numeric(Some(Numeric::new_with_scale(12_345_600, 4)));
        assert_eq!(amount_of(&money).unwrap().map(|a| a.grosze()), Some(123_456));
        // 0.1 + 0.2 style values survive: 0.3000 is 30 grosze, not 29.999….
        let cents = ColumnData::Numeric(Some(Numeric::new_with_scale(3_000, 4)));
        assert_eq!(amount_of(&cents).unwrap().map(|a| a.grosze()), Some(30));
        // A third non-zero decimal place is refused, not rounded.
        let precise = ColumnData::Numeric(Some(Numeric::new_with_scale(12_345, 3)));
        assert!(amount_of(&precise).unwrap_err().contains("12.345"));
        // Negative amounts are refused.
        let negative = ColumnData::Numeric(Some(Numeric::new_with_scale(-100, 2)));
        assert!(amount_of(&negative).is_err());
        // MONEY read without the cast arrives as f64: refused.
        assert!(amount_of(&ColumnData::F64(Some(12.5))).unwrap_err().contains("DECIMAL"));
        // The largest DECIMAL(38) mantissa does not fit rust_decimal: an error, not a panic.
        let huge = ColumnData::Numeric(Some(Numeric::new_with_scale(i128::MAX / 10, 0)));
        assert!(decimal_of(&huge).is_err());
        // Quantities keep their six places exactly.
        let quantity = ColumnData::Numeric(Some(Numeric::new_with_scale(209_500_000, 6)));
        assert_eq!(decimal_of(&quantity).unwrap().map(|d| d.normalize().to_string()), Some("209.5".into()));
        assert_eq!(amount_of(&ColumnData::Numeric(None)).unwrap(), None);
    }

    #[test]
    fn text_is_trimmed_and_polish_letters_survive() {
        let name = ColumnData::String(Some("Zofia Żółkiewska ".into()));
        assert_eq!(text_of(&name).unwrap().as_deref(), Some("Zofia Żółkiewska"));
        assert_eq!(text_of(&ColumnData::String(Some("   ".into()))).unwrap(), None);
        assert!(text_of(&ColumnData::F64(Some(1.0))).is_err());
    }

    fn installment_row(amount: ColumnData<'static>) -> SqlRow {
        SqlRow::builder()
            .column("source_id", ColumnType::NVarchar, ColumnData::String(Some("R-0101-1".into())))
            .column("row_version", ColumnType::Int8, ColumnData::I64(Some(2_001)))
            .column("modified_at", ColumnType::Datetime2, ColumnData::DateTime2(None))
            .column("is_deleted", ColumnType::Bit, ColumnData::Bit(Some(false)))
            .column("obligation_source_id", ColumnType::NVarchar, ColumnData::String(Some("D-2026-0101".into())))
            .column("number", ColumnType::Int4, ColumnData::I32(Some(1)))
            .column("due_date", ColumnType::Daten, ColumnData::Date(Some(tiberius::time::Date::new(739_690))))
            .column("amount", ColumnType::Decimaln, amount)
            .build()
    }

    #[test]
    fn a_row_maps_to_a_change() {
        let change =
            map_row(Entity::Installments, &installment_row(ColumnData::Numeric(Some(Numeric::new_with_scale(1_030_000, 4))))).unwrap();
        assert_eq!((change.source_id.as_str(), change.row_version), ("R-0101-1", 2_001));
        let Payload::Upsert(Row::Installment(i)) = change.payload else { panic!("an installment: {change:?}") };
        assert_eq!(i.amount.grosze(), 10_300);
        assert_eq!(i.obligation_source_id, "D-2026-0101");
        assert_eq!(i.due_date.year(), 2026);
        // A bad amount makes the row invalid (recorded as rejected), not the whole read.
        let change = map_row(Entity::Installments, &installment_row(ColumnData::F64(Some(103.0)))).unwrap();
        assert!(matches!(change.payload, Payload::Invalid(ref reason) if reason.starts_with("amount")), "{change:?}");
        // A tombstone needs only the change columns.
        let tombstone = SqlRow::builder()
            .column("source_id", ColumnType::NVarchar, ColumnData::String(Some("R-9".into())))
            .column("row_version", ColumnType::Int8, ColumnData::I64(Some(7)))
            .column("is_deleted", ColumnType::Bit, ColumnData::Bit(Some(true)))
            .build();
        assert_eq!(map_row(Entity::Installments, &tombstone).unwrap().payload, Payload::Delete);
        // Without a source_id the row cannot be tracked: the read fails.
        let untracked = SqlRow::builder().column("row_version", ColumnType::Int8, ColumnData::I64(Some(7))).build();
        assert!(map_row(Entity::Installments, &untracked).is_err());
    }

    #[test]
    fn a_portal_payment_becomes_exact_parameters() {
        let p = PortalPayment {
            portal_payment_id: Uuid::nil(),
            taxpayer_source_id: "P-000101".into(),
            channel: "online".into(),
            payment_date: time::macros::date!(2026 - 12 - 03),
            booking_date: None,
            amount: "1234.56".parse().unwrap(),
            payer: Some("Zofia Żółkiewska".into()),
            reference: None,
            indicated_obligation_source_id: Some("D-2026-0101".into()),
            gateway_transaction_id: None,
            portal_allocation: Vec::new(),
            exported_at: time::macros::datetime!(2026-12-03 10:00 UTC),
        };
        use tiberius::ToSql;
        let params = payment_params(&p).unwrap();
        assert_eq!(params.len(), 12);
        assert_eq!(params[5].to_sql(), ColumnData::Numeric(Some(Numeric::new_with_scale(123_456, 2))), "the amount is an exact decimal");
        assert_eq!(params[4].to_sql(), ColumnData::Date(None));
        assert_eq!(params[10].to_sql(), ColumnData::String(Some("[]".into())));
        assert_eq!(params[6].to_sql(), ColumnData::String(Some("Zofia Żółkiewska".into())));
    }

    #[test]
    fn connection_strings_require_encryption_unless_told() {
        assert!(mssql_config("server=tcp:db,1433;user=u;password=p").is_ok());
        assert!(mssql_config("server=tcp:db,1433;integratedSecurity=true").is_err());
    }
}
