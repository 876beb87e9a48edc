import { formatMoney, formatDiscount, Currency } from "./money";
import { Coupon, couponDiscount } from "./coupon";

export interface CartLine {
  sku: string;
  name: string;
  unitPrice: number; // cents
  quantity: number;
}

export class Cart {
  private lines = new Map<string, CartLine>();

  constructor(private readonly currency: Currency = "EUR") {}

  private coupon: Coupon | null = null;

  applyCoupon(coupon: Coupon | null): void {
    this.coupon = coupon;
  }

  add(line: CartLine): void {
    const existing = this.lines.get(line.sku);
    if (existing) {
      existing.quantity += line.quantity;
    } else {
      this.lines.set(line.sku, { ...line });
    }
  }

  setQuantity(sku: string, quantity: number): void {
    const line = this.lines.get(sku);
    if (!line) return;
    if (quantity <= 0) {
      this.lines.delete(sku);
    } else {
      line.quantity = quantity;
    }
  }

  subtotal(): number {
    let sum = 0;
    for (const line of this.lines.values()) {
      sum += line.unitPrice * line.quantity;
    }
    return sum;
  }

  rows(): Array<{ name: string; quantity: number; total: string }> {
    return [...this.lines.values()].map((line) => ({
      name: line.name,
      quantity: line.quantity,
      total: formatMoney(line.unitPrice * line.quantity, this.currency),
    }));
  }

  summary(discountCents = couponDiscount(this.coupon, this.subtotal())): string {
    const parts = [`Subtotal ${formatMoney(this.subtotal(), this.currency)}`];
    if (discountCents > 0) {
      parts.push(`Discount ${formatDiscount(discountCents, this.currency)}`);
      parts.push(`Total ${formatMoney(this.subtotal() - discountCents, this.currency)}`);
    }
    return parts.join(" · ");
  }
}
