//! Shopfront: prices, carts and stock for a small online shop.
//!
//! Money is always an integer number of cents ([`Cents`]); nothing here touches floats.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub mod discount;
pub mod inventory;

pub use discount::Discount;
pub use inventory::Inventory;

/// An amount of money in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Cents(pub i64);

impl Cents {
    pub fn times(self, quantity: u32) -> Cents {
        Cents(self.0 * i64::from(quantity))
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;

    fn add(self, rhs: Cents) -> Cents {
        Cents(self.0 + rhs.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub price: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub sku: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PricingError {
    UnknownSku(String),
}

/// Sum of all lines at list price. An unknown SKU is an error, never a silent zero.
pub fn subtotal(catalog: &HashMap<String, Product>, lines: &[Line]) -> Result<Cents, PricingError> {
    lines.iter().try_fold(Cents(0), |sum, line| {
        let product = catalog
            .get(&line.sku)
            .ok_or_else(|| PricingError::UnknownSku(line.sku.clone()))?;
        Ok(sum + product.price.times(line.quantity))
    })
}

/// What the customer pays: the subtotal with `discount` applied.
pub fn total(
    catalog: &HashMap<String, Product>,
    lines: &[Line],
    discount: &Discount,
) -> Result<Cents, PricingError> {
    Ok(discount.apply(subtotal(catalog, lines)?))
}
