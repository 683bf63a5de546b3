import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { webhookPayloads } from "../app/shopify/webhook-payloads";

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

it("every webhook URI and the app proxy URL in shopify.app.toml has a route", () => {
  const patterns = routePatterns();
  const proxy = /\[app_proxy\][^[]*?url\s*=\s*"([^"]+)"/s.exec(toml)?.[1];
  const targets = [...subscribedUris(), `${proxy}/recommendations`];
  expect(targets.length).toBe(8);
  for (const uri of targets) expect(patterns.some((p) => p.test(uri)), `no route for ${uri}`).toBe(true);
});

it("subscribes to exactly the topics whose payloads the app validates", () => {
  const topics = [...toml.matchAll(/^\s*(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/gm)].flatMap((m) =>
    [...(m[1] ?? "").matchAll(/"([^"]+)"/g)].map((t) => t[1]),
  );
  expect(topics.sort()).toEqual(Object.keys(webhookPayloads).sort());
});

it("each subscription is commented with the route that handles it", () => {
  const blocks = toml.split("[[webhooks.subscriptions]]").slice(1);
  const commentsBefore = toml.split("[[webhooks.subscriptions]]").slice(0, -1);
  blocks.forEach((block, i) => {
    const uri = /uri\s*=\s*"([^"]+)"/.exec(block)?.[1] ?? "";
    const route = `app/routes/${uri.slice(1).replace(/\//g, ".")}.tsx`;
    expect(fs.existsSync(path.join(route))).toBe(true);
    expect(commentsBefore[i]?.trimEnd().split("\n").pop()).toContain(route);
  });
});

it("requests the scopes Segmint needs and documents read_all_orders", () => {
  expect(/scopes = "([^"]+)"/.exec(toml)?.[1]?.split(",")).toEqual([
    "read_orders", "read_customers", "write_customers", "read_products", "write_app_proxy",
  ]);
  expect(toml).toMatch(/read_all_orders[\s\S]{0,80}approval/);
});
