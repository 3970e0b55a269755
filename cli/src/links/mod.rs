//! `links`: signed survey links in bulk, streamed from CSV or JSON Lines
//! (SPEC.md section 7).

mod bad_row;
mod chunk;
mod csv_lines;
mod csv_rows;
mod driver;
mod files;
mod json_rows;
mod progress;

use refiner_identity::{Signer, SurveyUrl};

use crate::args::LinksOptions;
use crate::Failure;
use csv_rows::{CsvReader, CsvWriter};
use driver::Run;
use json_rows::{JsonReader, JsonWriter};
use progress::Progress;

pub fn run(signer: &Signer, options: &LinksOptions) -> Result<(), Failure> {
    let url = SurveyUrl::parse(&options.survey_url).map_err(|e| Failure::Error(format!("--survey-url: {e}")))?;
    let input = files::open_input(options.input.as_deref())?;
    let progress = Progress::new(input.size);
    let run = Run { signer, url: &url, skip_invalid: options.skip_invalid, progress: &progress };
    // The input is read from before the output is created (or truncated).
    let totals = if options.json_lines {
        let reader = JsonReader::open(input.reader, input.name)?;
        let (output, target) = files::open_output(options.output.as_deref(), options.input.as_deref())?;
        run.all(reader, JsonWriter::new(output, target))
    } else {
        // The header is checked before the output is created too.
        let reader = CsvReader::open(input.reader, input.name, &url)?;
        let (output, target) = files::open_output(options.output.as_deref(), options.input.as_deref())?;
        let writer = CsvWriter::new(output, target, reader.header())?;
        run.all(reader, writer)
    };
    progress.finish();
    let totals = totals?;
    if totals.skipped > 0 {
        let rows = totals.written + totals.skipped;
        progress.report(&format!("{} of {rows} rows skipped as invalid (each reported above)", totals.skipped));
    }
    Ok(())
}
