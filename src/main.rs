use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use attache::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(usage) = cli.check_usage() {
        usage.exit();
    }
    cli::fit_tables(cli.wide);
    cli::act_as(cli.author.clone());
    cli::wait_at_most(cli.wait);
    // Not locked for the whole run: the interface's watcher thread must be able to restore the
    // terminal through standard output while the main thread waits for a key.
    let mut out = std::io::BufWriter::new(cli::StandardOutput::default());
    let result = match cli.command {
        Some(command) => cli::run(command, cli.db.as_deref(), &mut out),
        None => cli::run_default(cli.db.as_deref(), &mut out),
    };
    let result = result.and_then(|()| out.flush().map_err(Into::into));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `attache list | head`: the reader has what it wanted; the store is closed by now.
        Err(_) if cli::reader_went_away() => ExitCode::SUCCESS,
        Err(error) => {
            let code = cli::exit_code(&error);
            // anyhow's `{:#}` prints the whole chain of causes. The message may quote stored or
            // typed text: shown, never passed to the terminal.
            let error = anyhow::Error::from(error);
            let message = attache::domain::text::visible(&format!("{error:#}"), true).into_owned();
            eprintln!("error: {message}");
            ExitCode::from(code)
        }
    }
}
