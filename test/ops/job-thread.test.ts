// The in-process job runner's thread (app/process/job-thread.server.ts), started here as the web
// process starts it, with handlers that do on demand what a real handler does at worst
// (support/thread-jobs.ts): a CPU-bound job does not hold the request thread, and a thread killed
// by an uncaught error is logged and started again, and its job runs again.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJobThread, type JobThread } from "../../app/process/job-thread.server";
import { createProbeHandler } from "../../app/process/health.server";
import { enqueue } from "../../app/queue/queue.server";
import { JOB } from "../../app/queue/job-types";
import { TEST_API_KEY, TEST_API_SECRET } from "../../scripts/support/app-process";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { waitFor } from "../support/wait-for";
import { getJson } from "./support/probe";

describe("the job runner's thread [sqlite]", () => {
  let t: TestDatabase;
  let dir: string;
  let thread: JobThread;
  let server: http.Server;
  let url: string;
  let shopId: number;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    shopId = (await t.db.shop.create({ data: { domain: "thread-test.myshopify.com" } })).id;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "segmint-job-thread-"));
    thread = startJobThread({
      log: pino({ level: "info" }, { write: (line: string) => void logLines.push(line) }),
      handlers: { module: pathToFileURL(path.resolve("test/ops/support/thread-jobs.ts")).href, name: "threadTestJobs" },
      env: {
        ...process.env,
        DATABASE_URL: t.url,
        SHOPIFY_API_KEY: TEST_API_KEY,
        SHOPIFY_API_SECRET: TEST_API_SECRET,
        SHOPIFY_APP_URL: "http://127.0.0.1:3000",
        LOG_LEVEL: "warn",
        SEGMINT_TEST_RELEASE_FILE: path.join(dir, "release"),
        SEGMINT_TEST_CRASH_FILE: path.join(dir, "crashed"),
      },
    });
    await thread.started;
    // This thread plays the web process's request thread: it answers the probes.
    const probes = createProbeHandler({ shuttingDown: false }, () => t.db, pino({ level: "silent" }));
    server = http.createServer((req, res) => void (probes(req, res) || res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }, 60_000);
  afterAll(async () => {
    await thread?.stop(1000);
    server?.close();
    await t?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers requests while a CPU-bound job holds its thread", async () => {
    const id = (await enqueue(t.db, { type: JOB.reconcile, shopId, payload: { onDemand: true } }))!;
    await waitFor("the CPU-bound job to run", async () => ((await t.db.job.findUniqueOrThrow({ where: { id } })).status === "running" ? true : undefined), 30_000, 50);
    // The handler never yields until the release file exists, and only this thread writes it — after
    // its requests were answered. Run on this thread, the handler would hold them forever.
    expect(await getJson(`${url}/healthz`)).toMatchObject({ status: 200 });
    expect(await getJson(`${url}/readyz`)).toMatchObject({ status: 200 });
    expect((await t.db.job.findUniqueOrThrow({ where: { id } })).status).toBe("running");
    fs.writeFileSync(path.join(dir, "release"), "go");
    const done = await waitFor("the released job to finish", async () => {
      const job = await t.db.job.findUniqueOrThrow({ where: { id } });
      return job.status === "running" || job.status === "queued" ? undefined : job;
    }, 30_000, 50);
    expect(done.status).toBe("succeeded");
  }, 90_000);

  it("logs a thread killed by an uncaught error, starts another, and the job it was running runs again", async () => {
    const id = (await enqueue(t.db, { type: JOB.detectAnomalies, shopId, payload: { reason: "on-demand" } }))!;
    const done = await waitFor("the job to succeed in a new thread", async () => {
      const job = await t.db.job.findUniqueOrThrow({ where: { id } });
      return job.status === "running" || job.status === "queued" ? undefined : job;
    }, 60_000, 100);
    expect(fs.existsSync(path.join(dir, "crashed"))).toBe(true); // it did crash first
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(1); // the crashed run was requeued, not counted
    const logs = logLines.map((l) => JSON.parse(l) as { msg: string; err?: { message: string }; restartInMs?: number });
    expect(logs.find((l) => l.msg === "the job thread failed")?.err?.message).toBe("uncaught in a job handler");
    expect(logs.find((l) => l.msg === "the job thread stopped unexpectedly; starting it again")?.restartInMs).toBe(1000);
  }, 90_000);
});
