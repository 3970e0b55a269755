//! Command-line parsing. The secret is never an argument: arguments show up in
//! `ps`. Arguments are bytes (on Unix), so a user id need not be UTF-8.

use std::ffi::OsString;
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
    --hex                user ids are given as hex-encoded bytes, two digits per byte
                         (arguments and lines are otherwise signed as their bytes)
    -h, --help           print this help

The secret key comes from the environment variable REFINER_SECRET_KEY unless
--secret-file is given; it is never accepted as an argument.

EXIT STATUS:
    0 success / signature valid (also when the reader of the output stops early,
      as `| head -1` does), 1 signature invalid, 2 usage or input error, or
      standard output closed or not writable";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    SignArguments(Vec<Vec<u8>>),
    SignStdin,
    Verify { user_id: Vec<u8>, signature: Vec<u8> },
    Help,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub command: Command,
    pub secret_file: Option<PathBuf>,
    pub hex_ids: bool,
}

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Options, String> {
    let mut args = args.into_iter().map(into_bytes);
    let mut secret_file = None;
    let mut hex_ids = false;
    let mut from_stdin = false;
    let mut positional = Vec::new();
    while let Some(arg) = args.next() {
        let arg = arg?;
        if arg == b"--" {
            for rest in args.by_ref() {
                positional.push(rest?);
            }
            break;
        }
        if arg == b"-h" {
            return Ok(Options { command: Command::Help, secret_file, hex_ids });
        }
        if !arg.starts_with(b"--") {
            positional.push(arg);
            continue;
        }
        // Only the part before `=` is ever echoed: the value may be a secret.
        let (name, value) = match arg.iter().position(|&b| b == b'=') {
            Some(equals) => (&arg[..equals], Some(&arg[equals + 1..])),
            None => (&arg[..], None),
        };
        let shown = String::from_utf8_lossy(name);
        match name {
            b"--secret-file" => {
                let path = match value {
                    Some(path) => path.to_vec(),
                    None => args.next().ok_or("--secret-file needs a PATH")??,
                };
                secret_file = Some(into_path(path));
            }
            b"--secret" | b"--key" => {
                return Err(format!(
                    "{shown} is not accepted: arguments are visible to other users in `ps`; \
                     set REFINER_SECRET_KEY or use --secret-file PATH"
                ))
            }
            b"--help" | b"--stdin" | b"--hex" if value.is_some() => return Err(format!("{shown} takes no value")),
            b"--help" => return Ok(Options { command: Command::Help, secret_file, hex_ids }),
            b"--stdin" => from_stdin = true,
            b"--hex" => hex_ids = true,
            _ => return Err(format!("unknown option {shown}")),
        }
    }
    let mut positional = positional.into_iter();
    let command = match positional.next().as_deref() {
        Some(b"sign") => {
            let user_ids: Vec<Vec<u8>> = positional.collect();
            match (from_stdin, user_ids.is_empty()) {
                (true, false) => return Err("sign takes USER_ID arguments or --stdin, not both".into()),
                (false, true) => return Err("sign needs at least one USER_ID (or --stdin)".into()),
                (true, true) => Command::SignStdin,
                (false, false) => Command::SignArguments(user_ids),
            }
        }
        Some(b"verify") if !from_stdin => match (positional.next(), positional.next(), positional.next()) {
            (Some(user_id), Some(signature), None) => Command::Verify { user_id, signature },
            _ => return Err("verify needs exactly USER_ID and SIGNATURE".into()),
        },
        Some(b"verify") => return Err("verify takes USER_ID and SIGNATURE arguments, not --stdin".into()),
        Some(other) => {
            return Err(format!("unknown command {:?}; expected sign or verify", String::from_utf8_lossy(other)))
        }
        None => return Err("missing command; expected sign or verify".into()),
    };
    Ok(Options { command, secret_file, hex_ids })
}

#[cfg(unix)]
fn into_bytes(arg: OsString) -> Result<Vec<u8>, String> {
    Ok(std::os::unix::ffi::OsStringExt::into_vec(arg))
}

#[cfg(unix)]
fn into_path(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(<OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes))
}

// Elsewhere an argument's bytes are not its own: only Unicode is taken.
#[cfg(not(unix))]
fn into_bytes(arg: OsString) -> Result<Vec<u8>, String> {
    arg.into_string()
        .map(String::into_bytes)
        .map_err(|_| "an argument is not valid Unicode; give binary user ids with --hex or --stdin".into())
}

#[cfg(not(unix))]
fn into_path(bytes: Vec<u8>) -> PathBuf {
    // into_bytes only lets UTF-8 through, so nothing is replaced here.
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}
