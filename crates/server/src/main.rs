//! `naleznosci`: the e-Należności binary.

/// mimalloc instead of glibc's allocator: a 1,000,000-line statement import spent ~40 % of its CPU
/// in glibc's malloc/free and in the kernel zeroing pages glibc had given back (perf, issue 6).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(server::cli::run(std::env::args_os(), &mut std::io::stdin().lock(), &mut std::io::stdout().lock()));
}
