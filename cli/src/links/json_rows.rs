//! JSON Lines in and out (serde_json): one object per line with the same keys
//! as the CSV columns. A string is text, an integer an integer (an integer
//! `id` is signed as its decimal text), null leaves the field out; anything
//! else is a bad row. Each object goes out with its keys in their order, plus
//! `signature` and `survey_link`.

use std::fmt;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};

use refiner_identity::{
    Error, Field, Identity, LinkOptions, LinkRequest, Signature, Tags, Trait, TraitProblem, TraitValue, UserId,
};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Number, Value};

use super::bad_row::{shown, BadRow};
use super::chunk::{Chunk, Reader, Writer};
use super::files::Target;
use crate::Failure;

/// One line's object: its keys in order (a repeated key is refused, not overwritten).
#[derive(Debug)]
pub struct Object(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Object;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
        let mut fields: Vec<(String, Value)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if fields.iter().any(|(earlier, _)| *earlier == key) {
                return Err(de::Error::custom(format!("key {} is given twice", shown(&key))));
            }
            let value = map.next_value()?;
            fields.push((key, value));
        }
        Ok(Object(fields))
    }
}

/// Parses one line (without its `\n`).
fn parse(line: &[u8]) -> Result<Object, BadRow> {
    // Checked first so that serde's type errors, which quote the value, never show.
    match line.iter().find(|b| !b" \t\r".contains(b)) {
        Some(b'{') => {}
        None => return Err(BadRow::whole("an empty line; every line must be a JSON object")),
        Some(_) => return Err(BadRow::whole("not a JSON object")),
    }
    serde_json::from_slice(line).map_err(|error| {
        // serde_json places errors at "line 1 column N" of this one line.
        let message = error.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        BadRow::whole(format!("invalid JSON at byte {} of the line: {message}", error.column()))
    })
}

#[derive(Default)]
pub struct JsonChunk {
    rows: Vec<Result<Object, BadRow>>,
    lines: Vec<u64>,
    end_byte: u64,
}

impl Chunk for JsonChunk {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }

    fn end_byte(&self) -> u64 {
        self.end_byte
    }

    fn request(&self, row: usize) -> Result<LinkRequest<'_>, BadRow> {
        let Object(fields) = self.rows[row].as_ref().map_err(Clone::clone)?;
        let mut id = None;
        let mut identity = Identity::new(UserId::Text(""));
        let mut options = LinkOptions::default();
        for (key, value) in fields {
            match key.as_str() {
                "id" => {
                    id = match value {
                        Value::String(text) => Some(UserId::Text(text)),
                        Value::Number(number) => Some(UserId::Integer(integer(number).ok_or_else(|| {
                            BadRow::in_column(
                                key,
                                "an integer id must be a whole number of at most 64 bits; send others as a string",
                            )
                        })?)),
                        Value::Null => None,
                        other => {
                            return Err(BadRow::in_column(
                                key,
                                format!("an id is a string or an integer, not {}", kind(other)),
                            ))
                        }
                    }
                }
                "email" => identity.email = text(key, value)?,
                "name" => identity.name = text(key, value)?,
                "locale" => options.locale = text(key, value)?,
                "tags" => options.tags = text(key, value)?.map(Tags::Joined),
                "signature" | "survey_link" => {
                    return Err(BadRow::in_column(key, "the output adds this key; rename or drop it"))
                }
                name => {
                    let value = match value {
                        Value::String(text) => TraitValue::Text(text),
                        Value::Number(number) => match integer(number) {
                            Some(value) => TraitValue::Integer(value),
                            None => {
                                let kind = "a number with a fraction or an exponent, or an integer beyond 64 bits";
                                return Err(unsupported(name, kind));
                            }
                        },
                        Value::Null => continue,
                        other => return Err(unsupported(name, kind(other))),
                    };
                    identity.traits.push(Trait { name, value });
                }
            }
        }
        identity.id = id.ok_or_else(|| BadRow::in_column("id", "missing (or null); every row needs an id"))?;
        Ok(LinkRequest { identity, options })
    }
}

