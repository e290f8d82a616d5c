//! # hegui-core
//!
//! Scans Chinese marketing content before it is sent and reports, with exact positions
//! in the original text, what breaks platform rules and the Advertising Law: inducement
//! to share (诱导分享), exaggerated claims (虚假宣传), financial promotion without the
//! required disclosures (金融), and bad links.
//!
//! Data flows one way: text → [`normalize`](Normalizer) (with an offset map) →
//! dictionary and regex matching → rules (word boundaries, exceptions, negation,
//! proximity, required disclosures) → [`Finding`]s → [`Report`].
//!
//! ```
//! use hegui_core::{RulePack, Scanner};
//!
//! let pack = RulePack::from_toml_str("demo.toml", r#"
//! id = "demo"
//! version = "1"
//! title = "演示"
//! [categories.induce-share]
//! name = "诱导分享"
//! consequence = "封禁群发功能7天，需提交承诺书"
//! [[rule]]
//! id = "induce-share.reward-for-forward"
//! kind = "near"
//! severity = "block"
//! message = "以奖励诱导用户转发"
//! basis = "《微信外部链接内容管理规范》"
//! all-of = [["转发"], ["红包"]]
//! within = 10
//! "#)?;
//! let scanner = Scanner::builder().pack(pack).build()?;
//! let report = scanner.scan("转*发领紅包！");
//! assert_eq!(&*report.findings[0].rule_id, "induce-share.reward-for-forward");
//! assert_eq!(report.findings[0].text, "转*发领紅包");
//! # Ok::<(), hegui_core::PackError>(())
//! ```
//!
//! The core does no I/O and builds for `wasm32-unknown-unknown`.

mod channel;
mod chars;
mod defaults;
mod error;
pub mod evasion;
mod examples;
mod finding;
mod html;
mod links;
mod matcher;
mod message;
mod normalize;
mod pack;
mod report;
mod rules;
mod scanner;
mod segment;
mod t2s_table;
#[cfg(test)]
mod testing;

pub use crate::channel::{ChannelCheckDef, ChannelDef, ChannelSeverity};
pub use crate::defaults::{default_packs, DEFAULT_PACKS};
pub use crate::error::{Location, PackError};
pub use crate::examples::{ExampleFailure, ExampleRun, Expectation};
pub use crate::finding::{Finding, Severity, Span, Step, Steps, Verdict};
pub use crate::links::{CheckedLink, LINK_BASIS};
pub use crate::message::{Message, MessageError, MessageType, CHANNELS};
pub use crate::normalize::{MappedChar, Normalized, Normalizer};
pub use crate::pack::{Boundary, CategoryDef, PackDef, RuleDef, RuleKind, RulePack, LINK_CATEGORY};
pub use crate::report::{PackRef, Report};
pub use crate::scanner::{PackInfo, Rule, Scanner, ScannerBuilder};
pub use hegui_url;
