//! Numbers as people read them: thousands grouped, and the noun that goes with a count.

/// A count with its thousands grouped by commas: `20000` reads `20,000`.
pub fn format_count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count and its noun, singular for one: `count(1, "response", "responses")` reads
/// `1 response`, `count(20000, ..)` reads `20,000 responses`.
pub fn count(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", format_count(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_commas() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(20000), "20,000");
        assert_eq!(format_count(1234567), "1,234,567");
        assert_eq!(format_count(-4500), "-4,500");
    }

    #[test]
    fn one_takes_the_singular_and_every_other_count_the_plural() {
        assert_eq!(count(1, "response", "responses"), "1 response");
        assert_eq!(count(0, "response", "responses"), "0 responses");
        assert_eq!(count(12, "person", "people"), "12 people");
        assert_eq!(count(20000, "recipient", "recipients"), "20,000 recipients");
    }
}
