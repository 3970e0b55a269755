//! The chunk loop, three threads deep: a reader thread parses the next chunk
//! while this thread signs the current one (all cores, through the core's
//! batch engine) and a writer thread writes the previous one. At most a few
//! chunks are alive at once, whatever the input's length.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;

use refiner_identity::{check_request, LinkRequest, Signature, Signer, SurveyUrl};

use super::bad_row::BadRow;
use super::chunk::{Chunk, Reader, Writer, CHUNK_ROWS};
use super::progress::Progress;
use crate::Failure;

/// How a run ended: rows written and rows skipped (`--skip-invalid`).
pub struct Totals {
    pub written: u64,
    pub skipped: u64,
}

pub struct Run<'a> {
    pub signer: &'a Signer,
    pub url: &'a SurveyUrl<'a>,
    pub skip_invalid: bool,
    pub progress: &'a Progress,
}

/// Rows of a chunk to write (by position in the chunk), each with its signature and link.
struct Signed<C> {
    chunk: C,
    rows: Vec<usize>,
    links: Vec<(Signature, String)>,
}

impl Run<'_> {
    pub fn all<R, W>(&self, reader: R, writer: W) -> Result<Totals, Failure>
    where
        R: Reader,
        W: Writer<R::Chunk> + Send + 'static,
    {
        let (recycle, spare) = channel::<R::Chunk>();
        let chunks = spawn_reader(reader, spare)?;
        let (to_writer, for_writer) = sync_channel::<Signed<R::Chunk>>(1);
        let write_failed = Arc::new(AtomicBool::new(false));
        let writing = spawn_writer(writer, for_writer, recycle, Arc::clone(&write_failed))?;
        let mut totals = Totals { written: 0, skipped: 0 };
        let mut stopped = None;
        for chunk in chunks {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(failure) => {
                    stopped = Some(failure);
                    break;
                }
            };
            let (end_byte, len) = (chunk.end_byte(), chunk.len() as u64);
            let (signed, bad_row) = self.chunk(chunk, &mut totals, &write_failed)?;
            // A closed channel: the writer stopped on an error, which join reports.
            if to_writer.send(signed).is_err() {
                break;
            }
            if bad_row.is_some() {
                stopped = bad_row;
                break;
            }
            self.progress.advance(len, end_byte);
        }
        drop(to_writer);
        // The rows before a bad one are written before the run stops. A failed
        // write comes first: it was about those earlier rows, and a reader that
        // left (`| head -1`) must end the run quietly even when a bad row follows.
        let written = writing.join().unwrap_or_else(|_| Err(Failure::Error("the output writer failed".into())));
        written?;
        match stopped {
            Some(failure) => Err(failure),
            None => Ok(totals),
        }
    }

    /// Signs one chunk. The fast path is one batch call; rows are checked one
    /// by one only when the chunk holds a bad one. Without `--skip-invalid`,
    /// a bad row comes back with the rows before it.
    fn chunk<C: Chunk>(
        &self,
        chunk: C,
        totals: &mut Totals,
        write_failed: &AtomicBool,
    ) -> Result<(Signed<C>, Option<Failure>), Failure> {
        let mut requests: Vec<LinkRequest<'_>> = Vec::with_capacity(chunk.len());
        let mut rows: Vec<usize> = Vec::with_capacity(chunk.len());
        let mut bad: Vec<(usize, BadRow)> = Vec::new();
        for row in 0..chunk.len() {
            match chunk.request(row) {
                Ok(request) => {
                    requests.push(request);
                    rows.push(row);
                }
                Err(problem) => bad.push((row, problem)),
            }
        }
        if bad.is_empty() {
            if let Ok(links) = self.signer.signed_survey_links(self.url, &requests) {
                drop(requests);
                totals.written += rows.len() as u64;
                return Ok((Signed { chunk, rows, links }, None));
            }
        }
        let mut good = Vec::with_capacity(requests.len());
        let mut good_rows = Vec::with_capacity(rows.len());
        for (request, row) in requests.into_iter().zip(rows) {
            match check_request(self.url, &request) {
                Ok(()) => {
                    good.push(request);
                    good_rows.push(row);
                }
                Err(error) => bad.push((row, BadRow::from_core(&error))),
            }
        }
        bad.sort_by_key(|(row, _)| *row);
        let mut stop = None;
        if let (false, Some((first_bad, problem))) = (self.skip_invalid, bad.first()) {
            // The rows before the bad one still go out, so a run can be resumed after it.
            let before = good_rows.partition_point(|row| row < first_bad);
            good.truncate(before);
            good_rows.truncate(before);
            stop = Some(Failure::Error(problem.at_line(chunk.line(*first_bad))));
        } else {
            for (row, problem) in &bad {
                // Once the output failed the run is over: no more reports (its reader may have left).
                if write_failed.load(Ordering::Relaxed) {
                    break;
                }
                self.progress.report(&format!("skipped {}", problem.at_line(chunk.line(*row))));
            }
            totals.skipped += bad.len() as u64;
        }
        // Every request left passed the same checks the batch makes.
        let links = self.signer.signed_survey_links(self.url, &good).map_err(|e| Failure::Error(e.to_string()))?;
        drop(good);
        totals.written += good_rows.len() as u64;
        Ok((Signed { chunk, rows: good_rows, links }, stop))
    }
}

