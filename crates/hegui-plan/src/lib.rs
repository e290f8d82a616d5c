//! Send-plan checks for mass sending (群发): a plan names the platform and client, its
//! messages, the recipients and the send times; [`check`] finds every platform limit it
//! breaks and proposes a compliant schedule.
//!
//! Platform limits are data ([`Platform`], `rulesets/platforms/*.toml`), not code.
//!
//! ```
//! use hegui_plan::{check, default_platforms, Plan};
//! let plan: Plan = toml::from_str(r#"
//!     platform = "wechat"
//!     client = "mobile"
//!     recipients = 1000
//!     send-at = ["2026-11-26T19:00:00"]
//! "#).unwrap();
//! let result = check(&plan, &default_platforms(), false).unwrap();
//! assert!(result.findings.iter().any(|f| f.rule_id == "plan.per-send-limit"));
//! assert!(result.proposal.iter().all(|b| b.recipients <= 200));
//! assert_eq!(result.proposal.iter().map(|b| b.recipients).sum::<u64>(), 1000);
//! ```

mod platform;
mod proposal;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

pub use crate::platform::{default_platforms, Platform, PlatformError, DEFAULT_PLATFORMS};
pub use crate::proposal::{propose, Batch};

/// A named group of recipients (a tag or a chat group) and its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Group or tag name.
    pub name: String,
    /// Recipients in it.
    pub count: u64,
}

/// One planned send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Send {
    /// When (local time, `YYYY-MM-DDTHH:MM:SS`).
    pub at: DateTime,
    /// Recipients of this send.
    pub recipients: u64,
}

/// A message of the plan: its id, when its media was uploaded, and the content fields
/// (kept as JSON for the content scanner).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedMessage {
    /// Message id, used in findings.
    #[serde(default)]
    pub id: Option<String>,
    /// When its 图文 media was uploaded (the platform reviews it before it can go out).
    #[serde(default, rename = "uploaded-at", alias = "uploaded_at")]
    pub uploaded_at: Option<DateTime>,
    /// Content fields (`type`, `title`, `text`, `html`, …).
    #[serde(flatten)]
    pub content: serde_json::Map<String, serde_json::Value>,
}

/// A send plan (TOML or JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Plan {
    /// Platform (`wechat`, `dingtalk`, …).
    pub platform: String,
    /// Client (`mobile`, `desktop`); optional when the platform has one profile.
    #[serde(default)]
    pub client: Option<String>,
    /// Channel of the messages (`wechat_mass`, `sms`, …), for content scanning.
    #[serde(default)]
    pub channel: Option<String>,
    /// Total recipients (or give `groups`, or per-send `sends`).
    #[serde(default)]
    pub recipients: Option<u64>,
    /// Recipient groups or tags with counts.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Send times; the recipients are split evenly over them.
    #[serde(default, alias = "send_at")]
    pub send_at: Vec<DateTime>,
    /// Sends with their own recipient counts (instead of `send-at`).
    #[serde(default)]
    pub sends: Vec<Send>,
    /// Recalls and re-sends already made or planned on the first day (they count).
    #[serde(default)]
    pub resends: u32,
    /// The messages.
    #[serde(default)]
    pub messages: Vec<PlannedMessage>,
}

/// How serious a plan finding is (same scale as content findings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advice.
    Notice,
    /// Risky; a person should look.
    Review,
    /// Breaks a platform limit: the plan cannot go out as is.
    Block,
}

/// One problem with a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanFinding {
    /// Stable id (`plan.per-send-limit`, …).
    pub rule_id: &'static str,
    /// Always `send-plan`.
    pub category: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong, in Chinese.
    pub message: String,
    /// How to fix it, in Chinese.
    pub suggestion: String,
    /// Where the limit comes from.
    pub basis: String,
    /// Index of the send it concerns, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send: Option<usize>,
    /// Id of the message it concerns, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

