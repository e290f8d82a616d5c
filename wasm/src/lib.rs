//! # hegui-wasm
//!
//! The hegui scanner for JavaScript, in browsers and Node, through wasm-bindgen:
//!
//! ```js
//! import { Scanner } from "hegui";
//! const scanner = new Scanner();                  // the default packs
//! const report = scanner.scan("转发本文到朋友圈，即可领取红包");
//! report.verdict;                                 // "block"
//! text.slice(report.findings[0].start, report.findings[0].end);  // UTF-16 offsets
//! ```
//!
//! Results are plain JS objects (see `convert`); pack errors become JS `Error`s with
//! the pack error text (`packs[0]:15:14: rule \`…\`: …`).

mod convert;

use std::cell::RefCell;
use std::sync::OnceLock;

use wasm_bindgen::prelude::*;

/// The reduced boundary dictionary (`hegui-dict.txt` of the package), given once by
/// the package's entry module before any scanner is built.
static BOUNDARY_DICTIONARY: OnceLock<&'static str> = OnceLock::new();

/// Sets the dictionary that word-boundary decisions use: the text of the package's
/// `hegui-dict.txt`, as a string or as its UTF-8 bytes (a `Uint8Array`, which spares
/// decoding the file into a string and encoding it again). The package's entry
/// (`index.js`, `index.cjs`) calls it with the bytes when it loads; scanners built
/// before it throw. It can be set once: the text lives as long as the module, like
/// data embedded in it. A different second text throws.
#[wasm_bindgen(js_name = setBoundaryDictionary)]
pub fn set_boundary_dictionary(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
) -> Result<(), JsError> {
    let text = if let Some(text) = text.as_string() {
        text
    } else if let Some(bytes) = text.dyn_ref::<js_sys::Uint8Array>() {
        String::from_utf8(bytes.to_vec()).map_err(|e| {
            JsError::new(&format!(
                "the boundary dictionary is not UTF-8: invalid byte at offset {}",
                e.utf8_error().valid_up_to()
            ))
        })?
    } else {
        return Err(JsError::new(
            "the boundary dictionary must be a string or a Uint8Array",
        ));
    };
    if let Some(set) = BOUNDARY_DICTIONARY.get() {
        return if *set == text {
            Ok(())
        } else {
            Err(JsError::new("the boundary dictionary is already set"))
        };
    }
    let text: &'static str = Box::leak(text.into_boxed_str());
    let _ = BOUNDARY_DICTIONARY.set(text);
    Ok(())
}

/// The dictionary given to [`set_boundary_dictionary`], if any.
pub(crate) fn boundary_dictionary() -> Option<&'static str> {
    BOUNDARY_DICTIONARY.get().copied()
}

/// In WebAssembly the module embeds no dictionary: building a scanner without one
/// would silently cut words differently from the native engine.
fn require_dictionary() -> Result<(), JsError> {
    if cfg!(target_arch = "wasm32") && boundary_dictionary().is_none() {
        return Err(JsError::new(
            "the boundary dictionary is not loaded: import the package (index.js or \
             index.cjs), which loads hegui-dict.txt, or call setBoundaryDictionary(text)",
        ));
    }
    Ok(())
}

pub use crate::convert::{
    Compiled, JsCategory, JsChannel, JsFinding, JsPack, JsReport, PackSource,
};

/// TypeScript types of what `scan` and `packs` return.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** The highest severity of a report's findings, or "pass". */
export type Verdict = "pass" | "notice" | "review" | "block";
/** How serious a finding is. */
export type Severity = "notice" | "review" | "block";
/** A normalisation step a match needed (转*发 needed "separator"). */
export type Step = "width" | "compat" | "case" | "traditional" | "homoglyph" | "invisible" | "separator" | "variant";

/** What one rule flagged, with UTF-16 offsets into the scanned string. */
export interface Finding {
  /** Stable rule id, `category.what-is-flagged`. */
  ruleId: string;
  /** Category id (`induce-share`, `exaggeration`, `finance`, `external-link`…). */
  category: string;
  severity: Severity;
  /** What is wrong, in Chinese. */
  message: string;
  /** How to rewrite, in Chinese. */
  suggestion?: string;
  /** Legal or platform basis. */
  basis: string;
  /** The flagged text: `text.slice(start, end)` of the scanned string. */
  text: string;
  /** Start, in UTF-16 code units (JavaScript string indexes). */
  start: number;
  /** End (exclusive), in UTF-16 code units. */
  end: number;
  /** Normalisation steps the match needed. */
  normalized: Step[];
}

/** The result of scanning one message. */
export interface Report {
  verdict: Verdict;
  /** Sorted by start, then rule id. */
  findings: Finding[];
}

/** A category as a pack declares it. */
export interface Category {
  /** Chinese name (诱导分享). */
  name: string;
  /** What the platform does to an account that breaks it. */
  consequence: string;
}

/** A pack the scanner was built from. */
export interface Pack {
  id: string;
  version: string;
  title: string;
  /** The path the pack was loaded from (`rulesets/…` or `packs[i]`). */
  path: string;
  /** Number of rules. */
  rules: number;
  /** Categories by id. */
  categories: Record<string, Category>;
}

