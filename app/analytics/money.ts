/**
 * Money in the core and the app: `Milli`, an integer number of thousandths of the shop currency.
 * A thousandth covers every ISO-4217 currency Shopify uses (0, 2 or 3 decimals) and the Online
 * Retail data set (prices such as `0.001`), so parsing and summing are exact integer arithmetic
 * while |total| < 2^53 milli (≈ 9·10^12 units). The database keeps the same unit as BigInt
 * columns, converted at the model boundary (docs/decisions/0010-money-milli.md).
 */

/** Integer thousandths of the shop currency (`1234560` = 1234.56). */
export type Milli = number;

/** Milli per unit of currency. */
export const MILLI_PER_UNIT = 1000;

/**
 * Parses a decimal string (`12`, `-2.55`, `0.001`, `+3.5`) into milli
 * without going through floating point, so `0.1 + 0.2` style errors cannot occur.
 * Returns `null` for anything else: empty, exponents, thousands separators, more than
 * 3 decimals (not representable exactly), or a result beyond ±2^53.
 */
export function parseMilli(text: string): Milli | null {
  const s = text.trim();
  const n = s.length;
  if (n === 0) return null;
  let i = 0;
  let negative = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 /* - */ || c0 === 43 /* + */) {
    negative = c0 === 45;
    i = 1;
  }
  let whole = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    digits++;
  }
  let frac = 0;
  let fracDigits = 0;
  if (i < n && s.charCodeAt(i) === 46 /* . */) {
    i++;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      if (fracDigits === 3) {
        if (c !== 0) return null; // 4th+ decimal must be zero to stay exact
        continue;
      }
      frac = frac * 10 + c;
      fracDigits++;
    }
  }
  if (i !== n || digits + fracDigits === 0) return null;
  for (let k = fracDigits; k < 3; k++) frac *= 10;
  const value = whole * MILLI_PER_UNIT + frac;
  if (!Number.isSafeInteger(value)) return null;
  return negative && value !== 0 ? -value : value;
}

/**
 * Formats milli as a plain decimal with at least 2 and at most 3 decimals:
 * `1234560` → `1234.56`, `1` → `0.001`, `-2550` → `-2.55`. Exact (integer arithmetic only).
 */
export function formatMilli(milli: Milli): string {
  if (!Number.isSafeInteger(milli)) throw new RangeError(`formatMilli: not a safe integer: ${milli}`);
  const negative = milli < 0;
  const abs = negative ? -milli : milli;
  const whole = Math.floor(abs / MILLI_PER_UNIT);
  const frac = abs - whole * MILLI_PER_UNIT;
  let fracText = String(frac).padStart(3, "0");
  if (fracText.endsWith("0")) fracText = fracText.slice(0, 2);
  return `${negative ? "-" : ""}${whole}.${fracText}`;
}

/** Milli → units of currency as a float, for display and scaling only (never for sums). */
export function milliToUnits(milli: Milli): number {
  return milli / MILLI_PER_UNIT;
}

/**
 * Human-readable amount with thousands separators and no decimals above 100
 * (`2340123` → `2,340`), for sentences. Deterministic: no locale lookup.
 */
export function formatMoneyReadable(milli: Milli, currencySymbol = ""): string {
  const units = milli / MILLI_PER_UNIT;
  const negative = units < 0;
  const abs = Math.abs(units);
  const text = abs >= 100 ? groupThousands(String(Math.round(abs))) : abs.toFixed(2);
  return `${negative ? "-" : ""}${currencySymbol}${text}`;
}

function groupThousands(digits: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}
