//! The user a renderer identifies: the signed id, optional email and name, and
//! ordered traits, checked against Refiner's documented limits before anything
//! is rendered (SPEC.md section 9).

use crate::error::{Error, Field, TraitProblem};
use crate::user_id::UserId;

/// Refiner's limit for a text trait, in Unicode scalar values.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Refiner's range for an integer trait.
pub const MIN_INTEGER: i64 = -2_147_483_647;
/// Refiner's range for an integer trait.
pub const MAX_INTEGER: i64 = 2_147_483_647;
/// Longest trait (and response key) name.
pub const MAX_NAME_LEN: usize = 100;

/// Names a renderer writes itself, so a trait may not take them.
const RESERVED_NAMES: [&str; 5] = ["id", "email", "name", "signature", "identify_verification_signature"];

/// A user to identify. `traits` keep their order in every rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity<'a> {
    pub id: UserId<'a>,
    pub email: Option<&'a str>,
    pub name: Option<&'a str>,
    pub traits: Vec<Trait<'a>>,
}

/// One named value (a trait, or a survey link's contextual `response_<key>`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trait<'a> {
    pub name: &'a str,
    pub value: TraitValue<'a>,
}

/// The trait types Refiner accepts. A host's null/None/nil omits the trait
/// before it gets here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraitValue<'a> {
    /// Text of at most 10,000 Unicode scalar values.
    Text(&'a str),
    /// An integer in -2147483647..=2147483647 (wider here so the range check is ours).
    Integer(i128),
    /// A calendar date, rendered `YYYY-MM-DD` (years 1 to 9999).
    Date { year: i32, month: u32, day: u32 },
    /// An instant as whole seconds since 1970-01-01T00:00:00Z, rendered in UTC
    /// as `YYYY-MM-DDTHH:MM:SSZ` (years 1 to 9999).
    Timestamp(i64),
}

impl<'a> Identity<'a> {
    /// An identity with only an id.
    pub fn new(id: UserId<'a>) -> Self {
        Identity { id, email: None, name: None, traits: Vec::new() }
    }

    /// Checks every field against SPEC.md section 9 (the id as text, the
    /// email, the name and each trait), naming the first bad field.
    pub fn validate(&self) -> Result<(), Error> {
        id_text(&self.id)?;
        for (field, text) in [(Field::Email, self.email), (Field::Name, self.name)] {
            if let Some(text) = text {
                check_text(text).map_err(|problem| Error::trait_problem(field.clone(), problem))?;
            }
        }
        check_traits(&self.traits, Field::Trait)
    }
}

impl Identity<'_> {
    /// Bytes of the identity's text plus a little per field: a renderer's
    /// buffer of this size plus its own text rarely has to grow.
    pub(crate) fn text_len(&self) -> usize {
        let id = match self.id {
            UserId::Text(text) | UserId::BigInteger(text) => text.len(),
            UserId::Bytes(bytes) => bytes.len(),
            UserId::Integer(_) => 40,
        };
        let fields = self.email.map_or(0, |text| text.len() + 20) + self.name.map_or(0, |text| text.len() + 20);
        let traits: usize = self.traits.iter().map(|item| item.name.len() + item.value.text_len() + 12).sum();
        id + fields + traits
    }
}

impl TraitValue<'_> {
    /// Bytes of the value as text, or the most its rendering takes.
    pub(crate) fn text_len(&self) -> usize {
        match self {
            TraitValue::Text(text) => text.len(),
            TraitValue::Integer(_) => 11,
            TraitValue::Date { .. } => 12,
            TraitValue::Timestamp(_) => 26,
        }
    }
}

/// The id as the text that is signed: text and canonical integers as they
/// are, bytes only when they are UTF-8 (a renderer cannot show other bytes).
pub(crate) fn with_id_text<R>(id: &UserId<'_>, use_text: impl FnOnce(&str) -> R) -> Result<R, Error> {
    // Text is UTF-8 already: only bytes need checking (and only once, here).
    if let UserId::Text(text) = *id {
        if !text.is_empty() {
            return Ok(use_text(text));
        }
    }
    id.with_message(|bytes| std::str::from_utf8(bytes).map(use_text))
        .map_err(|problem| Error::InvalidUserId { problem })?
        .map_err(|_| Error::InvalidUserId { problem: crate::error::UserIdProblem::NotText })
}

fn id_text(id: &UserId<'_>) -> Result<(), Error> {
    with_id_text(id, |_| ())
}

/// Checks names and values of traits (or response values), and that no name repeats.
pub(crate) fn check_traits(traits: &[Trait<'_>], field: fn(String) -> Field) -> Result<(), Error> {
    for (position, item) in traits.iter().enumerate() {
        let named = || field(item.name.to_owned());
        check_name(item.name).map_err(|problem| Error::trait_problem(named(), problem))?;
        if traits[..position].iter().any(|earlier| same_name(earlier.name, item.name)) {
            return Err(Error::trait_problem(named(), TraitProblem::Duplicate));
        }
        check_value(&item.value).map_err(|problem| Error::trait_problem(named(), problem))?;
    }
    Ok(())
}

/// `[A-Za-z_][A-Za-z0-9_]*`, at most 100 characters, not a reserved name.
pub(crate) fn check_name(name: &str) -> Result<(), TraitProblem> {
    let bytes = name.as_bytes();
    let starts_well = bytes.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    if !starts_well || !bytes.iter().all(|&b| NAME_BYTES[usize::from(b)]) {
        return Err(TraitProblem::BadName);
    }
    if bytes.len() > MAX_NAME_LEN {
        return Err(TraitProblem::NameTooLong);
    }
    if RESERVED_NAMES.iter().any(|reserved| same_name(reserved, name)) {
        return Err(TraitProblem::ReservedName);
    }
    Ok(())
}

/// Name equality that looks at lengths and first bytes before comparing
/// whole names: most names differ there, and short names are the rule.
#[inline]
fn same_name(one: &str, other: &str) -> bool {
    one.len() == other.len() && one.as_bytes().first() == other.as_bytes().first() && one == other
}

/// `[A-Za-z0-9_]`, as one lookup per byte.
static NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric() || byte == b'_' as usize;
        byte += 1;
    }
    table
};

fn check_value(value: &TraitValue<'_>) -> Result<(), TraitProblem> {
    match *value {
        TraitValue::Text(text) => check_text(text),
        TraitValue::Integer(value) => {
            if (i128::from(MIN_INTEGER)..=i128::from(MAX_INTEGER)).contains(&value) {
                Ok(())
            } else {
                Err(TraitProblem::IntegerOutOfRange)
            }
        }
        TraitValue::Date { year, month, day } => {
            crate::time::check_date(year, month, day).map_err(|()| TraitProblem::DateOutOfRange)
        }
        TraitValue::Timestamp(seconds) => {
            crate::time::check_timestamp(seconds).map_err(|()| TraitProblem::TimestampOutOfRange)
        }
    }
}

fn check_text(text: &str) -> Result<(), TraitProblem> {
    // Byte length bounds the count: only long texts need counting.
    if text.len() > MAX_TEXT_CHARS && text.chars().count() > MAX_TEXT_CHARS {
        return Err(TraitProblem::TextTooLong);
    }
    Ok(())
}
