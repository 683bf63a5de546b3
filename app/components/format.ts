// Number, money, share and date formatting for every admin page and chart: one place, so the
// pages agree ("1,234", "£1.2k", "12.5%", "3 Dec 2026"). Money arrives as milli (thousandths).
const integer = new Intl.NumberFormat("en-US");
const moneyFormats = new Map<string, Intl.NumberFormat>();
const compactMoneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, compact: boolean): Intl.NumberFormat {
  const cache = compact ? compactMoneyFormats : moneyFormats;
  let f = cache.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat("en-US", compact ? { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 } : { style: "currency", currency });
    } catch {
      // An unknown currency code: plain numbers rather than a crash.
      f = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2, minimumFractionDigits: compact ? 0 : 2, ...(compact ? { notation: "compact" } : {}) });
    }
    cache.set(currency, f);
  }
  return f;
}

/** "12,345". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** "£1,234.56" from milli. */
export function formatMoney(milli: number, currency: string): string {
  return moneyFormat(currency, false).format(milli / 1000);
}

/** "£1.2K" from milli (charts, cards). */
export function formatMoneyCompact(milli: number, currency: string): string {
  return moneyFormat(currency, true).format(milli / 1000);
}

/** 0.1234 → "12.3%". */
export function formatShare(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** A signed change in percentage points or counts: "+12", "−3", "0". */
export function formatSigned(n: number, format: (v: number) => string = formatCount): string {
  if (n === 0) return format(0);
  return n > 0 ? `+${format(n)}` : `−${format(-n)}`;
}

/** "3 Dec 2026, 14:05 UTC" in the given IANA zone (default UTC). */
export function formatDateTime(value: Date | string, timeZone = "UTC"): string {
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone, timeZoneName: "short" }).format(d);
}

/** "3 Dec 2026". */
export function formatDate(value: Date | string, timeZone = "UTC"): string {
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone }).format(d);
}

/** "1 day", "12 days". */
export function formatDays(days: number): string {
  const n = Math.round(days);
  return `${formatCount(n)} ${n === 1 ? "day" : "days"}`;
}

/** The customer's page in Shopify admin (opens outside the embedded frame). */
export function customerAdminUrl(shopDomain: string, shopifyCustomerId: string): string {
  const handle = shopDomain.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${encodeURIComponent(handle)}/customers/${encodeURIComponent(shopifyCustomerId)}`;
}
