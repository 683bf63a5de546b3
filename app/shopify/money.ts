// Shopify sends money as decimal strings ("162.04"). We store thousandths of the currency unit
// as BigInt ("milli"): exact for every currency Shopify supports (at most three decimals).
export function toMilli(amount: string | number): bigint {
  const s = typeof amount === "number" ? amount.toFixed(3) : amount.trim();
  const m = /^(-)?(\d+)(?:\.(\d{1,3})\d*)?$/.exec(s);
  if (!m) throw new Error(`not a money amount: "${s}"`);
  const [, sign, whole, frac = ""] = m;
  if (s.includes(".") && (s.split(".")[1] ?? "").length > 3 && /[1-9]/.test((s.split(".")[1] ?? "").slice(3))) {
    throw new Error(`more than three decimals: "${s}"`);
  }
  const milli = BigInt(whole ?? "0") * 1000n + BigInt(frac.padEnd(3, "0"));
  return sign ? -milli : milli;
}

export function milliToString(milli: bigint): string {
  const neg = milli < 0n;
  const abs = neg ? -milli : milli;
  const whole = abs / 1000n;
  const frac = (abs % 1000n).toString().padStart(3, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${neg ? "-" : ""}${whole}.${frac}`;
}

/** The numeric tail of a GID ("gid://shopify/Order/123" → "123"); plain ids pass through. */
export function shopifyIdOf(gidOrId: string | number): string {
  const s = String(gidOrId);
  const tail = s.slice(s.lastIndexOf("/") + 1);
  if (!/^\d+$/.test(tail)) throw new Error(`not a Shopify id: "${s}"`);
  return tail;
}
