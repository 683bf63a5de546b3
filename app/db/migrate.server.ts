// Applies the committed migration history (prisma/migrations or prisma/postgresql/migrations).
//
// Why not `prisma migrate deploy`: with driver adapters (the only offline path in Prisma 6.19),
// migrate fails on PostgreSQL with "Column type 'name' could not be deserialized" (open bug
// prisma/orm#27403). This runner keeps Prisma's own bookkeeping table, `_prisma_migrations`
// (same columns, sha256 checksums), so a database it set up stays readable by Prisma's CLI.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider, sqliteFilePath, type DatabaseProvider } from "../../prisma/provider";

export interface MigrationResult {
  provider: DatabaseProvider;
  applied: string[];
  alreadyApplied: string[];
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(provider: DatabaseProvider, root = process.cwd()): string {
  return provider === "postgresql"
    ? path.join(root, "prisma", "postgresql", "migrations")
    : path.join(root, "prisma", "migrations");
}

function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function checkChecksum(m: Migration, recorded: string | undefined): void {
  if (recorded !== undefined && recorded !== m.checksum) {
    throw new Error(`migration ${m.name} was edited after it was applied (checksum differs); add a new migration instead`);
  }
}

function migrateSqlite(url: string, migrations: Migration[]): MigrationResult {
  const file = sqliteFilePath(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const done = new Map(
      (db.prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).all() as {
        migration_name: string;
        checksum: string;
      }[]).map((r) => [r.migration_name, r.checksum]),
    );
    const result: MigrationResult = { provider: "sqlite", applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      checkChecksum(m, done.get(m.name));
      if (done.has(m.name)) {
        result.alreadyApplied.push(m.name);
        continue;
      }
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, current_timestamp, ?, 1)`,
        ).run(randomUUID(), m.checksum, m.name);
      })();
      result.applied.push(m.name);
    }
    return result;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time across processes (several web/worker processes may boot together).
    await client.query("SELECT pg_advisory_lock(4242001)");
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const rows = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.rows.map((r) => [r.migration_name, r.checksum]));
    const result: MigrationResult = { provider: "postgresql", applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      checkChecksum(m, done.get(m.name));
      if (done.has(m.name)) {
        result.alreadyApplied.push(m.name);
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      result.applied.push(m.name);
    }
    await client.query("SELECT pg_advisory_unlock(4242001)");
    return result;
  } finally {
    await client.end();
  }
}

/** Brings the database at `url` up to the committed history. Idempotent. */
export async function applyMigrations(url: string, root = process.cwd()): Promise<MigrationResult> {
  const provider = databaseProvider(url);
  const migrations = readMigrations(migrationsDir(provider, root));
  return provider === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}
