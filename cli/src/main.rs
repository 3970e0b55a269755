//! `refiner-identity`: sign and verify Refiner user ids from the shell.

mod args;

use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use args::{Command, Options};
use refiner_identity::{Signer, UserId, DEFAULT_SECRET_ENV};
use zeroize::Zeroizing;

const EXIT_MISMATCH: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let options = match args::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("refiner-identity: {message}\n\n{}", args::USAGE);
            return ExitCode::from(EXIT_ERROR);
        }
    };
    match run(options) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("refiner-identity: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(options: Options) -> Result<ExitCode, String> {
    if options.command == Command::Help {
        println!("{}", args::USAGE);
        return Ok(ExitCode::SUCCESS);
    }
    let signer = load_signer(&options)?;
    match &options.command {
        Command::Help => Ok(ExitCode::SUCCESS),
        Command::Sign { user_ids, from_stdin: false } => {
            let mut out = BufWriter::new(io::stdout().lock());
            for user_id in user_ids {
                let bytes = id_bytes(user_id, options.hex_ids)?;
                let signature = signer.sign(UserId::Bytes(&bytes)).map_err(|e| e.to_string())?;
                writeln!(out, "{signature}").map_err(write_error)?;
            }
            out.flush().map_err(write_error)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Sign { from_stdin: true, .. } => sign_stdin(&signer, options.hex_ids),
        Command::Verify { user_id, signature } => {
            let bytes = id_bytes(user_id, options.hex_ids)?;
            if signer.verify(UserId::Bytes(&bytes), signature.as_bytes()).map_err(|e| e.to_string())? {
                println!("valid");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("refiner-identity: signature does not match this user id and secret key");
                Ok(ExitCode::from(EXIT_MISMATCH))
            }
        }
    }
}

fn load_signer(options: &Options) -> Result<Signer, String> {
    match &options.secret_file {
        None => Signer::from_env(DEFAULT_SECRET_ENV).map_err(|e| e.to_string()),
        Some(path) => {
            let secret = Zeroizing::new(
                std::fs::read(path).map_err(|e| format!("cannot read --secret-file {}: {e}", path.display()))?,
            );
            Signer::new(&*secret).map_err(|e| format!("--secret-file {}: {e}", path.display()))
        }
    }
}

/// Streams ids from stdin; output is flushed whenever input runs dry, so a
/// long-lived process can be fed in batches.
fn sign_stdin(signer: &Signer, hex_ids: bool) -> Result<ExitCode, String> {
    let mut input = BufReader::with_capacity(1 << 16, io::stdin().lock());
    let mut out = BufWriter::new(io::stdout().lock());
    let mut line = Vec::new();
    let mut line_number = 0usize;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).map_err(|e| format!("cannot read standard input: {e}"))? == 0 {
            break;
        }
        line_number += 1;
        let id = line.strip_suffix(b"\n").unwrap_or(&line);
        let bytes = if hex_ids {
            let text = std::str::from_utf8(id).map_err(|_| format!("line {line_number}: not hex"))?;
            args::decode_hex(text).map_err(|e| format!("line {line_number}: {e}"))?
        } else {
            id.to_vec()
        };
        let signature = signer.sign(UserId::Bytes(&bytes)).map_err(|e| format!("line {line_number}: {e}"))?;
        writeln!(out, "{signature}").map_err(write_error)?;
        if input.buffer().is_empty() {
            out.flush().map_err(write_error)?;
        }
    }
    out.flush().map_err(write_error)?;
    Ok(ExitCode::SUCCESS)
}

fn id_bytes(user_id: &str, hex_ids: bool) -> Result<Vec<u8>, String> {
    if hex_ids {
        args::decode_hex(user_id)
    } else {
        Ok(user_id.as_bytes().to_vec())
    }
}

fn write_error(error: io::Error) -> String {
    format!("cannot write standard output: {error}")
}
