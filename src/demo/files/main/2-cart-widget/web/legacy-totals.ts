// Deprecated: totals were computed here before Cart.subtotal() existed.
// Kept until the checkout page stops importing it.

import { CartLine } from "./cart";

/** @deprecated use Cart.subtotal() */
export function lineTotal(line: CartLine): number {
  return line.unitPrice * line.quantity;
}

/** @deprecated use Cart.subtotal() */
export function cartTotal(lines: CartLine[]): number {
  return lines.reduce((sum, line) => sum + lineTotal(line), 0);
}

/** @deprecated rounding happens on the server now */
export function roundToCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** @deprecated tax is added at checkout */
export function totalWithTax(lines: CartLine[], rate: number): number {
  return roundToCents(cartTotal(lines) * (1 + rate));
}