/// A whole number serde_json holds as an integer (floats, and integers
/// beyond 64 bits, which it reads as floats, are not).
fn integer(number: &Number) -> Option<i128> {
    number.as_i64().map(i128::from).or_else(|| number.as_u64().map(i128::from))
}

/// A text-only field (email, name, locale, tags).
fn text<'a>(key: &str, value: &'a Value) -> Result<Option<&'a str>, BadRow> {
    match value {
        Value::String(text) => Ok(Some(text)),
        Value::Null => Ok(None),
        other => {
            Err(BadRow::in_column(key, format!("must be a string (or null to leave it out), not {}", kind(other))))
        }
    }
}

fn unsupported(name: &str, kind: &str) -> BadRow {
    BadRow::from_core(&Error::trait_problem(Field::Trait(name.to_owned()), TraitProblem::UnsupportedType(kind.into())))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub struct JsonReader {
    input: BufReader<Box<dyn Read + Send>>,
    source: String,
    line: Vec<u8>,
    line_number: u64,
    consumed: u64,
}

impl JsonReader {
    /// Reads the first bytes of the input, so that an input that cannot be
    /// read (a directory) fails before the output is created.
    pub fn open(input: Box<dyn Read + Send>, source: String) -> Result<Self, Failure> {
        let mut reader = JsonReader {
            input: BufReader::with_capacity(1 << 16, input),
            source,
            line: Vec::new(),
            line_number: 0,
            consumed: 0,
        };
        let filled = reader.input.fill_buf().map(|_| ());
        filled.map_err(|e| reader.read_failed(e))?;
        Ok(reader)
    }

    fn read_failed(&self, error: std::io::Error) -> Failure {
        Failure::Error(format!("cannot read {}: {error}", self.source))
    }
}

impl Reader for JsonReader {
    type Chunk = JsonChunk;

    fn fill(&mut self, chunk: &mut JsonChunk, rows: usize) -> Result<(), Failure> {
        chunk.rows.clear();
        chunk.lines.clear();
        while chunk.rows.len() < rows {
            self.line.clear();
            let read = self.input.read_until(b'\n', &mut self.line).map_err(|e| self.read_failed(e))?;
            if read == 0 {
                break;
            }
            self.line_number += 1;
            self.consumed += read as u64;
            let line = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
            chunk.rows.push(parse(line));
            chunk.lines.push(self.line_number);
        }
        chunk.end_byte = self.consumed;
        Ok(())
    }
}

pub struct JsonWriter {
    out: BufWriter<Box<dyn Write + Send>>,
    target: Target,
}

impl JsonWriter {
    pub fn new(output: Box<dyn Write + Send>, target: Target) -> Self {
        JsonWriter { out: BufWriter::with_capacity(1 << 16, output), target }
    }

    fn write_object(&mut self, fields: &[(String, Value)], signature: &Signature, link: &str) -> std::io::Result<()> {
        let out = &mut self.out;
        out.write_all(b"{")?;
        for (key, value) in fields {
            serde_json::to_writer(&mut *out, key)?;
            out.write_all(b":")?;
            serde_json::to_writer(&mut *out, value)?;
            out.write_all(b",")?;
        }
        out.write_all(b"\"signature\":\"")?;
        out.write_all(signature.as_bytes())?;
        out.write_all(b"\",\"survey_link\":")?;
        serde_json::to_writer(&mut *out, link)?;
        out.write_all(b"}\n")
    }
}

impl Writer<JsonChunk> for JsonWriter {
    fn write_row(&mut self, chunk: &JsonChunk, row: usize, signature: &Signature, link: &str) -> Result<(), Failure> {
        // Only rows that became requests are written, and those parsed.
        let fields = chunk.rows[row].as_ref().map(|Object(fields)| fields.as_slice()).unwrap_or_default();
        self.write_object(fields, signature, link).map_err(|e| self.target.write_failed(e))
    }

    fn finish(&mut self) -> Result<(), Failure> {
        self.out.flush().map_err(|e| self.target.write_failed(e))
    }
}
