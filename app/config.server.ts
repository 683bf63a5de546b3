// The only reader of process.env. Validates the environment once, at boot, and refuses to start
// with a message naming every missing or invalid variable (see the table in README.md).
import { z } from "zod";
import { DEFAULT_DATABASE_URL, databaseProvider } from "../prisma/provider";

const DEFAULT_SCOPES = "read_orders,read_customers,write_customers,read_products,write_app_proxy";

/** Defaults other tools repeat (the demo script): named once here. */
export const DEFAULT_PORT = 3000;
export const DEFAULT_DEMO_SHOP = "segmint-demo.myshopify.com";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Whether a URL points at this machine (the demo's simulator seam is allowed only then). */
export function isLocalUrl(url: string): boolean {
  return LOCAL_HOSTS.has(new URL(url).hostname);
}

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z.string().min(1, "required: the app's client id from the Partner Dashboard"),
    SHOPIFY_API_SECRET: z.string().min(1, "required: the app's client secret (signs webhooks, proxy and session tokens)"),
    SHOPIFY_APP_URL: z.url("must be an absolute URL such as https://segmint.example.com"),
    SCOPES: z.string().default(DEFAULT_SCOPES),
    DATABASE_URL: z
      .string()
      .default(DEFAULT_DATABASE_URL)
      .refine((u) => {
        try {
          databaseProvider(u);
          return true;
        } catch {
          return false;
        }
      }, "must start with file: (SQLite) or postgresql:// (PostgreSQL)"),
    PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_PORT),
    HOST: z.string().default("0.0.0.0"),
    // in-process: the web process runs jobs from the durable job table (embedded default).
    // workers: web processes only enqueue; `npm run worker` processes run them (PostgreSQL).
    JOB_RUNNER: z.enum(["in-process", "workers"]).default("in-process"),
    // Jobs one runner process (a worker, or a web process's job thread) runs at once.
    JOB_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
    JOB_CONCURRENCY_PER_SHOP: z.coerce.number().int().min(1).max(16).default(1),
    // A running job not heard from (heartbeat) for this long is taken for dead and run again.
    JOB_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
    // table: the Job table is the queue (embedded default, both databases). pg-boss: scale mode,
    // pg-boss dispatches and the Job table stays the ledger (PostgreSQL only; docs/decisions/0024).
    QUEUE_BACKEND: z.enum(["table", "pg-boss"]).default("table"),
    // Web processes behind PORT (node:cluster). More than one needs PostgreSQL.
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    // SIGTERM/SIGINT: how long in-flight requests and running jobs get to finish before the jobs
    // still running are released to another process (keep it under the orchestrator's kill delay).
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25_000),
    // worker.ts only: serve /healthz and /readyz on this port (off by default).
    HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    // Offline demo only: the Admin API host of the local Shopify simulator. Accepted only when
    // SHOPIFY_APP_URL is local, so production can never be pointed at a fake Shopify.
    SEGMINT_SIMULATOR_URL: z.url().optional(),
    // Offline demo only: the shop the demo serves without Shopify's admin login.
    SEGMINT_DEMO_SHOP: z.string().regex(/^[a-z0-9-]+\.myshopify\.com$/).default(DEFAULT_DEMO_SHOP),
    // Offline demo only: the simulated store's "now" at start (ISO instant). Business dates (a
    // refresh's as-of day, live assignment's today) run from it; schedules keep real time.
    SEGMINT_DEMO_NOW: z.iso.datetime({ offset: true }).optional(),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  })
  .superRefine((env, ctx) => {
    if (env.SEGMINT_SIMULATOR_URL && !isLocalUrl(env.SHOPIFY_APP_URL)) {
      ctx.addIssue({
        code: "custom",
        path: ["SEGMINT_SIMULATOR_URL"],
        message: "the simulator can only be used when SHOPIFY_APP_URL is local (localhost/127.0.0.1)",
      });
    }
    if (env.SEGMINT_DEMO_NOW && !env.SEGMINT_SIMULATOR_URL) {
      ctx.addIssue({ code: "custom", path: ["SEGMINT_DEMO_NOW"], message: "is for the offline demo only: set it together with SEGMINT_SIMULATOR_URL" });
    }
    if (env.SEGMINT_SIMULATOR_URL && !isLocalUrl(env.SEGMINT_SIMULATOR_URL)) {
      ctx.addIssue({ code: "custom", path: ["SEGMINT_SIMULATOR_URL"], message: "must be a local URL" });
    }
    if (env.JOB_RUNNER === "workers" && databaseProvider(env.DATABASE_URL) !== "postgresql") {
      ctx.addIssue({
        code: "custom",
        path: ["JOB_RUNNER"],
        message: "workers need PostgreSQL (several processes share the queue); use in-process with SQLite",
      });
    }
    if (env.WEB_CONCURRENCY > 1 && databaseProvider(env.DATABASE_URL) !== "postgresql") {
      ctx.addIssue({
        code: "custom",
        path: ["WEB_CONCURRENCY"],
        message: `${env.WEB_CONCURRENCY} web processes need PostgreSQL (a postgresql:// DATABASE_URL); with SQLite run one (WEB_CONCURRENCY=1): its jobs already run in a thread of their own`,
      });
    }
    if (env.QUEUE_BACKEND === "pg-boss" && databaseProvider(env.DATABASE_URL) !== "postgresql") {
      ctx.addIssue({
        code: "custom",
        path: ["QUEUE_BACKEND"],
        message: "pg-boss needs PostgreSQL (a postgresql:// DATABASE_URL); use table with SQLite",
      });
    }
  });

export type AppConfig = z.infer<typeof schema> & { scopes: string[]; databaseProvider: "sqlite" | "postgresql" };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Segmint cannot start; fix these environment variables:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates an environment (process.env by default). Throws ConfigError naming each problem. */
export function parseConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const missing = issue.code === "invalid_type" && env[name] === undefined;
        return missing ? `${name} is missing` : `${name}: ${issue.message}`;
      }),
    );
  }
  const cfg = result.data;
  return {
    ...cfg,
    scopes: cfg.SCOPES.split(",").map((s) => s.trim()).filter(Boolean),
    databaseProvider: databaseProvider(cfg.DATABASE_URL),
  };
}

/**
 * QUEUE_BACKEND alone, for choosing the queue where no app environment is set (tests drive services
 * without one: they get the table). config() validates it with the rest (pg-boss needs PostgreSQL).
 */
export function queueBackend(): "table" | "pg-boss" {
  return process.env.QUEUE_BACKEND === "pg-boss" ? "pg-boss" : "table";
}

let cached: AppConfig | undefined;
/** The process's configuration, validated on first use. */
export function config(): AppConfig {
  cached ??= parseConfig();
  return cached;
}
