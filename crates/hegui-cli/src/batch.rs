//! Batch scanning: `hegui scan --jsonl` (JSON Lines records) and `hegui scan --lines`
//! (each line one message). One output record for every input line, in input order.
//!
//! `--threads N` workers share the work and nothing else runs: each takes the next chunk
//! of whole lines from the input (under a lock, read straight into the worker's own
//! buffer), scans and serialises its lines, and hands the records to the output, which
//! writes every chunk in input order as soon as the chunks before it are written.
//! Memory is bounded by a few chunks per worker, not by the input size.
//!
//! Every record is parsed once ([`Input`]: `id` and `text` apart, the other fields in a
//! map). The common record, `{"id", "text"}` in and `{"id", "verdict", "findings"}` out,
//! is read and written without a JSON value in between ([`PlainRecord`]); any other
//! shape goes through [`message_record`], which writes the same bytes for it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use hegui_core::{Message, Report, Scanner, Severity, Verdict};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::Outcome;

/// Bytes read per chunk (its whole lines; a longer line makes a longer chunk).
const CHUNK_BYTES: usize = 512 << 10;
/// Chunks each worker may have read ahead of the output: while one worker scans a slow
/// chunk, the others go on until the output holds this many chunks per worker.
const CHUNKS_AHEAD_PER_WORKER: usize = 2;
/// Inputs at least this large get a progress bar when stderr is a terminal.
const PROGRESS_MIN_BYTES: u64 = 4 << 20;

/// How the input lines are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Each line is a JSON object with `text` (and optional `id`, `channel`, …).
    Jsonl,
    /// Each line is one message; the record id is `"line": n`.
    Lines,
}

/// What a batch run should do.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    /// Channel of records that do not name one.
    pub(crate) channel: Option<&'a str>,
    pub(crate) mode: Mode,
    pub(crate) threshold: Severity,
    /// Print only the totals, not one record per line.
    pub(crate) summary: bool,
    /// Print the summary as JSON.
    pub(crate) summary_json: bool,
    /// Replace invalid UTF-8 instead of answering with an error record (`--lines`).
    pub(crate) lossy: bool,
    /// Show a progress bar when stderr is a terminal and the input is large.
    pub(crate) progress: bool,
}

