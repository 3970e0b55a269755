//! Survey links (SPEC.md section 9): the survey's URL with `contact_id`,
//! `signature`, the contact's fields, `locale`, `tags` and `response_<key>`.

use std::borrow::Cow;
use std::cell::Cell;

use crate::error::{Error, Field, OptionProblem};
use crate::identity::{check_traits, with_id_text, Identity, Trait, TraitValue};
use crate::json::write_integer;
use crate::percent::{decodes_to, write_encoded};
use crate::signature::Signature;
use crate::time::{write_date, write_timestamp};

/// Parameters a base URL may not carry: ours would contradict them.
const FORBIDDEN_IN_BASE: [&str; 3] = ["contact_id", "contact_email", "signature"];

/// Longest URL `SurveyUrl::with_parsed` keeps for the thread's next call.
const CACHED_URL_MAX: usize = 4096;

thread_local! {
    /// The URL of the thread's last `SurveyUrl::with_parsed`, taken out while in use.
    static LAST_URL: Cell<Option<SurveyUrl<'static>>> = const { Cell::new(None) };
}

/// A survey's base URL, checked once (a batch of links shares it, and a
/// binding may keep an owned one, [`SurveyUrl::into_owned`], for the next call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyUrl<'a> {
    /// The URL as given.
    url: Cow<'a, str>,
    /// Where the fragment (`#...`) starts; the URL's length without one.
    fragment_start: usize,
    /// Where the query starts (after `?`), if the URL has one.
    query_start: Option<usize>,
    /// What goes between the base and our first parameter: `?`, `&` or nothing.
    joiner: &'static str,
    /// The longest parameter name in the query, as written: no longer name of
    /// ours can be among them, so most checks end here.
    longest_name: usize,
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
        let authority_end = rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if authority.bytes().any(|b| b == b'@') {
            return Err(invalid(OptionProblem::UrlUserInfo));
        }
        if !has_host(authority) {
            return Err(invalid(OptionProblem::UrlHost));
        }
        let fragment_start = url.bytes().position(|b| b == b'#').unwrap_or(url.len());
        let query_start = url[..fragment_start].bytes().position(|b| b == b'?').map(|at| at + 1);
        let joiner = match query_start.map(|start| &url[start..fragment_start]) {
            None => "?",
            Some(query) if !query.is_empty() && !query.ends_with('&') => "&",
            Some(_) => "",
        };
        let longest_name = query_start.map_or(0, |start| {
            parameter_names(&url.as_bytes()[start..fragment_start]).map(<[u8]>::len).max().unwrap_or(0)
        });
        let parsed = SurveyUrl { url: Cow::Borrowed(url), fragment_start, query_start, joiner, longest_name };
        if let Some(name) = FORBIDDEN_IN_BASE.iter().find(|name| parsed.has_parameter("", name)) {
            return Err(invalid(OptionProblem::UrlHasParameter((*name).to_owned())));
        }
        Ok(parsed)
    }

    /// The same URL, owning its text: a binding can keep it for the next call with this URL.
    pub fn into_owned(self) -> SurveyUrl<'static> {
        let SurveyUrl { url, fragment_start, query_start, joiner, longest_name } = self;
        SurveyUrl { url: Cow::Owned(url.into_owned()), fragment_start, query_start, joiner, longest_name }
    }

    /// Calls `body` with `url` parsed, reusing this thread's last parse when
    /// `url` is the same text: a binding's single-link calls nearly always
    /// repeat one survey's URL, and checking it again costs more than the
    /// comparison. Reentrant (a call made from `body` parses for itself).
    pub fn with_parsed<R>(url: &str, body: impl FnOnce(&SurveyUrl<'_>) -> R) -> Result<R, Error> {
        if url.len() > CACHED_URL_MAX {
            return Ok(body(&SurveyUrl::parse(url)?));
        }
        let parsed = match LAST_URL.with(Cell::take) {
            Some(last) if last.as_str() == url => last,
            _ => SurveyUrl::parse(url)?.into_owned(),
        };
        let result = body(&parsed);
        LAST_URL.with(|last| last.set(Some(parsed)));
        Ok(result)
    }

    /// The URL as it was given to [`SurveyUrl::parse`].
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// True when the base's query has a parameter whose name decodes to `prefix` + `name`.
    fn has_parameter(&self, prefix: &str, name: &str) -> bool {
        let Some(start) = self.query_start else { return false };
        // Decoding never lengthens a name.
        if prefix.len() + name.len() > self.longest_name {
            return false;
        }
        parameter_names(&self.url.as_bytes()[start..self.fragment_start]).any(|have| decodes_to(have, prefix, name))
    }

    /// The link for one identity, given its signature; the identity and options were checked.
    pub(crate) fn link(
        &self,
        identity: &Identity<'_>,
        signature: &Signature,
        options: &LinkOptions<'_>,
    ) -> Result<String, Error> {
        let mut out = String::with_capacity(self.url.len() + 96 + identity.text_len() + options.text_len());
        out.push_str(&self.url[..self.fragment_start]);
        out.push_str(self.joiner);
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
        out.push_str(&self.url[self.fragment_start..]);
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
        if self.query_start.is_none() {
            return Ok(());
        }
        // The parameters the link adds, in the order they are written.
        let added = identity
            .name
            .map(|_| ("", "contact_name"))
            .into_iter()
            .chain(identity.traits.iter().map(|item| ("contact_", item.name)))
            .chain(options.locale.filter(|locale| !locale.is_empty()).map(|_| ("", "locale")))
            .chain(options.tags.as_ref().filter(|tags| !tags.is_empty()).map(|_| ("", "tags")))
            .chain(options.response.iter().map(|item| ("response_", item.name)));
        for (prefix, name) in added {
            if self.has_parameter(prefix, name) {
                return Err(Error::option(Field::Url, OptionProblem::UrlHasParameter(format!("{prefix}{name}"))));
            }
        }
        Ok(())
    }
}

