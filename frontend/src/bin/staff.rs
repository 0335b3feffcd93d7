//! The staff bundle (served for `/admin/…`): every page, the clerks' and administrators' included.

#[cfg(target_arch = "wasm32")]
fn main() {
    frontend::ui::start::<frontend::ui::StaffBundle>();
}

/// On the host the binary does nothing: the app runs in the browser; `cargo test` tests the library.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
