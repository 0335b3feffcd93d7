//! `fake-wk`: runs the fake Węzeł Krajowy standalone.
//!
//! ```text
//! fake-wk --sp-entity-id http://localhost:8080 --acs-url http://localhost:8080/auth/acs \
//!         [--bind 127.0.0.1:8090] [--entity-id fake-wk.localhost] [--auto-login 0] \
//!         [--misbehaviour NAME] [--write-keys DIR] [--sp-signing-cert PEM --sp-encryption-cert PEM]
//! fake-wk --list-misbehaviours
//! ```
//!
//! The node's base URL is `http://<bind>`. With `--write-keys DIR` it writes its signing
//! certificate and (unless the SP's certificates were given) the generated demo SP keys and
//! certificates there as PEM files, for an SP running in another process.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use fake_wk::{FakeWk, FakeWkConfig, Misbehaviour, SpCertificates};
use identity::Certificate;

#[derive(Debug, Parser)]
#[command(name = "fake-wk", about = "Local imitation of Węzeł Krajowy (login.gov.pl) — for development and tests only")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    bind: SocketAddr,
    /// Public base URL if it differs from http://<bind> (e.g. behind a proxy).
    #[arg(long)]
    public_url: Option<String>,
    /// The node's entity ID (Issuer).
    #[arg(long, default_value = "fake-wk.localhost")]
    entity_id: String,
    /// Entity ID of the registered service provider.
    #[arg(long, default_value = "http://localhost:8080")]
    sp_entity_id: String,
    /// ACS URL of the registered service provider.
    #[arg(long, default_value = "http://localhost:8080/auth/acs")]
    acs_url: String,
    /// PEM certificate of the SP's signing key (with --sp-encryption-cert; otherwise demo keys are generated).
    #[arg(long, requires = "sp_encryption_cert")]
    sp_signing_cert: Option<PathBuf>,
    /// PEM certificate of the SP's encryption key.
    #[arg(long, requires = "sp_signing_cert")]
    sp_encryption_cert: Option<PathBuf>,
    /// Log in as this persona (0-based) without showing the picker.
    #[arg(long)]
    auto_login: Option<usize>,
    /// Commit this fault (see --list-misbehaviours).
    #[arg(long, default_value = "well-behaved")]
    misbehaviour: Misbehaviour,
    /// Write the node's certificate and the demo SP keys to this directory.
    #[arg(long)]
    write_keys: Option<PathBuf>,
    /// List the misbehaviours and exit.
    #[arg(long)]
    list_misbehaviours: bool,
}

fn read_cert(path: &PathBuf) -> Result<Certificate, String> {
    let pem = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Certificate::from_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))
}

fn write_keys(fake: &FakeWk, dir: &PathBuf) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"));
    write("wk-signing.crt.pem", &fake.signing_certificate().to_pem())?;
    if let Some(demo) = fake.demo_sp_keys() {
        write("sp-signing.key.pem", &demo.signing_key.to_pkcs8_pem().map_err(|e| e.to_string())?)?;
        write("sp-signing.crt.pem", &demo.signing_certificate.to_pem())?;
        write("sp-encryption.key.pem", &demo.encryption_key.to_pkcs8_pem().map_err(|e| e.to_string())?)?;
        write("sp-encryption.crt.pem", &demo.encryption_certificate.to_pem())?;
    }
    Ok(())
}

async fn run(args: Args) -> Result<(), String> {
    let mut config = FakeWkConfig::new(&args.sp_entity_id, &args.acs_url);
    config.entity_id = args.entity_id.clone();
    config.auto_login = args.auto_login;
    config.misbehaviour = args.misbehaviour;
    if let (Some(signing), Some(encryption)) = (&args.sp_signing_cert, &args.sp_encryption_cert) {
        config.sp_certificates = Some(SpCertificates { signing: read_cert(signing)?, encryption: read_cert(encryption)? });
    }
    let base = args.public_url.clone().unwrap_or_else(|| format!("http://{}", args.bind));
    let fake = FakeWk::new(config, &base).map_err(|e| e.to_string())?;
    if let Some(dir) = &args.write_keys {
        write_keys(&fake, dir)?;
    }
    println!("fake-wk: {} at {} (misbehaviour: {})", fake.entity_id(), fake.base_url(), args.misbehaviour);
    println!("signing certificate SHA-256: {}", fake.signing_certificate().sha256_fingerprint());
    let for_server = fake.clone();
    actix_web::HttpServer::new(move || {
        let fake = for_server.clone();
        actix_web::App::new().configure(move |cfg| fake.configure(cfg))
    })
    .bind(args.bind)
    .map_err(|e| e.to_string())?
    .run()
    .await
    .map_err(|e| e.to_string())
}

#[actix_web::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.list_misbehaviours {
        for m in Misbehaviour::ALL {
            println!("{:<44} {}", m.name(), m.description());
        }
        return ExitCode::SUCCESS;
    }
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fake-wk: {e}");
            ExitCode::FAILURE
        }
    }
}
