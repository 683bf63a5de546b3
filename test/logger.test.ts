import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// The logger runs in its own process so that LOG_LEVEL is read the way the app reads it: once,
// from the validated environment.
function logLines(level: string | undefined): Record<string, unknown>[] {
  const script = `
    import { logger } from "./app/logger.server";
    const log = logger("probe");
    log.debug({ n: 1 }, "debug line");
    log.info({ n: 2 }, "info line");
    log.warn({ n: 3 }, "warn line");
    log.error({ n: 4 }, "error line");`;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: process.env.PATH ?? "",
    SHOPIFY_API_KEY: "k",
    SHOPIFY_API_SECRET: "s",
    SHOPIFY_APP_URL: "http://localhost:3000",
  };
  if (level) env.LOG_LEVEL = level;
  const run = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--eval", script], { env, encoding: "utf8", timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("logger", () => {
  it("writes JSON lines with the component, at LOG_LEVEL info by default", () => {
    const lines = logLines(undefined);
    expect(lines.map((l) => l.msg)).toEqual(["info line", "warn line", "error line"]);
    expect(lines.every((l) => l.component === "probe")).toBe(true);
    expect(lines[0]).toMatchObject({ level: 30, n: 2 });
  });

  it("honours LOG_LEVEL", () => {
    expect(logLines("warn").map((l) => l.msg)).toEqual(["warn line", "error line"]);
    expect(logLines("debug").map((l) => l.msg)).toEqual(["debug line", "info line", "warn line", "error line"]);
  });
});
