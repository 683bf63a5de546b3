// Shopify sends money as decimal strings ("162.04"; numbers in some REST payloads). Segmint keeps
// Milli, the app's and the analytics core's one money unit: integer thousandths of the currency,
// exact for every currency Shopify supports (at most three decimals). Parsing is the core's.
import { parseMilli, type Milli } from "../analytics";

/** A Shopify amount → Milli; throws on anything that is not a decimal with at most three decimals. */
export function toMilli(amount: string | number): Milli {
  const s = typeof amount === "number" ? amount.toFixed(3) : amount;
  const milli = parseMilli(s);
  if (milli === null) throw new Error(`not a money amount with at most three decimals: "${s.trim()}"`);
  return milli;
}
