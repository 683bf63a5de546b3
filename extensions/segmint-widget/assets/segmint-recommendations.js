// @ts-check
// Storefront script for the recommendations block: fetches the list through the app proxy and
// renders it; renders nothing (the block hides itself) on an empty list or any failure.
// Plain JavaScript so the theme serves it as is; type-checked by extensions/tsconfig.json.

/** @typedef {{ title: string, url: string, price: string, imageUrl: string | null }} Recommendation */

/**
 * @param {HTMLElement} root
 * @param {Recommendation[]} items
 */
function render(root, items) {
  const list = root.querySelector(".segmint-recommendations__list");
  if (!list || items.length === 0) {
    root.hidden = true;
    return;
  }
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = item.url;
      a.textContent = `${item.title} — ${item.price}`;
      li.append(a);
      return li;
    }),
  );
}

/** @param {HTMLElement} root */
async function load(root) {
  const url = new URL(root.dataset.endpoint ?? "", window.location.origin);
  url.searchParams.set("product_id", root.dataset.productId ?? "");
  url.searchParams.set("limit", root.dataset.limit ?? "4");
  try {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    /** @type {{ recommendations?: Recommendation[] }} */
    const body = await res.json();
    render(root, res.ok ? (body.recommendations ?? []) : []);
  } catch {
    root.hidden = true;
  }
}

document.querySelectorAll(".segmint-recommendations").forEach((root) => {
  if (root instanceof HTMLElement) void load(root);
});
