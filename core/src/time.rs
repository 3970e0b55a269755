//! Dates and UTC timestamps as Refiner reads them (ISO 8601), years 1 to 9999.

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in seconds since the Unix epoch.
const FIRST_SECOND: i64 = -62_135_596_800;
const LAST_SECOND: i64 = 253_402_300_799;

pub(crate) fn check_date(year: i32, month: u32, day: u32) -> Result<(), ()> {
    let valid =
        (1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    if valid {
        Ok(())
    } else {
        Err(())
    }
}

pub(crate) fn check_timestamp(seconds: i64) -> Result<(), ()> {
    if (FIRST_SECOND..=LAST_SECOND).contains(&seconds) {
        Ok(())
    } else {
        Err(())
    }
}

/// `YYYY-MM-DD` (the caller checked the date).
pub(crate) fn write_date(out: &mut String, year: i32, month: u32, day: u32) {
    let year = year.unsigned_abs();
    push_digits(out, year / 100);
    push_digits(out, year % 100);
    out.push('-');
    push_digits(out, month);
    out.push('-');
    push_digits(out, day);
}

/// Two decimal digits of `value` (below 100), without `fmt`.
fn push_digits(out: &mut String, value: u32) {
    out.push(char::from(b'0' + (value / 10 % 10) as u8));
    out.push(char::from(b'0' + (value % 10) as u8));
}

/// `YYYY-MM-DDTHH:MM:SSZ` in UTC (the caller checked the range), with `colon`
/// between the time's fields (`%3A` in a URL).
pub(crate) fn write_timestamp(out: &mut String, seconds: i64, colon: &str) {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // The caller checked the range: years 1..9999.
    write_date(out, year as i32, month, day);
    // 0..86_400 fits u32.
    let second_of_day = second_of_day as u32;
    out.push('T');
    push_digits(out, second_of_day / 3600);
    out.push_str(colon);
    push_digits(out, second_of_day / 60 % 60);
    out.push_str(colon);
    push_digits(out, second_of_day % 60);
    out.push('Z');
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The proleptic Gregorian date `days` after 1970-01-01 as (year, month, day)
/// (Howard Hinnant's `civil_from_days`). Days are clamped to +-10^9 (years far
/// outside 1..9999 either way), so the arithmetic cannot overflow; bindings
/// use it for their hosts' day counts (Arrow date columns, Ruby's Date).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days.clamp(-1_000_000_000, 1_000_000_000) + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    // 1..=31 and 1..=12.
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timestamp(seconds: i64) -> String {
        let mut out = String::new();
        write_timestamp(&mut out, seconds, ":");
        out
    }

    #[test]
    fn known_instants() {
        // Values from `date -u -d @SECONDS +%Y-%m-%dT%H:%M:%SZ`.
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(-1), "1969-12-31T23:59:59Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(timestamp(FIRST_SECOND), "0001-01-01T00:00:00Z");
        assert_eq!(timestamp(LAST_SECOND), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn dates_padded() {
        let date = |year, month, day| {
            let mut out = String::new();
            write_date(&mut out, year, month, day);
            out
        };
        assert_eq!(date(1, 2, 3), "0001-02-03");
        assert_eq!(date(999, 10, 31), "0999-10-31");
        assert_eq!(date(9999, 12, 9), "9999-12-09");
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date(2024, 2, 29).is_ok());
        assert!(check_date(2023, 2, 29).is_err());
        assert!(check_date(1900, 2, 29).is_err());
        assert!(check_date(0, 1, 1).is_err());
        assert!(check_date(10_000, 1, 1).is_err());
        assert!(check_date(2024, 13, 1).is_err());
        assert!(check_timestamp(LAST_SECOND + 1).is_err());
        assert!(check_timestamp(FIRST_SECOND - 1).is_err());
    }
}
