//! SARIF 2.1.0 output (`hegui scan --format sarif`) for code-scanning tools in CI:
//! one result per finding, rule metadata with help text, locations with line/column.

use std::collections::HashMap;

use hegui_core::{Finding, Report, Scanner, Severity, LINK_BASIS};
use serde_json::{json, Value};

use crate::input::Input;
use crate::ruledoc;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of the reports of `inputs` (one run).
pub(crate) fn log(scanner: &Scanner, results: &[(Input, Report)]) -> Value {
    let entries = ruledoc::entries(scanner);
    let index: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let rules: Vec<Value> = entries.iter().map(|e| rule(scanner, e)).collect();
    let mut out = Vec::new();
    for (input, report) in results {
        let lines = LineIndex::new(&input.text);
        for finding in &report.findings {
            out.push(result(
                finding,
                &input.name,
                &lines,
                index.get(&*finding.rule_id).copied(),
            ));
        }
    }
    let artifacts: Vec<Value> = results
        .iter()
        .map(|(input, _)| json!({"location": {"uri": uri(&input.name)}, "encoding": "utf-8"}))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hegui",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "artifacts": artifacts,
            "results": out,
        }],
    })
}

fn level(severity: &str) -> &'static str {
    match severity {
        "block" => "error",
        "review" => "warning",
        _ => "note",
    }
}

fn rule(scanner: &Scanner, entry: &ruledoc::Entry) -> Value {
    let pack_rule = scanner.rules().iter().find(|r| r.id() == entry.id);
    let (message, suggestion, basis) = match pack_rule {
        Some(r) => (
            r.def.message.clone(),
            r.def.suggestion.clone().unwrap_or_default(),
            r.def.basis.clone(),
        ),
        None => (
            hegui_core::hegui_url::rules::describe(&entry.id)
                .unwrap_or_default()
                .to_owned(),
            Scanner::link_suggestion(&entry.id).to_owned(),
            LINK_BASIS.to_owned(),
        ),
    };
    let help = format!("建议: {suggestion}\n依据: {basis}");
    let markdown = format!(
        "**建议**: {suggestion}\n\n**依据**: {basis}\n\n`hegui rules explain {}` shows the rule's examples.",
        entry.id
    );
    json!({
        "id": entry.id,
        "name": entry.id,
        "shortDescription": {"text": message},
        "fullDescription": {"text": message},
        "help": {"text": help, "markdown": markdown},
        "defaultConfiguration": {"level": level(&entry.severity)},
        "properties": {
            "category": entry.category,
            "severity": entry.severity,
            "kind": entry.kind,
            "tags": [entry.category, entry.kind],
        },
    })
}

fn result(finding: &Finding, name: &str, lines: &LineIndex, rule_index: Option<usize>) -> Value {
    let [start, end] = finding.span.byte;
    let (start_line, start_column) = lines.position(start);
    let (end_line, end_column) = lines.position(end);
    let severity = finding.severity.to_string();
    let mut message = finding.message.to_string();
    if let Some(suggestion) = &finding.suggestion {
        message.push_str(&format!("（建议: {suggestion}）"));
    }
    let mut value = json!({
        "ruleId": &*finding.rule_id,
        "level": level(&severity),
        "message": {"text": message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri(name)},
            "region": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
                "charOffset": finding.span.utf16[0],
                "charLength": finding.span.utf16[1] - finding.span.utf16[0],
                "snippet": {"text": finding.text},
            },
        }}],
        "properties": {
            "category": &*finding.category,
            "severity": severity,
            "normalized": finding.normalized,
        },
    });
    if let (Some(i), Some(object)) = (rule_index, value.as_object_mut()) {
        object.insert("ruleIndex".to_owned(), json!(i));
    }
    if finding.severity == Severity::Block {
        if let Some(props) = value
            .pointer_mut("/properties")
            .and_then(Value::as_object_mut)
        {
            props.insert("blocksSending".to_owned(), json!(true));
        }
    }
    value
}

/// A relative URI for a path as given (`stdin` for standard input).
fn uri(name: &str) -> String {
    let path = name.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Byte offset → (line, column), both from 1, columns in UTF-16 code units.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    fn position(&self, byte: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..byte)
            .map_or(0, |s| s.encode_utf16().count());
        (line, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_columns_per_line() {
        let text = "第一行\n🎉转发领红包";
        let lines = LineIndex::new(text);
        assert_eq!(lines.position(0), (1, 1));
        let second = text.find('🎉').expect("emoji");
        assert_eq!(lines.position(second), (2, 1));
        assert_eq!(lines.position(second + '🎉'.len_utf8()), (2, 3));
        assert_eq!(lines.position(text.len()), (2, 8));
    }

    #[test]
    fn uris_are_relative_and_escaped() {
        assert_eq!(
            uri("copy/双11 活动.txt"),
            "copy/%E5%8F%8C11%20%E6%B4%BB%E5%8A%A8.txt"
        );
        assert_eq!(uri("stdin"), "stdin");
    }
}