/// Scans the paths (stdin when none) on `threads` workers and writes one record per input
/// line, or the summary.
pub(crate) fn run(
    scanner: &Scanner,
    threads: usize,
    paths: &[String],
    options: Options<'_>,
) -> Result<Outcome> {
    let paths: Vec<&str> = if paths.is_empty() {
        vec!["-"]
    } else {
        paths.iter().map(String::as_str).collect()
    };
    // Not locked: the workers take turns writing through the output's own lock.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let mut outcome = Outcome::Clean;
    let mut summary = Summary::default();
    let started = Instant::now();
    for path in paths {
        let (reader, size): (Box<dyn Read + Send>, Option<u64>) = if path == "-" {
            (Box::new(std::io::stdin()), None)
        } else {
            let file = std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?;
            let size = file.metadata().ok().map(|m| m.len());
            (Box::new(file), size)
        };
        let name = crate::input::display_name(path);
        let progress = (options.progress && std::io::stderr().is_terminal())
            .then_some(size)
            .flatten()
            .filter(|&s| s >= PROGRESS_MIN_BYTES)
            .map(|s| progress_bar(s, &name));
        let stream = Stream {
            scanner,
            threads: threads.max(1),
            chunk_bytes: CHUNK_BYTES,
            name: &name,
            options: &options,
            progress: progress.as_ref(),
        };
        outcome = outcome.max(stream.scan(reader, &mut out, &mut summary)?);
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    if options.summary {
        if options.summary_json {
            serde_json::to_writer_pretty(&mut out, &summary.to_json())?;
            writeln!(out)?;
        } else {
            summary.write_text(&mut out)?;
        }
    }
    out.flush()?;
    Ok(outcome)
}

fn progress_bar(size: u64, name: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(size);
    let style = indicatif::ProgressStyle::with_template(
        "{msg} {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(name.to_owned());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// One input being scanned.
struct Stream<'a> {
    scanner: &'a Scanner,
    /// Worker threads (at least one: the calling thread).
    threads: usize,
    /// Bytes per chunk ([`CHUNK_BYTES`]; smaller in tests).
    chunk_bytes: usize,
    name: &'a str,
    options: &'a Options<'a>,
    progress: Option<&'a indicatif::ProgressBar>,
}

impl Stream<'_> {
    fn scan(
        &self,
        reader: impl Read + Send,
        out: &mut (impl Write + Send),
        summary: &mut Summary,
    ) -> Result<Outcome> {
        let shared = Shared {
            reading: Mutex::new(Reading {
                chunks: ChunkReader::new(reader, self.name, self.chunk_bytes),
                taken: 0,
                error: None,
            }),
            writing: Mutex::new(Writing {
                out,
                summary,
                write_records: !self.options.summary,
                progress: self.progress,
                written: 0,
                scanned: BTreeMap::new(),
                outcome: Outcome::Clean,
                stopped: false,
                error: None,
            }),
            room: Condvar::new(),
            ahead: self.threads * CHUNKS_AHEAD_PER_WORKER,
        };
        // The calling thread is one of the workers.
        std::thread::scope(|scope| {
            for _ in 1..self.threads {
                scope.spawn(|| self.work(&shared));
            }
            self.work(&shared);
        });
        let reading = shared
            .reading
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let writing = shared
            .writing
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        // A failed write stops the run first; a read error comes after the lines before it.
        match (writing.error, reading.error) {
            (Some(e), _) | (None, Some(e)) => Err(e),
            (None, None) => Ok(writing.outcome),
        }
    }

    /// One worker: takes chunks until the input ends or the run stops, scans each and
    /// hands its records to the output.
    fn work<W: Write>(&self, shared: &Shared<'_, impl Read, W>) {
        // A worker that panics stops the others, which would otherwise wait for its chunk.
        let _stop_on_panic = StopOnPanic(shared);
        let mut chunk = Chunk::default();
        loop {
            let number = {
                // The input stays locked while this worker waits for room: no other
                // worker could take a chunk meanwhile either.
                let mut reading = lock(&shared.reading);
                {
                    let mut writing = lock(&shared.writing);
                    while !writing.stopped && reading.taken - writing.written >= shared.ahead {
                        writing = shared
                            .room
                            .wait(writing)
                            .unwrap_or_else(PoisonError::into_inner);
                    }
                    if writing.stopped {
                        return;
                    }
                }
                match reading.chunks.next(&mut chunk) {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => {
                        reading.error = Some(e);
                        return;
                    }
                }
                reading.taken += 1;
                reading.taken - 1
            };
            let records: Vec<Record> = chunk
                .lines()
                .map(|(number, line)| self.record(line, number))
                .collect();
            let scanned = Scanned {
                records,
                bytes: chunk.data.len(),
            };
            let mut writing = lock(&shared.writing);
            if writing.stopped {
                return;
            }
            writing.scanned.insert(number, scanned);
            if let Err(e) = writing.write_ready() {
                writing.error = Some(e);
                writing.stopped = true;
            }
            drop(writing);
            shared.room.notify_all();
        }
    }

    /// The output record of one input line.
    fn record(&self, raw: &[u8], number: usize) -> Record {
        let record = match self.options.mode {
            Mode::Jsonl => jsonl_record(self.scanner, raw, number, self.options.channel),
            Mode::Lines => lines_record(
                self.scanner,
                raw,
                number,
                self.options.lossy,
                self.options.channel,
            ),
        };
        // With `--summary` the records are counted, not written: no JSON for them.
        let written = |json: &dyn Fn() -> Vec<u8>| {
            if self.options.summary {
                Vec::new()
            } else {
                json()
            }
        };
        let (output, report) = match record {
            Ok(pair) => pair,
            Err(value) => {
                return Record {
                    json: written(&|| serde_json::to_vec(&value).unwrap_or_default()),
                    outcome: Outcome::Error,
                    verdict: None,
                    rules: Vec::new(),
                }
            }
        };
        let outcome = if report.verdict.reaches(self.options.threshold) {
            Outcome::Findings
        } else {
            Outcome::Clean
        };
        Record {
            json: written(&|| output.to_json(&report)),
            outcome,
            verdict: Some(report.verdict),
            rules: report
                .findings
                .iter()
                .map(|f| (Arc::clone(&f.rule_id), Arc::clone(&f.category)))
                .collect(),
        }
    }
}

/// A scanned line's record before it is written.
#[derive(Debug)]
enum Output {
    /// Built as a JSON value (a structured message, or one with its own channel).
    Value(Value),
    /// `{key: id, …passed-through fields, "verdict", "findings"}`, written straight
    /// from the report: a text message, without building a JSON value for it first.
    Plain {
        /// `"id"` or `"line"`.
        key: &'static str,
        id: Value,
        /// The input's other fields, written back as [`message_record`] does.
        extra: Map<String, Value>,
    },
}

impl Output {
    /// The record as one line of JSON (without the newline).
    fn to_json(&self, report: &Report) -> Vec<u8> {
        let written = match self {
            Output::Value(value) => serde_json::to_vec(value),
            Output::Plain { key, id, extra } => serde_json::to_vec(&PlainRecord {
                key: Some((key, id)),
                extra,
                report,
            }),
        };
        written.unwrap_or_default()
    }
}

/// A scanned message's record, `{key: id, …extra, "verdict": …, "findings": […]}`:
/// written straight from the report for text messages, and the JSON value
/// [`message_record`] returns for any shape.
struct PlainRecord<'a> {
    /// `("id", id)`, or the caller's fallback (`line`, `index`); none for a single
    /// message without id.
    key: Option<(&'a str, &'a Value)>,
    /// The input's fields; those that [`passes_through`] are written.
    extra: &'a Map<String, Value>,
    report: &'a Report,
}

impl Serialize for PlainRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some((key, id)) = self.key {
            map.serialize_entry(key, id)?;
        }
        for (field, value) in self.extra {
            if passes_through(field) {
                map.serialize_entry(field, value)?;
            }
        }
        map.serialize_entry("verdict", &self.report.verdict)?;
        map.serialize_entry("findings", &self.report.findings)?;
        map.end()
    }
}

