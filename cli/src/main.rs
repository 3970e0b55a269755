//! `refiner-identity`: sign and verify Refiner user ids from the shell.

mod args;
mod hex;
mod links;
mod output;
mod secret;
mod sign;
mod verify;

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use args::Command;

const EXIT_MISMATCH: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// Why a run stopped early.
pub enum Failure {
    /// Bad arguments: the message, then the usage.
    Usage(String),
    /// A bad secret or id, or an output that cannot be written.
    Error(String),
    /// The reader of standard output went away: stop quietly, like Unix tools.
    ReaderGone,
}

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1)) {
        Ok(code) => code,
        Err(Failure::ReaderGone) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            report(&format!("{message}\n\n{}", args::USAGE));
            ExitCode::from(EXIT_ERROR)
        }
        Err(Failure::Error(message)) => {
            report(&message);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(arguments: impl IntoIterator<Item = OsString>) -> Result<ExitCode, Failure> {
    let options = args::parse(arguments).map_err(Failure::Usage)?;
    let writes_stdout = !matches!(&options.command, Command::Links(links) if links.output.is_some());
    if writes_stdout && output::closed_at_start() {
        return Err(Failure::Error("standard output is closed: there is nowhere to write the result".into()));
    }
    if options.command == Command::Help {
        let mut out = io::stdout().lock();
        writeln!(out, "{}", args::USAGE).and_then(|()| out.flush()).map_err(output::write_failed)?;
        return Ok(ExitCode::SUCCESS);
    }
    let signer = secret::load_signer(options.secret_file.as_deref())?;
    match options.command {
        Command::Help => Ok(ExitCode::SUCCESS),
        Command::SignArguments(user_ids) => {
            sign::arguments(&signer, user_ids, options.hex_ids).map(|()| ExitCode::SUCCESS)
        }
        Command::SignStdin => sign::stdin(&signer, options.hex_ids).map(|()| ExitCode::SUCCESS),
        Command::Links(links) => links::run(&signer, &links).map(|()| ExitCode::SUCCESS),
        Command::Verify { user_id, signature } => {
            if verify::run(&signer, user_id, &signature, options.hex_ids)? {
                Ok(ExitCode::SUCCESS)
            } else {
                report("signature does not match this user id and secret key");
                Ok(ExitCode::from(EXIT_MISMATCH))
            }
        }
    }
}

/// Writes a message to stderr; if even that fails there is no one left to tell.
fn report(message: &str) {
    let _ = writeln!(io::stderr(), "refiner-identity: {message}");
}