/// Reads chunks on their own thread, reusing the chunks the writer hands back.
/// Not joined: when the run stops early it does not wait for a read that may
/// block (a slow pipe); the process's exit ends the thread.
fn spawn_reader<R: Reader>(
    mut reader: R,
    spare: Receiver<R::Chunk>,
) -> Result<Receiver<Result<R::Chunk, Failure>>, Failure> {
    let (full, chunks) = sync_channel::<Result<R::Chunk, Failure>>(1);
    let read = move || loop {
        let mut chunk = spare.try_recv().unwrap_or_default();
        let sent = match reader.fill(&mut chunk, CHUNK_ROWS) {
            Ok(()) if chunk.len() == 0 => break,
            Ok(()) => full.send(Ok(chunk)),
            Err(failure) => {
                let _ = full.send(Err(failure));
                break;
            }
        };
        // A closed channel: the run stopped.
        if sent.is_err() {
            break;
        }
    };
    std::thread::Builder::new()
        .name("refiner-identity-read".into())
        .spawn(read)
        .map_err(|e| Failure::Error(format!("cannot start the input reader: {e}")))?;
    Ok(chunks)
}

/// Writes signed chunks in order on their own thread, then hands each chunk
/// back to the reader; `failed` tells the signer once a write has failed.
fn spawn_writer<C: Chunk, W: Writer<C> + Send + 'static>(
    mut writer: W,
    signed: Receiver<Signed<C>>,
    recycle: Sender<C>,
    failed: Arc<AtomicBool>,
) -> Result<JoinHandle<Result<(), Failure>>, Failure> {
    let write = move || {
        let written = write_chunks(&mut writer, signed, &recycle);
        failed.store(written.is_err(), Ordering::Relaxed);
        written
    };
    std::thread::Builder::new()
        .name("refiner-identity-write".into())
        .spawn(write)
        .map_err(|e| Failure::Error(format!("cannot start the output writer: {e}")))
}

fn write_chunks<C: Chunk, W: Writer<C>>(
    writer: &mut W,
    signed: Receiver<Signed<C>>,
    recycle: &Sender<C>,
) -> Result<(), Failure> {
    for Signed { chunk, rows, links } in signed {
        for (row, (signature, link)) in rows.iter().zip(&links) {
            writer.write_row(&chunk, *row, signature, link)?;
        }
        // The reader may have ended already: then the chunk is just dropped.
        let _ = recycle.send(chunk);
    }
    writer.finish()
}
