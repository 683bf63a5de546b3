import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Lints source text as if it lived at `filePath`, with the project's real eslint.config.js.
async function lint(filePath: string, code: string) {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("module boundaries", () => {
  it("app/analytics may not import Prisma", async () => {
    const messages = await lint("app/analytics/probe.ts", `import { PrismaClient } from "@prisma/client";\nexport const c = PrismaClient;\n`);
    expect(messages.some((m) => m.startsWith("no-restricted-imports") && m.includes("may not touch the database"))).toBe(true);
  });

  it("app/analytics may not import Shopify, Remix or Node", async () => {
    for (const mod of ["@shopify/shopify-api", "@remix-run/node", "node:fs", "fs", "../db.server"]) {
      const messages = await lint("app/analytics/rfm/probe.ts", `import * as m from "${mod}";\nexport const x = m;\n`);
      expect(messages.filter((m) => m.startsWith("no-restricted-imports")), mod).toHaveLength(1);
    }
  });

  it("app/analytics may not read the clock or Math.random", async () => {
    const messages = await lint(
      "app/analytics/probe.ts",
      `export const a = Date.now();\nexport const b = new Date();\nexport const c = Math.random();\nexport const ok = new Date("2011-12-10");\n`,
    );
    expect(messages.filter((m) => m.startsWith("no-restricted-syntax"))).toHaveLength(3);
  });

  it("the same code is allowed outside the core", async () => {
    const messages = await lint("app/models/probe.server.ts", `import { PrismaClient } from "@prisma/client";\nexport const c = PrismaClient;\nexport const t = Date.now();\n`);
    expect(messages).toEqual([]);
  });
});

// Every arrow that must not exist between app/'s layers fails lint (docs/architecture.md, ADR 0012).
describe("layer arrows", () => {
  const forbidden: [file: string, importPath: string, why: string][] = [
    ["app/models/probe.server.ts", "../services/order-sync.server", "Models are data access"],
    ["app/models/orders-bulk/probe.server.ts", "../../jobs/backfill.server", "Models are data access"],
    ["app/models/probe.server.ts", "../shopify/mappers/order-webhook", "Models are data access"],
    ["app/shopify/probe.ts", "../services/install.server", "app/shopify speaks to Shopify only"],
    ["app/shopify/mappers/probe.ts", "../../jobs/process-webhooks.server", "app/shopify speaks to Shopify only"],
    ["app/shopify/probe.server.ts", "../queue/errors.server", "app/shopify speaks to Shopify only"],
    ["app/domain/probe.ts", "../models/orders.server", "app/domain imports only the analytics core"],
    ["app/domain/probe.ts", "../db.server", "app/domain is pure"],
    ["app/domain/probe.ts", "node:crypto", "app/domain is pure"],
    ["app/queue/probe.server.ts", "../jobs/handlers.server", "The queue knows no handler"],
    ["app/queue/table/probe.server.ts", "../../services/backfill.server", "The queue knows no handler"],
    ["app/services/probe.server.ts", "../jobs/backfill.server", "Services are use cases"],
    ["app/jobs/probe.server.ts", "../routes/app._index", "Job handlers call services"],
    ["app/process/probe.server.ts", "../routes/app._index", "app/process runs the processes"],
    ["app/process/probe.server.ts", "../components/format", "app/process runs the processes"],
    ["app/routes/probe.tsx", "../db.server", "Routes reach data through app/services"],
    ["app/routes/probe.tsx", "../models/shops.server", "Routes reach data through app/services"],
    ["app/routes/probe.tsx", "@prisma/client", "Routes reach data through app/services"],
    ["app/components/probe.tsx", "../services/overview.server", "Components are presentation only"],
    ["cli/probe.ts", "../app/analytics/segments/pipeline", "through app/analytics/index.ts"],
    ["app/services/probe.server.ts", "../analytics/rfm/features", "through app/analytics/index.ts"],
    ["app/routes/probe.tsx", "~/analytics/segments/model", "through app/analytics/index.ts"],
  ];
  for (const [file, importPath, why] of forbidden) {
    it(`${file} may not import ${importPath}`, async () => {
      const messages = await lint(file, `import * as m from "${importPath}";\nexport const x = m;\n`);
      const restricted = messages.filter((m) => m.startsWith("no-restricted-imports"));
      expect(restricted.length, messages.join("\n")).toBeGreaterThan(0);
      expect(restricted.some((m) => m.includes(why)), messages.join("\n")).toBe(true);
    });
  }

  it("the arrows that should exist lint clean", async () => {
    const allowed: [string, string][] = [
      ["app/services/probe.server.ts", "../models/orders.server"],
      ["app/services/probe.server.ts", "../analytics"],
      ["app/jobs/probe.server.ts", "../services/backfill.server"],
      ["app/models/probe.server.ts", "../domain/order"],
      ["app/models/probe.server.ts", "../queue/job-queue"],
      ["app/routes/probe.tsx", "../services/overview.server"],
      ["cli/probe.ts", "../app/analytics"],
      ["cli/probe.ts", "../app/analytics/index"],
      ["app/domain/probe.ts", "../analytics"],
      ["app/process/probe.server.ts", "../queue/start.server"],
    ];
    for (const [file, importPath] of allowed) {
      expect(await lint(file, `import * as m from "${importPath}";\nexport const x = m;\n`), `${file} → ${importPath}`).toEqual([]);
    }
  });

  it("only app/config.server.ts reads process.env", async () => {
    for (const file of ["app/services/probe.server.ts", "app/routes/probe.tsx", "cli/probe.ts", "server.ts", "worker.ts"]) {
      const messages = await lint(file, `export const port = process.env.PORT;\n`);
      expect(messages.filter((m) => m.startsWith("no-restricted-properties")), file).toHaveLength(1);
    }
    expect(await lint("app/config.server.ts", `export const port = process.env.PORT;\n`)).toEqual([]);
  });

  it("the app logs through its logger, not console", async () => {
    for (const file of ["app/jobs/probe.server.ts", "app/queue/table/probe.server.ts", "server.ts"]) {
      const messages = await lint(file, `console.log("hello");\n`);
      expect(messages.filter((m) => m.startsWith("no-console")), file).toHaveLength(1);
    }
  });
});
