/**
 * `npm run bench -- queue [--jobs=5000] [--workers=4] [--slots=32] [--backends=table,pg-boss]`: the job queue's two backends
 * on PostgreSQL, in the same run (docs/decisions/0024-pg-boss-scale-mode.md):
 *
 * (a) throughput — `--jobs` trivial jobs over 100 shops, drained by `--workers` worker processes
 *     of `--slots` slots each: jobs/s from "go" to the last ledger row succeeded;
 * (b) the per-shop limit — 10 shops × 100 jobs of 5 ms with JOB_CONCURRENCY_PER_SHOP = 2: the most
 *     handlers of one shop seen running at once (from the handlers' own start/end times, which
 *     lie inside the queue's claim/settle span, so a lower bound of the true overlap);
 * (c) fairness — one shop with a backlog (3,000 jobs of 20 ms, a backfill's load) while 100 other
 *     shops each queue one job, spread over 5 s: how long each of theirs waits to start.
 *
 * Every worker is a child process running the real queue (createTableQueue / createPgBossQueue)
 * with the real runner; enqueues go through the seam. Results: bench/results/queue.md/.json.
 */
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { createDb, type Db } from "../app/db.server";
import type { JobQueue } from "../app/queue/job-queue";
import { JOB } from "../app/queue/job-types";
import { createPgBossQueue } from "../app/queue/pgboss/pgboss-queue.server";
import { defineJob, jobRegistry } from "../app/queue/registry";
import { createTableQueue } from "../app/queue/table/table-queue.server";
import { environmentNote, mdTable, parseArgs, scratchPostgresDatabase, writeResults } from "./run";

type Backend = "table" | "pg-boss";

interface ChildConfig {
  backend: Backend;
  url: string;
  slots: number;
  perShopLimit: number;
  /** Handler time by job type (ms; 0 = returns at once). */
  sleepMs: Record<string, number>;
}

/** One handler run, as the worker saw it (wall-clock ms, comparable across processes). */
interface Run {
  shopId: number;
  type: string;
  start: number;
  end: number;
}

const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function makeQueue(backend: Backend, url: string): JobQueue {
  return backend === "pg-boss" ? createPgBossQueue({ connectionString: url, leaseMs: 60_000, poolSize: 12 }) : createTableQueue();
}

// ---------------------------------------------------------------------------------------------
// A worker process: waits for "go", runs jobs, reports its runs on "stop".

async function child(cfg: ChildConfig): Promise<void> {
  const db = createDb(`${cfg.url}${cfg.url.includes("?") ? "&" : "?"}connection_limit=${Math.min(cfg.slots + 2, 12)}`); // PostgreSQL allows 100 in all
  const queue = makeQueue(cfg.backend, cfg.url);
  const runs: Run[] = [];
  const handler = async (job: { shopId: number | null; type: string }) => {
    const start = wallNow();
    const ms = cfg.sleepMs[job.type] ?? 0;
    if (ms > 0) await sleep(ms);
    runs.push({ shopId: job.shopId ?? 0, type: job.type, start, end: wallNow() });
  };
  const jobs = jobRegistry([
    defineJob(JOB.reconcile, async (_p, { job }) => handler(job)),
    defineJob(JOB.backfill, async (_p, { job }) => handler(job)),
  ]);
  if (cfg.backend === "pg-boss") await (queue as ReturnType<typeof createPgBossQueue>).boss();
  process.on("message", (m: string) => {
    if (m === "go") queue.start({ db, jobs, concurrency: cfg.slots, perShopLimit: cfg.perShopLimit, pollMs: 50 });
    if (m === "stop") {
      void (async () => {
        await queue.stop({ graceMs: 1_000 });
        process.send!({ runs }, () => process.exit(0));
      })();
    }
  });
  process.send!("ready");
}

// ---------------------------------------------------------------------------------------------
// The parent.