/// Whether an input field is written back into the output record: not the content,
/// nor a name the record itself uses.
fn passes_through(field: &str) -> bool {
    !CONTENT_FIELDS.contains(&field)
        && !matches!(field, "line" | "index" | "verdict" | "findings" | "error")
}

/// A JSON Lines record read in one pass: `id` and `text` apart (the text borrowed from
/// the line unless it has escapes), every other field in `rest`, in order. A repeated
/// `id` or `text`, or a text that is not a string, fails to deserialise; such lines are
/// parsed again as a JSON value, where the last of repeated keys wins.
#[derive(Deserialize)]
struct Input<'a> {
    /// `"id": null` is an id too (`Some(Value::Null)`), as on the general path.
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    #[serde(borrow, default, deserialize_with = "borrowed_text")]
    text: Option<Cow<'a, str>>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// A text, borrowed from the line when it has no escapes (serde's own `borrow` copies
/// every text into a new string when the field is an `Option`); `null` is `None`.
fn borrowed_text<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    struct Text;
    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = Option<Cow<'de, str>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(text)))
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(text.to_owned())))
        }
        fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(text)))
        }
    }
    deserializer.deserialize_option(Text)
}

/// A field that is present, whatever its value (`null` included).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// Input lines read together: one buffer, and where each line ends in it.
#[derive(Default)]
struct Chunk {
    /// The lines, each with its `\n` (the last one may lack it).
    data: Vec<u8>,
    /// Line number of the first line.
    first: usize,
    /// End offset in `data` of every line.
    ends: Vec<usize>,
}

impl Chunk {
    /// The numbered lines.
    fn lines(&self) -> impl Iterator<Item = (usize, &[u8])> {
        self.ends.iter().enumerate().map(|(i, &end)| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            (self.first + i, &self.data[start..end])
        })
    }
}

/// Reads an input in chunks of the whole lines among about `chunk_bytes` bytes (a line
/// longer than that makes its chunk longer), numbering the lines.
///
/// The input is read straight into the chunk's buffer, and its line ends found with one
/// SIMD search; only the start of a line that a read cut off is copied, to begin the
/// next chunk. (Read line by line, reading took a twentieth of a two-thread batch's
/// CPU; read through a `BufReader` and copied into the chunk, a tenth, `perf record` of
/// the corpus as JSON Lines.)
struct ChunkReader<'a, R> {
    reader: R,
    /// The input's name, for errors.
    name: &'a str,
    chunk_bytes: usize,
    /// Number of the next line.
    first: usize,
    /// The start of a line that the last read cut off.
    carry: Vec<u8>,
    /// A read error, given after the lines read before it.
    error: Option<std::io::Error>,
    ended: bool,
}

impl<'a, R: Read> ChunkReader<'a, R> {
    fn new(reader: R, name: &'a str, chunk_bytes: usize) -> Self {
        ChunkReader {
            reader,
            name,
            chunk_bytes,
            first: 1,
            carry: Vec::new(),
            error: None,
            ended: false,
        }
    }

    /// Fills `chunk` (whatever it held) with the next lines: `Ok(true)` when it holds
    /// some, `Ok(false)` at the end of the input. A read error is returned once, after
    /// the whole lines before it; the input has ended then.
    fn next(&mut self, chunk: &mut Chunk) -> Result<bool> {
        loop {
            if let Some(e) = self.error.take() {
                self.ended = true;
                let name = self.name;
                return Err(anyhow::Error::new(e).context(format!("cannot read {name}")));
            }
            if self.ended {
                return Ok(false);
            }
            chunk.data.clear();
            chunk.ends.clear();
            chunk.first = self.first;
            chunk.data.append(&mut self.carry);
            let filled = fill_chunk(&mut self.reader, chunk, self.chunk_bytes);
            // Bytes after the last line end: the start of the next chunk's first line, or
            // the input's last line (without a newline) when the input ends here.
            let whole = chunk.ends.last().copied().unwrap_or(0);
            match filled {
                Ok(Filled::More) => self.carry.extend_from_slice(&chunk.data[whole..]),
                Ok(Filled::End) if whole < chunk.data.len() => chunk.ends.push(chunk.data.len()),
                Ok(Filled::End) | Err(_) => {}
            }
            chunk.data.truncate(chunk.ends.last().copied().unwrap_or(0));
            self.first += chunk.ends.len();
            match filled {
                Ok(Filled::More) => {}
                Ok(Filled::End) => self.ended = true,
                Err(e) => self.error = Some(e),
            }
            if !chunk.ends.is_empty() {
                return Ok(true);
            }
        }
    }
}

/// What the workers of one input share.
struct Shared<'a, R, W> {
    reading: Mutex<Reading<'a, R>>,
    writing: Mutex<Writing<'a, W>>,
    /// Signalled when chunks are written (room to read more) or the run stops.
    room: Condvar,
    /// Chunks that may be taken but not yet written.
    ahead: usize,
}

/// The input side: the next chunk, taken in turn.
struct Reading<'a, R> {
    chunks: ChunkReader<'a, R>,
    /// Chunks taken so far (the next chunk's number).
    taken: usize,
    /// The read error that ended the input.
    error: Option<anyhow::Error>,
}

