//! Command-line parsing. The secret is never an argument: arguments show up in `ps`.

use std::path::PathBuf;

pub const USAGE: &str = "\
refiner-identity: Refiner Identity Verification signatures (HMAC-SHA256, lowercase hex)

USAGE:
    refiner-identity sign [OPTIONS] USER_ID...
    refiner-identity sign [OPTIONS] --stdin
    refiner-identity verify [OPTIONS] USER_ID SIGNATURE

COMMANDS:
    sign      print one signature per user id, one per line
    verify    exit 0 if SIGNATURE (64 hex digits, either case) matches USER_ID, 1 if not

OPTIONS:
    --secret-file PATH   read the secret key from PATH (raw bytes, nothing trimmed:
                         write it without a trailing newline, e.g. printf %s \"$KEY\" > PATH)
    --stdin              sign: read user ids from standard input, one per line
                         (the line ending \\n is not part of the id)
    --hex                user ids are given as hex-encoded bytes (for binary ids)
    -h, --help           print this help

The secret key comes from the environment variable REFINER_SECRET_KEY unless
--secret-file is given; it is never accepted as an argument.

EXIT STATUS:
    0 success / signature valid, 1 signature invalid, 2 usage or input error";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Sign { user_ids: Vec<String>, from_stdin: bool },
    Verify { user_id: String, signature: String },
    Help,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub command: Command,
    pub secret_file: Option<PathBuf>,
    pub hex_ids: bool,
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut args = args.into_iter();
    let mut secret_file = None;
    let mut hex_ids = false;
    let mut from_stdin = false;
    let mut positional = Vec::new();
    let mut only_positional = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            _ if only_positional => positional.push(arg),
            "--" => only_positional = true,
            "-h" | "--help" => return Ok(Options { command: Command::Help, secret_file, hex_ids }),
            "--secret-file" => {
                let path = args.next().ok_or("--secret-file needs a PATH")?;
                secret_file = Some(PathBuf::from(path));
            }
            "--stdin" => from_stdin = true,
            "--hex" => hex_ids = true,
            "--secret" | "--key" => {
                return Err(format!(
                    "{arg} is not accepted: arguments are visible to other users in `ps`; \
                     set REFINER_SECRET_KEY or use --secret-file PATH"
                ))
            }
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    let command = match positional.next().as_deref() {
        Some("sign") => {
            let user_ids: Vec<String> = positional.collect();
            match (from_stdin, user_ids.is_empty()) {
                (true, false) => return Err("sign takes USER_ID arguments or --stdin, not both".into()),
                (false, true) => return Err("sign needs at least one USER_ID (or --stdin)".into()),
                _ => Command::Sign { user_ids, from_stdin },
            }
        }
        Some("verify") => match (positional.next(), positional.next(), positional.next()) {
            (Some(user_id), Some(signature), None) => Command::Verify { user_id, signature },
            _ => return Err("verify needs exactly USER_ID and SIGNATURE".into()),
        },
        Some(other) => return Err(format!("unknown command {other:?}; expected sign or verify")),
        None => return Err("missing command; expected sign or verify".into()),
    };
    Ok(Options { command, secret_file, hex_ids })
}

/// Decodes a hex-encoded id (for `--hex`).
pub fn decode_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return Err("a --hex user id needs an even number of hex digits".into());
    }
    digits
        .chunks_exact(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| "a --hex user id may contain only hex digits".to_string())
        })
        .collect()
}
