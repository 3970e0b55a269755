//! Survey links (SPEC.md section 9): the survey's URL with `contact_id`,
//! `signature`, the contact's fields, `locale`, `tags` and `response_<key>`.

use crate::error::{Error, Field, OptionProblem};
use crate::identity::{check_traits, with_id_text, Identity, Trait, TraitValue};
use crate::percent::{decode, write_encoded};
use crate::signature::Signature;
use crate::time::{write_date, write_timestamp};

/// Parameters a base URL may not carry: ours would contradict them.
const FORBIDDEN_IN_BASE: [&str; 3] = ["contact_id", "contact_email", "signature"];

/// A survey's base URL, checked once (a batch of links shares it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyUrl<'a> {
    /// Everything before the fragment, with `?` or `&` already appended as needed.
    prefix: String,
    /// `#...` or empty.
    fragment: &'a str,
    /// Decoded names of the parameters the base already has.
    existing: Vec<Vec<u8>>,
}

/// The contextual options of one link, beside the identity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkOptions<'a> {
    pub locale: Option<&'a str>,
    pub tags: Option<Tags<'a>>,
    /// `response_<name>` values, in order.
    pub response: Vec<Trait<'a>>,
}

/// `tags`: one string as given, or a list joined with `,` (a tag may not hold a comma).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tags<'a> {
    Joined(&'a str),
    List(Vec<&'a str>),
}

impl<'a> SurveyUrl<'a> {
    /// Checks an absolute `http`/`https` URL with a host and no user info, made
    /// of printable ASCII; keeps its query and fragment.
    pub fn parse(url: &'a str) -> Result<Self, Error> {
        let invalid = |problem| Error::option(Field::Url, problem);
        if url.is_empty() || !url.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid(OptionProblem::UrlNotPrintableAscii));
        }
        let rest = strip_scheme(url).ok_or(invalid(OptionProblem::UrlScheme))?;
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if authority.contains('@') {
            return Err(invalid(OptionProblem::UrlUserInfo));
        }
        if !has_host(authority) {
            return Err(invalid(OptionProblem::UrlHost));
        }
        let (before_fragment, fragment) = match url.find('#') {
            Some(at) => url.split_at(at),
            None => (url, ""),
        };
        let existing: Vec<Vec<u8>> = match before_fragment.split_once('?') {
            Some((_, query)) => query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| decode(pair.split_once('=').map_or(pair, |(name, _)| name)))
                .collect(),
            None => Vec::new(),
        };
        if let Some(name) = FORBIDDEN_IN_BASE.iter().find(|name| existing.iter().any(|have| have == name.as_bytes())) {
            return Err(invalid(OptionProblem::UrlHasParameter((*name).to_owned())));
        }
        let mut prefix = before_fragment.to_owned();
        match before_fragment.split_once('?') {
            None => prefix.push('?'),
            Some((_, query)) if !query.is_empty() && !query.ends_with('&') => prefix.push('&'),
            Some(_) => {}
        }
        Ok(SurveyUrl { prefix, fragment, existing })
    }

    /// The link for one identity, given its signature; the identity and options were checked.
    pub(crate) fn link(
        &self,
        identity: &Identity<'_>,
        signature: &Signature,
        options: &LinkOptions<'_>,
    ) -> Result<String, Error> {
        let mut out = String::with_capacity(self.prefix.len() + 160 + self.fragment.len());
        out.push_str(&self.prefix);
        out.push_str("contact_id=");
        with_id_text(&identity.id, |id| write_encoded(&mut out, id))?;
        out.push_str("&signature=");
        out.push_str(signature.as_str());
        for (name, text) in [("contact_email", identity.email), ("contact_name", identity.name)] {
            if let Some(text) = text {
                push_parameter(&mut out, "", name, &TraitValue::Text(text));
            }
        }
        for item in &identity.traits {
            push_parameter(&mut out, "contact_", item.name, &item.value);
        }
        if let Some(locale) = options.locale.filter(|locale| !locale.is_empty()) {
            push_parameter(&mut out, "", "locale", &TraitValue::Text(locale));
        }
        match &options.tags {
            Some(Tags::Joined(tags)) if !tags.is_empty() => {
                push_parameter(&mut out, "", "tags", &TraitValue::Text(tags))
            }
            Some(Tags::List(tags)) if !tags.is_empty() => {
                out.push_str("&tags=");
                for (position, tag) in tags.iter().enumerate() {
                    if position > 0 {
                        out.push_str("%2C");
                    }
                    write_encoded(&mut out, tag);
                }
            }
            _ => {}
        }
        for item in &options.response {
            push_parameter(&mut out, "response_", item.name, &item.value);
        }
        out.push_str(self.fragment);
        Ok(out)
    }

    /// Checks the options and that none of the parameters this link adds is already in the base URL.
    pub(crate) fn check(&self, identity: &Identity<'_>, options: &LinkOptions<'_>) -> Result<(), Error> {
        if let Some(Tags::List(tags)) = &options.tags {
            if let Some(position) = tags.iter().position(|tag| tag.is_empty() || tag.contains(',')) {
                let problem = if tags[position].is_empty() { OptionProblem::EmptyTag } else { OptionProblem::TagComma };
                return Err(Error::option(Field::Tag(position), problem));
            }
        }
        check_traits(&options.response, Field::Response)?;
        let mut added: Vec<String> = Vec::new();
        added.extend(identity.name.map(|_| "contact_name".to_owned()));
        added.extend(identity.traits.iter().map(|item| format!("contact_{}", item.name)));
        added.extend(options.locale.filter(|locale| !locale.is_empty()).map(|_| "locale".to_owned()));
        added.extend(options.tags.as_ref().filter(|tags| !tags.is_empty()).map(|_| "tags".to_owned()));
        added.extend(options.response.iter().map(|item| format!("response_{}", item.name)));
        if let Some(name) = added.iter().find(|name| self.existing.iter().any(|have| have == name.as_bytes())) {
            return Err(Error::option(Field::Url, OptionProblem::UrlHasParameter(name.clone())));
        }
        Ok(())
    }
}

/// A host, optionally with a numeric port (`[v6]:port` included).
fn has_host(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((address, port)) => return !address.is_empty() && valid_port(port),
            None => return false,
        },
        None => authority,
    };
    match host.rsplit_once(':') {
        Some((name, port)) => !name.is_empty() && valid_port(&format!(":{port}")),
        None => !host.is_empty(),
    }
}

/// Empty, or `:` followed by digits.
fn valid_port(port: &str) -> bool {
    port.is_empty()
        || port.strip_prefix(':').is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

fn strip_scheme(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    (scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")).then_some(rest)
}

fn push_parameter(out: &mut String, prefix: &str, name: &str, value: &TraitValue<'_>) {
    out.push('&');
    out.push_str(prefix);
    write_encoded(out, name);
    out.push('=');
    match *value {
        TraitValue::Text(text) => write_encoded(out, text),
        TraitValue::Integer(value) => out.push_str(&value.to_string()),
        TraitValue::Date { year, month, day } => write_date(out, year, month, day),
        // `:` is outside the unreserved set: encoded like any other byte.
        TraitValue::Timestamp(seconds) => {
            let mut text = String::with_capacity(20);
            write_timestamp(&mut text, seconds);
            write_encoded(out, &text);
        }
    }
}

impl Tags<'_> {
    fn is_empty(&self) -> bool {
        match self {
            Tags::Joined(tags) => tags.is_empty(),
            Tags::List(tags) => tags.is_empty(),
        }
    }
}
