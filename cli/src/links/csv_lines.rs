//! The line each CSV row starts on. The `csv` crate's own line count is taken
//! before a row is read (the previous row's `\n` after `\r`, and blank lines,
//! not yet passed) and counts `\n` only, so a lone `\r` never ends a line.
//! Here the input passes through [`Tracked`], which keeps the bytes read since
//! the last row's start; a row's line is counted over those bytes, up to its
//! first byte. `\n`, `\r\n` and a lone `\r` each end a line, as they end a
//! record for the `csv` crate.

use std::io::{self, Read};

/// The input as the `csv` crate reads it, with the bytes not yet counted.
pub struct Tracked {
    inner: Box<dyn Read + Send>,
    /// Bytes read from `inner`, from input offset `kept_from` on.
    kept: Vec<u8>,
    kept_from: u64,
    /// How many of `kept` are counted into `line`.
    counted: usize,
    /// The line of byte `kept_from + counted` (1-based).
    line: u64,
    /// The byte before that one was `\r` (a `\n` next ends no new line).
    after_cr: bool,
}

impl Tracked {
    pub fn new(inner: Box<dyn Read + Send>) -> Self {
        Tracked { inner, kept: Vec::new(), kept_from: 0, counted: 0, line: 1, after_cr: false }
    }

    /// The line of the row whose reading began at input offset `start`: its
    /// first byte is the first after `start` that is not `\r` or `\n` (the
    /// `csv` crate skips those before a record). Rows must come in order.
    pub fn row_line(&mut self, start: u64) -> u64 {
        let start = usize::try_from(start.saturating_sub(self.kept_from)).unwrap_or(usize::MAX).min(self.kept.len());
        let first = start.max(self.counted);
        let first = first + self.kept[first..].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        self.count_to(first);
        self.line
    }

    fn count_to(&mut self, end: usize) {
        let bytes = &self.kept[self.counted..end];
        for at in memchr::memchr2_iter(b'\r', b'\n', bytes) {
            // A `\n` right after `\r` ends the line the `\r` already ended.
            let after_cr = if at == 0 { self.after_cr } else { bytes[at - 1] == b'\r' };
            if bytes[at] == b'\r' || !after_cr {
                self.line += 1;
            }
        }
        if let Some(&last) = bytes.last() {
            self.after_cr = last == b'\r';
        }
        self.counted = end;
    }
}

impl Read for Tracked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // The rows before the one being read are counted: their bytes can go.
        // What stays is the current row's bytes so far, so memory stays flat.
        self.kept.drain(..self.counted);
        self.kept_from += self.counted as u64;
        self.counted = 0;
        let read = self.inner.read(buf)?;
        self.kept.extend_from_slice(&buf[..read]);
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of every record of `input` after the header, as read by the `csv` crate.
    fn lines(input: &'static [u8]) -> Vec<u64> {
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(Tracked::new(Box::new(input)));
        csv.byte_headers().unwrap();
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while csv.read_byte_record(&mut record).unwrap() {
            let start = record.position().unwrap().byte();
            lines.push(csv.get_mut().row_line(start));
        }
        lines
    }

    #[test]
    fn every_terminator_ends_one_line() {
        assert_eq!(lines(b"id\na\nb\n"), [2, 3]);
        assert_eq!(lines(b"id\r\na\r\nb\r\n"), [2, 3]);
        assert_eq!(lines(b"id\ra\rb\r"), [2, 3]);
        assert_eq!(lines(b"id\r\na\nb\rc"), [2, 3, 4]);
    }

    #[test]
    fn blank_lines_count() {
        assert_eq!(lines(b"id\n\n\na\n\nb\n"), [4, 6]);
        assert_eq!(lines(b"id\r\n\r\n\r\na\r\n\rb"), [4, 6]);
        assert_eq!(lines(b"id\n\r\n\ra"), [4]);
    }

    #[test]
    fn line_ends_in_quoted_cells_count() {
        assert_eq!(lines(b"id,n\na,\"x\r\ny\r\nz\"\r\nb,1\r\n"), [2, 5]);
        assert_eq!(lines(b"id,n\na,\"x\ry\n\nz\"\rb,1"), [2, 6]);
        // A quoted cell may start with a line end.
        assert_eq!(lines(b"id\n\"\nx\"\nb\n"), [2, 4]);
    }

    #[test]
    fn a_row_longer_than_the_buffer() {
        let mut input = b"id,n\r\na,\"".to_vec();
        input.extend(b"x\r\n".repeat(100_000));
        input.extend(b"\"\r\n\r\nb,1\r\n");
        let input: &'static [u8] = input.leak();
        assert_eq!(lines(input), [2, 100_004]);
    }
}
