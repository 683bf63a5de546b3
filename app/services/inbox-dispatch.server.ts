// The inbox dispatcher: the request only writes the inbox row (ADR 0023); this loop, running in the
// job-runner process, queues the drain. Every `intervalMs` it looks for inbox rows it has not
// dispatched yet and queues each of their shops' singleton `process-webhooks` job. The durable row
// is the work: on start it sweeps every row still 'received', so a crash between the write and
// the drain loses nothing.
//
// Rows are found by id. On SQLite ids commit in order (one writer), so the scan starts at the
// highest id seen on the previous tick. On PostgreSQL a row can commit after a higher id already
// did, so the scan reaches `lookbackMs` of ticks back, and the ids already dispatched are skipped.
// An event that waits for another (a refund before its order) is not dispatched again by itself:
// the shop's next event brings a drain, as before.
import type { Db } from "../db.server";
import { providerOf } from "../db.server";
import { logger } from "../logger.server";
import { latestWebhookEventId, receivedWebhookEventsAfter } from "../models/webhook-events.server";
import { JOB } from "../queue/job-types";
import { enqueue } from "../queue/queue.server";

export interface InboxDispatcher {
  /** Stops the loop; resolves once a tick in progress has finished. */
  stop(): Promise<void>;
}

export interface InboxDispatcherOptions {
  intervalMs?: number;
  /** How far back (in time) the scan re-reads ids, for rows that committed late (PostgreSQL). */
  lookbackMs?: number;
}

/** One pass of the dispatcher, with the memory that carries over to the next. */
export function inboxDispatchPass(db: Db, lookbackMs: number) {
  /** High-water marks of earlier passes: [when, highest id then]. */
  const marks: [number, number][] = [];
  /** Scan start: no row at or below it is unseen. 0 until the first pass: the start-up sweep. */
  let floor = 0;
  /** Ids above `floor` already dispatched. */
  const dispatched = new Set<number>();

  return async function pass(now = Date.now()): Promise<number[]> {
    // The mark is read before the scan: a row written in between is above it and read again next time.
    const high = await latestWebhookEventId(db);
    const rows = await receivedWebhookEventsAfter(db, floor);
    const shops = [...new Set(rows.filter((r) => !dispatched.has(r.id)).map((r) => r.shopId))];
    for (const shopId of shops) await enqueue(db, { type: JOB.processWebhooks, shopId, singletonKey: JOB.processWebhooks });
    // Only once every drain is queued: a failed pass is repeated whole by the next.
    for (const r of rows) dispatched.add(r.id);
    marks.push([now, high]);
    while (marks.length > 0 && marks[0]![0] <= now - lookbackMs) floor = Math.max(floor, marks.shift()![1]);
    for (const id of dispatched) if (id <= floor) dispatched.delete(id);
    return shops;
  };
}

/** Starts the dispatcher for the app database; stop it before the queue (graceful shutdown). */
export function startInboxDispatcher(db: Db, o: InboxDispatcherOptions = {}): InboxDispatcher {
  const intervalMs = o.intervalMs ?? 200;
  const lookbackMs = o.lookbackMs ?? (providerOf(db) === "postgresql" ? 2_000 : 0);
  const pass = inboxDispatchPass(db, lookbackMs);
  const log = logger("webhooks");
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = pass()
      .then(() => undefined)
      .catch((err: unknown) => log.error({ err }, "inbox dispatch failed; retrying on the next tick"))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
