//! `naleznosci`: the e-Należności binary. For now the command line over the domain engine; the
//! HTTP server joins it as another subcommand.

mod cli;

fn main() {
    std::process::exit(cli::run(std::env::args_os(), &mut std::io::stdin().lock(), &mut std::io::stdout().lock()));
}
