// `npm run worker`: a job-only process for scale mode (PostgreSQL). Run any number, anywhere.
// Validates the environment first (exits 1 naming each bad variable), like server.ts. With
// HEALTH_PORT it answers /healthz and /readyz there; SIGTERM/SIGINT: a graceful stop (README
// "Deployment").
import { ConfigError, parseConfig, type AppConfig } from "./app/config.server";

let cfg: AppConfig;
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
// Loaded only now: these modules read the configuration when they load.
const [{ startAppQueue }, { jobHandlers }, { logger }, { db }, { createProbeHandler, startProbeServer }, { onShutdownSignal }] = await Promise.all([
  import("./app/queue/start.server"),
  import("./app/jobs/handlers.server"),
  import("./app/logger.server"),
  import("./app/db.server"),
  import("./app/process/health.server"),
  import("./app/process/shutdown.server"),
]);
const log = logger("worker");
const probeState = { shuttingDown: false };
const { startInboxDispatcher } = await import("./app/services/inbox-dispatch.server");
const queue = startAppQueue(jobHandlers, [startInboxDispatcher]);
// The probes share this process's event loop with its jobs: a long synchronous step delays them.
const health = cfg.HEALTH_PORT === undefined ? undefined : await startProbeServer(cfg.HEALTH_PORT, cfg.HOST, createProbeHandler(probeState, db, logger("health")));
log.info(health ? `Segmint worker started (health and readiness on port ${cfg.HEALTH_PORT})` : "Segmint worker started");
onShutdownSignal(log, async () => {
  // Readiness says so at once; the probes keep answering until the process exits.
  probeState.shuttingDown = true;
  await queue.stop({ graceMs: cfg.SHUTDOWN_GRACE_MS });
  await db().$disconnect();
  health?.closeAllConnections();
});
