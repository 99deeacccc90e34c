//! Fixed-point money: integer pico-dollars, so that no price goes through a float and sums are
//! exact. `0.0000166667` USD per GB-second is 16,666,700 pico-dollars.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// An amount of US dollars in units of 10⁻¹² USD.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i128);

const SCALE: i128 = 1_000_000_000_000;

/// Hours in a month, as every cloud's monthly estimate counts them.
pub const HOURS_PER_MONTH: i128 = 730;

impl Money {
    pub const ZERO: Money = Money(0);

    /// Parses a decimal string such as `"0.0832"`; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Money> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && fraction.is_empty() || fraction.len() > 12 {
            return None;
        }
        if !whole.chars().all(|ch| ch.is_ascii_digit()) || !fraction.chars().all(|ch| ch.is_ascii_digit()) {
            return None;
        }
        let whole: i128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let fraction_value: i128 = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
        let fraction_scaled = fraction_value * 10i128.pow(12 - fraction.len() as u32);
        let value = whole.checked_mul(SCALE)?.checked_add(fraction_scaled)?;
        Some(Money(if negative { -value } else { value }))
    }

    pub fn from_micros(micros: i64) -> Money {
        Money(micros as i128 * 1_000_000)
    }

    pub fn from_dollars(dollars: i64) -> Money {
        Money(dollars as i128 * SCALE)
    }

    pub fn pico(self) -> i128 {
        self.0
    }

    /// Multiplies by a whole count (nodes, hours).
    pub fn times(self, count: i128) -> Money {
        Money(self.0.saturating_mul(count))
    }

    /// Multiplies by `numerator / denominator`, rounding to the nearest pico-dollar.
    pub fn scale(self, numerator: i128, denominator: i128) -> Money {
        if denominator == 0 {
            return Money::ZERO;
        }
        let product = self.0.saturating_mul(numerator);
        Money((product + denominator / 2 * product.signum()) / denominator)
    }

    /// An hourly price over a month of 730 hours.
    pub fn monthly_from_hourly(self) -> Money {
        self.times(HOURS_PER_MONTH)
    }

    /// Dollars as a float, for ratios and percentages only.
    pub fn dollars_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    /// Whole cents, rounded half away from zero.
    pub fn cents(self) -> i128 {
        let cent = SCALE / 100;
        (self.0 + cent / 2 * self.0.signum()) / cent
    }

    pub fn max(self, other: Money) -> Money {
        if other > self {
            other
        } else {
            self
        }
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// `$1,234.56`: whole cents with thousands separators.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = self.cents();
        let sign = if cents < 0 { "-" } else { "" };
        let cents = cents.abs();
        let dollars = (cents / 100).to_string();
        let mut grouped = String::new();
        for (index, ch) in dollars.chars().enumerate() {
            if index > 0 && (dollars.len() - index) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}${grouped}.{:02}", cents % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_prices_are_exact() {
        let hourly = Money::parse("0.0832").unwrap();
        assert_eq!(hourly.monthly_from_hourly().to_string(), "$60.74");
        assert_eq!(Money::parse("0.0000166667").unwrap().pico(), 16_666_700);
        assert_eq!(Money::parse("1234567.5").unwrap().to_string(), "$1,234,567.50");
        assert_eq!(Money::parse("abc"), None);
        assert_eq!(Money::from_micros(87_600_000).to_string(), "$87.60");
    }
}