async function startWorkers(n: number, cfg: ChildConfig): Promise<{ go(): void; stop(): Promise<Run[]> }> {
  const self = fileURLToPath(import.meta.url);
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const c = fork(self, [`--child=${JSON.stringify(cfg)}`], { execArgv: ["--import", "tsx"], env: {
        ...process.env,
        // The runner logs through the app's logger, which reads the app's configuration.
        SHOPIFY_API_KEY: "bench",
        SHOPIFY_API_SECRET: "bench",
        SHOPIFY_APP_URL: "http://127.0.0.1:1",
        DATABASE_URL: cfg.url,
        LOG_LEVEL: "error",
        NODE_NO_WARNINGS: "1",
      },
    });
    children.push(c);
    ready.push(new Promise((resolve, reject) => {
      c.once("message", () => resolve());
      c.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
    }));
  }
  await Promise.all(ready);
  return {
    go: () => children.forEach((c) => c.send("go")),
    stop: async () => {
      const all = await Promise.all(
        children.map(
          (c) =>
            new Promise<Run[]>((resolve) => {
              c.on("message", (m: { runs?: Run[] }) => m.runs && resolve(m.runs));
              c.send("stop");
            }),
        ),
      );
      return all.flat();
    },
  };
}

async function shops(db: Db, n: number): Promise<number[]> {
  await db.shop.createMany({ data: Array.from({ length: n }, (_, i) => ({ domain: `bench-queue-${i}.myshopify.com` })) });
  return (await db.shop.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((s) => s.id);
}

/** Enqueues through the seam, `parallel` at a time. */
async function enqueueAll(queue: JobQueue, db: Db, jobs: { type: typeof JOB.reconcile | typeof JOB.backfill; shopId: number }[], parallel = 8): Promise<number> {
  const t0 = wallNow();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < jobs.length) {
        const j = jobs[next++]!;
        await queue.enqueue(db, { type: j.type, shopId: j.shopId, payload: {} });
      }
    }),
  );
  return jobs.length / ((wallNow() - t0) / 1000);
}

async function waitDone(db: Db, total: number, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const done = await db.job.count({ where: { status: "succeeded" } });
    if (done >= total) return wallNow();
    if (Date.now() > end) throw new Error(`only ${done} of ${total} jobs done after ${timeoutMs / 1000} s`);
    await sleep(25);
  }
}

