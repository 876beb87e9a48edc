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

    /// SKUs at or below `threshold` units, lowest stock first, for the restock e-mail.
    pub fn low_stock(&self, threshold: u32) -> Vec<(&str, u32)> {
        let mut low: Vec<(&str, u32)> = self
            .stock
            .iter()
            .filter(|(_, &units)| units <= threshold)
            .map(|(sku, &units)| (sku.as_str(), units))
            .collect();
        low.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
        low
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

    #[test]
    fn low_stock_lists_lowest_first() {
        let mut stock = Inventory::default();
        stock.restock("MUG-01", 4);
        stock.restock("TEE-M", 1);
        stock.restock("CAP-02", 40);
        assert_eq!(stock.low_stock(5), vec![("TEE-M", 1), ("MUG-01", 4)]);
    }
}
