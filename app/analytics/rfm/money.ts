import { MINOR_UNITS_PER_MAJOR } from "../types";

/**
 * Parses a decimal string (`12`, `-2.55`, `0.001`, `+3.5`) into integer minor units (1/1000)
 * without going through floating point, so `0.1 + 0.2` style errors cannot occur.
 * Returns `null` for anything else: empty, exponents, thousands separators, more than
 * 3 decimals (not representable exactly), or a result beyond ±2^53.
 */
export function parseMoneyMinor(text: string): number | null {
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
  const value = whole * MINOR_UNITS_PER_MAJOR + frac;
  if (!Number.isSafeInteger(value)) return null;
  return negative && value !== 0 ? -value : value;
}

/**
 * Formats integer minor units as a plain decimal with at least 2 and at most 3 decimals:
 * `1234560` → `1234.56`, `1` → `0.001`, `-2550` → `-2.55`. Exact (integer arithmetic only).
 */
export function formatMoneyMinor(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`formatMoneyMinor: not a safe integer: ${minor}`);
  const negative = minor < 0;
  const abs = negative ? -minor : minor;
  const whole = Math.floor(abs / MINOR_UNITS_PER_MAJOR);
  const frac = abs - whole * MINOR_UNITS_PER_MAJOR;
  let fracText = String(frac).padStart(3, "0");
  if (fracText.endsWith("0")) fracText = fracText.slice(0, 2);
  return `${negative ? "-" : ""}${whole}.${fracText}`;
}

/** Minor units → major units as a float, for display and scaling only (never for sums). */
export function minorToMajor(minor: number): number {
  return minor / MINOR_UNITS_PER_MAJOR;
}

/**
 * Human-readable amount with thousands separators and no decimals above 100
 * (`2340123` → `2,340`), for sentences. Deterministic: no locale lookup.
 */
export function formatMoneyReadable(minor: number, currencySymbol = ""): string {
  const major = minor / MINOR_UNITS_PER_MAJOR;
  const negative = major < 0;
  const abs = Math.abs(major);
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
