// The Prisma client for DATABASE_URL, through the driver adapter for its provider.
// SQLite (embedded default) and PostgreSQL (scale) use clients generated from one model
// (prisma/schema.prisma); their query API is identical, so the app types against one of them.
import { Prisma, PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPg } from "@prisma/adapter-pg";
import { createRequire } from "node:module";
import { databaseProvider, sqliteFilePath, type DatabaseProvider } from "../prisma/provider";
import { config } from "./config.server";

export type Db = PrismaClient;

const require = createRequire(import.meta.url);

/** The helpers of raw SQL (Prisma.sql, join, empty) for a client's own runtime. */
export type SqlHelpers = Pick<typeof Prisma, "sql" | "join" | "empty" | "raw">;

declare global {
  // What createDb knows of each client, kept process-wide: the app process loads this module twice
  // (server.ts's queue from source, the routes from the build), and both copies share the client
  // in __segmintDb, so both must know its URL and SQL helpers.
  var __segmintDbClients: { urls: WeakMap<Db, string>; sqlHelpers: WeakMap<Db, SqlHelpers> } | undefined;
}
const { urls, sqlHelpers } = (globalThis.__segmintDbClients ??= { urls: new WeakMap(), sqlHelpers: new WeakMap() });

/**
 * Raw-SQL fragments must come from the runtime of the client that runs them: the PostgreSQL
 * client is generated separately and does not recognise the SQLite client's Prisma.sql objects
 * (it would send them as bind parameters). Always build fragments with `sqlOf(db)`.
 */
export function sqlOf(client: Db): SqlHelpers {
  return sqlHelpers.get(client) ?? Prisma;
}

/** The URL a client was created for. */
function urlOf(client: Db): string {
  const url = urls.get(client);
  if (!url) throw new Error("this Prisma client was not created by createDb()");
  return url;
}

/** Which database a client talks to (raw SQL that differs between them asks this). */
export function providerOf(client: Db): DatabaseProvider {
  return databaseProvider(urlOf(client));
}

/**
 * The SQLite file a client works on, or null on PostgreSQL (the SQLite backfill writer opens a
 * driver connection of its own to that file).
 */
export function sqliteFileOf(client: Db): string | null {
  const url = urlOf(client);
  return databaseProvider(url) === "sqlite" ? sqliteFilePath(url) : null;
}

/**
 * The PostgreSQL URL a client was created for, or null on SQLite (the refresh's whole-shop read
 * opens a driver connection of its own to it).
 */
export function postgresUrlOf(client: Db): string | null {
  const url = urlOf(client);
  return databaseProvider(url) === "postgresql" ? url : null;
}

/** A client for any database URL (tests use one per database). */
export function createDb(url: string): Db {
  if (databaseProvider(url) === "postgresql") {
    // Generated from prisma/postgresql/schema.prisma (same models, other provider).
    const pgModule = require(".prisma/client-postgresql") as {
      PrismaClient: new (o: { adapter: PrismaPg }) => Db;
      Prisma: SqlHelpers;
    };
    const client = new pgModule.PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    urls.set(client, url);
    sqlHelpers.set(client, pgModule.Prisma);
    return client;
  }
  const client = new PrismaClient({ adapter: sqliteAdapter(url) });
  urls.set(client, url);
  sqlHelpers.set(client, Prisma);
  return client;
}

/**
 * Prisma's better-sqlite3 adapter opens connections without `PRAGMA foreign_keys = ON`, and SQLite
 * then ignores every foreign key — including the onDelete: Cascade that redaction relies on. This
 * factory turns enforcement on for each connection it opens (test/db/foreign-keys.test.ts).
 * It also sets WAL with synchronous = NORMAL: never corrupts, and a commit costs no fsync (1.1 ms
 * here, which capped webhook ingest near 450/s); a power cut may lose the last commits, which the
 * nightly reconciliation heals (docs/decisions/0003). PostgreSQL keeps full durability.
 */
function sqliteAdapter(url: string): SqlDriverAdapterFactory {
  const factory = new PrismaBetterSQLite3({ url, timeout: 10_000 });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      await adapter.executeScript("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
      return adapter;
    },
  };
}

declare global {
  // Reuse one client across Vite's hot reloads in development.
  var __segmintDb: Db | undefined;
}

/** The process-wide client. */
export function db(): Db {
  globalThis.__segmintDb ??= createDb(config().DATABASE_URL);
  return globalThis.__segmintDb;
}
