import fs from "node:fs";
import { expect, it } from "vitest";
import { webhookPayloads } from "../app/shopify/webhook-payloads";
import { WEBHOOK_PATHS } from "../app/webhooks.server";

const toml = fs.readFileSync("shopify.app.toml", "utf8");

/** URL patterns of app/routes files under Remix flat-route naming (dots → slashes, $ → splat). */
function routePatterns(): RegExp[] {
  return fs
    .readdirSync("app/routes")
    .map((f) => f.replace(/\.(tsx|ts)$/, "").replace(/\/route$/, ""))
    .map((name) => {
      const segments = name.split(".").filter((s) => s !== "_index");
      const re = segments.map((s) => (s === "$" ? ".*" : s.startsWith("$") ? "[^/]+" : s.replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&"))).join("/");
      return new RegExp(`^/${re}$`);
    });
}

function subscribedUris(): string[] {
  return [...toml.matchAll(/^\s*uri\s*=\s*"([^"]+)"/gm)].map((m) => m[1] ?? "");
}

it("every webhook URI in shopify.app.toml is served by the webhook handler, and the app proxy URL has a route", () => {
  // Webhooks are served before Remix (app/webhooks.server.ts, ADR 0023), the proxy by a Remix route.
  expect([...subscribedUris()].sort()).toEqual([...WEBHOOK_PATHS].sort());
  const proxy = /\[app_proxy\][^[]*?url\s*=\s*"([^"]+)"/s.exec(toml)?.[1];
  const patterns = routePatterns();
  const target = `${proxy}/recommendations`;
  expect(patterns.some((p) => p.test(target)), `no route for ${target}`).toBe(true);
  for (const uri of subscribedUris()) expect(patterns.some((p) => p.test(uri)), `a Remix route shadows nothing: ${uri} has none`).toBe(false);
});

it("subscribes to exactly the topics whose payloads the app validates", () => {
  const topics = [...toml.matchAll(/^\s*(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/gm)].flatMap((m) =>
    [...(m[1] ?? "").matchAll(/"([^"]+)"/g)].map((t) => t[1]),
  );
  expect(topics.sort()).toEqual(Object.keys(webhookPayloads).sort());
});

it("each subscription is commented with the module that handles it", () => {
  const commentsBefore = toml.split("[[webhooks.subscriptions]]").slice(0, -1);
  expect(commentsBefore.length).toBe(WEBHOOK_PATHS.length);
  for (const comment of commentsBefore) expect(comment.trimEnd().split("\n").pop()).toContain("app/webhooks.server.ts");
  expect(fs.existsSync("app/webhooks.server.ts")).toBe(true);
});

it("requests the scopes Segmint needs and documents read_all_orders", () => {
  expect(/scopes = "([^"]+)"/.exec(toml)?.[1]?.split(",")).toEqual([
    "read_orders", "read_customers", "write_customers", "read_products", "write_app_proxy",
  ]);
  expect(toml).toMatch(/read_all_orders[\s\S]{0,80}approval/);
});
