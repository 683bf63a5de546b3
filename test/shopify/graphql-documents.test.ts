// Every GraphQL document the app sends, and every inner bulk query, validated against Shopify's
// real Admin schema 2026-10 (from @shopify/dev-mcp) — and no GraphQL hiding outside app/shopify/graphql.
import fs from "node:fs";
import path from "node:path";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import * as documents from "../../app/shopify/graphql";
import { customerTagsBulkQuery, ordersBulkQuery, productsBulkQuery } from "../../app/shopify/graphql";
import { adminSchema } from "../../simulator/schema";
import { validateBulkQuery } from "../../simulator/bulk";

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

const staticDocuments = Object.entries(documents as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string");

describe("GraphQL documents", () => {
  it("the folder exports every document (one per file)", () => {
    const files = fs.readdirSync("app/shopify/graphql").filter((f) => f !== "index.ts");
    expect(Object.keys(documents).length).toBeGreaterThanOrEqual(files.length);
    expect(staticDocuments.length).toBeGreaterThanOrEqual(5);
  });

  it.each(staticDocuments)("%s validates against the 2026-10 Admin schema", (_name, doc) => {
    expect(validate(adminSchema(), parse(doc)).map((e) => e.message)).toEqual([]);
  });

  it.each([
    ["full history", ordersBulkQuery()],
    ["customer tags", customerTagsBulkQuery()],
    ["products", productsBulkQuery()],
  ])("the inner bulk query (%s) validates and meets Shopify's bulk rules", (_name, query) => {
    expect(validate(adminSchema(), parse(query)).map((e) => e.message)).toEqual([]);
    expect(validateBulkQuery(query)).toBeNull();
  });

  it("a document with a field Shopify does not have is caught (the check can fail)", () => {
    const broken = documents.SHOP_INFO.replace("ianaTimezone", "timezoneName");
    expect(validate(adminSchema(), parse(broken)).map((e) => e.message).join()).toMatch(/timezoneName/);
  });

  it("no GraphQL document lives outside app/shopify/graphql", () => {
    const offenders = sourceFiles("app")
      .filter((f) => !f.startsWith(path.join("app", "shopify", "graphql")))
      .filter((f) => /#graphql|\b(query|mutation)\s+[A-Z]\w*\s*[({]/.test(fs.readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
