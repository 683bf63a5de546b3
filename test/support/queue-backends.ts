// The queue backends a test can run on: the Job table (both databases) and pg-boss (scale mode,
// PostgreSQL only; skipped, with the reason in its name, without SEGMINT_TEST_POSTGRES=1).
import { describe } from "vitest";
import type { JobQueue } from "../../app/queue/job-queue";
import { createPgBossQueue } from "../../app/queue/pgboss/pgboss-queue.server";
import { createTableQueue } from "../../app/queue/table/table-queue.server";
import type { DatabaseProvider } from "../../prisma/provider";
import { postgresEnabled, type TestDatabase } from "./databases";

export type QueueBackend = "table" | "pg-boss";

export interface QueueSetup {
  provider: DatabaseProvider;
  backend: QueueBackend;
  /** The app process's environment for this setup (startApp's `env`). */
  env: Record<string, string>;
}

export const QUEUE_SETUPS: readonly QueueSetup[] = [
  { provider: "sqlite", backend: "table", env: {} },
  { provider: "postgresql", backend: "table", env: {} },
  { provider: "postgresql", backend: "pg-boss", env: { QUEUE_BACKEND: "pg-boss" } },
];

/**
 * A fresh queue of `backend` over the test database (its own pg-boss instance for pg-boss). Jobs
 * it sends to pg-boss carry a lease of `leaseMs` (default: pg-boss's shortest, 10 s, so a test
 * that kills a worker sees its job taken over soon).
 */
export function createQueueFor(backend: QueueBackend, t: TestDatabase, o: { leaseMs?: number } = {}): JobQueue {
  return backend === "pg-boss" ? createPgBossQueue({ connectionString: t.url, leaseMs: o.leaseMs ?? 10_000 }) : createTableQueue();
}

/** Runs `suite` once per (database, queue backend): SQLite+table, PostgreSQL+table, PostgreSQL+pg-boss. */
export function describeEachQueueBackend(name: string, suite: (setup: QueueSetup) => void): void {
  for (const setup of QUEUE_SETUPS) {
    const label = `${name} [${setup.provider}+${setup.backend}]`;
    if (setup.provider === "sqlite" || postgresEnabled) describe(label, () => suite(setup));
    else describe.skip(`${label} — skipped: set SEGMINT_TEST_POSTGRES=1 with a server at 127.0.0.1:5432`, () => suite(setup));
  }
}
