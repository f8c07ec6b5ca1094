/// A Unix timestamp (seconds) as an ISO calendar date in UTC, e.g. `2026-11-26`.
pub fn format_date(epoch_secs: i64) -> String {
    let (y, m, d) = civil_from_days(epoch_secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// A Unix timestamp as date and minute in UTC, e.g. `2026-11-26 14:05 UTC`.
pub fn format_time(epoch_secs: i64) -> String {
    let minutes = epoch_secs.rem_euclid(86_400) / 60;
    format!(
        "{} {:02}:{:02} UTC",
        format_date(epoch_secs),
        minutes / 60,
        minutes % 60
    )
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

    #[test]
    fn known_timestamps_format_as_their_utc_dates() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(951_782_400), "2000-02-29");
        assert_eq!(format_time(951_782_400 + 3_900), "2000-02-29 01:05 UTC");
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
