//! Dates and times as people read them: in the team's time zone on every team page.
use serde::{Deserialize, Serialize};

/// From `from` (Unix seconds) until the next span, the zone is `offset` seconds ahead of
/// UTC and goes by `abbreviation` (`CET`, `+0530`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneSpan {
    pub from: i64,
    pub offset: i64,
    pub abbreviation: String,
}

/// The team's time zone (`TEAM_TIME_ZONE`) as the pages need it: its offsets over a few
/// years, worked out on the server, so the browser needs no time zone database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamZone {
    /// Oldest first; the first starts at `i64::MIN`.
    spans: Vec<ZoneSpan>,
}

impl TeamZone {
    pub fn new(spans: Vec<ZoneSpan>) -> Self {
        Self { spans }
    }

    pub fn utc() -> Self {
        Self::new(vec![ZoneSpan {
            from: i64::MIN,
            offset: 0,
            abbreviation: "UTC".into(),
        }])
    }

    /// The local time of `at` (as if it were UTC) and the zone's abbreviation then.
    fn local(&self, at: i64) -> (i64, &str) {
        match self.spans.iter().take_while(|s| s.from <= at).last() {
            Some(span) => (at + span.offset, span.abbreviation.as_str()),
            None => (at, "UTC"),
        }
    }

    /// The local calendar date of `at`, e.g. `2026-11-26`.
    pub fn date(&self, at: i64) -> String {
        format_date(self.local(at).0)
    }

    /// The local date and minute with the zone's abbreviation, e.g. `2026-11-26 15:05 CET`.
    pub fn time(&self, at: i64) -> String {
        let (local, zone) = self.local(at);
        let minutes = local.rem_euclid(86_400) / 60;
        format!(
            "{} {:02}:{:02} {zone}",
            format_date(local),
            minutes / 60,
            minutes % 60
        )
    }
}

/// The team's time zone, which the role guard provides with the signed-in person; UTC on
/// a page outside it.
pub fn use_team_zone() -> TeamZone {
    leptos::prelude::use_context::<TeamZone>().unwrap_or_else(TeamZone::utc)
}

/// A Unix timestamp (seconds) as an ISO calendar date in UTC, e.g. `2026-11-26`.
pub fn format_date(epoch_secs: i64) -> String {
    let (y, m, d) = civil_from_days(epoch_secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since the Unix epoch of an ISO date such as `2026-11-26`; `None` if it is not one.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let days = days_from_civil(y, m, d);
    // Reject 2026-02-30 and friends: the date must survive the round trip.
    (civil_from_days(days) == (y, m, d) && (1970..=9999).contains(&y)).then_some(days)
}

// The inverse of `civil_from_days`, from the same source.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

// Howard Hinnant's days-to-civil algorithm: exact for the proleptic Gregorian calendar,
// and small enough not to pull a date crate into the WASM bundle.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> TeamZone {
        // Central European Time, summer time from 2026-03-29 01:00 UTC to 2026-10-25
        // 01:00 UTC.
        TeamZone::new(vec![
            ZoneSpan {
                from: i64::MIN,
                offset: 3600,
                abbreviation: "CET".into(),
            },
            ZoneSpan {
                from: 1_774_746_000,
                offset: 7200,
                abbreviation: "CEST".into(),
            },
            ZoneSpan {
                from: 1_792_890_000,
                offset: 3600,
                abbreviation: "CET".into(),
            },
        ])
    }

    #[test]
    fn a_late_evening_in_utc_is_already_tomorrow_in_berlin() {
        // 2026-11-26 23:30 UTC
        let at = 1_795_737_599 - 1_799;
        assert_eq!(TeamZone::utc().date(at), "2026-11-26");
        assert_eq!(berlin().date(at), "2026-11-27");
        assert_eq!(berlin().time(at), "2026-11-27 00:30 CET");
    }

    #[test]
    fn summer_time_moves_the_clock_and_the_abbreviation() {
        let before = 1_774_746_000 - 60;
        assert_eq!(berlin().time(before), "2026-03-29 01:59 CET");
        assert_eq!(berlin().time(before + 60), "2026-03-29 03:00 CEST");
    }

    #[test]
    fn known_timestamps_format_as_their_utc_dates() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(951_782_400), "2000-02-29");
        assert_eq!(
            TeamZone::utc().time(951_782_400 + 3_900),
            "2000-02-29 01:05 UTC"
        );
        assert_eq!(format_date(1_795_737_599), "2026-11-26");
        assert_eq!(format_date(-86_400), "1969-12-31");
    }

    #[test]
    fn iso_dates_parse_to_days_and_impossible_ones_do_not() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(
            parse_date("2000-02-29").map(|d| d * 86_400),
            Some(951_782_400)
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("26-11-2026"), None);
        assert_eq!(parse_date("soon"), None);
    }
}
