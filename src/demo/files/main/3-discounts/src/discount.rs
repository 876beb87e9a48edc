//! Discounts a customer can get on a whole order.

use crate::Cents;

/// A discount on the order subtotal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discount {
    None,
    /// A percentage off, 0 to 100.
    Percent(u8),
    /// A fixed amount off.
    Fixed(Cents),
    /// (minimum subtotal, percent off) pairs; the highest tier reached applies.
    Tiered(Vec<(Cents, u8)>),
}

impl Discount {
    /// The subtotal after the discount. The amount taken off rounds down to the cent and the
    /// result is never negative.
    pub fn apply(&self, subtotal: Cents) -> Cents {
        let off = match self {
            Discount::None => Cents(0),
            Discount::Percent(percent) => percent_of(subtotal, *percent),
            Discount::Fixed(amount) => *amount,
            Discount::Tiered(tiers) => tiers
                .iter()
                .filter(|(minimum, _)| subtotal >= *minimum)
                .map(|(_, percent)| percent_of(subtotal, *percent))
                .max()
                .unwrap_or_default(),
        };
        Cents((subtotal.0 - off.0).max(0))
    }
}

fn percent_of(amount: Cents, percent: u8) -> Cents {
    let percent = i64::from(percent.min(100));
    Cents(amount.0 * percent / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_the_discount_down() {
        assert_eq!(Discount::Percent(15).apply(Cents(999)), Cents(850));
    }

    #[test]
    fn highest_tier_reached_applies() {
        let tiers = Discount::Tiered(vec![(Cents(5_000), 5), (Cents(10_000), 10)]);
        assert_eq!(tiers.apply(Cents(4_999)), Cents(4_999));
        assert_eq!(tiers.apply(Cents(12_000)), Cents(10_800));
    }
}
