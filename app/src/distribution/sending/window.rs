//! Sending windows: the local weekdays and hours (in the recipient's community's time
//! zone) when invitations and reminders may leave. Mail due outside the window waits in
//! the outbox for the next opening; a test message, or a send the editor marked "ignore
//! windows", goes at once.
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A window as the database keeps a survey's: "" for any time, else the canonical text.
pub fn to_stored(text: &str) -> Result<String, String> {
    SendingWindow::parse(text).map(|window| window.map(|w| w.to_text()).unwrap_or_default())
}

/// A stored survey window as people read it: None follows the team's default, "" is
/// "any time".
pub fn shown(stored: Option<&str>) -> Option<String> {
    stored.map(|w| {
        if w.is_empty() {
            ANY_TIME.to_string()
        } else {
            w.to_string()
        }
    })
}

/// A window in words; no window is "any time".
pub fn describe(window: Option<SendingWindow>) -> String {
    window
        .map(|w| w.to_text())
        .unwrap_or_else(|| ANY_TIME.to_string())
}

/// Weekdays (Monday first) and local minutes `start..end` of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendingWindow {
    days: [bool; 7],
    start: u16,
    end: u16,
}

const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The team default unless `DEFAULT_SENDING_WINDOW` says otherwise: mid-week working
/// hours, when people read work mail.
pub const DEFAULT: &str = "Tue-Thu 09:00-17:00";

/// How a window is written for "no window": mail leaves as soon as it is due.
pub const ANY_TIME: &str = "any time";

impl SendingWindow {
    /// `Tue-Thu 09:00-17:00`, `Mon,Wed,Fri 08:30-12:00`, `Mon-Sun 00:00-24:00`; "any
    /// time" (or nothing) is no window at all.
    pub fn parse(text: &str) -> Result<Option<Self>, String> {
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case(ANY_TIME) {
            return Ok(None);
        }
        let example = "Write the days and hours, e.g. “Tue-Thu 09:00-17:00”, or “any time”.";
        let (days_text, hours_text) = text.rsplit_once(' ').ok_or(example)?;
        let mut days = [false; 7];
        for part in days_text.split(',').map(str::trim) {
            let (from, to) = part.split_once('-').unwrap_or((part, part));
            let (from, to) = (
                day_index(from).ok_or(example)?,
                day_index(to).ok_or(example)?,
            );
            if from > to {
                return Err(format!(
                    "“{part}” runs backwards: write it Monday first, e.g. Mon-Fri."
                ));
            }
            days[from..=to].iter_mut().for_each(|d| *d = true);
        }
        let (start, end) = hours_text.split_once('-').ok_or(example)?;
        let (start, end) = (minutes(start).ok_or(example)?, minutes(end).ok_or(example)?);
        if start >= end {
            return Err("The window must end after it starts, on the same day.".into());
        }
        if end - start < 60 {
            return Err("Leave at least an hour a day for mail to go out.".into());
        }
        Ok(Some(Self { days, start, end }))
    }

    /// The canonical text, which `parse` reads back.
    pub fn to_text(&self) -> String {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < 7 {
            if !self.days[i] {
                i += 1;
                continue;
            }
            let first = i;
            while i + 1 < 7 && self.days[i + 1] {
                i += 1;
            }
            runs.push(if first == i {
                NAMES[i].to_string()
            } else {
                format!("{}-{}", NAMES[first], NAMES[i])
            });
            i += 1;
        }
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        format!("{} {}-{}", runs.join(","), hm(self.start), hm(self.end))
    }

    /// `at` itself when it falls inside the window in `tz`, else the window's next opening.
    pub fn next_open(&self, at: i64, tz: &TimeZone) -> i64 {
        let Ok(now) = Timestamp::from_second(at) else {
            return at;
        };
        let today = now.to_zoned(tz.clone()).date();
        for offset in 0..8 {
            let Ok(day) = today.checked_add(jiff::Span::new().days(offset)) else {
                break;
            };
            if !self.days[weekday_index(day.weekday())] {
                continue;
            }
            let (Some(opens), Some(closes)) =
                (local(day, self.start, tz), local(day, self.end, tz))
            else {
                continue;
            };
            if at < opens {
                return opens;
            }
            if at < closes {
                return at;
            }
        }
        at
    }
}