/** A channel messages can be scanned in. */
export interface Channel {
  /** `sms`, `wechat_mass`, `mp_article`, `moments`, or one a pack defines. */
  id: string;
  /** Chinese name, when a pack gives one (短信). */
  name?: string;
  /** Whether a pack has a profile for it: per-channel severities, required or forbidden elements. */
  profile: boolean;
}

/** A pack's text (TOML, or JSON when it starts with `{`), or its text with a name for error messages (`.json` names are read as JSON). */
export type PackSource = string | { path: string; text: string };
"#;

/// A compiled set of rule packs. Build it once; `scan` as often as you like.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct Scanner {
    inner: hegui_core::Scanner,
    channels: Vec<JsChannel>,
    /// The report `_scanClean` kept for `_takeReport` (see there).
    kept: RefCell<Option<hegui_core::Report>>,
}

impl From<Compiled> for Scanner {
    fn from(compiled: Compiled) -> Scanner {
        Scanner {
            inner: compiled.scanner,
            channels: compiled.channels,
            kept: RefCell::new(None),
        }
    }
}

#[wasm_bindgen]
impl Scanner {
    /// A scanner with the default rule packs (built into the module). Throws when the
    /// boundary dictionary is not loaded (see `setBoundaryDictionary`).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Scanner, JsError> {
        require_dictionary()?;
        let compiled = convert::compile(hegui_core::default_packs(), true)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(compiled.into())
    }

    /// A scanner from rule packs given as TOML or JSON texts (or `{ path, text }`).
    /// Throws an `Error` with the pack error text when a pack does not load or compile.
    #[wasm_bindgen(js_name = fromPacks)]
    pub fn from_packs(
        #[wasm_bindgen(unchecked_param_type = "PackSource[]")] packs: JsValue,
    ) -> Result<Scanner, JsError> {
        require_dictionary()?;
        let sources: Vec<PackSource> = serde_wasm_bindgen::from_value(packs).map_err(|e| {
            JsError::new(&format!(
                "fromPacks expects an array of pack texts or {{ path, text }} objects: {e}"
            ))
        })?;
        let compiled = convert::build(sources).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(compiled.into())
    }

    /// Scans one message: the verdict and the findings, with UTF-16 offsets. With a
    /// `channel` (`"sms"`, `"wechat_mass"`, …), that channel's profile applies:
    /// its severities and its required or forbidden elements. Throws on an unknown channel.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    // The package's entry modules (`js/index.js`, `js/index.cjs`) put a faster `scan`
    // in its place with the same results: it makes the report of a message without
    // findings itself, after one call into the module (`_scanClean`, `_takeReport`).
    pub fn scan(&self, text: &str, channel: Option<String>) -> Result<JsValue, JsError> {
        to_js(&JsReport::new(&self.report(text, channel.as_deref())?))
    }

    /// `scan`'s first half, for the package's entry modules: scans one message and
    /// returns `true` when it has no findings (its report is then `{ verdict: "pass",
    /// findings: [] }`, which JavaScript makes without another call); otherwise keeps
    /// the report for `_takeReport` and returns `false`. Most messages have no
    /// findings: a report object made by the module took two more calls across the
    /// boundary.
    #[wasm_bindgen(js_name = _scanClean, skip_typescript)]
    pub fn scan_clean(&self, text: &str, channel: Option<String>) -> Result<bool, JsError> {
        let report = self.report(text, channel.as_deref())?;
        if report.findings.is_empty() {
            return Ok(true);
        }
        *self.kept.borrow_mut() = Some(report);
        Ok(false)
    }

    /// `scan`'s second half: the report `_scanClean` kept, as `scan` gives it. Throws
    /// when there is none.
    #[wasm_bindgen(js_name = _takeReport, skip_typescript)]
    pub fn take_report(&self) -> Result<JsValue, JsError> {
        let report = self.kept.borrow_mut().take();
        let report = report.ok_or_else(|| JsError::new("no report kept by _scanClean"))?;
        to_js(&JsReport::new(&report))
    }

    /// The channels `scan` accepts: the standard ones and those the packs define.
    #[wasm_bindgen(unchecked_return_type = "Channel[]")]
    pub fn channels(&self) -> Result<JsValue, JsError> {
        to_js(&self.channels)
    }

    /// Only the verdict of one message (`"pass"`, `"notice"`, `"review"` or `"block"`),
    /// without building finding objects. `channel` as for `scan`.
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn verdict(
        &self,
        text: &str,
        channel: Option<String>,
    ) -> Result<convert::VerdictName, JsError> {
        Ok(self.report(text, channel.as_deref())?.verdict.into())
    }

    /// The packs this scanner was built from.
    #[wasm_bindgen(unchecked_return_type = "Pack[]")]
    pub fn packs(&self) -> Result<JsValue, JsError> {
        let packs: Vec<JsPack> = self.inner.packs().iter().map(JsPack::new).collect();
        to_js(&packs)
    }
}

impl Scanner {
    fn report(&self, text: &str, channel: Option<&str>) -> Result<hegui_core::Report, JsError> {
        match channel {
            None | Some("") => Ok(self.inner.scan(text)),
            Some(channel) => self
                .inner
                .scan_in(text, Some(channel))
                .map_err(|e| JsError::new(&e.to_string())),
        }
    }
}

/// Plain objects (not `Map`s), `undefined` for absent optional fields.
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}
