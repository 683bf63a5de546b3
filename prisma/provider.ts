// Which database a URL names. Shared by prisma.config.ts, scripts/prisma.mjs (via tsx) and the app.
import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

/** The embedded default: a SQLite file under .data/ (gitignored), no server needed. */
export const DEFAULT_DATABASE_URL = "file:./.data/segmint.db";

export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${url.split(":")[0]}:…"`);
}

/** Path of the SQLite file a `file:` URL names (relative paths are relative to `root`). */
export function sqliteFilePath(url: string, root = process.cwd()): string {
  const file = url.slice("file:".length).split("?")[0] ?? "";
  return path.isAbsolute(file) ? file : path.resolve(root, file);
}
