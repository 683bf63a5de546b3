// WEB_CONCURRENCY=2 on PostgreSQL (README "Deployment"): two web processes answer on one port, each
// with its job runner (JOB_RUNNER=in-process), a web process that dies is replaced, and SIGTERM to
// the primary stops them all and exits 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppProcess, type AppProcess } from "../../scripts/support/app-process";
import { createTestDatabase, postgresEnabled, type TestDatabase } from "../support/databases";
import { waitFor } from "../support/wait-for";
import { getJson } from "./support/probe";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The pids that answer /healthz on the port, over `tries` new connections. A connection the
 * primary handed to a web process just as it was killed gets no answer: it counts for none.
 */
async function answeringPids(url: string, tries: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < tries; i++) {
    const answer = await getJson(`${url}/healthz`, 2000).catch(() => null);
    if (answer?.status === 200) pids.add(answer.body.pid as number);
  }
  return pids;
}

const suite = postgresEnabled ? describe : describe.skip;
suite(`two web processes on one port [postgresql]${postgresEnabled ? "" : " — skipped: set SEGMINT_TEST_POSTGRES=1 with a server at 127.0.0.1:5432"}`, () => {
  let t: TestDatabase;
  let app: AppProcess;
  let first: Set<number>;
  let othersJob: number;
  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
    // A job another process is running right now (its lease fresh).
    othersJob = (await t.db.job.create({ data: { type: "reconcile", status: "running", attempts: 1, lockedBy: "another-process", lockedAt: new Date() } })).id;
    app = await startAppProcess({ databaseUrl: t.url, simulatorUrl: "http://127.0.0.1:9", env: { WEB_CONCURRENCY: "2" } });
    // The harness returns at the first "listening on"; the second web process may still be starting.
    first = await waitFor("both web processes to answer", async () => {
      const pids = await answeringPids(app.url, 6);
      return pids.size === 2 ? pids : undefined;
    }, 60_000);
  }, 120_000);
  afterAll(async () => {
    await app?.kill9();
    for (const pid of first ?? []) if (alive(pid)) process.kill(pid, "SIGKILL");
    await t?.drop();
  });

  it("answers from two processes, neither of them the primary", () => {
    expect(first.size).toBe(2);
    expect(first.has(app.child.pid!)).toBe(false);
  });

  it("runs a job runner in each web process, none taking another process's running job for abandoned", async () => {
    await waitFor("both job threads to start", async () => ((app.output().match(/"msg":"job runner started in its thread"/g) ?? []).length === 2 ? true : undefined), 60_000);
    // A runner that took itself for the only one would requeue every running job as it starts.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await t.db.job.findUniqueOrThrow({ where: { id: othersJob } })).toMatchObject({ status: "running", lockedBy: "another-process", attempts: 1 });
  }, 90_000);

  it("replaces a web process that dies, on the same port", async () => {
    const [victim, survivor] = [...first] as [number, number];
    process.kill(victim, "SIGKILL");
    const now = await waitFor("a new web process to answer", async () => {
      const pids = await answeringPids(app.url, 6);
      return pids.size === 2 && !pids.has(victim) ? pids : undefined;
    }, 60_000);
    expect(now.has(survivor)).toBe(true);
    expect(app.output()).toMatch(new RegExp(`"workerPid":${victim},"exitCode":null,"signal":"SIGKILL","msg":"web process died unexpectedly; starting another"`));
    first = now;
  }, 90_000);

  it("stops every web process on SIGTERM to the primary and exits 0", async () => {
    const exited = new Promise<number | null>((resolve) => app.child.once("exit", (code) => resolve(code)));
    app.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of first) expect(alive(pid), `web process ${pid}`).toBe(false);
    expect(app.output().match(/"msg":"web process stopped"/g)).toHaveLength(2);
  }, 60_000);
});
