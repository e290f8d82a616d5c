//! A compliant schedule for a plan that breaks a limit.

use jiff::civil::DateTime;
use serde::Serialize;

use crate::platform::{round_up, Platform};

/// One proposed send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Batch {
    /// When (on the platform's grid).
    pub send_at: DateTime,
    /// Recipients of this batch.
    pub recipients: u64,
}

/// Splits `total` recipients into batches that respect every limit of `platform`:
/// at most the per-send limit each (sizes differ by at most one), at least the batch
/// spacing apart, on the schedule grid, no more sends a day than allowed (`resends`
/// already used on the first day); the first at or after `start`.
pub fn propose(platform: &Platform, total: u64, start: DateTime, resends: u32) -> Vec<Batch> {
    if total == 0 {
        return Vec::new();
    }
    let per_send = platform.max_recipients_per_send.unwrap_or(total).max(1);
    let count = total.div_ceil(per_send);
    let grid = platform.schedule_granularity_seconds.max(1);
    let spacing = jiff::SignedDuration::from_mins(i64::from(platform.min_batch_spacing_minutes));
    let first = round_up(start, grid);
    let mut batches = Vec::new();
    let mut at = first;
    let mut day = first.date();
    let mut used_today = resends;
    for i in 0..count {
        let recipients = total / count + u64::from(i < total % count);
        if let Some(limit) = platform.max_sends_per_day {
            if used_today >= limit {
                // Next day, same time of day as the first batch.
                let next = day.tomorrow().unwrap_or(day);
                at = next.to_datetime(first.time());
                day = next;
                used_today = 0;
            }
        }
        batches.push(Batch {
            send_at: at,
            recipients,
        });
        used_today += 1;
        let next = round_up(at.checked_add(spacing).unwrap_or(at), grid);
        if next.date() != day {
            day = next.date();
            used_today = 0;
        }
        at = next;
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::{default_platforms, on_grid};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Every batch respects every limit, and every recipient is covered exactly once.
        #[test]
        fn proposals_respect_every_limit(
            total in 1u64..20_000,
            profile in 0usize..4,
            minute in 0i8..60,
            hour in 0i8..24,
            resends in 0u32..25,
        ) {
            let platforms = default_platforms();
            let platform = &platforms[profile];
            let start = jiff::civil::date(2026, 11, 26).at(hour, minute, 17, 0);
            let batches = propose(platform, total, start, resends);
            prop_assert_eq!(batches.iter().map(|b| b.recipients).sum::<u64>(), total);
            let grid = platform.schedule_granularity_seconds;
            let mut per_day = std::collections::BTreeMap::new();
            for (i, batch) in batches.iter().enumerate() {
                prop_assert!(batch.recipients >= 1);
                if let Some(limit) = platform.max_recipients_per_send {
                    prop_assert!(batch.recipients <= limit);
                }
                prop_assert!(on_grid(batch.send_at, grid));
                prop_assert!(batch.send_at >= start);
                if i > 0 {
                    let gap = batch.send_at.duration_since(batches[i - 1].send_at).as_secs();
                    prop_assert!(gap >= i64::from(platform.min_batch_spacing_minutes) * 60);
                }
                *per_day.entry(batch.send_at.date()).or_insert(0u32) += 1;
            }
            if let Some(limit) = platform.max_sends_per_day {
                for (date, sends) in &per_day {
                    // Re-sends already used count on the start date only.
                    let used = if *date == start.date() { resends } else { 0 };
                    prop_assert!(sends + used <= limit, "{} sends + {} resends on {}", sends, used, date);
                }
            }
        }
    }
}
