//! Secret-key rules: used as is, never trimmed or decoded, but refused when
//! empty or padded with whitespace (a silent mismatch is worse than an error).

use crate::error::{Error, SecretOrigin, SecretProblem};

/// The whitespace that marks a key copied with its line ending or indentation.
const SURROUNDING_WHITESPACE: [u8; 4] = [b' ', b'\t', b'\r', b'\n'];

/// Checks a secret against SPEC.md; the error names where it came from, never its value.
pub fn validate_secret(secret: &[u8], origin: SecretOrigin) -> Result<(), Error> {
    match (secret.first(), secret.last()) {
        (Some(first), Some(last)) => {
            if SURROUNDING_WHITESPACE.contains(first) || SURROUNDING_WHITESPACE.contains(last) {
                Err(Error::secret(origin, SecretProblem::SurroundingWhitespace))
            } else {
                Ok(())
            }
        }
        _ => Err(Error::secret(origin, SecretProblem::Empty)),
    }
}

/// Reads a secret from an environment variable as raw bytes (no decoding, no trimming).
pub(crate) fn secret_from_env(name: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    let origin = || SecretOrigin::EnvVar(name.to_owned());
    if name.is_empty() || name.contains(['=', '\0']) {
        return Err(Error::secret(origin(), SecretProblem::EnvBadName));
    }
    let value = std::env::var_os(name).ok_or_else(|| Error::secret(origin(), SecretProblem::EnvUnset))?;
    if value.is_empty() {
        return Err(Error::secret(origin(), SecretProblem::EnvEmpty));
    }
    let bytes = os_string_bytes(value).ok_or_else(|| Error::secret(origin(), SecretProblem::EnvNotUnicode))?;
    let bytes = zeroize::Zeroizing::new(bytes);
    validate_secret(&bytes, origin())?;
    Ok(bytes)
}

#[cfg(unix)]
fn os_string_bytes(value: std::ffi::OsString) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStringExt;
    Some(value.into_vec())
}

#[cfg(not(unix))]
fn os_string_bytes(value: std::ffi::OsString) -> Option<Vec<u8>> {
    value.into_string().ok().map(String::into_bytes)
}
