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
      // Compact: both fraction bounds, or Node's and Chromium's ICU disagree ("£0.0" against "£0").
      f = new Intl.NumberFormat("en-US", compact ? { style: "currency", currency, notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 } : { style: "currency", currency });
    } catch {
      // An unknown currency code: plain numbers rather than a crash.
      f = new Intl.NumberFormat("en-US", { maximumFractionDigits: compact ? 1 : 2, minimumFractionDigits: compact ? 0 : 2, ...(compact ? { notation: "compact" } : {}) });
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

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/**
 * The calendar fields of an instant in a zone. Month names are our own, not Intl's: en-GB's
 * September is "Sept" in Node's ICU and "Sep" in Chromium's, and a page rendered on the server
 * must read the same in the browser (React hydration).
 */
function partsOf(d: Date, timeZone: string, withTime: boolean): Record<string, string> {
  const f = new Intl.DateTimeFormat("en-GB", {
    year: "numeric",
    month: "numeric",
    day: "numeric",
    timeZone,
    ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } : {}),
  });
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
}

/** "3 Dec 2026, 14:05 UTC" in the given IANA zone (default UTC). */
export function formatDateTime(value: Date | string, timeZone = "UTC"): string {
  const d = typeof value === "string" ? new Date(value) : value;
  const p = partsOf(d, timeZone, true);
  return `${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** "3 Dec 2026". */
export function formatDate(value: Date | string, timeZone = "UTC"): string {
  const d = typeof value === "string" ? new Date(value) : value;
  const p = partsOf(d, timeZone, false);
  return `${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}`;
}

/** A business day ("2011-09-01", the shop's calendar day as stored) as "1 Sep 2011"; no zone applies. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** "1 day", "12 days". */
export function formatDays(days: number): string {
  const n = Math.round(days);
  return `${formatCount(n)} ${n === 1 ? "day" : "days"}`;
}

/** A page of the store's Shopify admin (opens outside the embedded frame): `customers/<id>`, `orders/<id>`. */
function adminUrl(shopDomain: string, path: "customers" | "orders", shopifyId: string): string {
  const handle = shopDomain.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${encodeURIComponent(handle)}/${path}/${encodeURIComponent(shopifyId)}`;
}

/** The customer's page in Shopify admin. */
export function customerAdminUrl(shopDomain: string, shopifyCustomerId: string): string {
  return adminUrl(shopDomain, "customers", shopifyCustomerId);
}

/** The order's page in Shopify admin. */
export function orderAdminUrl(shopDomain: string, shopifyOrderId: string): string {
  return adminUrl(shopDomain, "orders", shopifyOrderId);
}
