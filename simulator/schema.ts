// The real Shopify Admin GraphQL schema (2026-10), as shipped by @shopify/dev-mcp.
// Built once per process: buildClientSchema over ~20 MB of introspection takes ~1 s,
// and every simulator (tests create many) shares the same immutable schema.
import { readFileSync } from "node:fs";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export const ADMIN_API_VERSION = "2026-10";

let cached: GraphQLSchema | undefined;

/** Path of the introspection file inside @shopify/dev-mcp (resolved from this repo's node_modules). */
export function adminSchemaPath(version: string = ADMIN_API_VERSION): string {
  // The package's `exports` hides its data folder from require.resolve, so walk up to node_modules.
  const file = `node_modules/@shopify/dev-mcp/dist/data/admin_${version}.json.gz`;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, file);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Shopify Admin schema not found (${file}); is @shopify/dev-mcp installed?`);
    dir = parent;
  }
}

export function adminSchema(): GraphQLSchema {
  if (cached) return cached;
  const raw: unknown = JSON.parse(gunzipSync(readFileSync(adminSchemaPath())).toString("utf8"));
  // The file is `{ data: { __schema }, offline_scopes }`; older dumps were the bare `{ __schema }`.
  const introspection = (isRecord(raw) && isRecord(raw.data) ? raw.data : raw) as unknown as IntrospectionQuery;
  cached = buildClientSchema(introspection, { assumeValid: true });
  return cached;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
