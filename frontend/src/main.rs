//! The WASM entry point: `wasm-bindgen` calls `main` when the module starts.

#[cfg(target_arch = "wasm32")]
fn main() {
    frontend::ui::start();
}

/// On the host the binary does nothing: the app runs in the browser; `cargo test` tests the library.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
