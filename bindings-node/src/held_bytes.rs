//! Secrets and signatures: a string (its UTF-8) or a Uint8Array, copied into
//! memory that is wiped when dropped. A copy also means a getter that runs
//! later in the same call (`options.previous`) cannot detach the bytes in use.

use napi::bindgen_prelude::{Unknown, ValueType};
use zeroize::Zeroizing;

use crate::bytes::read_uint8_array;
use crate::error::Failure;
use crate::text::read_utf8_into;
use crate::user_id::describe_type;

/// The bytes of a secret or a signature; never echoed in a message.
pub type HeldBytes = Zeroizing<Vec<u8>>;

/// Copies a secret (or a signature): string or Uint8Array; `what` names it in messages.
pub fn hold_bytes(value: &Unknown<'_>, what: &str) -> Result<HeldBytes, Failure> {
    let value_type = value.get_type()?;
    let mut held = Zeroizing::new(Vec::new());
    if value_type == ValueType::String {
        read_utf8_into(value, &mut held)?;
        return Ok(held);
    }
    if value_type == ValueType::Object {
        if let Some(bytes) = read_uint8_array(value, &|| what.to_owned())? {
            // Sized first, so the copy is made once and never reallocated.
            held.reserve_exact(bytes.as_ref().len());
            held.extend_from_slice(bytes.as_ref());
            return Ok(held);
        }
    }
    Err(Failure::WrongType(format!(
        "{what} must be a string or a Uint8Array (or Buffer); received {}",
        describe_type(value_type)
    )))
}
