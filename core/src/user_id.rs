//! User-id rules: text is its UTF-8 bytes (no normalization), bytes are used
//! as is, integers are their canonical decimal ASCII, and empty is refused.

use crate::error::UserIdProblem;

/// A user id as a binding hands it over, already converted from the host type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserId<'a> {
    /// Text, hashed as its UTF-8 bytes.
    Text(&'a str),
    /// Raw bytes, hashed as is.
    Bytes(&'a [u8]),
    /// An integer, hashed as its canonical decimal ASCII ("-5", "0").
    Integer(i128),
    /// An integer outside `i128`, given as its canonical decimal text by the host's
    /// big-integer formatting (`str(n)`, `n.to_s`, `String(n)`); checked, never altered.
    BigInteger(&'a str),
}

impl<'a> From<&'a str> for UserId<'a> {
    fn from(text: &'a str) -> Self {
        UserId::Text(text)
    }
}

impl<'a> From<&'a [u8]> for UserId<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        UserId::Bytes(bytes)
    }
}

macro_rules! from_integer {
    ($($int:ty),*) => {$(
        impl From<$int> for UserId<'_> {
            fn from(value: $int) -> Self {
                UserId::Integer(i128::from(value))
            }
        }
    )*};
}
from_integer!(i8, i16, i32, i64, u8, u16, u32, u64, i128);

/// Longest decimal text of an i128 ("-170141183460469231731687303715884105728").
const I128_DECIMAL_MAX: usize = 40;

impl UserId<'_> {
    /// Calls `use_bytes` with the exact bytes that get signed, or says why the id is refused.
    pub fn with_message<R>(&self, use_bytes: impl FnOnce(&[u8]) -> R) -> Result<R, UserIdProblem> {
        let mut digits = [0u8; I128_DECIMAL_MAX];
        let message: &[u8] = match *self {
            UserId::Text(text) => text.as_bytes(),
            UserId::Bytes(bytes) => bytes,
            UserId::Integer(value) => format_decimal(value, &mut digits),
            UserId::BigInteger(text) => {
                if !is_canonical_decimal(text) {
                    return Err(UserIdProblem::NotCanonicalDecimal);
                }
                text.as_bytes()
            }
        };
        if message.is_empty() {
            return Err(UserIdProblem::Empty);
        }
        Ok(use_bytes(message))
    }

    /// Checks the id as `sign` would, without hashing: bindings call it while
    /// converting a batch, so the first bad element wins whatever its problem.
    pub fn check(&self) -> Result<(), crate::Error> {
        self.with_message(|_| ()).map_err(|problem| crate::Error::InvalidUserId { problem })
    }

    /// The problem this id would be refused for, if any (cheap: no hashing).
    pub(crate) fn problem(&self) -> Option<UserIdProblem> {
        self.with_message(|_| ()).err()
    }
}

fn format_decimal(value: i128, buffer: &mut [u8; I128_DECIMAL_MAX]) -> &[u8] {
    let mut magnitude = value.unsigned_abs();
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if value < 0 {
        start -= 1;
        buffer[start] = b'-';
    }
    &buffer[start..]
}

fn is_canonical_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let well_formed = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let no_leading_zero = digits == "0" || !digits.starts_with('0');
    let no_negative_zero = text != "-0";
    well_formed && no_leading_zero && no_negative_zero
}
