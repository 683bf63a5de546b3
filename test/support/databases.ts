// Real databases for tests: a fresh SQLite file per test database, and — when
// SEGMINT_TEST_POSTGRES=1 (set by .ci/run when a server answers) — a fresh PostgreSQL database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe } from "vitest";
import { createDb, type Db } from "../../app/db.server";
import { applyMigrations } from "../../app/db/migrate.server";
import type { DatabaseProvider } from "../../prisma/provider";

export const postgresEnabled = process.env.SEGMINT_TEST_POSTGRES === "1";
export const postgresAdminUrl = process.env.SEGMINT_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  provider: DatabaseProvider;
  url: string;
  db: Db;
  /** Disconnects and deletes the database. */
  drop(): Promise<void>;
}

/** An empty database of `provider` (no migrations applied). */
export async function createEmptyDatabase(provider: DatabaseProvider): Promise<{ url: string; drop(): Promise<void> }> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "segmint-test-"));
    return { url: `file:${path.join(dir, "test.db")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `segmint_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: postgresAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A migrated database with a Prisma client. */
export async function createTestDatabase(provider: DatabaseProvider): Promise<TestDatabase> {
  const empty = await createEmptyDatabase(provider);
  await applyMigrations(empty.url);
  const db = createDb(empty.url);
  return {
    provider,
    url: empty.url,
    db,
    drop: async () => {
      await db.$disconnect();
      await empty.drop();
    },
  };
}

/**
 * Runs `suite` once per database. Without SEGMINT_TEST_POSTGRES=1 the PostgreSQL run is
 * reported as skipped, with the reason in its name, rather than silently missing.
 */
export function describeEachDatabase(name: string, suite: (provider: DatabaseProvider) => void): void {
  describe(`${name} [sqlite]`, () => suite("sqlite"));
  if (postgresEnabled) describe(`${name} [postgresql]`, () => suite("postgresql"));
  else describe.skip(`${name} [postgresql] — skipped: set SEGMINT_TEST_POSTGRES=1 with a server at 127.0.0.1:5432`, () => suite("postgresql"));
}
