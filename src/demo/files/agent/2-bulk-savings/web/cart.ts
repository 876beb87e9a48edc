import { formatMoney, formatDiscount, Currency } from "./money";

export interface CartLine {
  sku: string;
  name: string;
  unitPrice: number; // cents
  quantity: number;
}

export class Cart {
  private lines = new Map<string, CartLine>();

  constructor(private readonly currency: Currency = "EUR") {}

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

  async bulkSavings(): Promise<number> {
    let savings = 0;
    for (const line of this.lines.values()) {
      const tiers = await fetchBulkTiers(line.sku);
      const percent = bulkPercent(tiers, line.quantity);
      savings += Math.floor((line.unitPrice * line.quantity * percent) / 100);
    }
    return savings;
  }

  summary(discountCents = 0): string {
    const parts = [`Subtotal ${formatMoney(this.subtotal(), this.currency)}`];
    if (discountCents > 0) {
      parts.push(`Discount ${formatDiscount(discountCents, this.currency)}`);
      parts.push(`Total ${formatMoney(this.subtotal() - discountCents, this.currency)}`);
    }
    return parts.join(" · ");
  }
}

// TODO: replace with the real pricing API once the endpoint exists
async function fetchBulkTiers(sku: string): Promise<Array<[number, number]>> {
  return [[10, 5], [50, 12], [100, 20]];
}

function bulkPercent(tiers: Array<[number, number]>, units: number): number {
  const reached = tiers.filter(([min]) => units >= min) as any;
  return reached.length ? reached[reached.length - 1][1] : 0;
}
