//! `hegui scan --jsonl`: one JSON line out for every line in, in order.

use std::io::{BufRead, BufReader, Read, Write};

use anyhow::{Context, Result};
use hegui_core::{Scanner, Severity};
use serde_json::{json, Map, Value};

use crate::Outcome;

/// Scans JSON Lines from the paths (stdin when none), writing one record per line.
pub(crate) fn run(scanner: &Scanner, paths: &[String], threshold: Severity) -> Result<Outcome> {
    let paths: Vec<&str> = if paths.is_empty() {
        vec!["-"]
    } else {
        paths.iter().map(String::as_str).collect()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut outcome = Outcome::Clean;
    for path in paths {
        let reader: Box<dyn Read> = if path == "-" {
            Box::new(std::io::stdin())
        } else {
            Box::new(std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?)
        };
        let name = crate::input::display_name(path);
        outcome = outcome.max(scan_stream(scanner, &name, reader, threshold, &mut out)?);
    }
    out.flush()?;
    Ok(outcome)
}

fn scan_stream(
    scanner: &Scanner,
    name: &str,
    reader: impl Read,
    threshold: Severity,
    out: &mut impl Write,
) -> Result<Outcome> {
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut outcome = Outcome::Clean;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("cannot read {name}"))?;
        if read == 0 {
            break;
        }
        number += 1;
        let (record, result) = scan_line(scanner, &line, number, threshold);
        outcome = outcome.max(result);
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(outcome)
}

/// The output record for one input line.
fn scan_line(
    scanner: &Scanner,
    raw: &[u8],
    number: usize,
    threshold: Severity,
) -> (Value, Outcome) {
    let error = |key: (&str, Value), message: String| {
        let mut record = Map::new();
        record.insert(key.0.to_string(), key.1);
        record.insert("error".to_string(), Value::String(message));
        (Value::Object(record), Outcome::Error)
    };
    let line_key = ("line", json!(number));
    let text = match std::str::from_utf8(raw) {
        Ok(text) => text.trim_end_matches(['\n', '\r']),
        Err(e) => {
            return error(
                line_key,
                format!("invalid UTF-8 at byte {} of line {number}", e.valid_up_to()),
            )
        }
    };
    if text.trim().is_empty() {
        return error(line_key, format!("line {number} is empty"));
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return error(line_key, format!("line {number}: invalid JSON: {e}")),
    };
    let Value::Object(mut object) = value else {
        return error(line_key, format!("line {number}: expected a JSON object"));
    };
    let key = match object.remove("id") {
        Some(id) => ("id", id),
        None => line_key,
    };
    let Some(Value::String(message)) = object.get("text") else {
        return error(
            key,
            format!("line {number}: field `text` (a string) is missing"),
        );
    };
    let report = scanner.scan(message);
    let mut record = Map::new();
    record.insert(key.0.to_string(), key.1);
    record.insert("verdict".to_string(), json!(report.verdict));
    record.insert("findings".to_string(), json!(report.findings));
    let outcome = if report.verdict.reaches(threshold) {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    (Value::Object(record), outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: &[u8]) -> (Value, Outcome) {
        scan_line(&Scanner::with_default_packs(), line, 7, Severity::Block)
    }

    #[test]
    fn records_keep_the_id_and_report_findings() {
        let (value, outcome) =
            record("{\"id\": {\"a\": 1}, \"text\": \"转发领红包\"}\r\n".as_bytes());
        assert_eq!(value["id"], json!({"a": 1}));
        assert_eq!(value["verdict"], "block");
        assert_eq!(outcome, Outcome::Findings);
    }

    #[test]
    fn unreadable_lines_get_an_error_record_with_the_line() {
        for bad in [&b"[1]"[..], b"{", b"  ", b"\xff"] {
            let (value, outcome) = record(bad);
            assert_eq!(value["line"], 7, "{value}");
            assert!(value["error"].is_string(), "{value}");
            assert_eq!(outcome, Outcome::Error);
        }
    }
}
