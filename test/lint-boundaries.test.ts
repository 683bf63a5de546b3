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