impl LinkOptions<'_> {
    /// Bytes of the options' text, to size a link's buffer.
    fn text_len(&self) -> usize {
        let tags = match &self.tags {
            None => 0,
            Some(Tags::Joined(tags)) => tags.len(),
            Some(Tags::List(tags)) => tags.iter().map(|tag| tag.len() + 3).sum(),
        };
        let response: usize = self.response.iter().map(|item| item.name.len() + item.value.text_len() + 11).sum();
        self.locale.map_or(0, str::len) + 8 + tags + 6 + response
    }
}

/// The names of a query's parameters, as written (empty parameters skipped).
fn parameter_names(query: &[u8]) -> impl Iterator<Item = &[u8]> {
    query
        .split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split(|&b| b == b'=').next().unwrap_or(pair))
}

/// A host, optionally with a port: a name without `:`, `[` or `]`, or an IPv6
/// address in brackets (`[::1]:8080`).
fn has_host(authority: &str) -> bool {
    if let Some(bracketed) = authority.strip_prefix('[') {
        return match bracketed.split_once(']') {
            Some((address, port)) => address.parse::<std::net::Ipv6Addr>().is_ok() && valid_port(port),
            None => false,
        };
    }
    let (name, port) = match authority.find(':') {
        Some(colon) => authority.split_at(colon),
        None => (authority, ""),
    };
    !name.is_empty() && !name.contains(['[', ']']) && valid_port(port)
}

/// Empty, or `:` followed by a decimal port number (0 to 65535).
fn valid_port(port: &str) -> bool {
    port.is_empty()
        || port.strip_prefix(':').is_some_and(|digits| {
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<u16>().is_ok()
        })
}

/// The URL after `http://` or `https://` (the scheme in any case).
fn strip_scheme(url: &str) -> Option<&str> {
    let bytes = url.as_bytes();
    [5, 4].into_iter().find_map(|scheme_len| {
        let scheme = bytes.get(..scheme_len)?;
        let matches =
            scheme.eq_ignore_ascii_case(&b"https"[..scheme_len]) && bytes.get(scheme_len..scheme_len + 3)? == b"://";
        // Only ASCII precedes the cut: a character boundary.
        matches.then(|| &url[scheme_len + 3..])
    })
}

/// `&` + prefix + name + `=` + the value. Names are the renderer's own or
/// were checked (`[A-Za-z_][A-Za-z0-9_]*`): nothing in them needs encoding.
fn push_parameter(out: &mut String, prefix: &str, name: &str, value: &TraitValue<'_>) {
    debug_assert!(crate::identity::check_name(name).is_ok());
    out.push('&');
    out.push_str(prefix);
    out.push_str(name);
    out.push('=');
    match *value {
        TraitValue::Text(text) => write_encoded(out, text),
        TraitValue::Integer(value) => write_integer(out, value),
        TraitValue::Date { year, month, day } => write_date(out, year, month, day),
        // `:` is outside the unreserved set, and the only byte of a timestamp that is.
        TraitValue::Timestamp(seconds) => write_timestamp(out, seconds, "%3A"),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> SurveyUrl<'static> {
        SurveyUrl::parse(url).unwrap().into_owned()
    }

    #[test]
    fn with_parsed_gives_the_url_it_was_asked_for() {
        let (first, second) = ("https://a.io/s?x=1#f", "https://a.io/s?x=2#f");
        for url in [first, first, second, second, first] {
            let seen = SurveyUrl::with_parsed(url, |url| url.clone().into_owned()).unwrap();
            assert_eq!(seen, parsed(url));
        }
        let nested = SurveyUrl::with_parsed(first, |outer| {
            let inner = SurveyUrl::with_parsed(second, |inner| inner.clone().into_owned()).unwrap();
            (outer.clone().into_owned(), inner)
        });
        assert_eq!(nested.unwrap(), (parsed(first), parsed(second)));
        let refused = SurveyUrl::with_parsed("https://a.io/s?signature=1", |_| ()).unwrap_err();
        assert_eq!(refused.kind(), crate::ErrorKind::InvalidOption);
        let long = format!("https://a.io/{}", "p".repeat(CACHED_URL_MAX));
        assert_eq!(SurveyUrl::with_parsed(&long, |url| url.clone().into_owned()).unwrap(), parsed(&long));
        assert_eq!(SurveyUrl::with_parsed(first, |url| url.clone().into_owned()).unwrap(), parsed(first));
    }
}
