//! Local time: the team's time zone (a survey's schedule is typed and shown in it) and a
//! community's (its sending window). Times are stored as Unix seconds; only the edges of
//! the app (forms, pages, the API's local form) speak in local dates and hours.
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A named IANA time zone, checked when it is read.
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    pub fn utc() -> Self {
        Self {
            name: "UTC".into(),
            tz: TimeZone::UTC,
        }
    }

    /// An IANA name such as `Europe/Berlin` or `Australia/Sydney`; `UTC` too.
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("utc") || name.is_empty() {
            return Ok(Self::utc());
        }
        TimeZone::get(name)
            .map(|tz| Self {
                name: tz.iana_name().unwrap_or(name).to_string(),
                tz,
            })
            .map_err(|_| {
                format!("“{name}” isn't a time zone: use a name such as Europe/Berlin or UTC.")
            })
    }

    /// The calendar quarters of this zone, the one holding `now` last and `count` in all:
    /// (label such as "2026 Q3", first moment, first moment of the next).
    pub fn quarters(&self, now: i64, count: usize) -> Vec<(String, i64, i64)> {
        let Some(today) = self.zoned(now) else {
            return Vec::new();
        };
        let start_of = |year: i16, quarter: i8| -> Option<i64> {
            jiff::civil::date(year, quarter * 3 - 2, 1)
                .to_zoned(self.tz.clone())
                .ok()
                .map(|z| z.timestamp().as_second())
        };
        let next = |(year, quarter): (i16, i8)| match quarter {
            4 => (year + 1, 1),
            q => (year, q + 1),
        };
        let mut at = (today.year(), (today.month() - 1) / 3 + 1);
        for _ in 1..count {
            at = match at {
                (year, 1) => (year - 1, 4),
                (year, q) => (year, q - 1),
            };
        }
        let mut quarters = Vec::with_capacity(count);
        for _ in 0..count {
            let (from, until) = (start_of(at.0, at.1), start_of(next(at).0, next(at).1));
            if let (Some(from), Some(until)) = (from, until) {
                quarters.push((format!("{} Q{}", at.0, at.1), from, until));
            }
            at = next(at);
        }
        quarters
    }

    /// The latest Monday at `hour`:00 in this zone at or before `now`, with that Monday's
    /// date (`2026-11-30`): the start of the week a weekly message belongs to.
    pub fn week_start(&self, now: i64, hour: i8) -> Option<(i64, String)> {
        let today = self.zoned(now)?;
        let back = i64::from(today.weekday().to_monday_zero_offset());
        let monday = today
            .date()
            .checked_sub(jiff::Span::new().days(back))
            .ok()?;
        let at = |date: jiff::civil::Date| -> Option<(i64, String)> {
            let moment = date.at(hour, 0, 0, 0).to_zoned(self.tz.clone()).ok()?;
            Some((moment.timestamp().as_second(), date.to_string()))
        };
        match at(monday)? {
            (start, label) if start <= now => Some((start, label)),
            _ => at(monday.checked_sub(jiff::Span::new().days(7)).ok()?),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The time zone itself, for the sending window's arithmetic.
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// `2026-12-10T17:00`, as an `<input type="datetime-local">` holds it.
    pub fn to_input(&self, at: i64) -> String {
        self.zoned(at)
            .map(|z| z.strftime("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default()
    }

    /// `Thu 10 Dec 2026, 17:00 (Europe/Berlin)`, for people to read.
    pub fn describe(&self, at: i64) -> String {
        match self.zoned(at) {
            Some(z) => format!("{} ({})", z.strftime("%a %-d %b %Y, %H:%M"), self.name),
            None => String::new(),
        }
    }

    /// A local date and minute (`2026-12-10T17:00`, `2026-12-10 17:00`) in this zone, as
    /// Unix seconds. A time that does not exist locally (the hour skipped when clocks go
    /// forward) moves on by the gap; one that exists twice is the earlier.
    pub fn parse_local(&self, text: &str) -> Result<i64, String> {
        let text = text.trim().replace(' ', "T");
        let local: DateTime = text
            .parse()
            .map_err(|_| "Enter a date and time as YYYY-MM-DD HH:MM, e.g. 2026-12-10 17:00.")?;
        if !(1970..=9999).contains(&local.year()) {
            return Err("Enter a year between 1970 and 9999.".into());
        }
        local
            .to_zoned(self.tz.clone())
            .map(|z| z.timestamp().as_second())
            .map_err(|_| "That time does not exist in this time zone.".into())
    }

    /// A time in the API: RFC 3339 with an offset (`2026-12-10T16:00:00Z`), or a local
    /// date and minute read in this zone.
    pub fn parse_api(&self, text: &str) -> Result<i64, String> {
        match text.trim().parse::<Timestamp>() {
            Ok(at) => Ok(at.as_second()),
            Err(_) => self.parse_local(text).map_err(|_| {
                "Give a time as RFC 3339 (2026-12-10T16:00:00Z) or as a local \
                 date and time in the team's time zone (2026-12-10T17:00)."
                    .to_string()
            }),
        }
    }

    /// Seconds this zone is ahead of UTC at `at` (negative west of Greenwich).
    pub fn offset_at(&self, at: i64) -> i64 {
        Timestamp::from_second(at)
            .map(|t| i64::from(self.tz.to_offset(t).seconds()))
            .unwrap_or(0)
    }

    /// The zone's offsets from five years before `now` to two years after, for pages to
    /// show times in (the browser has no time zone database: the bundle stays small).
    pub fn for_pages(&self, now: i64) -> crate::ui::TeamZone {
        let from = now - 5 * 366 * 86_400;
        let to = now + 2 * 366 * 86_400;
        let mut spans = vec![self.span_at(from)];
        if let Ok(start) = Timestamp::from_second(from) {
            for transition in self.tz.following(start) {
                let at = transition.timestamp().as_second();
                if at > to {
                    break;
                }
                spans.push(crate::ui::ZoneSpan {
                    from: at,
                    offset: i64::from(transition.offset().seconds()),
                    abbreviation: transition.abbreviation().to_string(),
                });
            }
        }
        crate::ui::TeamZone::new(spans)
    }

    fn span_at(&self, at: i64) -> crate::ui::ZoneSpan {
        let (offset, abbreviation) = Timestamp::from_second(at)
            .map(|t| {
                let info = self.tz.to_offset_info(t);
                (
                    i64::from(info.offset().seconds()),
                    info.abbreviation().to_string(),
                )
            })
            .unwrap_or((0, "UTC".into()));
        crate::ui::ZoneSpan {
            from: i64::MIN,
            offset,
            abbreviation,
        }
    }

    fn zoned(&self, at: i64) -> Option<jiff::Zoned> {
        Timestamp::from_second(at)
            .ok()
            .map(|t| t.to_zoned(self.tz.clone()))
    }
}

/// An RFC 3339 timestamp in UTC, as the API writes times.
pub fn rfc3339(at: i64) -> String {
    Timestamp::from_second(at)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_starts_on_monday_at_the_hour_in_the_zone_and_before_it_belongs_to_the_last() {
        let sydney = Zone::parse("Australia/Sydney").unwrap();
        // Wednesday 9 December 2026, 10:00 in Sydney.
        let wednesday = sydney.parse_local("2026-12-09 10:00").unwrap();
        let (start, label) = sydney.week_start(wednesday, 8).unwrap();
        assert_eq!(label, "2026-12-07");
        assert_eq!(start, sydney.parse_local("2026-12-07 08:00").unwrap());
        // Monday 07:59 still belongs to the week before; 08:00 opens the new one.
        let early = sydney.parse_local("2026-12-07 07:59").unwrap();
        assert_eq!(sydney.week_start(early, 8).unwrap().1, "2026-11-30");
        let on_time = sydney.parse_local("2026-12-07 08:00").unwrap();
        assert_eq!(
            sydney.week_start(on_time, 8).unwrap(),
            (on_time, "2026-12-07".into())
        );
    }

    #[test]
    fn quarters_start_at_local_midnight_and_run_back_across_a_new_year() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let now = berlin.parse_local("2027-02-10 12:00").unwrap();
        let quarters = berlin.quarters(now, 3);
        let labels: Vec<&str> = quarters.iter().map(|q| q.0.as_str()).collect();
        assert_eq!(labels, ["2026 Q3", "2026 Q4", "2027 Q1"]);
        // Midnight in Berlin is 22:00 or 23:00 UTC the day before.
        assert_eq!(rfc3339(quarters[0].1), "2026-06-30T22:00:00Z");
        assert_eq!(rfc3339(quarters[1].1), "2026-09-30T22:00:00Z");
        assert_eq!(rfc3339(quarters[2].1), "2026-12-31T23:00:00Z");
        assert_eq!(
            quarters[2].2,
            berlin.parse_local("2027-04-01 00:00").unwrap()
        );
        assert!(quarters.windows(2).all(|w| w[0].2 == w[1].1), "no gaps");
    }

    #[test]
    fn a_local_time_in_berlin_is_an_hour_ahead_of_utc_in_winter() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let at = berlin.parse_local("2026-12-10 17:00").unwrap();
        assert_eq!(rfc3339(at), "2026-12-10T16:00:00Z");
        assert_eq!(berlin.to_input(at), "2026-12-10T17:00");
        assert_eq!(
            berlin.describe(at),
            "Thu 10 Dec 2026, 17:00 (Europe/Berlin)"
        );
    }

    #[test]
    fn the_pages_zone_shows_every_hour_of_two_years_as_jiff_does() {
        for name in [
            "Europe/Berlin",
            "America/New_York",
            "Asia/Kolkata",
            "Australia/Lord_Howe",
        ] {
            let zone = Zone::parse(name).unwrap();
            let now = zone.parse_local("2026-12-06 12:00").unwrap();
            let pages = zone.for_pages(now);
            for hour in (-366 * 24)..(366 * 24) {
                let at = now + hour * 3600 + 1234;
                let expected = zone.zoned(at).unwrap();
                assert_eq!(
                    pages.time(at),
                    format!(
                        "{} {}",
                        expected.strftime("%Y-%m-%d %H:%M"),
                        expected.strftime("%Z")
                    ),
                    "{name} at {at}"
                );
            }
        }
    }

    #[test]
    fn the_api_takes_an_offset_or_a_local_time() {
        let sydney = Zone::parse("Australia/Sydney").unwrap();
        let with_offset = sydney.parse_api("2026-12-10T09:00:00+11:00").unwrap();
        assert_eq!(sydney.parse_api("2026-12-10T09:00").unwrap(), with_offset);
        assert!(sydney.parse_api("next tuesday").is_err());
    }

    #[test]
    fn an_unknown_zone_and_an_impossible_date_are_refused_in_words() {
        assert!(Zone::parse("Mars/Olympus")
            .unwrap_err()
            .contains("Mars/Olympus"));
        assert!(Zone::utc().parse_local("2026-02-30 10:00").is_err());
        assert_eq!(Zone::parse("").unwrap().name(), "UTC");
    }
}
