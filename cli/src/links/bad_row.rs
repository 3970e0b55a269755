//! A row that cannot be signed: where it is (line, column) and why. Messages
//! name columns, never cell values (a cell may hold anything).

use std::fmt;

use refiner_identity::{Error, Field, OptionProblem};

/// Longest part of a column name shown in a message.
const NAME_SHOWN: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The column (CSV) or key (JSON Lines) at fault, when there is one.
    pub column: Option<String>,
    pub reason: String,
}

impl BadRow {
    pub fn in_column(column: &str, reason: impl Into<String>) -> Self {
        BadRow { column: Some(column.to_owned()), reason: reason.into() }
    }

    pub fn whole(reason: impl Into<String>) -> Self {
        BadRow { column: None, reason: reason.into() }
    }

    /// A core error about one row, with the column it names.
    pub fn from_core(error: &Error) -> Self {
        BadRow { column: column_of(error), reason: error.to_string() }
    }

    /// `line N, column "c": reason`.
    pub fn at_line(&self, line: u64) -> String {
        match &self.column {
            Some(column) => format!("line {line}, column {}: {}", shown(column), self.reason),
            None => format!("line {line}: {}", self.reason),
        }
    }
}

impl fmt::Display for BadRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "column {}: {}", shown(column), self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

/// A column name as a message shows it: quoted, escaped, shortened.
pub fn shown(name: &str) -> String {
    let cut: String = name.chars().take(NAME_SHOWN).collect();
    if cut.len() < name.len() {
        format!("{cut:?}...")
    } else {
        format!("{cut:?}")
    }
}

/// The input column a core error is about.
fn column_of(error: &Error) -> Option<String> {
    match error {
        Error::InvalidUserId { .. } | Error::InvalidUserIdAt { .. } => Some("id".into()),
        Error::AtIndex { error, .. } => column_of(error),
        Error::InvalidTrait { field, .. } => field_column(field),
        // The base URL already holds a parameter this row's column would add.
        Error::InvalidOption { problem: OptionProblem::UrlHasParameter(parameter), .. } => {
            Some(parameter.strip_prefix("contact_").unwrap_or(parameter).to_owned())
        }
        Error::InvalidOption { field, .. } => field_column(field),
        _ => None,
    }
}

fn field_column(field: &Field) -> Option<String> {
    match field {
        Field::Email => Some("email".into()),
        Field::Name => Some("name".into()),
        Field::Trait(name) => Some(name.clone()),
        Field::Locale => Some("locale".into()),
        Field::Tags | Field::Tag(_) => Some("tags".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use refiner_identity::{TraitProblem, UserIdProblem};

    #[test]
    fn core_errors_name_their_column() {
        let cases = [
            (Error::InvalidUserId { problem: UserIdProblem::Empty }, Some("id")),
            (Error::trait_problem(Field::Email, TraitProblem::TextTooLong), Some("email")),
            (Error::trait_problem(Field::Trait("plan".into()), TraitProblem::TextTooLong).at_index(3), Some("plan")),
            (Error::option(Field::Url, OptionProblem::UrlHasParameter("contact_plan".into())), Some("plan")),
            (Error::option(Field::Url, OptionProblem::UrlHasParameter("locale".into())), Some("locale")),
            (Error::option(Field::Url, OptionProblem::UrlHost), None),
        ];
        for (error, column) in cases {
            assert_eq!(BadRow::from_core(&error).column.as_deref(), column, "{error}");
        }
    }

    #[test]
    fn long_or_odd_names_are_escaped_and_shortened() {
        assert_eq!(shown("a\nb"), "\"a\\nb\"");
        assert!(shown(&"x".repeat(500)).ends_with("\"..."));
        assert_eq!(BadRow::whole("no").at_line(4), "line 4: no");
        assert_eq!(BadRow::in_column("id", "no").at_line(4), "line 4, column \"id\": no");
    }
}
