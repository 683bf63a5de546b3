// Scale mode's pg-boss backend keeps the Job table (the ledger) and pg-boss (the dispatcher) in
// step: one commit for both, singletons and wake, cancellation, the merchant's Retry, retries at
// decideFailure's time, and the dead-letter queue. PostgreSQL only (SEGMINT_TEST_POSTGRES=1).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TerminalJobError } from "../../app/queue/errors.server";
import { JOB } from "../../app/queue/job-types";
import { createPgBossQueue, type PgBossQueue } from "../../app/queue/pgboss/pgboss-queue.server";
import { bossIdOf } from "../../app/queue/pgboss/ledger.server";
import { DEAD_LETTER_QUEUE, JOBS_QUEUE } from "../../app/queue/pgboss/queues";
import { defineJob, jobRegistry } from "../../app/queue/registry";
import { createTestDatabase, postgresEnabled, type TestDatabase } from "../support/databases";
import { waitFor } from "../support/wait-for";

const suite = postgresEnabled ? describe : describe.skip;

class Rollback extends Error {}

suite("pg-boss queue: ledger and dispatcher in step [postgresql+pg-boss]", () => {
  let t: TestDatabase;
  let queue: PgBossQueue;
  let shopId: number;
  let otherShopId: number;
  let failWith: unknown = null;
  let release: () => void = () => undefined;
  const ran: number[] = [];

  const jobs = jobRegistry([
    defineJob(JOB.reconcile, async (_payload, { job }) => {
      ran.push(job.id);
      if (failWith) throw failWith;
    }),
    // Blocks until released; reports what its heartbeat said.
    defineJob(JOB.backfill, async (_payload, { heartbeat }) => {
      await new Promise<void>((resolve) => (release = resolve));
      beats.push(await heartbeat());
    }),
  ]);
  const beats: boolean[] = [];

  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
    shopId = (await t.db.shop.create({ data: { domain: "pgboss-a.myshopify.com" } })).id;
    otherShopId = (await t.db.shop.create({ data: { domain: "pgboss-b.myshopify.com" } })).id;
    queue = createPgBossQueue({ connectionString: t.url, leaseMs: 10_000 });
  });
  afterEach(async () => {
    await queue.stop();
    await t.db.job.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "cancelled" } });
    failWith = null;
    ran.length = 0;
    beats.length = 0;
  });
  afterAll(async () => {
    await queue?.stop();
    await t?.drop();
  });

  /** The pg-boss job of a ledger row: its state and when it may run. */
  async function bossJob(jobId: number): Promise<{ state: string; startAfter: Date; groupId: string | null } | undefined> {
    const [j] = await (await queue.boss()).findJobs(JOBS_QUEUE, { id: bossIdOf(jobId) });
    return j && { state: j.state, startAfter: j.startAfter, groupId: j.groupId ?? null };
  }

  it("sends the pg-boss job with the ledger row, in the shop's group, due when the row is", async () => {
    const runAt = new Date(Date.now() + 60_000);
    const id = (await queue.enqueue(t.db, { type: JOB.reconcile, shopId, runAt, payload: {} }))!;
    expect(await t.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "queued", attempts: 0 });
    const sent = await bossJob(id);
    expect(sent).toMatchObject({ state: "created", groupId: String(shopId) });
    expect(sent!.startAfter.getTime()).toBe(runAt.getTime());
  });

  it("writes neither when the caller's transaction rolls back", async () => {
    let id: number | null = null;
    await expect(
      t.db.$transaction(async (tx) => {
        id = await queue.enqueue(tx, { type: JOB.reconcile, shopId, payload: {} });
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(id).toEqual(expect.any(Number));
    expect(await t.db.job.count({ where: { id: id! } })).toBe(0);
    expect(await bossJob(id!)).toBeUndefined();
  });

  it("sends no second job for a waiting singleton, and wake brings the pg-boss job forward too", async () => {
    const later = new Date(Date.now() + 3_600_000);
    const id = (await queue.enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "bf", runAt: later }))!;
    expect(await queue.enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "bf" })).toBeNull();
    expect((await bossJob(id))!.startAfter.getTime()).toBe(later.getTime());
    const now = new Date();
    expect(await queue.enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "bf", runAt: now, wake: true })).toBeNull();
    expect((await t.db.job.findUniqueOrThrow({ where: { id } })).runAt.getTime()).toBe(now.getTime());
    expect((await bossJob(id))!.startAfter.getTime()).toBe(now.getTime());
    expect(await t.db.job.count({ where: { shopId, singletonKey: "bf" } })).toBe(1);
  });

  it("cancels a shop's waiting and running jobs in both, and the running handler's heartbeat says stop", async () => {
    const running = (await queue.enqueue(t.db, { type: JOB.backfill, shopId, singletonKey: "bf-run" }))!;
    const waiting = (await queue.enqueue(t.db, { type: JOB.reconcile, shopId, runAt: new Date(Date.now() + 3_600_000), payload: {} }))!;
    const others = (await queue.enqueue(t.db, { type: JOB.reconcile, shopId: otherShopId, runAt: new Date(Date.now() + 3_600_000), payload: {} }))!;
    queue.start({ db: t.db, jobs });
    await waitFor("the backfill to run", async () => ((await t.db.job.findUniqueOrThrow({ where: { id: running } })).status === "running" ? true : undefined), 10_000, 20);
    expect(await queue.cancelShopJobs(t.db, shopId)).toBe(2);
    expect((await t.db.job.findMany({ where: { id: { in: [running, waiting] } }, select: { status: true } })).map((j) => j.status)).toEqual(["cancelled", "cancelled"]);
    expect((await bossJob(running))!.state).toBe("cancelled");
    expect((await bossJob(waiting))!.state).toBe("cancelled");
    expect((await bossJob(others))!.state).toBe("created");
    release();
    await waitFor("the handler to finish", async () => (beats.length === 1 ? true : undefined), 10_000, 20);
    expect(beats).toEqual([false]);
    expect((await t.db.job.findUniqueOrThrow({ where: { id: running } })).status).toBe("cancelled");
  });

  it("retries a retryable failure at decideFailure's time in both", async () => {
    failWith = new Error("connection reset");
    const id = (await queue.enqueue(t.db, { type: JOB.reconcile, shopId, payload: {} }))!;
    queue.start({ db: t.db, jobs });
    await queue.drain();
    const row = await t.db.job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "queued", attempts: 1, lastError: "Error: connection reset" });
    const retry = await bossJob(id);
    expect(retry!.state).toBe("retry");
    expect(retry!.startAfter.getTime()).toBe(row.runAt.getTime());
  });

  it("fails a terminal error for good: the ledger says failed, the dead-letter queue has it, and Retry runs it again", async () => {
    failWith = new TerminalJobError("bad input");
    const id = (await queue.enqueue(t.db, { type: JOB.reconcile, shopId, payload: {} }))!;
    queue.start({ db: t.db, jobs });
    await queue.drain();
    expect(await t.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed", attempts: 1, lastError: "TerminalJobError: bad input" });
    expect(ran).toEqual([id]);
    const dead = await (await queue.boss()).findJobs<{ jobId: number; reason: string }>(DEAD_LETTER_QUEUE, { data: { jobId: id } });
    expect(dead.map((d) => d.data)).toEqual([{ jobId: id, reason: "TerminalJobError: bad input" }]);

    failWith = null;
    expect(await queue.retryJob(t.db, shopId, id)).toBe(true);
    expect((await bossJob(id))!.state).toBe("created");
    await waitFor("the retried job to succeed", async () => ((await t.db.job.findUniqueOrThrow({ where: { id } })).status === "succeeded" ? true : undefined), 10_000, 50);
    expect(ran).toEqual([id, id]);
    expect((await t.db.job.findUniqueOrThrow({ where: { id } })).attempts).toBe(1);
  });

  it("drops a pg-boss job whose ledger row is gone (its shop deleted) without running anything", async () => {
    const gone = (await t.db.shop.create({ data: { domain: "pgboss-gone.myshopify.com" } })).id;
    const id = (await queue.enqueue(t.db, { type: JOB.reconcile, shopId: gone, payload: {} }))!;
    await t.db.shop.delete({ where: { id: gone } }); // the ledger row cascades
    queue.start({ db: t.db, jobs });
    await queue.drain();
    expect(ran).toEqual([]);
    expect((await bossJob(id))!.state).toBe("completed");
  });
});
