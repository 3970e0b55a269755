//! CSV in and out (the `csv` crate): a header row naming the columns; `id`,
//! `email`, `name`, `locale` and `tags` are recognised and every other column
//! is a trait. Each row goes out as it came in, plus `signature` and
//! `survey_link`.

use std::io::{Read, Write};
use std::sync::Arc;

use csv::ByteRecord;
use refiner_identity::{
    check_request, Identity, LinkOptions, LinkRequest, Signature, SurveyUrl, Tags, Trait, TraitValue, UserId,
};

use super::bad_row::{shown, BadRow};
use super::chunk::{Chunk, Reader, Writer};
use super::csv_lines::Tracked;
use super::files::Target;
use crate::Failure;

/// The columns the output adds, so the input may not have them.
const ADDED: [&str; 2] = ["signature", "survey_link"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Email,
    Name,
    Locale,
    Tags,
    Trait,
}

/// The header's names and what each column is.
#[derive(Debug, Default)]
pub struct Columns {
    names: Vec<String>,
    kinds: Vec<Column>,
}

impl Columns {
    /// Checks the header before any row: an `id` column, no repeats, no
    /// column the output adds, every other name a valid trait name, and no
    /// column whose parameter the survey URL already holds.
    fn from_header(header: &ByteRecord, url: &SurveyUrl<'_>) -> Result<Self, Failure> {
        let fail = |message: String| Failure::Error(format!("header: {message}"));
        if header.is_empty() {
            return Err(fail("the input is empty; the first row must name the columns, one of them id".into()));
        }
        let mut columns = Columns::default();
        for (position, name) in header.iter().enumerate() {
            let name = std::str::from_utf8(name)
                .map_err(|_| fail(format!("the name of column {} is not valid UTF-8", position + 1)))?;
            if ADDED.contains(&name) {
                return Err(fail(format!("column {}: the output adds this column; rename or drop it", shown(name))));
            }
            if columns.names.iter().any(|earlier| earlier == name) {
                return Err(fail(format!("column {} appears twice", shown(name))));
            }
            columns.kinds.push(match name {
                "id" => Column::Id,
                "email" => Column::Email,
                "name" => Column::Name,
                "locale" => Column::Locale,
                "tags" => Column::Tags,
                _ => Column::Trait,
            });
            columns.names.push(name.to_owned());
        }
        if !columns.kinds.contains(&Column::Id) {
            return Err(fail("there is no id column (the user ids to sign)".into()));
        }
        // A row with every cell filled meets the same name and URL checks as any row.
        let probe = columns.probe();
        check_request(url, &probe).map_err(|error| fail(BadRow::from_core(&error).to_string()))?;
        Ok(columns)
    }

    fn probe(&self) -> LinkRequest<'_> {
        let mut identity = Identity::new(UserId::Text("probe"));
        let mut options = LinkOptions::default();
        for (name, kind) in self.names.iter().zip(&self.kinds) {
            fill(&mut identity, &mut options, name, *kind, "probe");
        }
        LinkRequest { identity, options }
    }
}

/// Puts one non-empty cell where its column says.
fn fill<'a>(identity: &mut Identity<'a>, options: &mut LinkOptions<'a>, name: &'a str, kind: Column, text: &'a str) {
    match kind {
        Column::Id => identity.id = UserId::Text(text),
        Column::Email => identity.email = Some(text),
        Column::Name => identity.name = Some(text),
        Column::Locale => options.locale = Some(text),
        Column::Tags => options.tags = Some(Tags::Joined(text)),
        Column::Trait => identity.traits.push(Trait { name, value: TraitValue::Text(text) }),
    }
}

/// Rows of one chunk as the `csv` crate parsed them (records are reused).
#[derive(Default)]
pub struct CsvChunk {
    columns: Arc<Columns>,
    records: Vec<ByteRecord>,
    lines: Vec<u64>,
    /// A row the parser already refused (a wrong number of fields).
    broken: Vec<Option<BadRow>>,
    len: usize,
    end_byte: u64,
}

impl Chunk for CsvChunk {
    fn len(&self) -> usize {
        self.len
    }

    fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }

    fn end_byte(&self) -> u64 {
        self.end_byte
    }

    fn request(&self, row: usize) -> Result<LinkRequest<'_>, BadRow> {
        if let Some(problem) = &self.broken[row] {
            return Err(problem.clone());
        }
        let columns = &*self.columns;
        // An empty id cell stays empty: the core refuses it, naming the column.
        let mut identity = Identity::new(UserId::Text(""));
        let mut options = LinkOptions::default();
        for (cell, (name, kind)) in self.records[row].iter().zip(columns.names.iter().zip(&columns.kinds)) {
            if cell.is_empty() {
                continue;
            }
            let text = std::str::from_utf8(cell).map_err(|_| BadRow::in_column(name, "the cell is not valid UTF-8"))?;
            fill(&mut identity, &mut options, name, *kind, text);
        }
        Ok(LinkRequest { identity, options })
    }
}

pub struct CsvReader {
    csv: csv::Reader<Tracked>,
    columns: Arc<Columns>,
    source: String,
}

impl CsvReader {
    /// Reads and checks the header; `source` names the input in messages.
    pub fn open(input: Box<dyn Read + Send>, source: String, url: &SurveyUrl<'_>) -> Result<Self, Failure> {
        let mut csv = csv::ReaderBuilder::new().buffer_capacity(1 << 16).from_reader(Tracked::new(input));
        let header = csv.byte_headers().map_err(|e| read_failed(&source, e))?;
        let columns = Columns::from_header(header, url)?;
        Ok(CsvReader { csv, columns: Arc::new(columns), source })
    }

    pub fn header(&self) -> &[String] {
        &self.columns.names
    }
}

impl Reader for CsvReader {
    type Chunk = CsvChunk;

    fn fill(&mut self, chunk: &mut CsvChunk, rows: usize) -> Result<(), Failure> {
        chunk.columns = Arc::clone(&self.columns);
        chunk.len = 0;
        while chunk.len < rows {
            let slot = chunk.len;
            if slot == chunk.records.len() {
                chunk.records.push(ByteRecord::new());
                chunk.lines.push(0);
                chunk.broken.push(None);
            }
            let record = &mut chunk.records[slot];
            chunk.broken[slot] = None;
            // Where the reading of this record began (its position, or the error's).
            let start = match self.csv.read_byte_record(record) {
                Ok(false) => break,
                Ok(true) => record.position().map(csv::Position::byte),
                Err(error) => match error.kind() {
                    csv::ErrorKind::UnequalLengths { pos, expected_len, len } => {
                        chunk.broken[slot] =
                            Some(BadRow::whole(format!("{len} fields, but the header has {expected_len}")));
                        pos.as_ref().map(csv::Position::byte)
                    }
                    _ => return Err(read_failed(&self.source, error)),
                },
            };
            // The csv crate gives every record a position; 0 would mark a bug, not a line.
            chunk.lines[slot] = start.map_or(0, |start| self.csv.get_mut().row_line(start));
            chunk.len += 1;
        }
        chunk.end_byte = self.csv.position().byte();
        Ok(())
    }
}

fn read_failed(source: &str, error: csv::Error) -> Failure {
    Failure::Error(format!("cannot read {source}: {error}"))
}

pub struct CsvWriter {
    csv: csv::Writer<Box<dyn Write + Send>>,
    target: Target,
}

impl CsvWriter {
    /// Writes the output's header: the input's columns, `signature`, `survey_link`.
    pub fn new(output: Box<dyn Write + Send>, target: Target, header: &[String]) -> Result<Self, Failure> {
        let mut writer =
            CsvWriter { csv: csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(output), target };
        let names = header.iter().map(String::as_str).chain(ADDED);
        writer.csv.write_record(names).map_err(|e| writer.failed(e))?;
        Ok(writer)
    }

    fn failed(&self, error: csv::Error) -> Failure {
        match error.into_kind() {
            csv::ErrorKind::Io(error) => self.target.write_failed(error),
            other => Failure::Error(format!("cannot write {}: {other:?}", self.target)),
        }
    }
}

impl Writer<CsvChunk> for CsvWriter {
    fn write_row(&mut self, chunk: &CsvChunk, row: usize, signature: &Signature, link: &str) -> Result<(), Failure> {
        let record = &chunk.records[row];
        let written = record
            .iter()
            .try_for_each(|cell| self.csv.write_field(cell))
            .and_then(|()| self.csv.write_field(signature.as_bytes()))
            .and_then(|()| self.csv.write_field(link))
            .and_then(|()| self.csv.write_record(std::iter::empty::<&[u8]>()));
        written.map_err(|e| self.failed(e))
    }

    fn finish(&mut self) -> Result<(), Failure> {
        self.csv.flush().map_err(|e| self.target.write_failed(e))
    }
}