/// The output side: scanned chunks, written in input order.
struct Writing<'a, W> {
    out: &'a mut W,
    summary: &'a mut Summary,
    /// Write one record per line (not with `--summary`).
    write_records: bool,
    progress: Option<&'a indicatif::ProgressBar>,
    /// Chunks written so far (the number of the next chunk to write).
    written: usize,
    /// Scanned chunks waiting for the chunks before them, by number.
    scanned: BTreeMap<usize, Scanned>,
    outcome: Outcome,
    /// A write failed or a worker panicked: take no more chunks.
    stopped: bool,
    error: Option<anyhow::Error>,
}

impl<W: Write> Writing<'_, W> {
    /// Writes the scanned chunks that are next in input order.
    fn write_ready(&mut self) -> Result<()> {
        while let Some(Scanned { records, bytes }) = self.scanned.remove(&self.written) {
            for record in records {
                self.outcome = self.outcome.max(record.outcome);
                self.summary.add(&record);
                if self.write_records {
                    self.out.write_all(&record.json)?;
                    self.out.write_all(b"\n")?;
                }
            }
            self.summary.bytes += bytes as u64;
            if let Some(bar) = self.progress {
                bar.inc(bytes as u64);
            }
            self.written += 1;
        }
        Ok(())
    }
}

/// Stops the run when the worker holding it panics (its chunk will never be written).
struct StopOnPanic<'s, 'a, R, W>(&'s Shared<'a, R, W>);

impl<R, W> Drop for StopOnPanic<'_, '_, R, W> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(&self.0.writing).stopped = true;
            self.0.room.notify_all();
        }
    }
}

/// Locks `mutex`; a worker that panicked holding it has stopped the run already.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How [`fill_chunk`] ended.
enum Filled {
    /// The chunk holds a whole line and its size; the input goes on.
    More,
    /// The input has ended.
    End,
}

/// Reads into `chunk` until it holds at least `chunk_bytes` bytes and a whole line, or
/// the input ends, and records the line ends of what it read.
fn fill_chunk(
    reader: &mut impl Read,
    chunk: &mut Chunk,
    chunk_bytes: usize,
) -> std::io::Result<Filled> {
    // What was carried over holds no line end.
    let mut searched = chunk.data.len();
    loop {
        // Up to the chunk's size; past it (the rest of a long line), as much again as
        // the chunk holds, so that a long line takes few reads.
        let room = match chunk_bytes.checked_sub(chunk.data.len()) {
            Some(left) if left > 0 => left,
            _ => chunk.data.len().max(4096),
        };
        let read = Read::take(&mut *reader, room as u64).read_to_end(&mut chunk.data);
        for at in memchr::memchr_iter(b'\n', &chunk.data[searched..]) {
            chunk.ends.push(searched + at + 1);
        }
        searched = chunk.data.len();
        // `read_to_end` stops early only at the end of the input.
        if read? < room {
            return Ok(Filled::End);
        }
        if chunk.data.len() >= chunk_bytes && !chunk.ends.is_empty() {
            return Ok(Filled::More);
        }
    }
}

/// A scanned chunk: its records, and its size in input bytes.
struct Scanned {
    records: Vec<Record>,
    bytes: usize,
}

/// One scanned line, serialised, with what the summary needs.
struct Record {
    json: Vec<u8>,
    outcome: Outcome,
    /// `None` for an error record.
    verdict: Option<Verdict>,
    /// (rule id, category) of every finding.
    rules: Vec<(Arc<str>, Arc<str>)>,
}

/// An error record: the record's key (`id` or `line`) and the message.
pub(crate) fn error_record(key: (&str, Value), message: String) -> Value {
    let mut record = Map::new();
    record.insert(key.0.to_owned(), key.1);
    record.insert("error".to_owned(), Value::String(message));
    Value::Object(record)
}

/// Record of a JSON Lines input line: `id` (or `line`), the input's other fields except
/// `text` (e.g. `channel`), `verdict`, `findings`.
fn jsonl_record(
    scanner: &Scanner,
    raw: &[u8],
    number: usize,
    channel: Option<&str>,
) -> Result<(Output, Report), Value> {
    let line_key = ("line", json!(number));
    // SIMD validation: `std::str::from_utf8` took 9 % of a batch of Chinese records.
    let text = simdutf8::compat::from_utf8(raw).map_err(|e| {
        error_record(
            line_key.clone(),
            format!("invalid UTF-8 at byte {} of line {number}", e.valid_up_to()),
        )
    })?;
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return Err(error_record(line_key, format!("line {number} is empty")));
    }
    let object = match serde_json::from_str::<Input<'_>>(text) {
        // Text messages (`{"id", "text"}` and any fields to pass through) are scanned
        // and written without building a JSON value.
        Ok(Input {
            id,
            text: Some(text),
            rest,
        }) if !rest.keys().any(|k| STRUCTURE_FIELDS.contains(&k.as_str())) => {
            let (key, id) = match id {
                Some(id) => ("id", id),
                None => line_key,
            };
            return match scanner.scan_in(&text, channel) {
                Ok(report) => Ok((
                    Output::Plain {
                        key,
                        id,
                        extra: rest,
                    },
                    report,
                )),
                Err(e) => Err(error_record((key, id), format!("line {number}: {e}"))),
            };
        }
        Ok(Input { id, text, mut rest }) => {
            if let Some(id) = id {
                rest.insert("id".to_owned(), id);
            }
            if let Some(text) = text {
                rest.insert("text".to_owned(), Value::String(text.into_owned()));
            }
            rest
        }
        Err(_) => general_object(text, number)?,
    };
    message_record(
        scanner,
        object,
        Some(line_key),
        &format!("line {number}"),
        channel,
    )
    .map(|(value, report)| (Output::Value(value), report))
}

