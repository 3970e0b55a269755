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

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// An id as the user-id conversion gave it; bytes and decimal text live in `id_bytes`.
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
    /// The text the reader read (spans point into it; it also holds separators).
    pub text: String,
    /// The reader's records, kept only so their buffer is reused.
    pub codes: Vec<f64>,
    id_bytes: Vec<u8>,
    items: Vec<Item>,
    values: Vec<Named>,
    tags: Vec<Span>,
}

impl Identities {
    pub fn with_capacity(items: usize) -> Self {
        Identities { items: Vec::with_capacity(items), ..Identities::default() }
    }

    /// Empties the store, keeping its buffers.
    pub fn clear(&mut self) {
        self.text.clear();
        self.codes.clear();
        self.id_bytes.clear();
        self.items.clear();
        self.values.clear();
        self.tags.clear();
    }

    /// Stores an id exactly as the user-id conversion gave it.
    pub fn push_id(&mut self, id: UserId<'_>) -> Id {
        match id {
            UserId::Text(text) => Id::Bytes(self.push_id_bytes(text.as_bytes())),
            UserId::Bytes(raw) => Id::Bytes(self.push_id_bytes(raw)),
            UserId::Integer(value) => Id::Integer(value),
            UserId::BigInteger(decimal) => Id::BigInteger(self.push_id_bytes(decimal.as_bytes())),
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
                // Pushed as &str, so UTF-8; "" would be refused as not canonical anyway.
                Id::BigInteger(span) => {
                    UserId::BigInteger(std::str::from_utf8(&self.id_bytes[span.start..span.end]).unwrap_or(""))
                }
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
