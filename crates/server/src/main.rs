//! `naleznosci`: the e-Należności binary.

fn main() {
    std::process::exit(server::cli::run(std::env::args_os(), &mut std::io::stdin().lock(), &mut std::io::stdout().lock()));
}