/** The most runs of one shop overlapping in time. */
function maxPerShop(runs: Run[]): number {
  const byShop = new Map<number, { t: number; d: number }[]>();
  for (const r of runs) {
    const ev = byShop.get(r.shopId) ?? [];
    ev.push({ t: r.start, d: 1 }, { t: r.end, d: -1 });
    byShop.set(r.shopId, ev);
  }
  let max = 0;
  for (const ev of byShop.values()) {
    ev.sort((a, b) => a.t - b.t || a.d - b.d);
    let cur = 0;
    for (const e of ev) max = Math.max(max, (cur += e.d));
  }
  return max;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

interface Result {
  backend: Backend;
  throughput: { jobs: number; seconds: number; jobsPerSecond: number; enqueuePerSecond: number };
  limit: { perShopLimit: number; maxConcurrentPerShop: number; jobs: number };
  fairness: { backlogJobs: number; backlogDone: number; otherShops: number; waitMs: { p50: number; p95: number; max: number } };
}

/** A fresh database with `shopCount` shops and a queue on it, for one part of the measurement; closed and dropped after. */
async function onScratch<T>(
  backend: Backend,
  part: string,
  shopCount: number,
  work: (scratch: { url: string; db: Db; queue: JobQueue; shopIds: number[] }) => Promise<T>,
): Promise<T> {
  const scratch = await scratchPostgresDatabase(`segmint_bench_queue_${part}_${backend.replace("-", "")}`);
  const db = createDb(scratch.url);
  const queue = makeQueue(backend, scratch.url);
  try {
    return await work({ url: scratch.url, db, queue, shopIds: await shops(db, shopCount) });
  } finally {
    await queue.stop();
    await db.$disconnect();
    await scratch.drop();
  }
}

async function runBackend(backend: Backend, o: { jobs: number; workers: number; slots: number }): Promise<Result> {
  const base = { backend, slots: o.slots, sleepMs: {} as Record<string, number> };

  // (a) throughput
  const throughput = await onScratch(backend, "tp", 100, async ({ url, db, queue, shopIds }) => {
    const enqueuePerSecond = await enqueueAll(queue, db, Array.from({ length: o.jobs }, (_, i) => ({ type: JOB.reconcile, shopId: shopIds[i % 100]! })));
    const w = await startWorkers(o.workers, { ...base, url, perShopLimit: 4 });
    const t0 = wallNow();
    w.go();
    const tDone = await waitDone(db, o.jobs, 600_000);
    await w.stop();
    const seconds = (tDone - t0) / 1000;
    return { jobs: o.jobs, seconds, jobsPerSecond: o.jobs / seconds, enqueuePerSecond };
  });
  console.log(`[${backend}] throughput: ${throughput.jobsPerSecond.toFixed(0)} jobs/s (${o.jobs} in ${throughput.seconds.toFixed(1)} s; enqueue ${throughput.enqueuePerSecond.toFixed(0)}/s)`);

  // (b) the per-shop limit
  const limit = await onScratch(backend, "lim", 10, async ({ url, db, queue, shopIds }) => {
    const limitJobs = 1_000;
    await enqueueAll(queue, db, Array.from({ length: limitJobs }, (_, i) => ({ type: JOB.reconcile, shopId: shopIds[i % 10]! })));
    const w = await startWorkers(o.workers, { ...base, url, perShopLimit: 2, sleepMs: { [JOB.reconcile]: 5 } });
    w.go();
    await waitDone(db, limitJobs, 600_000);
    return { perShopLimit: 2, maxConcurrentPerShop: maxPerShop(await w.stop()), jobs: limitJobs };
  });
  console.log(`[${backend}] per-shop limit 2: at most ${limit.maxConcurrentPerShop} of one shop at once`);

  // (c) fairness
  const { fairness, waits, others } = await onScratch(backend, "fair", 101, async ({ url, db, queue, shopIds }) => {
    const [big, ...others] = shopIds as [number, ...number[]];
    const backlogJobs = 3_000;
    await enqueueAll(queue, db, Array.from({ length: backlogJobs }, () => ({ type: JOB.backfill, shopId: big })));
    const w = await startWorkers(o.workers, { ...base, url, perShopLimit: 2, sleepMs: { [JOB.backfill]: 20, [JOB.reconcile]: 5 } });
    w.go();
    await sleep(1_000); // the backlog is being worked on
    const queuedAt = new Map<number, number>();
    for (const shopId of others) {
      queuedAt.set(shopId, wallNow());
      await queue.enqueue(db, { type: JOB.reconcile, shopId, payload: {} });
      await sleep(50); // 100 shops over 5 s
    }
    const end = Date.now() + 120_000;
    while ((await db.job.count({ where: { type: JOB.reconcile, status: "succeeded" } })) < others.length && Date.now() < end) await sleep(50);
    const backlogDone = await db.job.count({ where: { type: JOB.backfill, status: "succeeded" } });
    const fairRuns = await w.stop();
    const waits = fairRuns.filter((r) => r.type === JOB.reconcile).map((r) => r.start - queuedAt.get(r.shopId)!);
    const fairness = {
      backlogJobs,
      backlogDone,
      otherShops: waits.length,
      waitMs: { p50: pct(waits, 50), p95: pct(waits, 95), max: Math.max(...waits) },
    };
    return { fairness, waits, others };
  });
  console.log(`[${backend}] fairness: other shops' jobs started after p50 ${fairness.waitMs.p50.toFixed(0)} ms, p95 ${fairness.waitMs.p95.toFixed(0)} ms, max ${fairness.waitMs.max.toFixed(0)} ms (${waits.length} of ${others.length})`);

  return { backend, throughput, limit, fairness };
}

async function main(): Promise<void> {
  const args = parseArgs();
  const o = { jobs: Number(args.get("jobs") ?? 5_000), workers: Number(args.get("workers") ?? 4), slots: Number(args.get("slots") ?? 32) };
  const loadBefore = os.loadavg();
  const results: Result[] = [];
  const backends = (args.get("backends") ?? "table,pg-boss").split(",") as Backend[];
  for (const backend of backends) results.push(await runBackend(backend, o));
  const loadAfter = os.loadavg();
  const table = results.find((r) => r.backend === "table") ?? results[0]!;
  const boss = results.find((r) => r.backend === "pg-boss") ?? results[0]!;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const md = [
    "# Job queue: the Job table vs pg-boss (scale mode), PostgreSQL",
    "",
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores; load average ${loadBefore.map((x) => x.toFixed(1)).join(" / ")} before, ${loadAfter.map((x) => x.toFixed(1)).join(" / ")} after (other work shared the machine). \`npm run bench -- queue\`. ${o.workers} worker processes × ${o.slots} slots, PostgreSQL on the same machine. docs/decisions/0024-pg-boss-scale-mode.md.`,
    "",
    "## (a) Throughput: trivial jobs over 100 shops",
    "",
    mdTable(
      ["backend", "jobs", "drain time", "jobs/s", "× table (same run)", "enqueue/s (8 at a time, through the seam)"],
      results.map((r) => [r.backend, r.throughput.jobs, `${r.throughput.seconds.toFixed(1)} s`, r.throughput.jobsPerSecond.toFixed(0), (r.throughput.jobsPerSecond / table.throughput.jobsPerSecond).toFixed(2), r.throughput.enqueuePerSecond.toFixed(0)]),
    ),
    "",
    `Target: ≥ 1,000 jobs/s on pg-boss with 4 workers — ${boss.throughput.jobsPerSecond >= 1000 ? "met" : "NOT met"} (${boss.throughput.jobsPerSecond.toFixed(0)} jobs/s).`,
    "",
    "## (b) The per-shop limit (JOB_CONCURRENCY_PER_SHOP = 2; 10 shops × 100 jobs of 5 ms)",
    "",
    mdTable(["backend", "limit", "most of one shop running at once"], results.map((r) => [r.backend, r.limit.perShopLimit, r.limit.maxConcurrentPerShop])),
    "",
    "Counted from the handlers' own start/end times (inside the queue's claim…settle span): a lower bound of the true overlap. The table backend claims under one global advisory lock (exact). pg-boss counts a group's active jobs inside each claiming statement, so concurrent fetches alone passed the limit (8 of one shop with limit 2 when every slot fetched on its own); the ledger claim under a per-shop lock makes it exact (documented race margin: 0, except a worker taken for dead while still running, as on the table — ADR 0024).",
    "",
    "## (c) Fairness: one shop's 3,000-job backlog (20 ms each) while 100 other shops each queue one job over 5 s",
    "",
    mdTable(
      ["backend", "other shops' jobs", "wait to start p50", "p95", "max", "backlog jobs done meanwhile"],
      results.map((r) => [r.backend, r.fairness.otherShops, ms(r.fairness.waitMs.p50), ms(r.fairness.waitMs.p95), ms(r.fairness.waitMs.max), `${r.fairness.backlogDone} of ${r.fairness.backlogJobs}`]),
    ),
    "",
  ].join("\n");
  writeResults("queue", md, { environment: environmentNote(), loadavg: { before: loadBefore, after: loadAfter }, options: o, results });
  console.log(md);
}

const childArg = process.argv.find((a) => a.startsWith("--child="));
if (childArg) void child(JSON.parse(childArg.slice("--child=".length)) as ChildConfig);
else
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
