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
    refiner-identity links --survey-url URL [--input FILE] [--output FILE]
                           [--json-lines] [--skip-invalid]

COMMANDS:
    sign      print one signature per user id, one per line
    verify    exit 0 if SIGNATURE (64 hex digits, either case) matches USER_ID, 1 if not
    links     signed survey links in bulk: reads CSV (a header row with an id
              column; email, name, locale and tags are recognised, every other
              column is a contact_<column> trait; an empty cell is left out)
              and writes each row with signature and survey_link added

OPTIONS:
    --secret-file PATH   read the secret key from PATH (raw bytes, nothing trimmed:
                         write it without a trailing newline, e.g. printf %s \"$KEY\" > PATH)
    --stdin              sign: read user ids from standard input, one per line
                         (the line ending \\n is not part of the id)
    --hex                user ids are given as hex-encoded bytes, two digits per byte
                         (arguments and lines are otherwise signed as their bytes)
    --survey-url URL     links: the survey's base URL (https:// or http://)
    --input FILE         links: read rows from FILE (default: standard input)
    --output FILE        links: write rows to FILE (default: standard output)
    --json-lines         links: JSON Lines in and out, one object per line
                         (string values are text, integers are integers,
                         null leaves the field out)
    --skip-invalid       links: report each bad row (line and reason) on
                         standard error and go on, instead of stopping
    -h, --help           print this help

The secret key comes from the environment variable REFINER_SECRET_KEY unless
--secret-file is given; it is never accepted as an argument.

EXIT STATUS:
    0 success / signature valid (also when the reader of the output stops early,
      as `| head -1` does), 1 signature invalid, 2 usage or input error (links:
      a bad row, unless --skip-invalid), or standard output closed or not writable";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    SignArguments(Vec<Vec<u8>>),
    SignStdin,
    Verify { user_id: Vec<u8>, signature: Vec<u8> },
    Links(LinksOptions),
    Help,
}

/// `links`: where rows come from and go to, and what to do with a bad one.
#[derive(Debug, PartialEq, Eq)]
pub struct LinksOptions {
    pub survey_url: String,
    pub input: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub json_lines: bool,
    pub skip_invalid: bool,
}

/// Options only `links` takes, as given (checked once the command is known).
#[derive(Default)]
struct LinksFlags {
    survey_url: Option<Vec<u8>>,
    input: Option<Vec<u8>>,
    output: Option<Vec<u8>>,
    json_lines: bool,
    skip_invalid: bool,
}

impl LinksFlags {
    fn any(&self) -> bool {
        self.survey_url.is_some()
            || self.input.is_some()
            || self.output.is_some()
            || self.json_lines
            || self.skip_invalid
    }
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
    let mut links = LinksFlags::default();
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
        let mut take_value = |what: &str| match value {
            Some(value) => Ok(value.to_vec()),
            None => args.next().ok_or_else(|| format!("{shown} needs {what}"))?,
        };
        match name {
            b"--secret-file" => set_once(&mut secret_file, &shown, take_value("a PATH").map(into_path)?)?,
            b"--survey-url" => set_once(&mut links.survey_url, &shown, take_value("a URL")?)?,
            b"--input" => set_once(&mut links.input, &shown, take_value("a FILE")?)?,
            b"--output" => set_once(&mut links.output, &shown, take_value("a FILE")?)?,
            b"--secret" | b"--key" => {
                return Err(format!(
                    "{shown} is not accepted: arguments are visible to other users in `ps`; \
                     set REFINER_SECRET_KEY or use --secret-file PATH"
                ))
            }
            b"--help" | b"--stdin" | b"--hex" | b"--json-lines" | b"--skip-invalid" if value.is_some() => {
                return Err(format!("{shown} takes no value"))
            }
            b"--help" => return Ok(Options { command: Command::Help, secret_file, hex_ids }),
            b"--stdin" => from_stdin = true,
            b"--hex" => hex_ids = true,
            b"--json-lines" => links.json_lines = true,
            b"--skip-invalid" => links.skip_invalid = true,
            _ => return Err(format!("unknown option {shown}")),
        }
    }
    let mut positional = positional.into_iter();
    let command_name = positional.next();
    if links.any() && command_name.as_deref() != Some(b"links") {
        return Err("--survey-url, --input, --output, --json-lines and --skip-invalid are options of links".into());
    }
    let command = match command_name.as_deref() {
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
        Some(b"links") => Command::Links(links_options(links, positional.next(), from_stdin, hex_ids)?),
        Some(other) => {
            return Err(format!("unknown command {:?}; expected sign, verify or links", String::from_utf8_lossy(other)))
        }
        None => return Err("missing command; expected sign, verify or links".into()),
    };
    Ok(Options { command, secret_file, hex_ids })
}

/// An option given twice is an error: which of the two was meant is a guess.
fn set_once<T>(slot: &mut Option<T>, shown: &str, value: T) -> Result<(), String> {
    match slot {
        Some(_) => Err(format!("{shown} is given twice")),
        None => {
            *slot = Some(value);
            Ok(())
        }
    }
}

fn links_options(
    flags: LinksFlags,
    extra: Option<Vec<u8>>,
    from_stdin: bool,
    hex_ids: bool,
) -> Result<LinksOptions, String> {
    if extra.is_some() {
        return Err("links takes no arguments: rows come from --input FILE or standard input".into());
    }
    if from_stdin || hex_ids {
        return Err("--stdin and --hex are options of sign and verify, not links".into());
    }
    let survey_url = flags.survey_url.ok_or("links needs --survey-url URL")?;
    // Only printable ASCII can be a valid survey URL; the core says what else is wrong.
    let survey_url = String::from_utf8(survey_url).map_err(|_| {
        "invalid survey url: a survey URL is printable ASCII with no spaces (percent-encode anything else)"
    })?;
    Ok(LinksOptions {
        survey_url,
        input: flags.input.map(into_path),
        output: flags.output.map(into_path),
        json_lines: flags.json_lines,
        skip_invalid: flags.skip_invalid,
    })
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
