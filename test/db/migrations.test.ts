import { execFileSync } from "node:child_process";
import fs from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { applyMigrations } from "../../app/db/migrate.server";
import { derivePostgresSchema, fullSchemaSql, schemaPath, snapshotPath } from "../../scripts/prisma";
import type { DatabaseProvider } from "../../prisma/provider";
import { createEmptyDatabase, describeEachDatabase } from "../support/databases";

/** Tables, columns (with type and nullability) and indexes, as the database itself reports them. */
async function catalog(provider: DatabaseProvider, url: string): Promise<string[]> {
  if (provider === "sqlite") {
    const db = new Database(url.slice("file:".length));
    const rows: string[] = [];
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).all() as { name: string }[];
    for (const { name } of tables) {
      for (const c of db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[]) {
        rows.push(`col ${name}.${c.name} ${c.type} notnull=${c.notnull} default=${String(c.dflt_value)} pk=${c.pk}`);
      }
      for (const fk of db.prepare(`PRAGMA foreign_key_list("${name}")`).all() as { table: string; from: string; on_delete: string }[]) {
        rows.push(`fk ${name}.${fk.from} -> ${fk.table} on delete ${fk.on_delete}`);
      }
    }
    for (const i of db.prepare(`SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL`).all() as { name: string; sql: string }[]) {
      rows.push(`index ${i.sql}`);
    }
    db.close();
    return rows.sort();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const cols = await client.query<{ r: string }>(`
    SELECT 'col ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable || ' default=' || coalesce(column_default, '') AS r
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
  const idx = await client.query<{ r: string }>(`SELECT 'index ' || indexdef AS r FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
  const fks = await client.query<{ r: string }>(`
    SELECT 'fk ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid) AS r FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`);
  await client.end();
  return [...cols.rows, ...idx.rows, ...fks.rows].map((x) => x.r).sort();
}

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

describeEachDatabase("migrations", (provider) => {
  it("apply to an empty database, and a second run applies nothing", async () => {
    const empty = await createEmptyDatabase(provider);
    drops.push(empty.drop);
    const first = await applyMigrations(empty.url);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.alreadyApplied).toEqual([]);
    const second = await applyMigrations(empty.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
  });

  it("replaying the history gives exactly the schema's tables, columns, indexes and keys", async () => {
    const replayed = await createEmptyDatabase(provider);
    const direct = await createEmptyDatabase(provider);
    drops.push(replayed.drop, direct.drop);
    await applyMigrations(replayed.url);
    // The schema applied in one step, straight from prisma/schema.prisma (or its derived twin).
    const sql = fullSchemaSql(provider);
    if (provider === "sqlite") {
      const db = new Database(direct.url.slice("file:".length));
      db.exec(sql);
      db.close();
    } else {
      const c = new pg.Client({ connectionString: direct.url });
      await c.connect();
      await c.query(sql);
      await c.end();
    }
    const [a, b] = [await catalog(provider, replayed.url), await catalog(provider, direct.url)];
    expect(a.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
  });

  it("the history's snapshot is the current schema (a model change without a migration fails here)", () => {
    expect(fs.readFileSync(snapshotPath(provider), "utf8")).toBe(fs.readFileSync(schemaPath[provider], "utf8"));
  });
});

it("the PostgreSQL schema is derived from the one model definition", () => {
  expect(fs.readFileSync(schemaPath.postgresql, "utf8")).toBe(derivePostgresSchema(fs.readFileSync(schemaPath.sqlite, "utf8")));
});

it("refuses a migration edited after it was applied", async () => {
  const empty = await createEmptyDatabase("sqlite");
  drops.push(empty.drop);
  await applyMigrations(empty.url);
  const db = new Database(empty.url.slice("file:".length));
  db.prepare(`UPDATE "_prisma_migrations" SET checksum = 'tampered'`).run();
  db.close();
  await expect(applyMigrations(empty.url)).rejects.toThrow(/edited after it was applied/);
});

it("npm run setup is idempotent on a fresh SQLite file", () => {
  const dir = fs.mkdtempSync("/tmp/segmint-setup-");
  const env = { ...process.env, DATABASE_URL: `file:${dir}/app.db` };
  const run = () => execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/prisma.ts", "setup"], { env, encoding: "utf8" });
  expect(run()).toMatch(/sqlite: \d+ migration\(s\) applied, 0 already in place/);
  expect(run()).toMatch(/sqlite: 0 migration\(s\) applied, \d+ already in place/);
  fs.rmSync(dir, { recursive: true, force: true });
});