/// The result of [`check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanReport {
    /// The platform profile used.
    pub platform: String,
    /// Findings, most severe first.
    pub findings: Vec<PlanFinding>,
    /// A compliant schedule when the plan breaks a limit (empty otherwise).
    pub proposal: Vec<Batch>,
}

/// A plan that cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// No platform profile matches.
    #[error("no platform profile for platform `{platform}` client `{client}`; known: {known}")]
    UnknownPlatform {
        /// Platform asked for.
        platform: String,
        /// Client asked for.
        client: String,
        /// Known `platform/client` pairs.
        known: String,
    },
    /// The plan has no send time.
    #[error("the plan has no send time: give `send-at` or `sends`")]
    NoSends,
    /// The plan has no recipients.
    #[error("the plan has no recipients: give `recipients`, `groups` or per-send `sends`")]
    NoRecipients,
}

const CATEGORY: &str = "send-plan";

impl Plan {
    /// Total recipients: `recipients`, else the sum of `groups`, else of `sends`.
    pub fn total_recipients(&self) -> u64 {
        if let Some(n) = self.recipients {
            return n;
        }
        if !self.groups.is_empty() {
            return self.groups.iter().map(|g| g.count).sum();
        }
        self.sends.iter().map(|s| s.recipients).sum()
    }

    /// The sends: `sends` as given, or the total split evenly over `send-at`.
    pub fn resolved_sends(&self) -> Vec<Send> {
        if !self.sends.is_empty() {
            let mut sends = self.sends.clone();
            sends.sort_by_key(|s| s.at);
            return sends;
        }
        let mut times = self.send_at.clone();
        times.sort();
        let n = times.len() as u64;
        let total = self.total_recipients();
        times
            .into_iter()
            .enumerate()
            .map(|(i, at)| Send {
                at,
                recipients: total / n + u64::from((i as u64) < total % n),
            })
            .collect()
    }
}

