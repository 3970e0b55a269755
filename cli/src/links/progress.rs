//! The progress bar, on standard error and only when it is a terminal (a log
//! file or a pipe gets no control sequences).

use std::cell::Cell;
use std::io::{self, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    /// The bar counts input bytes when the input's size is known, rows otherwise.
    by_bytes: bool,
    rows: Cell<u64>,
}

impl Progress {
    /// A bar over `input_bytes` (a file's size), or a row counter when unknown.
    pub fn new(input_bytes: Option<u64>) -> Self {
        if !io::stderr().is_terminal() {
            return Progress { bar: None, by_bytes: false, rows: Cell::new(0) };
        }
        let target = ProgressDrawTarget::stderr();
        let bar = match input_bytes {
            Some(total) => ProgressBar::with_draw_target(Some(total), target).with_style(
                ProgressStyle::with_template("{bar:40} {percent:>3}% {msg} rows, {elapsed} elapsed, {eta} left")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => ProgressBar::with_draw_target(None, target).with_style(
                ProgressStyle::with_template("{spinner} {pos} rows, {elapsed} elapsed")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        Progress { bar: Some(bar), by_bytes: input_bytes.is_some(), rows: Cell::new(0) }
    }

    /// `rows` more rows done; the input has been read up to `byte`.
    pub fn advance(&self, rows: u64, byte: u64) {
        let Some(bar) = &self.bar else { return };
        if self.by_bytes {
            self.rows.set(self.rows.get() + rows);
            bar.set_position(byte);
            bar.set_message(self.rows.get().to_string());
        } else {
            bar.inc(rows);
        }
    }

    /// A line on standard error, above the bar when there is one.
    pub fn report(&self, message: &str) {
        let line = || {
            let _ = writeln!(io::stderr(), "refiner-identity: {message}");
        };
        match &self.bar {
            Some(bar) => bar.suspend(line),
            None => line(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