/// A line that [`Input`] does not take, as a JSON object, or its error record.
fn general_object(text: &str, number: usize) -> Result<Map<String, Value>, Value> {
    let line_key = ("line", json!(number));
    let value: Value = serde_json::from_str(text).map_err(|e| {
        error_record(
            line_key.clone(),
            format!("line {number}: invalid JSON: {e}"),
        )
    })?;
    match value {
        Value::Object(object) => Ok(object),
        _ => Err(error_record(
            line_key,
            format!("line {number}: expected a JSON object"),
        )),
    }
}

/// Fields of a structured message; they are scanned, not passed through.
const CONTENT_FIELDS: &[&str] = &["text", "title", "digest", "html", "url", "appid", "path"];

/// Fields that make a record more than a text message: [`message_record`] reads them
/// (a structured message, or a channel of its own).
const STRUCTURE_FIELDS: &[&str] = &[
    "title", "digest", "html", "url", "path", "appid", "type", "channel",
];

/// Record of one message object `{"id"?, "text" | "title" | "html" | …, "channel"?, …}`:
/// `id` (or the `fallback` key), the other fields except the content, `verdict`,
/// `findings`; or an error record naming `place`. A record with only `text` (and no
/// channel) is scanned exactly as plain text; structured records name each finding's
/// `field`.
pub(crate) fn message_record(
    scanner: &Scanner,
    mut object: Map<String, Value>,
    fallback: Option<(&str, Value)>,
    place: &str,
    default_channel: Option<&str>,
) -> Result<(Value, Report), Value> {
    let key = match object.shift_remove("id") {
        Some(id) => Some(("id", id)),
        None => fallback,
    };
    let fail = |key: Option<(&str, Value)>, message: String| {
        let mut record = Map::new();
        if let Some((name, value)) = key {
            record.insert(name.to_owned(), value);
        }
        record.insert("error".to_owned(), Value::String(message));
        Value::Object(record)
    };
    let channel = match object.get("channel") {
        None => default_channel.map(str::to_owned),
        Some(Value::String(channel)) => Some(channel.clone()),
        Some(_) => {
            return Err(fail(
                key,
                format!("{place}: field `channel` must be a string"),
            ))
        }
    };
    let structured = STRUCTURE_FIELDS
        .iter()
        .any(|k| *k != "channel" && object.contains_key(*k));
    let result = if structured {
        let mut fields = Map::new();
        for name in CONTENT_FIELDS.iter().chain(&["type"]) {
            if let Some(value) = object.get(*name) {
                fields.insert((*name).to_owned(), value.clone());
            }
        }
        let mut message: Message = match serde_json::from_value(Value::Object(fields)) {
            Ok(message) => message,
            Err(e) => return Err(fail(key, format!("{place}: {e}"))),
        };
        message.channel = channel;
        scanner.scan_message(&message)
    } else {
        match object.get("text") {
            Some(Value::String(text)) => scanner.scan_in(text, channel.as_deref()),
            _ => {
                return Err(fail(
                    key,
                    format!("{place}: field `text` (a string) is missing"),
                ))
            }
        }
    };
    let report = match result {
        Ok(report) => report,
        Err(e) => return Err(fail(key, format!("{place}: {e}"))),
    };
    let record = PlainRecord {
        key: key.as_ref().map(|(name, id)| (*name, id)),
        extra: &object,
        report: &report,
    };
    match serde_json::to_value(&record) {
        Ok(value) => Ok((value, report)),
        Err(e) => Err(fail(key, format!("{place}: {e}"))),
    }
}

/// Record of a `--lines` input line: `{"line": n, "verdict", "findings"}`.
fn lines_record(
    scanner: &Scanner,
    raw: &[u8],
    number: usize,
    lossy: bool,
    channel: Option<&str>,
) -> Result<(Output, Report), Value> {
    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let text = match simdutf8::compat::from_utf8(raw) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) if lossy => String::from_utf8_lossy(raw),
        Err(e) => {
            return Err(error_record(
                ("line", json!(number)),
                format!(
                "invalid UTF-8 at byte {} of line {number} (use --lossy to replace invalid bytes)",
                e.valid_up_to()
            ),
            ))
        }
    };
    let report = scanner
        .scan_in(&text, channel)
        .map_err(|e| error_record(("line", json!(number)), format!("line {number}: {e}")))?;
    let record = Output::Plain {
        key: "line",
        id: json!(number),
        extra: Map::new(),
    };
    Ok((record, report))
}

/// Totals of a batch run (`--summary`).
#[derive(Debug, Default)]
struct Summary {
    messages: u64,
    errors: u64,
    verdicts: BTreeMap<Verdict, u64>,
    categories: BTreeMap<Arc<str>, u64>,
    rules: BTreeMap<Arc<str>, u64>,
    bytes: u64,
    seconds: f64,
}