/// Checks `plan` against its platform profile among `platforms`. With `advice`, timing
/// notices (e.g. promotional sends outside the best hours) are added.
///
/// # Errors
/// Unknown platform, no send time, no recipients.
pub fn check(plan: &Plan, platforms: &[Platform], advice: bool) -> Result<PlanReport, PlanError> {
    let platform = platform::find(platforms, &plan.platform, plan.client.as_deref())?;
    let sends = plan.resolved_sends();
    if sends.is_empty() {
        return Err(PlanError::NoSends);
    }
    if plan.total_recipients() == 0 {
        return Err(PlanError::NoRecipients);
    }
    let basis = format!(
        "{}平台规则（rulesets/platforms/{}.toml）",
        platform.name, platform.id
    );
    let mut findings = Vec::new();
    let mut push = |rule_id,
                    severity,
                    message: String,
                    suggestion: String,
                    send: Option<usize>,
                    message_id: Option<String>| {
        findings.push(PlanFinding {
            rule_id,
            category: CATEGORY,
            severity,
            message,
            suggestion,
            basis: basis.clone(),
            send,
            message_id,
        });
    };
    let mut over_limit = false;
    if let Some(limit) = platform.max_recipients_per_send {
        for (i, send) in sends.iter().enumerate() {
            if send.recipients > limit {
                over_limit = true;
                push(
                    "plan.per-send-limit",
                    Severity::Block,
                    format!(
                        "第{}次发送（{}）面向{}人，超过{}每次最多{}人的限制",
                        i + 1,
                        send.at,
                        send.recipients,
                        platform.name,
                        limit
                    ),
                    format!(
                        "拆分为每批不超过{limit}人、间隔至少{}分钟的多次发送（见建议排期）",
                        platform.min_batch_spacing_minutes
                    ),
                    Some(i),
                    None,
                );
            }
        }
    }
    let mut days: std::collections::BTreeMap<jiff::civil::Date, (u32, u64)> = Default::default();
    for send in &sends {
        let day = days.entry(send.at.date()).or_default();
        day.0 += 1;
        day.1 += send.recipients;
    }
    for (n, (date, (count, volume))) in days.iter().enumerate() {
        let resends = if n == 0 { plan.resends } else { 0 };
        if let Some(limit) = platform.max_sends_per_day {
            if count + resends > limit {
                over_limit = true;
                push(
                    "plan.daily-send-limit",
                    Severity::Block,
                    format!("{date} 计划发送{}次（含撤回和重发{resends}次），超过每天最多{limit}次的限制", count + resends),
                    "把超出的批次排到第二天，或合并发送对象".to_owned(),
                    None,
                    None,
                );
            }
        }
        if let Some(risky) = platform.risky_daily_recipients {
            if *volume > risky {
                let (normal, high) = platform.delay_rate.unwrap_or((0.0, 0.0));
                push(
                    "plan.daily-volume",
                    Severity::Review,
                    format!(
                        "{date} 合计发送{volume}人，超过{risky}人/天后延迟率约从{:.1}%升至{:.0}%，并有限流风险",
                        normal * 100.0,
                        high * 100.0
                    ),
                    format!("把每天的发送量控制在{risky}人以内，分多天发送"),
                    None,
                    None,
                );
            }
        }
    }
    let grid = platform.schedule_granularity_seconds.max(1);
    for (i, send) in sends.iter().enumerate() {
        if !platform::on_grid(send.at, grid) {
            push(
                "plan.schedule-grid",
                Severity::Review,
                format!(
                    "第{}次发送时间 {} 不在平台的定时粒度（{}）上，平台无法按此时间定时",
                    i + 1,
                    send.at,
                    platform::describe_grid(grid)
                ),
                format!("改为 {}", platform::round_up(send.at, grid)),
                Some(i),
                None,
            );
        }
    }
    if let Some((min_review, max_review)) = platform.media_review_minutes {
        for message in &plan.messages {
            let Some(uploaded) = message.uploaded_at else {
                continue;
            };
            let first = sends.first().map(|s| s.at);
            let Some(first) = first else { continue };
            let minutes = first.duration_since(uploaded).as_secs() / 60;
            if minutes < i64::from(max_review) {
                let severity = if minutes < i64::from(min_review) {
                    Severity::Block
                } else {
                    Severity::Review
                };
                push(
                    "plan.media-review",
                    severity,
                    format!("图文素材 {uploaded} 上传，{first} 发送只隔{minutes}分钟；素材需{min_review}–{max_review}分钟审核后才能发出"),
                    format!("发送时间至少安排在素材上传{max_review}分钟之后"),
                    None,
                    message.id.clone(),
                );
            }
        }
    }
    if advice {
        if let Some((from, to)) = platform.best_hours {
            for (i, send) in sends.iter().enumerate() {
                let hour = u32::try_from(send.at.hour()).unwrap_or(0);
                if hour < from || hour >= to {
                    push(
                        "plan.timing-advice",
                        Severity::Notice,
                        format!(
                            "第{}次发送在 {}，促销内容在{from}:00–{to}:00之外发送的预期打开率较低",
                            i + 1,
                            send.at
                        ),
                        format!("可改在{from}:00–{to}:00之间发送"),
                        Some(i),
                        None,
                    );
                }
            }
        }
    }
    let proposal = if over_limit {
        let earliest = plan
            .messages
            .iter()
            .filter_map(|m| m.uploaded_at)
            .max()
            .and_then(|u| {
                u.checked_add(jiff::SignedDuration::from_mins(i64::from(
                    platform.media_review_minutes.map_or(0, |m| m.1),
                )))
                .ok()
            });
        let start = sends[0].at.max(earliest.unwrap_or(sends[0].at));
        propose(platform, plan.total_recipients(), start, plan.resends)
    } else {
        Vec::new()
    };
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(PlanReport {
        platform: platform.id.clone(),
        findings,
        proposal,
    })
}
