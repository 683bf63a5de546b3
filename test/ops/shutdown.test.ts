// SIGTERM while a job runs (README "Deployment"): the process stops taking work at once, gives the
// job SHUTDOWN_GRACE_MS, then releases it — queued again, the attempt not counted — and exits 0;
// nothing is left 'running'. The job is a backfill whose Shopify never answers (a server that
// holds every request), so it is certain to outlast the grace.
// SQLite: the web process, whose job runner is its job thread. PostgreSQL (the table queue and
// pg-boss): a worker process, which also serves its probes on HEALTH_PORT (readiness 503 during
// the grace).
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job } from "@prisma/client";
import { REPEAT_SIGNAL_IGNORED_MS } from "../../app/process/shutdown.server";
import type { JobQueue } from "../../app/queue/job-queue";
import { overrideJobQueue } from "../../app/queue/queue.server";
import { onShopInstalled } from "../../app/services/install.server";
import { freePort, startAppProcess, type AppProcess } from "../../scripts/support/app-process";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { createQueueFor, describeEachQueueBackend, type QueueBackend } from "../support/queue-backends";
import { waitFor } from "../support/wait-for";
import { connectionRefused, getJson, type JsonAnswer } from "./support/probe";

const SHOP = "shutdown-test.myshopify.com";
const GRACE_MS = 3000;

/** A "Shopify" that accepts every request and never answers it. */
async function startSilentShopify(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server = http.createServer(() => void requests++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A database with the shop installed (its backfill queued through `queue`, the app processes'
 * backend), Shopify never answering.
 */
async function shopWithBackfill(provider: "sqlite" | "postgresql", backend: QueueBackend = "table"): Promise<{ t: TestDatabase; shopify: Awaited<ReturnType<typeof startSilentShopify>>; queue: JobQueue | null }> {
  const t = await createTestDatabase(provider);
  const queue = backend === "table" ? null : createQueueFor(backend, t);
  overrideJobQueue(queue);
  const shopify = await startSilentShopify();
  await t.db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, accessToken: "shpat_test", scope: "read_orders" } });
  await onShopInstalled(t.db, SHOP, undefined); // queues the shop's backfill
  return { t, shopify, queue };
}

/** The backfill job, once it runs and waits on Shopify. */
const backfillWaitingOnShopify = (t: TestDatabase, shopify: Awaited<ReturnType<typeof startSilentShopify>>) =>
  waitFor("the backfill to be running, waiting on Shopify", async () => {
    const job = await t.db.job.findFirst({ where: { type: "backfill", status: "running" } });
    return job && shopify.requests() > 0 ? job : undefined;
  }, 60_000);

