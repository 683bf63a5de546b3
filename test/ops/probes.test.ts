// /healthz and /readyz of the real web process over real HTTP, and the web-process count that
// SQLite refuses (README "Deployment").
import { spawnSync } from "node:child_process";
import http from "node:http";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startAppProcess, TEST_API_KEY, TEST_API_SECRET, type AppProcess } from "../../scripts/support/app-process";
import { createProbeHandler } from "../../app/process/health.server";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { getJson } from "./support/probe";

// The app never calls Shopify in these tests; the simulator URL only has to be a local one.
const NO_SIMULATOR = "http://127.0.0.1:9";

describe("a web process on SQLite", () => {
  let t: TestDatabase;
  let app: AppProcess;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    app = await startAppProcess({ databaseUrl: t.url, simulatorUrl: NO_SIMULATOR });
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    await t?.drop();
  });

  it("is alive: /healthz answers 200 with its pid", async () => {
    const answer = await getJson(`${app.url}/healthz`);
    expect(answer).toEqual({ status: 200, body: { status: "ok", pid: app.child.pid } });
  });

  it("is ready: /readyz answers 200 once the database answers", async () => {
    const answer = await getJson(`${app.url}/readyz`);
    expect(answer).toEqual({ status: 200, body: { status: "ready", pid: app.child.pid } });
  });
});

describe("a web process whose database does not answer", () => {
  let app: AppProcess;
  beforeAll(async () => {
    // PostgreSQL at a port nobody listens on. JOB_RUNNER=workers: no job runner to fail beside it.
    const closedPort = await freePort();
    app = await startAppProcess({
      databaseUrl: `postgresql://postgres@127.0.0.1:${closedPort}/segmint`,
      simulatorUrl: NO_SIMULATOR,
      env: { JOB_RUNNER: "workers" },
    });
  }, 90_000);
  afterAll(async () => app?.stop());

  it("is alive but not ready: /readyz answers 503 naming the database", async () => {
    expect((await getJson(`${app.url}/healthz`)).status).toBe(200);
    const answer = await getJson(`${app.url}/readyz`);
    expect(answer).toEqual({ status: 503, body: { status: "unavailable", reason: "database unreachable", pid: app.child.pid } });
  });
});

describe("readiness while shutting down", () => {
  let t: TestDatabase;
  let server: http.Server;
  const state = { shuttingDown: false };
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    const probes = createProbeHandler(state, () => t.db, pino({ level: "silent" }));
    server = http.createServer((req, res) => void (probes(req, res) || res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    server?.close();
    await t?.drop();
  });

  it("turns 503 the moment shutdown starts, while liveness stays 200 and the database still answers", async () => {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    expect((await getJson(`${url}/readyz`)).status).toBe(200);
    state.shuttingDown = true;
    expect(await getJson(`${url}/readyz`)).toEqual({ status: 503, body: { status: "unavailable", reason: "shutting down", pid: process.pid } });
    expect((await getJson(`${url}/healthz`)).status).toBe(200);
  });
});

describe("WEB_CONCURRENCY on SQLite", () => {
  it("refuses more than one web process with a message that says why and what to do", () => {
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1:3000",
      WEB_CONCURRENCY: "2",
    } as unknown as NodeJS.ProcessEnv;
    const run = spawnSync(process.execPath, ["--import", "tsx", "server.ts"], { env, encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("WEB_CONCURRENCY: 2 web processes need PostgreSQL (a postgresql:// DATABASE_URL); with SQLite run one (WEB_CONCURRENCY=1)");
    expect(run.stdout).not.toMatch(/listening on/);
  });
});
