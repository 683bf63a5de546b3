import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../app/config.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://segmint.example.com",
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseConfig", () => {
  it("accepts a complete environment and fills documented defaults", () => {
    const cfg = parseConfig(valid);
    expect(cfg.DATABASE_URL).toBe("file:./.data/segmint.db");
    expect(cfg.databaseProvider).toBe("sqlite");
    expect(cfg.scopes).toEqual(["read_orders", "read_customers", "write_customers", "read_products", "write_app_proxy"]);
    expect(cfg.PORT).toBe(3000);
    expect(cfg.JOB_RUNNER).toBe("in-process");
  });

  it("names every missing variable", () => {
    expect(problems({})).toEqual([
      "SHOPIFY_API_KEY is missing",
      "SHOPIFY_API_SECRET is missing",
      "SHOPIFY_APP_URL is missing",
    ]);
  });

  it("names invalid values with the reason", () => {
    const p = problems({ ...valid, SHOPIFY_APP_URL: "not a url", DATABASE_URL: "mysql://x", PORT: "99999" });
    expect(p).toHaveLength(3);
    expect(p.join("\n")).toMatch(/SHOPIFY_APP_URL: must be an absolute URL/);
    expect(p.join("\n")).toMatch(/DATABASE_URL: must start with file: \(SQLite\) or postgresql:\/\//);
    expect(p.join("\n")).toMatch(/PORT: /);
  });

  it("refuses the Shopify simulator unless the app URL is local", () => {
    expect(problems({ ...valid, SEGMINT_SIMULATOR_URL: "http://127.0.0.1:4100" }).join("\n")).toMatch(
      /SEGMINT_SIMULATOR_URL: the simulator can only be used when SHOPIFY_APP_URL is local/,
    );
    expect(
      problems({ ...valid, SHOPIFY_APP_URL: "http://localhost:3000", SEGMINT_SIMULATOR_URL: "http://127.0.0.1:4100" }),
    ).toEqual([]);
  });

  it("takes the demo's store time only with the simulator, and only as an ISO instant", () => {
    const demo = { ...valid, SHOPIFY_APP_URL: "http://localhost:3000", SEGMINT_SIMULATOR_URL: "http://127.0.0.1:4100" };
    expect(problems({ ...demo, SEGMINT_DEMO_NOW: "2011-12-10T09:00:00.000Z" })).toEqual([]);
    expect(problems({ ...valid, SEGMINT_DEMO_NOW: "2011-12-10T09:00:00.000Z" }).join("\n")).toMatch(/SEGMINT_DEMO_NOW: is for the offline demo only/);
    expect(problems({ ...demo, SEGMINT_DEMO_NOW: "10/12/2011" }).join("\n")).toMatch(/SEGMINT_DEMO_NOW/);
  });

  it("refuses worker processes on SQLite", () => {
    expect(problems({ ...valid, JOB_RUNNER: "workers" }).join("\n")).toMatch(/JOB_RUNNER: workers need PostgreSQL/);
  });

  it("runs one web process with a 25 s shutdown grace and no worker health port unless told", () => {
    const cfg = parseConfig(valid);
    expect(cfg.WEB_CONCURRENCY).toBe(1);
    expect(cfg.SHUTDOWN_GRACE_MS).toBe(25_000);
    expect(cfg.HEALTH_PORT).toBeUndefined();
  });

  it("takes several web processes on PostgreSQL only, saying what to do on SQLite", () => {
    const postgres = { ...valid, DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/segmint" };
    expect(parseConfig({ ...postgres, WEB_CONCURRENCY: "4" }).WEB_CONCURRENCY).toBe(4);
    expect(problems({ ...valid, WEB_CONCURRENCY: "2" })).toEqual([
      "WEB_CONCURRENCY: 2 web processes need PostgreSQL (a postgresql:// DATABASE_URL); with SQLite run one (WEB_CONCURRENCY=1): its jobs already run in a thread of their own",
    ]);
    expect(problems({ ...postgres, WEB_CONCURRENCY: "0", SHUTDOWN_GRACE_MS: "-1", HEALTH_PORT: "70000" })).toHaveLength(3);
  });

  it("runs 2 jobs at once per runner process unless told, and refuses none or a fraction", () => {
    expect(parseConfig(valid).JOB_CONCURRENCY).toBe(2);
    expect(parseConfig({ ...valid, JOB_CONCURRENCY: "32" }).JOB_CONCURRENCY).toBe(32);
    expect(problems({ ...valid, JOB_CONCURRENCY: "0" }).join("\n")).toMatch(/JOB_CONCURRENCY/);
    expect(problems({ ...valid, JOB_CONCURRENCY: "1.5" }).join("\n")).toMatch(/JOB_CONCURRENCY/);
  });
});

describe("starting the server", () => {
  it("exits non-zero and names each missing variable", () => {
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", SHOPIFY_API_KEY: "key" } as unknown as NodeJS.ProcessEnv;
    const run = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], { env, encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("SHOPIFY_API_SECRET is missing");
    expect(run.stderr).toContain("SHOPIFY_APP_URL is missing");
    expect(run.stderr).not.toContain("SHOPIFY_API_KEY");
  });
});