/// A day's local minute as Unix seconds; minute 1440 is the next day's midnight.
fn local(day: Date, minute: u16, tz: &TimeZone) -> Option<i64> {
    let (day, minute) = if minute >= 1440 {
        (day.tomorrow().ok()?, 0)
    } else {
        (day, minute)
    };
    let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok()?;
    day.to_datetime(time)
        .to_zoned(tz.clone())
        .ok()
        .map(|z| z.timestamp().as_second())
}

fn weekday_index(day: Weekday) -> usize {
    (day.to_monday_one_offset() - 1) as usize
}

fn day_index(name: &str) -> Option<usize> {
    let name = name.trim();
    // ASCII first: slicing three bytes off any other text could cut a character in two.
    if !name.is_ascii() || name.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(&name[..3]))
}

fn minutes(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    ((h < 24 && m < 60) || (h == 24 && m == 0)).then_some(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_name_with_a_wide_character_is_refused_not_a_crash() {
        assert_eq!(day_index("Ra\u{43100}day"), None);
        assert_eq!(day_index("mo\u{e9}"), None);
        assert_eq!(day_index(" Tuesday "), Some(1));
    }

    fn at(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_second()
    }

    #[test]
    fn windows_read_back_in_their_canonical_form() {
        let w = SendingWindow::parse("tue-thu 09:00-17:00")
            .unwrap()
            .unwrap();
        assert_eq!(w.to_text(), "Tue-Thu 09:00-17:00");
        let w = SendingWindow::parse("Mon,Wed,Fri 08:30-24:00")
            .unwrap()
            .unwrap();
        assert_eq!(w.to_text(), "Mon,Wed,Fri 08:30-24:00");
        assert_eq!(SendingWindow::parse("any time").unwrap(), None);
        assert_eq!(SendingWindow::parse("").unwrap(), None);
    }

    #[test]
    fn a_window_that_is_not_one_is_refused_in_words() {
        assert!(SendingWindow::parse("Thu-Tue 09:00-17:00")
            .unwrap_err()
            .contains("backwards"));
        assert!(SendingWindow::parse("Tue 17:00-09:00")
            .unwrap_err()
            .contains("end after"));
        assert!(SendingWindow::parse("Tue 09:00-09:30")
            .unwrap_err()
            .contains("an hour"));
        assert!(SendingWindow::parse("someday 9-5").is_err());
        assert!(SendingWindow::parse("Tue 25:00-26:00").is_err());
    }

    #[test]
    fn mail_due_before_opening_in_brisbane_waits_for_nine_local() {
        let w = SendingWindow::parse("Tue-Thu 09:00-17:00")
            .unwrap()
            .unwrap();
        let brisbane = TimeZone::get("Australia/Brisbane").unwrap();
        // Monday 20:00 UTC is Tuesday 06:00 in Brisbane (UTC+10).
        let due = at("2026-12-07T20:00:00Z");
        assert_eq!(w.next_open(due, &brisbane), at("2026-12-07T23:00:00Z"));
        // Inside the window: at once.
        let inside = at("2026-12-08T01:00:00Z");
        assert_eq!(w.next_open(inside, &brisbane), inside);
        // Thursday 17:00 local has closed: the next Tuesday.
        assert_eq!(
            w.next_open(at("2026-12-10T07:00:00Z"), &brisbane),
            at("2026-12-14T23:00:00Z")
        );
    }

    #[test]
    fn a_window_across_the_spring_forward_gap_opens_at_the_first_real_minute() {
        // Berlin skips 02:00-03:00 on 2027-03-28 (a Sunday).
        let w = SendingWindow::parse("Sun 02:30-05:00").unwrap().unwrap();
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let opens = w.next_open(at("2027-03-27T12:00:00Z"), &berlin);
        assert_eq!(opens, at("2027-03-28T01:30:00Z"), "03:30 local summer time");
    }
}
