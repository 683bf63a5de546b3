// The theme app extension as Shopify would receive it (docs/theme-extension.md): Shopify's own
// linter clean, the script within its budget, both blocks' settings and every locale complete.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { splitBlock } from "../../simulator/storefront";

const EXTENSION = path.resolve(__dirname, "../../extensions/segmint-widget");
const read = (...parts: string[]) => fs.readFileSync(path.join(EXTENSION, ...parts), "utf8");
const json = (...parts: string[]) => JSON.parse(read(...parts)) as Record<string, unknown>;
const BLOCKS = { together: "frequently-bought-together", "for-you": "recommended-for-you" } as const;

/** Every dotted key path to a string in a locale file. */
function keys(tree: unknown, prefix = ""): string[] {
  if (typeof tree === "string") return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const liquidFiles = () => ["blocks", "snippets"].flatMap((dir) => fs.readdirSync(path.join(EXTENSION, dir)).map((f) => read(dir, f)));
const schemaOf = (name: string) => splitBlock(read("blocks", `${name}.liquid`), name).schema;

describe("theme app extension extensions/segmint-widget", () => {
  it("passes Shopify's theme check for app extensions with no offense", async () => {
    const run = await themeCheckRun(EXTENSION, "theme-check:theme-app-extension", () => {});
    expect(run.offenses.map((o) => `${o.check} ${o.uri.split("/").slice(-2).join("/")}:${o.start.line + 1} ${o.message}`)).toEqual([]);
  }, 60_000);

  it("the same check reports a translation key missing from the locales and a script tag in a block (so a clean run means something)", async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "segmint-theme-check-"));
    try {
      fs.cpSync(EXTENSION, copy, { recursive: true });
      const block = path.join(copy, "blocks", `${BLOCKS.together}.liquid`);
      fs.writeFileSync(block, fs.readFileSync(block, "utf8").replace("{% render", "{{ 'blocks.together.no_such_key' | t }}<script src=\"x.js\"></script>\n{% render"));
      const checks = new Set((await themeCheckRun(copy, "theme-check:theme-app-extension", () => {})).offenses.map((o) => o.check));
      expect([...checks]).toEqual(expect.arrayContaining(["TranslationKeyExists", "ParserBlockingScript"]));
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);

  it("one shared script, within 10 KB and at most 6 KB gzipped; a small stylesheet", () => {
    const schemas = Object.values(BLOCKS).map(schemaOf);
    expect(new Set(schemas.map((s) => s.javascript))).toEqual(new Set(["segmint-recommendations.js"]));
    expect(new Set(schemas.map((s) => s.stylesheet))).toEqual(new Set(["segmint-recommendations.css"]));
    const js = fs.readFileSync(path.join(EXTENSION, "assets", "segmint-recommendations.js"));
    const css = fs.readFileSync(path.join(EXTENSION, "assets", "segmint-recommendations.css"));
    const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;
    expect(js.length, "script bytes").toBeLessThanOrEqual(10_000);
    expect(gz(js), "script bytes gzipped").toBeLessThanOrEqual(6 * 1024);
    expect(gz(css), "stylesheet bytes gzipped").toBeLessThanOrEqual(4 * 1024);
  });

  it("Frequently bought together on product pages; Recommended for you on product, cart and home pages", () => {
    expect(schemaOf(BLOCKS.together).enabled_on?.templates).toEqual(["product"]);
    expect(schemaOf(BLOCKS["for-you"]).enabled_on?.templates).toEqual(["product", "cart", "index"]);
    expect(read("blocks", `${BLOCKS.together}.liquid`)).toMatch(/kind: 'together'/);
    expect(read("blocks", `${BLOCKS["for-you"]}.liquid`)).toMatch(/kind: 'for-you'/);
  });

  it("both blocks have the theme-editor settings: heading, 2–10 products, grid or carousel, show price", () => {
    for (const name of Object.values(BLOCKS)) {
      const settings = new Map((schemaOf(name).settings ?? []).map((s) => [s.id, s]));
      expect(settings.get("heading")?.type, name).toBe("text");
      expect(settings.get("products"), name).toMatchObject({ type: "range", min: 2, max: 10 });
      expect(settings.get("layout"), name).toMatchObject({ type: "select", default: "grid" });
      expect(settings.get("layout")?.options?.map((o) => o.value), name).toEqual(["grid", "carousel"]);
      expect(settings.get("show_price"), name).toMatchObject({ type: "checkbox", default: true });
    }
  });

  it("English and French: every key the Liquid translates and every t: label of the schemas exists in every locale, and the locales hold the same keys", () => {
    const locales = fs.readdirSync(path.join(EXTENSION, "locales"));
    expect(locales.sort()).toEqual(["en.default.json", "en.default.schema.json", "fr.json", "fr.schema.json"]);
    const storefront = ["en.default.json", "fr.json"].map((f) => ({ f, keys: new Set(keys(json("locales", f))) }));
    const schema = ["en.default.schema.json", "fr.schema.json"].map((f) => ({ f, keys: new Set(keys(json("locales", f))) }));
    const used = new Set(liquidFiles().flatMap((src) => [...src.matchAll(/'([\w.]+)'\s*\|\s*t\b/g)].map((m) => m[1] as string)));
    const labels = new Set(Object.values(BLOCKS).flatMap((name) => [...read("blocks", `${name}.liquid`).matchAll(/"t:([\w.]+)"/g)].map((m) => m[1] as string)));
    expect(used.size).toBeGreaterThanOrEqual(3);
    expect(labels.size).toBeGreaterThanOrEqual(8);
    for (const { f, keys: k } of storefront) for (const key of used) expect(k.has(key), `${f} lacks ${key}`).toBe(true);
    for (const { f, keys: k } of schema) for (const key of labels) expect(k.has(key), `${f} lacks ${key}`).toBe(true);
    expect([...storefront[1]!.keys].sort()).toEqual([...storefront[0]!.keys].sort());
    expect([...schema[1]!.keys].sort()).toEqual([...schema[0]!.keys].sort());
    // A translation differs from English (French strings, not copies).
    expect(json("locales", "fr.json")).not.toEqual(json("locales", "en.default.json"));
  });
});
