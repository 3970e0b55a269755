//! Identities copied out of JavaScript into one owned store: every text in
//! one buffer, so a batch costs a few allocations and can cross to the thread
//! pool. Views hand the core its `Identity` and `LinkOptions`.

use std::ops::Range;

use refiner_identity::{Identity, LinkOptions, LinkRequest, Tags, Trait, TraitValue, UserId};

/// A range of `Identities::text` (or of `id_bytes` for byte ids).
#[derive(Clone, Copy, Debug, Default)]
pub struct Span {
    start: usize,
    end: usize,
}

#[derive(Clone, Copy, Debug)]
pub enum Id {
    Bytes(Span),
    Integer(i128),
    BigInteger(Span),
}

#[derive(Clone, Copy, Debug)]
pub enum Value {
    Text(Span),
    /// Integers and timestamps (no text to borrow).
    Plain(TraitValue<'static>),
}

#[derive(Clone, Copy, Debug)]
struct Named {
    name: Span,
    value: Value,
}

#[derive(Clone, Debug)]
pub enum TagSpans {
    Joined(Span),
    List(Range<usize>),
}

/// One identity and its renderer options, as ranges of the store.
#[derive(Clone, Debug)]
pub struct Item {
    pub id: Id,
    pub email: Option<Span>,
    pub name: Option<Span>,
    pub traits: Range<usize>,
    pub nonce: Option<Span>,
    pub locale: Option<Span>,
    pub tags: Option<TagSpans>,
    pub response: Range<usize>,
}

#[derive(Default, Debug)]
pub struct Identities {
    text: String,
    id_bytes: Vec<u8>,
    items: Vec<Item>,
    values: Vec<Named>,
    tags: Vec<Span>,
}

impl Identities {
    pub fn with_capacity(items: usize) -> Self {
        Identities { items: Vec::with_capacity(items), ..Identities::default() }
    }

    /// Appends text with `write` (which adds to the buffer) and returns its span;
    /// on failure the buffer is left as it was.
    pub fn push_text_with<E>(&mut self, write: impl FnOnce(&mut String) -> Result<(), E>) -> Result<Span, E> {
        let start = self.text.len();
        if let Err(error) = write(&mut self.text) {
            self.text.truncate(start);
            return Err(error);
        }
        Ok(Span { start, end: self.text.len() })
    }

    pub fn push_text(&mut self, text: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(text);
        Span { start, end: self.text.len() }
    }

    /// Forgets text appended from `span` on (a trait whose value was null).
    pub fn drop_text_from(&mut self, span: Span) {
        self.text.truncate(span.start);
    }

    /// Stores an id exactly as the user-id conversion gave it.
    pub fn push_id(&mut self, id: UserId<'_>) -> Id {
        match id {
            UserId::Text(text) => Id::Bytes(self.push_id_bytes(text.as_bytes())),
            UserId::Bytes(raw) => Id::Bytes(self.push_id_bytes(raw)),
            UserId::Integer(value) => Id::Integer(value),
            UserId::BigInteger(decimal) => Id::BigInteger(self.push_text(decimal)),
        }
    }

    fn push_id_bytes(&mut self, bytes: &[u8]) -> Span {
        let start = self.id_bytes.len();
        self.id_bytes.extend_from_slice(bytes);
        Span { start, end: self.id_bytes.len() }
    }

    pub fn push_value(&mut self, name: Span, value: Value) {
        self.values.push(Named { name, value });
    }

    /// The index the next value will get (ranges of traits are made from two of these).
    pub fn value_count(&self) -> usize {
        self.values.len()
    }

    pub fn push_tag(&mut self, tag: Span) {
        self.tags.push(tag);
    }

    pub fn tag_count(&self) -> usize {
        self.tags.len()
    }

    pub fn push_item(&mut self, item: Item) {
        self.items.push(item);
    }

    pub fn text_of(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    fn named(&self, range: &Range<usize>) -> Vec<Trait<'_>> {
        self.values[range.clone()]
            .iter()
            .map(|named| Trait {
                name: self.text_of(named.name),
                value: match named.value {
                    Value::Text(span) => TraitValue::Text(self.text_of(span)),
                    Value::Plain(value) => value,
                },
            })
            .collect()
    }

    /// The identity of item `index` (which exists).
    pub fn identity(&self, index: usize) -> Identity<'_> {
        let item = &self.items[index];
        Identity {
            id: match item.id {
                Id::Bytes(span) => UserId::Bytes(&self.id_bytes[span.start..span.end]),
                Id::Integer(value) => UserId::Integer(value),
                Id::BigInteger(span) => UserId::BigInteger(self.text_of(span)),
            },
            email: item.email.map(|span| self.text_of(span)),
            name: item.name.map(|span| self.text_of(span)),
            traits: self.named(&item.traits),
        }
    }

    pub fn nonce(&self, index: usize) -> Option<&str> {
        self.items[index].nonce.map(|span| self.text_of(span))
    }

    pub fn options(&self, index: usize) -> LinkOptions<'_> {
        let item = &self.items[index];
        LinkOptions {
            locale: item.locale.map(|span| self.text_of(span)),
            tags: item.tags.as_ref().map(|tags| match tags {
                TagSpans::Joined(span) => Tags::Joined(self.text_of(*span)),
                TagSpans::List(range) => {
                    Tags::List(self.tags[range.clone()].iter().map(|&span| self.text_of(span)).collect())
                }
            }),
            response: self.named(&item.response),
        }
    }

    /// Every item as a survey-link request, in order.
    pub fn requests(&self) -> Vec<LinkRequest<'_>> {
        (0..self.items.len())
            .map(|index| LinkRequest { identity: self.identity(index), options: self.options(index) })
            .collect()
    }
}
