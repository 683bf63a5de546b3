// Money is kept in integer minor units (pence) so sums are exact; Shopify serialises Decimal
// amounts as strings ("162.04"), which is what the GraphQL and webhook layers emit.

export type Cents = number;

export function toCents(decimal: string | number): Cents {
  const value = typeof decimal === "number" ? decimal : Number(decimal);
  if (!Number.isFinite(value)) throw new Error(`Not a money amount: ${decimal}`);
  // Shopify stores prices at the currency's precision (2 for GBP): 0.001 rounds to 0.00.
  return Math.round(value * 100);
}

export function formatCents(cents: Cents): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** GraphQL MoneyV2. */
export function moneyV2(cents: Cents, currencyCode: string): { amount: string; currencyCode: string } {
  return { amount: formatCents(cents), currencyCode };
}

/**
 * GraphQL MoneyBag: this simulator has no multi-currency, so presentment = shop money. A class
 * with a prototype getter: bulk exports build one per line item and rarely select presentment.
 */
export class MoneyBag {
  constructor(readonly shopMoney: { amount: string; currencyCode: string }) {}
  get presentmentMoney(): { amount: string; currencyCode: string } {
    return { ...this.shopMoney };
  }
}

export function moneyBag(cents: Cents, currencyCode: string): MoneyBag {
  return new MoneyBag(moneyV2(cents, currencyCode));
}

/** REST-style *_set object used in webhook payloads. */
export function restMoneySet(cents: Cents, currencyCode: string) {
  const money = { amount: formatCents(cents), currency_code: currencyCode };
  return { shop_money: money, presentment_money: { ...money } };
}
