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