impl Summary {
    fn add(&mut self, record: &Record) {
        self.messages += 1;
        let Some(verdict) = record.verdict else {
            self.errors += 1;
            return;
        };
        *self.verdicts.entry(verdict).or_default() += 1;
        for (rule, category) in &record.rules {
            *self.rules.entry(Arc::clone(rule)).or_default() += 1;
            *self.categories.entry(Arc::clone(category)).or_default() += 1;
        }
    }

    fn mb_per_second(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }

    /// Rules by descending count, then id.
    fn rules_by_count(&self) -> Vec<(&Arc<str>, u64)> {
        let mut rules: Vec<_> = self.rules.iter().map(|(r, n)| (r, *n)).collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        rules
    }

    fn to_json(&self) -> Value {
        let verdicts: Map<String, Value> = [
            Verdict::Pass,
            Verdict::Notice,
            Verdict::Review,
            Verdict::Block,
        ]
        .into_iter()
        .map(|v| {
            (
                v.as_str().to_owned(),
                json!(self.verdicts.get(&v).copied().unwrap_or(0)),
            )
        })
        .collect();
        json!({
            "messages": self.messages,
            "errors": self.errors,
            "verdicts": verdicts,
            "findings": self.rules.values().sum::<u64>(),
            "categories": self.categories,
            "rules": self.rules_by_count().into_iter().map(|(r, n)| (r.to_string(), json!(n))).collect::<Map<_, _>>(),
            "bytes": self.bytes,
            "seconds": self.seconds,
            "mb_per_second": self.mb_per_second(),
        })
    }

