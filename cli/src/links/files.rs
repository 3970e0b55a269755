//! Where rows come from and go to: a file or the standard streams.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::{output, Failure};

/// The output, as messages name it.
pub enum Target {
    Stdout,
    File(PathBuf),
}

impl Target {
    /// Maps a failed write: a reader that left standard output ends the run quietly.
    pub fn write_failed(&self, error: io::Error) -> Failure {
        match self {
            Target::Stdout => output::write_failed(error),
            Target::File(path) => Failure::Error(format!("cannot write {}: {error}", path.display())),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Stdout => f.write_str("standard output"),
            Target::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// The opened input.
pub struct Input {
    pub reader: Box<dyn Read + Send>,
    /// The input as messages name it.
    pub name: String,
    /// Its size when it is a regular file (for the progress bar).
    pub size: Option<u64>,
}

pub fn open_input(path: Option<&Path>) -> Result<Input, Failure> {
    let Some(path) = path else {
        return Ok(Input { reader: Box::new(io::stdin()), name: "standard input".into(), size: None });
    };
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| Failure::Error(format!("cannot read --input {name}: {e}")))?;
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    Ok(Input { reader: Box::new(file), name, size })
}

/// The output; a file is created (or truncated) only once the input is open,
/// and never when it is the input itself (`--input`, or standard input
/// redirected from it: `--output rows.csv < rows.csv`).
pub fn open_output(path: Option<&Path>, input: Option<&Path>) -> Result<(Box<dyn Write + Send>, Target), Failure> {
    let Some(path) = path else {
        return Ok((Box::new(io::stdout()), Target::Stdout));
    };
    let same = match input {
        Some(input) => same_file(input, path).then_some("the --input file"),
        None => stdin_is(path).then_some("the file standard input reads"),
    };
    if let Some(input) = same {
        return Err(Failure::Error(format!(
            "--output {} is {input}: writing it would destroy the rows before they are read",
            path.display()
        )));
    }
    let file =
        File::create(path).map_err(|e| Failure::Error(format!("cannot create --output {}: {e}", path.display())))?;
    Ok((Box::new(file), Target::File(path.to_owned())))
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// Standard input is the regular file at `path` (truncating anything else,
/// a terminal or a pipe, destroys nothing).
#[cfg(unix)]
fn stdin_is(path: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    // A duplicate of descriptor 0, so that its metadata comes from fstat and dropping it closes only the copy.
    let Ok(stdin) = io::stdin().as_fd().try_clone_to_owned() else { return false };
    match (File::from(stdin).metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.is_file() && a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Without device and inode numbers to compare, nothing is refused.
#[cfg(not(unix))]
fn stdin_is(_path: &Path) -> bool {
    false
}
