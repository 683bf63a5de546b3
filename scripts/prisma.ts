// Database tooling for both providers from ONE model definition (prisma/schema.prisma).
//   tsx scripts/prisma.ts generate        derive the PostgreSQL schema, generate both clients
//   tsx scripts/prisma.ts setup           generate + apply migrations to DATABASE_URL (idempotent)
//   tsx scripts/prisma.ts migration NAME  write a new migration for BOTH providers from the schema
//   tsx scripts/prisma.ts check           fail if the derived schema or either history has drifted
// Offline by design: Prisma 6.19's JavaScript schema engine through driver adapters (ADR 0002).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "../app/db/migrate.server";
import { DEFAULT_DATABASE_URL, type DatabaseProvider } from "../prisma/provider";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");

export const schemaPath: Record<DatabaseProvider, string> = {
  sqlite: path.join(root, "prisma", "schema.prisma"),
  postgresql: path.join(root, "prisma", "postgresql", "schema.prisma"),
};
export const migrationsPath: Record<DatabaseProvider, string> = {
  sqlite: path.join(root, "prisma", "migrations"),
  postgresql: path.join(root, "prisma", "postgresql", "migrations"),
};

/** The PostgreSQL schema is the SQLite one with another provider and its own client output. */
export function derivePostgresSchema(sqliteSchema: string): string {
  const header =
    "// GENERATED from prisma/schema.prisma by scripts/prisma.ts — do not edit; run `npm run db:migration`.\n";
  const out = sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace(
      /(generator client \{[^}]*?)(\n\})/,
      `$1\n  output          = "../../node_modules/.prisma/client-postgresql"$2`,
    );
  if (!out.includes('provider = "postgresql"') || !out.includes("client-postgresql")) {
    throw new Error("prisma/schema.prisma no longer has the shape scripts/prisma.ts derives from");
  }
  return header + out;
}

function prisma(args: string[], env: Record<string, string> = {}, capture = false): string {
  const out = execFileSync(process.execPath, [prismaBin, ...args], {
    cwd: root,
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env },
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
  });
  return out ?? "";
}

function writeDerivedSchema(): void {
  const derived = derivePostgresSchema(fs.readFileSync(schemaPath.sqlite, "utf8"));
  fs.mkdirSync(path.dirname(schemaPath.postgresql), { recursive: true });
  if (!fs.existsSync(schemaPath.postgresql) || fs.readFileSync(schemaPath.postgresql, "utf8") !== derived) {
    fs.writeFileSync(schemaPath.postgresql, derived);
  }
}

function generate(): void {
  // `generate` never connects; any URL of the right shape satisfies env("DATABASE_URL").
  for (const provider of ["sqlite", "postgresql"] as const) {
    const url = provider === "sqlite" ? DEFAULT_DATABASE_URL : "postgresql://localhost/unused";
    prisma(["generate", "--no-hints", "--schema", schemaPath[provider]], { DATABASE_URL: url }, true);
  }
}

/**
 * Each migration history keeps a snapshot of the schema it was generated up to
 * (`schema.snapshot.prisma`). Prisma 6.19's JS schema engine cannot replay a history into a
 * shadow database (`--from-migrations` fails with P3006), so new migrations are the diff from
 * the snapshot to the current schema, and test/db/migrations.test.ts proves that replaying each
 * history gives the same tables, columns and indexes as the schema itself.
 */
export function snapshotPath(provider: DatabaseProvider): string {
  return path.join(migrationsPath[provider], "schema.snapshot.prisma");
}

/** SQL that takes the committed migration history to the current schema ("" when in sync). */
function pendingSql(provider: DatabaseProvider): string {
  const from = fs.existsSync(snapshotPath(provider))
    ? ["--from-schema-datamodel", snapshotPath(provider)]
    : ["--from-empty"];
  // The JS schema engine diffs through a live adapter: a throwaway SQLite file, or a real
  // PostgreSQL server (writing PostgreSQL migrations needs one; CI and the dev machines have it).
  const url = provider === "sqlite" ? `file:${freshSqliteFile()}` : postgresToolingUrl();
  return prisma(
    ["migrate", "diff", ...from, "--to-schema-datamodel", schemaPath[provider], "--script"],
    { DATABASE_URL: url },
    true,
  );
}

/** SQL that creates the whole schema in an empty database (used by the drift test). */
export function fullSchemaSql(provider: DatabaseProvider): string {
  const url = provider === "sqlite" ? `file:${freshSqliteFile()}` : postgresToolingUrl();
  return prisma(["migrate", "diff", "--from-empty", "--to-schema-datamodel", schemaPath[provider], "--script"], { DATABASE_URL: url }, true);
}

/** A new empty SQLite file for the schema engine to work in. */
function freshSqliteFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "segmint-prisma-")), "scratch.db");
}

/** The PostgreSQL server used to write PostgreSQL migrations (the JS engine diffs through it). */
export function postgresToolingUrl(): string {
  return process.env.SEGMINT_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

function isEmptyMigration(sql: string): boolean {
  return sql.split("\n").every((l) => l.trim() === "" || l.trim().startsWith("--"));
}

function newMigration(name: string): void {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: lowercase letters, digits and _ only");
  writeDerivedSchema();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  for (const provider of ["sqlite", "postgresql"] as const) {
    const sql = pendingSql(provider);
    if (isEmptyMigration(sql)) {
      // A change with no SQL effect (a comment, a generator option) still moves the snapshot.
      fs.copyFileSync(schemaPath[provider], snapshotPath(provider));
      console.log(`${provider}: no SQL change; snapshot refreshed`);
      continue;
    }
    const dir = path.join(migrationsPath[provider], `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    fs.writeFileSync(
      path.join(migrationsPath[provider], "migration_lock.toml"),
      `# Please do not edit this file manually\nprovider = "${provider}"\n`,
    );
    fs.copyFileSync(schemaPath[provider], snapshotPath(provider));
    console.log(`${provider}: wrote ${path.relative(root, dir)}/migration.sql`);
  }
}

function check(): void {
  const derived = derivePostgresSchema(fs.readFileSync(schemaPath.sqlite, "utf8"));
  if (fs.readFileSync(schemaPath.postgresql, "utf8") !== derived) {
    throw new Error("prisma/postgresql/schema.prisma is out of date: run `npm run db:migration -- <name>`");
  }
  for (const provider of ["sqlite", "postgresql"] as const) {
    const snapshot = fs.existsSync(snapshotPath(provider)) ? fs.readFileSync(snapshotPath(provider), "utf8") : "";
    if (snapshot !== fs.readFileSync(schemaPath[provider], "utf8")) {
      throw new Error(`${provider} migrations lag prisma/schema.prisma: run \`npm run db:migration -- <name>\``);
    }
  }
  console.log("the derived schema and both migration snapshots agree with prisma/schema.prisma");
}

async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  generate();
  const result = await applyMigrations(url, root);
  console.log(
    `${result.provider}: ${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already in place`,
  );
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [command, arg] = process.argv.slice(2);
  try {
    if (command === "generate") generate();
    else if (command === "setup") await setup();
    else if (command === "migration" && arg) newMigration(arg);
    else if (command === "check") check();
    else {
      console.error("usage: tsx scripts/prisma.ts generate | setup | migration <name> | check");
      process.exit(2);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
