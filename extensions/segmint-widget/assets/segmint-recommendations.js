// @ts-check
// Segmint's recommendation blocks on the storefront (docs/theme-extension.md). The server rendered
// each block with skeleton cards the size of real cards; this script, loaded deferred by Shopify,
// fetches the block's list through the app proxy once the block is near the viewport (an
// IntersectionObserver) and the page has painted, then swaps each skeleton
// for a card, or hides the block when the list is empty or the request fails. Plain JavaScript the
// theme serves as is, type-checked by extensions/tsconfig.json; keep it small (a test holds it to
// 6 KB gzipped).

/**
 * One product of the proxy's answer (docs/storefront.md).
 * @typedef {{ id: string, handle: string, title: string, price: string, url: string,
 *   image: { url: string, alt: string } | null }} Product
 */

/**
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Shopify's image CDN resizes on request: 360 px covers a card at 2x density. */
/** @param {string} src */
function sized(src) {
  try {
    const url = new URL(src, location.href);
    if (url.hostname === "cdn.shopify.com" || url.pathname.startsWith("/cdn/shop/")) url.searchParams.set("width", "360");
    return url.href;
  } catch {
    return src;
  }
}

/**
 * A card: a link (image or a same-sized placeholder, then the title), then the price.
 * @param {Product} product
 * @param {boolean} showPrice
 */
function card(product, showPrice) {
  const item = el("li", "segmint-recs__item");
  const link = /** @type {HTMLAnchorElement} */ (el("a", "segmint-recs__link"));
  link.href = product.url;
  /** @type {HTMLElement} */
  let media;
  if (product.image) {
    const img = document.createElement("img");
    img.src = sized(product.image.url);
    img.alt = product.image.alt || product.title;
    img.width = img.height = 360;
    img.loading = "lazy";
    img.decoding = "async";
    media = img;
    media.className = "segmint-recs__media";
  } else {
    media = el("span", "segmint-recs__media");
    media.setAttribute("aria-hidden", "true");
  }
  link.append(media, el("span", "segmint-recs__title", product.title));
  item.append(link);
  if (showPrice) item.append(el("span", "segmint-recs__price", product.price));
  return item;
}

/** Hides the block, and the theme's wrapper of the app block so no empty margin is left. */
/** @param {HTMLElement} root */
function hide(root) {
  root.hidden = true;
  const wrapper = root.closest(".shopify-app-block");
  if (wrapper instanceof HTMLElement) wrapper.hidden = true;
}

/** @param {HTMLElement} root */
async function load(root) {
  const data = root.dataset;
  const list = root.querySelector(".segmint-recs__list");
  const url = new URL(data.url || "/apps/segmint/recommendations", location.href);
  /** @type {[string, string | undefined][]} */
  const params = [["block", data.block], ["context", data.context], ["product_id", data.productId], ["cart", data.cart], ["limit", data.limit]];
  for (const [key, value] of params) if (value) url.searchParams.set(key, value);
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok || !list) throw new Error(`recommendations: ${response.status}`);
    /** @type {{ products?: Product[] }} */
    const body = await response.json();
    const products = Array.isArray(body.products) ? body.products : [];
    if (products.length === 0) return hide(root);
    const showPrice = data.showPrice !== "false";
    // Fewer products than skeletons: the rest stay as invisible fillers, so the grid keeps its rows.
    [...list.children].forEach((skeleton, i) => {
      const product = products[i];
      if (product) skeleton.replaceWith(card(product, showPrice));
      else skeleton.className = "segmint-recs__item segmint-recs__item--filler";
    });
    list.removeAttribute("aria-busy");
    list.removeAttribute("aria-label");
  } catch {
    hide(root);
  }
}

/**
 * Resolves once the browser has shown the page's first paint, so the skeletons are on screen before
 * the network is asked. The paint entry is reported after the frame is presented; a task queued
 * from an animation frame runs after the frame is produced but can precede its presentation on a
 * busy machine, so it is only the fallback where paint timing is not supported.
 * @type {Promise<void>}
 */
const firstPaint = new Promise((resolve) => {
  const afterFrame = () => requestAnimationFrame(() => setTimeout(resolve));
  if (!("PerformanceObserver" in window) || !PerformanceObserver.supportedEntryTypes?.includes("paint")) return afterFrame();
  const observer = new PerformanceObserver((list) => {
    if (list.getEntries().length === 0) return;
    observer.disconnect();
    resolve();
  });
  observer.observe({ type: "paint", buffered: true });
});

/** @param {ParentNode} scope */
function init(scope) {
  scope.querySelectorAll("[data-segmint-recs]").forEach((root) => {
    if (!(root instanceof HTMLElement) || root.dataset.segmintStarted) return;
    root.dataset.segmintStarted = "true";
    const afterPaint = () => void firstPaint.then(() => load(root));
    if (!("IntersectionObserver" in window)) return afterPaint();
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        afterPaint();
      },
      { rootMargin: "0px 0px 400px 0px" },
    );
    observer.observe(root);
  });
}

init(document);
// The theme editor re-renders a section when a merchant changes a block's settings.
document.addEventListener("shopify:section:load", (event) => {
  if (event.target instanceof Element) init(event.target);
});
