// Coupon codes entered at checkout. The server validates codes; this only mirrors the
// rules so the cart can show the discount before the round trip.

export interface Coupon {
  code: string;
  offCents: number;
  minimumCents: number;
  expiresAt?: string; // ISO date
}

const CODE_PATTERN = /^[A-Z0-9]{4,12}$/;

export function normalizeCode(input: string): string {
  return input.trim().toUpperCase().replace(/\s+/g, "");
}

export function isValidCode(input: string): boolean {
  return CODE_PATTERN.test(normalizeCode(input));
}

export function isExpired(coupon: Coupon, now: Date = new Date()): boolean {
  return coupon.expiresAt !== undefined && new Date(coupon.expiresAt) < now;
}

/** Cents off `subtotalCents` for `coupon`, or 0 when it does not apply. */
export function couponDiscount(coupon: Coupon | null, subtotalCents: number): number {
  if (!coupon || isExpired(coupon)) return 0;
  if (subtotalCents < coupon.minimumCents) return 0;
  return Math.min(coupon.offCents, subtotalCents);
}
