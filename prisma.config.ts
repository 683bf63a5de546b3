// Prisma CLI configuration (tooling only; the app reads its settings through app/config.server.ts).
// Prisma 6.19 with the JavaScript schema engine and driver adapters works fully offline
// (docs/decisions/0002-prisma-6-offline.md). The provider follows DATABASE_URL.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseProvider, DEFAULT_DATABASE_URL } from "./prisma/provider";

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const provider = databaseProvider(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: provider === "postgresql" ? path.join("prisma", "postgresql", "schema.prisma") : path.join("prisma", "schema.prisma"),
  migrations: {
    path: provider === "postgresql" ? path.join("prisma", "postgresql", "migrations") : path.join("prisma", "migrations"),
  },
  adapter: async () =>
    provider === "postgresql" ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url }),
});
