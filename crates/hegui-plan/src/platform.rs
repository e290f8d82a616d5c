//! Platform profiles: the limits of a platform and client, as data.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use crate::PlanError;

/// The limits of one platform and client (`rulesets/platforms/*.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Platform {
    /// Profile id (`wechat-mobile`).
    pub id: String,
    /// Name shown in messages (微信（手机端）).
    pub name: String,
    /// Platform a plan names (`wechat`).
    pub platform: String,
    /// Client a plan names (`mobile`, `desktop`, `any`).
    pub client: String,
    /// Most recipients in one send; none when unlimited.
    #[serde(default)]
    pub max_recipients_per_send: Option<u64>,
    /// Most sends a day (recalls and re-sends count); none when unlimited.
    #[serde(default)]
    pub max_sends_per_day: Option<u32>,
    /// Scheduling grid in seconds (900 = every 15 minutes).
    #[serde(default = "one")]
    pub schedule_granularity_seconds: u64,
    /// Review time of uploaded 图文 media, minutes `[least, most]`.
    #[serde(default)]
    pub media_review_minutes: Option<(u32, u32)>,
    /// Recipients a day above which delays and throttling become likely.
    #[serde(default)]
    pub risky_daily_recipients: Option<u64>,
    /// Delay rate `[normal, above the risky volume]`.
    #[serde(default)]
    pub delay_rate: Option<(f64, f64)>,
    /// Least spacing between batches of a split send, minutes.
    #[serde(default = "thirty")]
    pub min_batch_spacing_minutes: u32,
    /// Best hours for promotional sends `[from, to)` (advice only).
    #[serde(default)]
    pub best_hours: Option<(u32, u32)>,
}

fn one() -> u64 {
    1
}

fn thirty() -> u32 {
    30
}

/// `(path, TOML)` of the built-in platform profiles.
pub const DEFAULT_PLATFORMS: &[(&str, &str)] = &[
    (
        "rulesets/platforms/wechat-mobile.toml",
        include_str!("../../../rulesets/platforms/wechat-mobile.toml"),
    ),
    (
        "rulesets/platforms/wechat-desktop.toml",
        include_str!("../../../rulesets/platforms/wechat-desktop.toml"),
    ),
    (
        "rulesets/platforms/dingtalk-pc.toml",
        include_str!("../../../rulesets/platforms/dingtalk-pc.toml"),
    ),
    (
        "rulesets/platforms/platform-c.toml",
        include_str!("../../../rulesets/platforms/platform-c.toml"),
    ),
];

/// A platform profile that does not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PlatformError {
    /// File.
    pub path: String,
    /// What is wrong (with line and column from the TOML parser).
    pub message: String,
}

impl Platform {
    /// Loads a profile from TOML text.
    ///
    /// # Errors
    /// Syntax or schema errors, naming `path`, line and column.
    pub fn from_toml(path: &str, text: &str) -> Result<Platform, PlatformError> {
        toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(":{line}:{column}")
            });
            PlatformError {
                path: format!("{path}{}", at.unwrap_or_default()),
                message: e.message().to_owned(),
            }
        })
    }
}

/// The built-in profiles.
pub fn default_platforms() -> Vec<Platform> {
    DEFAULT_PLATFORMS
        .iter()
        .map(|(path, text)| {
            Platform::from_toml(path, text).expect("built-in profiles load; tests check them")
        })
        .collect()
}

/// The profile for `platform` and `client` (a single profile of the platform, or one
/// with client `any`, also matches no client).
pub(crate) fn find<'p>(
    platforms: &'p [Platform],
    platform: &str,
    client: Option<&str>,
) -> Result<&'p Platform, PlanError> {
    let of_platform: Vec<&Platform> = platforms
        .iter()
        .filter(|p| p.platform == platform)
        .collect();
    let found = match client {
        Some(client) => of_platform
            .iter()
            .find(|p| p.client == client || (p.client == "desktop" && client == "pc"))
            .or_else(|| of_platform.iter().find(|p| p.client == "any")),
        None => (of_platform.len() == 1).then(|| &of_platform[0]),
    };
    found.copied().ok_or_else(|| PlanError::UnknownPlatform {
        platform: platform.to_owned(),
        client: client.unwrap_or("(none)").to_owned(),
        known: platforms
            .iter()
            .map(|p| format!("{}/{}", p.platform, p.client))
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn seconds_of_day(at: DateTime) -> u64 {
    let t = at.time();
    u64::try_from(i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second()))
        .unwrap_or(0)
}

/// Whether `at` is on a grid of `grid` seconds (counted from midnight).
pub(crate) fn on_grid(at: DateTime, grid: u64) -> bool {
    at.subsec_nanosecond() == 0 && seconds_of_day(at) % grid == 0
}

/// The first grid point at or after `at`.
pub(crate) fn round_up(at: DateTime, grid: u64) -> DateTime {
    if on_grid(at, grid) {
        return at;
    }
    let secs = seconds_of_day(at);
    let up = (secs / grid + 1) * grid - secs;
    let base = at.with().subsec_nanosecond(0).build().unwrap_or(at);
    base.checked_add(jiff::SignedDuration::from_secs(
        i64::try_from(up).unwrap_or(0),
    ))
    .unwrap_or(at)
}

/// `15分钟`, `1分钟`, `1秒`.
pub(crate) fn describe_grid(grid: u64) -> String {
    if grid % 60 == 0 {
        format!("{}分钟", grid / 60)
    } else {
        format!("{grid}秒")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_profiles_load_and_are_found() {
        let platforms = default_platforms();
        assert_eq!(
            find(&platforms, "wechat", Some("mobile")).map(|p| p.max_recipients_per_send),
            Ok(Some(200))
        );
        assert_eq!(
            find(&platforms, "wechat", Some("desktop")).map(|p| p.max_recipients_per_send),
            Ok(None)
        );
        assert_eq!(
            find(&platforms, "dingtalk", Some("pc")).map(|p| p.max_recipients_per_send),
            Ok(Some(1000))
        );
        assert!(
            find(&platforms, "wechat", None).is_err(),
            "two wechat clients: the plan must say which"
        );
        assert!(find(&platforms, "fax", None).is_err());
    }

    #[test]
    fn grid_rounding() {
        let at: DateTime = "2026-11-26T19:07:30".parse().expect("time");
        assert!(!on_grid(at, 900));
        assert_eq!(round_up(at, 900).to_string(), "2026-11-26T19:15:00");
        assert_eq!(round_up(at, 60).to_string(), "2026-11-26T19:08:00");
        assert!(on_grid(at, 1));
    }

    #[test]
    fn profile_errors_name_the_place() {
        let e = Platform::from_toml("p.toml", "id = \"x\"\nname = 3\n").expect_err("bad");
        assert!(e.to_string().starts_with("p.toml:2:"), "{e}");
    }
}
