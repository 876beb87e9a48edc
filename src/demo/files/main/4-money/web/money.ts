// Money formatting for the storefront. Amounts arrive from the API as integer cents.

export type Currency = "EUR" | "USD" | "GBP";

const SYMBOLS: Record<Currency, string> = {
  EUR: "€",
  USD: "$",
  GBP: "£",
};

/** Splits integer cents into whole units and a two-digit remainder. */
export function splitCents(cents: number): [number, string] {
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, "0");
  return [units, rest];
}

/** Groups thousands with a thin space: 1234567 -> "1 234 567". */
export function groupThousands(units: number): string {
  return String(units).replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
}

/** "€12.50", "$1 234.00", "-€3.00". */
export function formatMoney(cents: number, currency: Currency = "EUR"): string {
  const [units, rest] = splitCents(cents);
  const sign = cents < 0 ? "-" : "";
  return `${sign}${SYMBOLS[currency]}${groupThousands(units)}.${rest}`;
}

/** "-€3.00", for discounts shown as a line of their own. */
export function formatDiscount(cents: number, currency: Currency = "EUR"): string {
  return formatMoney(-Math.abs(cents), currency);
}
