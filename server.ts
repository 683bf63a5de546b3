// The web process: validates the environment first (exits 1 naming each bad variable), then
// serves /healthz and /readyz and the Remix app — through Vite in development, from build/ in
// production — and, with JOB_RUNNER=in-process (the embedded default), runs the background jobs
// in a worker thread of its own (app/process/job-thread.server.ts). WEB_CONCURRENCY > 1
// (PostgreSQL): this process is the cluster's primary and forks that many web processes on PORT.
// SIGTERM/SIGINT: a graceful stop (README "Deployment").
import cluster from "node:cluster";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { ConfigError, parseConfig } from "./app/config.server";
import { logger } from "./app/logger.server";

async function main(): Promise<void> {
  let cfg;
  try {
    cfg = parseConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Not a log line: the operator's fix-it message, before any logger (its level is config).
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  if (cfg.WEB_CONCURRENCY > 1 && cluster.isPrimary) {
    const { runClusterPrimary } = await import("./app/process/cluster.server");
    runClusterPrimary({ workers: cfg.WEB_CONCURRENCY, graceMs: cfg.SHUTDOWN_GRACE_MS, log: logger("cluster") });
    return;
  }
  // Loaded only now: these modules read the configuration when they load.
  const [{ db }, { startBusinessClock, businessNow }, { createProbeHandler }, { closeHttpServer, onShutdownSignal }, { SHUTDOWN_MESSAGE }] = await Promise.all([
    import("./app/db.server"),
    import("./app/clock.server"),
    import("./app/process/health.server"),
    import("./app/process/shutdown.server"),
    import("./app/process/cluster.server"),
  ]);
  // The routes' business dates (an experiment's day): the demo's store "now", as in the job thread.
  startBusinessClock(cfg.SEGMINT_DEMO_NOW);

  const probeState = { shuttingDown: false };
  const probes = createProbeHandler(probeState, db, logger("health"));
  const app = express();
  app.disable("x-powered-by");
  // First, before any other middleware: an orchestrator probes often.
  app.use((req, res, next) => {
    if (!probes(req, res)) next();
  });
  // Webhooks before anything else of the app: HMAC + schema + one INSERT, no Remix (ADR 0023).
  const { WEBHOOK_PATHS, handleWebhookRequest } = await import("./app/webhooks.server");
  app.all([...WEBHOOK_PATHS], handleWebhookRequest);
  if (cfg.NODE_ENV === "production") {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(express.static("build/client", { maxAge: "1h" }));
    const path = "./build/server/index.js";
    // One handler for the process: building it per request doubled a bare request's time (bench/proxy).
    const build = (await import(/* @vite-ignore */ path)) as ServerBuild;
    app.all("*", createRequestHandler({ build, mode: cfg.NODE_ENV }));
  } else {
    const viteless = new Set(process.listeners("SIGTERM"));
    const vite = await import("vite").then((v) =>
      v.createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: "custom" }),
    );
    // Vite exits the process on SIGTERM (143) as soon as it has closed itself, which would cut the
    // graceful stop short: the stop below ends the process.
    for (const listener of process.listeners("SIGTERM")) if (!viteless.has(listener)) process.off("SIGTERM", listener);
    app.use(vite.middlewares);
    // Development: the build is asked for on every request, so edits show without a restart.
    app.all("*", (req, res, next) =>
      (vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>)
        .then((build) => createRequestHandler({ build, mode: cfg.NODE_ENV })(req, res, next))
        .catch(next),
    );
  }

  // Not on the request thread: a slow or CPU-bound job must not hold the requests (webhooks answer
  // within Shopify's 5 s). One runner per web process; on PostgreSQL they share the queue safely.
  const jobs =
    cfg.JOB_RUNNER === "in-process"
      ? (await import("./app/process/job-thread.server")).startJobThread({ log: logger("jobs"), businessOffsetMs: businessNow().getTime() - Date.now() })
      : undefined;

  const server = app.listen(cfg.PORT, cfg.HOST, () => {
    logger("server").info(`Segmint listening on http://${cfg.HOST === "0.0.0.0" ? "localhost" : cfg.HOST}:${cfg.PORT}`);
  });
  onShutdownSignal(
    logger("server"),
    async () => {
      probeState.shuttingDown = true;
      // Both within the grace, side by side: the requests in flight finish (new connections are
      // refused), the jobs finish or are released to another process.
      const [requests] = await Promise.all([closeHttpServer(server, cfg.SHUTDOWN_GRACE_MS), jobs?.stop(cfg.SHUTDOWN_GRACE_MS)]);
      if (requests === "cut") logger("server").warn({ graceMs: cfg.SHUTDOWN_GRACE_MS }, "requests still open at the end of the grace were cut");
      // This thread's queue only enqueued (pg-boss keeps a connection pool for that); then its client.
      await (await import("./app/queue/queue.server")).jobQueue.stop();
      await db().$disconnect();
    },
    cluster.isWorker ? SHUTDOWN_MESSAGE : undefined,
  );
}

void main();