    fn write_text(&self, out: &mut impl Write) -> Result<()> {
        let count = |v: Verdict| self.verdicts.get(&v).copied().unwrap_or(0);
        writeln!(
            out,
            "{} messages: {} pass, {} notice, {} review, {} block, {} errors",
            self.messages,
            count(Verdict::Pass),
            count(Verdict::Notice),
            count(Verdict::Review),
            count(Verdict::Block),
            self.errors
        )?;
        writeln!(
            out,
            "{} findings; {:.1} MB in {:.2} s = {:.1} MB/s",
            self.rules.values().sum::<u64>(),
            self.bytes as f64 / 1e6,
            self.seconds,
            self.mb_per_second()
        )?;
        if !self.categories.is_empty() {
            writeln!(out, "by category:")?;
            for (category, n) in &self.categories {
                writeln!(out, "{n:>10}  {category}")?;
            }
            writeln!(out, "by rule:")?;
            for (rule, n) in self.rules_by_count() {
                writeln!(out, "{n:>10}  {rule}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record as written, parsed back.
    fn written(output: &Output, report: &Report) -> Value {
        serde_json::from_slice(&output.to_json(report)).expect("valid JSON")
    }

    fn jsonl(line: &[u8]) -> Result<(Value, Report), Value> {
        jsonl_record(&Scanner::with_default_packs(), line, 7, None)
            .map(|(output, report)| (written(&output, &report), report))
    }

    #[test]
    fn records_keep_the_id_and_extra_fields_and_report_findings() {
        let (value, report) = jsonl(
            "{\"id\": {\"a\": 1}, \"channel\": \"sms\", \"text\": \"转发领红包\", \"batch\": 3}\r\n"
                .as_bytes(),
        )
        .expect("scanned");
        assert_eq!(value["id"], json!({"a": 1}));
        assert_eq!(value["channel"], "sms");
        assert_eq!(value["batch"], 3);
        assert!(value.get("text").is_none());
        assert_eq!(value["verdict"], "block");
        assert_eq!(report.verdict, Verdict::Block);
        let keys: Vec<&String> = value.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["id", "channel", "batch", "verdict", "findings"]);
    }

    #[test]
    fn unreadable_lines_get_an_error_record_with_the_line() {
        for bad in [&b"[1]"[..], b"{", b"  ", b"\xff", b"{\"text\": 1}"] {
            let value = jsonl(bad).expect_err("error record");
            assert_eq!(value["line"], 7, "{value}");
            assert!(value["error"].is_string(), "{value}");
        }
        let value =
            jsonl(b"{\"id\": \"m1\", \"channel\": 5, \"text\": \"hi\"}").expect_err("error");
        assert_eq!(value["id"], "m1");
    }

    /// The lines of every chunk a [`ChunkReader`] gives for `input`, in chunks of about
    /// `chunk_bytes` bytes, with each chunk's first line number; and the error, if any.
    fn chunked(input: impl Read, chunk_bytes: usize) -> (Vec<(usize, Vec<u8>)>, Option<String>) {
        let mut chunks = ChunkReader::new(input, "in", chunk_bytes);
        // A used chunk to fill again, as a worker's own chunk is.
        let mut chunk = Chunk {
            data: b"stale line\n".to_vec(),
            first: 99,
            ends: vec![11],
        };
        let mut lines = Vec::new();
        let error = loop {
            match chunks.next(&mut chunk) {
                Ok(true) => {
                    assert_eq!(chunk.first, lines.len() + 1, "chunks number their lines");
                    let mut start = 0;
                    for &end in &chunk.ends {
                        lines.push((chunk.first, chunk.data[start..end].to_vec()));
                        start = end;
                    }
                    assert_eq!(start, chunk.data.len(), "no bytes outside a line");
                }
                Ok(false) => break None,
                Err(e) => {
                    assert!(
                        matches!(chunks.next(&mut chunk), Ok(false)),
                        "the input ends after an error"
                    );
                    break Some(format!("{e:#}"));
                }
            }
        };
        (lines, error)
    }

    #[test]
    fn chunks_hold_every_line_whatever_their_size() {
        // Lines shorter and longer than the chunks and reads, CRLF, empty lines, none at
        // the end.
        let mut input = Vec::new();
        for i in 0..4600 {
            let line = "转发领红包".repeat(i % 23 + (i % 1000 == 999) as usize * 2000);
            input.extend_from_slice(format!("{i}:{line}").as_bytes());
            input.extend_from_slice(if i % 7 == 0 { b"\r\n" } else { b"\n" });
            if i % 100 == 0 {
                input.push(b'\n');
            }
        }
        input.extend_from_slice(b"last line without a newline");
        let expected: Vec<&[u8]> = input.split_inclusive(|&b| b == b'\n').collect();
        for chunk_bytes in [1, 7, 4095, 4096, 4097, 64 << 10, CHUNK_BYTES] {
            let (lines, error) = chunked(input.as_slice(), chunk_bytes);
            assert_eq!(error, None);
            let got: Vec<&[u8]> = lines.iter().map(|(_, l)| l.as_slice()).collect();
            assert_eq!(got, expected, "chunks of {chunk_bytes} bytes");
            let chunks = lines
                .iter()
                .map(|(first, _)| first)
                .collect::<std::collections::BTreeSet<_>>();
            assert!(
                chunks.len() > 1,
                "chunks of {chunk_bytes} bytes: several chunks"
            );
        }
        // A line that ends exactly at a chunk's end, and an input without any.
        for input in [&b"abc\n"[..], b"abc", b"", b"\n\n"] {
            let (lines, error) = chunked(input, 4);
            assert_eq!(error, None);
            let got: Vec<&[u8]> = lines.iter().map(|(_, l)| l.as_slice()).collect();
            let expected: Vec<&[u8]> = input.split_inclusive(|&b| b == b'\n').collect();
            assert_eq!(got, expected, "{input:?}");
        }
    }

    #[test]
    fn a_text_without_escapes_is_borrowed_from_the_line() {
        let text = |line: &'static str| serde_json::from_str::<Input<'_>>(line).map(|i| i.text);
        assert!(matches!(
            text(r#"{"id": 1, "text": "转发领红包"}"#),
            Ok(Some(Cow::Borrowed("转发领红包")))
        ));
        assert!(matches!(
            text(r#"{"text": "\u8f6c\u53d1"}"#),
            Ok(Some(Cow::Owned(t))) if t == "转发"
        ));
        assert!(matches!(text(r#"{"text": null}"#), Ok(None)));
        assert!(matches!(text(r#"{"id": 1}"#), Ok(None)));
        assert!(text(r#"{"text": 5}"#).is_err());
    }

    /// Gives `good` bytes of a text, then fails.
    struct FailingAfter {
        text: &'static [u8],
        good: usize,
    }

    impl Read for FailingAfter {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.good == 0 {
                return Err(std::io::Error::other("disk on fire"));
            }
            let n = buf.len().min(self.good).min(self.text.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            (self.text, self.good) = (&self.text[n..], self.good - n);
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_comes_after_the_whole_lines_before_it() {
        for chunk_bytes in [4, 1 << 16] {
            let input = FailingAfter {
                text: b"one\ntwo\nthr",
                good: 11,
            };
            let (lines, error) = chunked(input, chunk_bytes);
            let got: Vec<&[u8]> = lines.iter().map(|(_, l)| l.as_slice()).collect();
            assert_eq!(
                got,
                [b"one\n".as_slice(), b"two\n"],
                "chunks of {chunk_bytes}"
            );
            assert_eq!(error.as_deref(), Some("cannot read in: disk on fire"));
        }
    }

    #[test]
    fn lines_mode_scans_each_line_as_a_message() {
        let scanner = Scanner::with_default_packs();
        let scan_line = |raw: &[u8], number, lossy, channel| {
            lines_record(&scanner, raw, number, lossy, channel)
                .map(|(output, report)| (written(&output, &report), report))
        };
        let (value, _) = scan_line("转发领红包\r\n".as_bytes(), 3, false, None).expect("ok");
        assert_eq!(value["line"], 3);
        assert_eq!(value["verdict"], "block");
        let (value, _) = scan_line(b"\n", 4, false, None).expect("empty line is a message");
        assert_eq!(value["verdict"], "pass");
        assert!(scan_line(b"\xff\n", 5, false, None).is_err());
        let (value, _) = scan_line(b"ok \xff\n", 5, true, None).expect("lossy");
        assert_eq!(value["verdict"], "pass");
    }

    /// `Stream::scan` of `input` on `threads` workers in chunks of `chunk_bytes` bytes, as
    /// `--jsonl`: the records written, and the result.
    fn stream(
        scanner: &Scanner,
        input: impl Read + Send,
        out: &mut (impl Write + Send),
        threads: usize,
        chunk_bytes: usize,
    ) -> Result<Outcome> {
        let options = Options {
            channel: None,
            mode: Mode::Jsonl,
            threshold: Severity::Block,
            summary: false,
            summary_json: false,
            lossy: false,
            progress: false,
        };
        let stream = Stream {
            scanner,
            threads,
            chunk_bytes,
            name: "in",
            options: &options,
            progress: None,
        };
        stream.scan(input, out, &mut Summary::default())
    }

    #[test]
    fn workers_write_one_record_per_line_in_input_order() {
        let scanner = Scanner::with_default_packs();
        let mut input = String::new();
        for i in 0..3000 {
            // Lines of very different scanning costs, so that chunks finish out of order.
            let text = if i % 97 == 0 {
                "转发领红包，全网最低价，保本保息。".repeat(50)
            } else {
                "你好".into()
            };
            input.push_str(&format!("{{\"id\":{i},\"text\":\"{text}\"}}\n"));
        }
        for (threads, chunk_bytes) in [(1, 1 << 20), (2, 100), (4, 1), (8, 4096)] {
            let mut out = Vec::new();
            let outcome = stream(&scanner, input.as_bytes(), &mut out, threads, chunk_bytes);
            assert_eq!(outcome.ok(), Some(Outcome::Findings), "{threads} threads");
            let ids: Vec<u64> = out
                .split(|&b| b == b'\n')
                .filter(|line| !line.is_empty())
                .map(|line| {
                    serde_json::from_slice::<Value>(line).expect("JSON")["id"]
                        .as_u64()
                        .expect("id")
                })
                .collect();
            let misplaced = ids.iter().enumerate().find(|&(i, &id)| id != i as u64);
            assert_eq!(
                (ids.len(), misplaced),
                (3000, None),
                "{threads} threads, chunks of {chunk_bytes} bytes: (records, first out of order)"
            );
        }
    }

    /// Accepts `room` bytes, then fails.
    struct FullAfter {
        room: usize,
    }

    impl Write for FullAfter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::Error::other("disk full"));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_or_read_stops_every_worker_with_its_error() {
        let scanner = Scanner::with_default_packs();
        let input = "{\"id\":1,\"text\":\"转发领红包\"}\n".repeat(2000);
        for threads in [1, 3] {
            let mut out = FullAfter { room: 1000 };
            let error =
                stream(&scanner, input.as_bytes(), &mut out, threads, 64).expect_err("write fails");
            assert_eq!(format!("{error:#}"), "disk full", "{threads} threads");

            let failing = FailingAfter {
                text: b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"te",
                good: 30,
            };
            let mut out = Vec::new();
            let error = stream(&scanner, failing, &mut out, threads, 4).expect_err("read fails");
            assert_eq!(format!("{error:#}"), "cannot read in: disk on fire");
            assert_eq!(
                out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count(),
                2,
                "the whole lines before the error are written"
            );
        }
    }

    /// Records of text messages skip the JSON value; what is written must be byte for
    /// byte what the general path writes for the same object.
    #[test]
    fn plain_records_are_written_as_the_general_path_writes_them() {
        let scanner = Scanner::with_default_packs();
        let lines = [
            r#"{"id": 1, "text": "转发领红包，全网最低价"}"#,
            r#"{"text": "今天天气不错", "id": {"b": [1, 2.5], "a": null}}"#,
            r#"{"id": null, "text": "保本保息\n稳赚不赔 http://47.98.1.1/a.apk"}"#,
            r#"{"text": "\u8f6c\u53d1\u9886\u7ea2\u5305"}"#,
            // Fields passed through, in input order; the record's own names dropped.
            r#"{"batch": 7, "id": 1, "text": "转发领红包", "meta": {"z": 1, "a": [null]}}"#,
            r#"{"text": "全网最低价", "line": 9, "verdict": "x", "findings": [], "error": 1, "index": 2, "tag": "春季"}"#,
            r#"{"text": "全网最低价", "b": 1, "a": 2, "b": 3}"#,
        ];
        for line in lines {
            let (output, report) =
                jsonl_record(&scanner, line.as_bytes(), 3, None).expect("scanned");
            assert!(matches!(output, Output::Plain { .. }), "{line}");
            let Ok(Value::Object(object)) = serde_json::from_str(line) else {
                panic!("{line} is an object");
            };
            let (general, _) =
                message_record(&scanner, object, Some(("line", json!(3))), "line 3", None)
                    .expect("scanned");
            assert_eq!(
                String::from_utf8(output.to_json(&report)).expect("UTF-8"),
                serde_json::to_string(&general).expect("serialises"),
                "{line}"
            );
        }
        // Any other shape takes the general path.
        for line in [
            r#"{"text": "a", "text": "b"}"#,
            r#"{"channel": "sms", "text": "a"}"#,
            r#"{"title": "标题", "text": "a"}"#,
        ] {
            let (output, _) = jsonl_record(&scanner, line.as_bytes(), 3, None).expect("scanned");
            assert!(matches!(output, Output::Value(_)), "{line}");
        }
        // A text that is not a string is the general path's error.
        let error = jsonl_record(&scanner, br#"{"id": 1, "text": 5}"#, 3, None).expect_err("error");
        assert_eq!(
            error,
            json!({"id": 1, "error": "line 3: field `text` (a string) is missing"})
        );
    }
}
