//! The residents' bundle (served at `/`): `wasm-bindgen` calls `main` when the module starts.
//! The clerks' pages are in the staff bundle (`src/bin/staff.rs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    frontend::ui::start::<frontend::ui::ResidentBundle>();
}

/// On the host the binary does nothing: the app runs in the browser; `cargo test` tests the library.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
