//! Stock on hand and reservations.

use std::collections::HashMap;

/// Units on hand, per SKU.
#[derive(Debug, Default)]
pub struct Inventory {
    stock: HashMap<String, u32>,
}

/// A reservation asked for more units than there are.
#[derive(Debug, PartialEq, Eq)]
pub struct OutOfStock {
    pub sku: String,
    pub wanted: u32,
    pub available: u32,
}

impl Inventory {
    pub fn restock(&mut self, sku: &str, quantity: u32) {
        *self.stock.entry(sku.to_owned()).or_insert(0) += quantity;
    }

    pub fn available(&self, sku: &str) -> u32 {
        self.stock.get(sku).copied().unwrap_or(0)
    }

    /// Takes `quantity` units out of stock, or nothing at all if there are not enough.
    pub fn reserve(&mut self, sku: &str, quantity: u32) -> Result<(), OutOfStock> {
        let available = self.available(sku);
        if available < quantity {
            return Err(OutOfStock { sku: sku.to_owned(), wanted: quantity, available });
        }
        self.stock.insert(sku.to_owned(), available - quantity);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_is_all_or_nothing() {
        let mut stock = Inventory::default();
        stock.restock("MUG-01", 3);
        assert!(stock.reserve("MUG-01", 5).is_err());
        assert_eq!(stock.available("MUG-01"), 3);
        stock.reserve("MUG-01", 2).unwrap();
        assert_eq!(stock.available("MUG-01"), 1);
    }
}