describeEachQueueBackend("SIGTERM while a job runs", ({ provider, backend, env: backendEnv }) => {
  let t: TestDatabase;
  let queue: JobQueue | null;
  let shopify: Awaited<ReturnType<typeof startSilentShopify>>;
  let app: AppProcess;
  let healthPort: number;
  let running: Job;
  let exitCode: number | null;
  const duringGrace: { readiness?: JsonAnswer; newConnection?: string | null } = {};
  let workerLiveness: JsonAnswer | undefined;
  let stopMs: number;

  beforeAll(async () => {
    ({ t, shopify, queue } = await shopWithBackfill(provider, backend));
    healthPort = await freePort();
    app =
      provider === "sqlite"
        ? await startAppProcess({ databaseUrl: t.url, simulatorUrl: shopify.url, env: { SHUTDOWN_GRACE_MS: String(GRACE_MS) } })
        : await startAppProcess({
            entry: "worker",
            databaseUrl: t.url,
            simulatorUrl: shopify.url,
            env: { ...backendEnv, JOB_RUNNER: "workers", SHUTDOWN_GRACE_MS: String(GRACE_MS), HEALTH_PORT: String(healthPort) },
          });
    running = await backfillWaitingOnShopify(t, shopify);

    if (provider === "postgresql") workerLiveness = await getJson(`http://127.0.0.1:${healthPort}/healthz`);
    const exited = new Promise<number | null>((resolve) => app.child.once("exit", (code) => resolve(code)));
    const signalledAt = Date.now();
    app.child.kill("SIGTERM");
    if (provider === "sqlite") {
      // The web process: new connections are refused from the signal on, while the job has its grace.
      duringGrace.newConnection = await waitFor("the web process to refuse new connections", async () => (await connectionRefused(`${app.url}/healthz`)) ?? undefined, GRACE_MS, 50);
    } else {
      duringGrace.readiness = await waitFor("the worker's readiness to turn 503", async () => {
        const answer = await getJson(`http://127.0.0.1:${healthPort}/readyz`);
        return answer.status === 503 ? answer : undefined;
      }, GRACE_MS, 50);
    }
    exitCode = await exited;
    stopMs = Date.now() - signalledAt;
  }, 120_000);
  afterAll(async () => {
    await app?.kill9();
    overrideJobQueue(null);
    await queue?.stop();
    await shopify?.close();
    await t?.drop();
  });

  it("stops taking work at once", () => {
    if (provider === "sqlite") {
      expect(duringGrace.newConnection).toMatch(/ECONNREFUSED|ECONNRESET/);
    } else {
      // The worker's probes on HEALTH_PORT: alive while it ran, not ready from the signal on.
      expect(workerLiveness).toEqual({ status: 200, body: { status: "ok", pid: app.child.pid } });
      expect(duringGrace.readiness).toEqual({ status: 503, body: { status: "unavailable", reason: "shutting down", pid: app.child.pid } });
    }
  });

  it("exits 0 once the grace is over (the job could not finish)", () => {
    expect(exitCode).toBe(0);
    // It waited for the job: not a stop that skipped the grace (generous bound above: no timing test).
    expect(stopMs).toBeGreaterThanOrEqual(GRACE_MS);
    expect(app.output()).toMatch(/"msg":"shutting down"/);
    expect(app.output()).toMatch(/"msg":"stopped"/);
  });

  it("released the job: queued again, due now, the attempt not counted — not left running", async () => {
    expect(running.attempts).toBe(1);
    const job = await t.db.job.findUniqueOrThrow({ where: { id: running.id } });
    expect(job).toMatchObject({ status: "queued", attempts: 0, lockedBy: null });
    expect(job.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await t.db.job.count({ where: { status: "running" } })).toBe(0);
  });
});

describe("a second SIGTERM [sqlite]", () => {
  let t: TestDatabase;
  let shopify: Awaited<ReturnType<typeof startSilentShopify>>;
  let app: AppProcess;
  beforeAll(async () => {
    ({ t, shopify } = await shopWithBackfill("sqlite"));
    // A grace far longer than the test: only the second signal can end the process in time.
    app = await startAppProcess({ databaseUrl: t.url, simulatorUrl: shopify.url, env: { SHUTDOWN_GRACE_MS: "600000" } });
    await backfillWaitingOnShopify(t, shopify);
  }, 120_000);
  afterAll(async () => {
    await app?.kill9();
    await shopify?.close();
    await t?.drop();
  });

  it("exits at once (143), without waiting for the job", async () => {
    const exited = new Promise<number | null>((resolve) => app.child.once("exit", (code) => resolve(code)));
    app.child.kill("SIGTERM");
    await waitFor("the first signal's stop to begin", async () => (/"msg":"shutting down"/.test(app.output()) ? true : undefined), 10_000, 50);
    // Past the window in which a repeat is taken for an echo of the first signal.
    await new Promise((r) => setTimeout(r, REPEAT_SIGNAL_IGNORED_MS + 200));
    expect(app.child.exitCode).toBeNull(); // still in its grace
    app.child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(app.output()).toMatch(/"msg":"second signal: exiting now, without waiting"/);
    // Not released: a hard exit leaves the job to the next start (SQLite requeues it then).
    expect((await t.db.job.findFirstOrThrow({ where: { type: "backfill" } })).status).toBe("running");
  }, 60_000);
});
