//! Readable diagnostics: the original line with a marker under the flagged span.

use std::io::Write;

use anyhow::Result;
use hegui_core::{Finding, Report};
use unicode_width::UnicodeWidthStr;

/// Writes the report of one input as diagnostics followed by a summary line.
pub(crate) fn text(out: &mut impl Write, name: &str, text: &str, report: &Report) -> Result<()> {
    for finding in &report.findings {
        diagnostic(out, name, text, finding)?;
    }
    let count = report.findings.len();
    let noun = if count == 1 { "finding" } else { "findings" };
    writeln!(out, "{name}: {} ({count} {noun})", report.verdict)?;
    Ok(())
}

fn diagnostic(out: &mut impl Write, name: &str, text: &str, finding: &Finding) -> Result<()> {
    let [start, end] = finding.span.byte;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_no = text[..start].matches('\n').count() + 1;
    let column = text[line_start..start].chars().count() + 1;
    let line = text[line_start..line_end].trim_end_matches('\r');
    let gutter = " ".repeat(line_no.to_string().len());
    writeln!(
        out,
        "{}[{}]: {}",
        finding.severity, finding.rule_id, finding.message
    )?;
    writeln!(out, "{gutter}--> {name}:{line_no}:{column}")?;
    writeln!(out, "{gutter} |")?;
    writeln!(out, "{line_no} | {}", printable(line))?;
    let pad = printable(&text[line_start..start]).width();
    let marked_end = end.min(line_start + line.len());
    let width = printable(&text[start..marked_end]).width().max(1);
    writeln!(out, "{gutter} | {}{}", " ".repeat(pad), "^".repeat(width))?;
    if let Some(suggestion) = &finding.suggestion {
        writeln!(out, "{gutter} = 建议: {suggestion}")?;
    }
    writeln!(out, "{gutter} = 依据: {}", finding.basis)?;
    if !finding.normalized.is_empty() {
        let steps: Vec<&str> = finding.normalized.iter().map(|s| s.as_str()).collect();
        writeln!(out, "{gutter} = 归一化: {}", steps.join(", "))?;
    }
    writeln!(out)?;
    Ok(())
}

/// Control characters shown as spaces so the marker stays aligned.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hegui_core::Scanner;

    #[test]
    fn marker_sits_under_the_span_on_its_line() {
        let input = "第一行\n好物：全网最低价！";
        let report = Scanner::with_default_packs().scan(input);
        let mut out = Vec::new();
        text(&mut out, "msg.txt", input, &report).expect("renders");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.contains(" --> msg.txt:2:4\n"), "{out}");
        assert!(
            out.contains("2 | 好物：全网最低价！\n  |       ^^^^^^^^^^\n"),
            "{out}"
        );
        assert!(out.ends_with("msg.txt: review (1 finding)\n"), "{out}");
    }
}
