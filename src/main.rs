use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use attache::cli::{self, Cli};

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = Cli::parse();
    cli::fit_tables(cli.wide);
    cli::act_as(cli.author.clone());
    // Not locked for the whole run: the interface's watcher thread must be able to restore the
    // terminal through standard output while the main thread waits for a key.
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let result = match cli.command {
        Some(command) => cli::run(command, cli.db.as_deref(), &mut out),
        None => cli::run_default(cli.db.as_deref(), &mut out),
    };
    let result = result.and_then(|()| out.flush().map_err(Into::into));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The message may quote stored or typed text: shown, never passed to the terminal.
            let message = attache::domain::text::visible(&format!("{error:#}"), true).into_owned();
            eprintln!("error: {message}");
            ExitCode::from(cli::exit_code(&error))
        }
    }
}

/// Rust ignores SIGPIPE, which turns `attache list | head` into a write error; a command-line
/// tool should end quietly instead, as other Unix tools do.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
