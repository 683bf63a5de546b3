// WEB_CONCURRENCY > 1 (PostgreSQL only): the primary process forks that many web processes, which
// share PORT (node:cluster hands each new connection to one of them in turn). The primary serves
// nothing itself: it starts the web processes again when one dies unexpectedly, and on
// SIGTERM/SIGINT asks them to stop gracefully and exits once they all have.
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "../logger.server";
import { secondSignalExits } from "./shutdown.server";

/** Unexpected deaths are counted over this sliding window… */
const CRASH_LOOP_WINDOW_MS = 10_000;
/** …and more than this many in it is a crash loop (a bad build, a bad config): the primary gives up and exits 1. */
const MAX_QUICK_RESTARTS = 5;
/** Past the grace, how long the web processes get (releasing jobs, closing clients) before they are killed. */
const KILL_AFTER_GRACE_MS = 15_000;
/** The primary's "shut down gracefully" to a web process (see onShutdownSignal). */
export const SHUTDOWN_MESSAGE = "segmint:shutdown";

export function runClusterPrimary(o: { workers: number; graceMs: number; log: Logger }): void {
  const { log } = o;
  let stopping = false;
  const quickDeaths: number[] = [];

  const fork = () => {
    const worker = cluster.fork();
    worker.once("online", () => log.info({ workerPid: worker.process.pid }, "web process started"));
  };

  let failedStops = 0;
  cluster.on("exit", (worker: Worker, code, signal) => {
    const pid = worker.process.pid;
    if (stopping) {
      if (code !== 0) failedStops++;
      log.info({ workerPid: pid, exitCode: code, signal }, "web process stopped");
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failedStops > 0 ? 1 : 0);
      return;
    }
    const now = Date.now();
    quickDeaths.push(now);
    while (quickDeaths.length > 0 && now - quickDeaths[0]! > CRASH_LOOP_WINDOW_MS) quickDeaths.shift();
    if (quickDeaths.length > MAX_QUICK_RESTARTS) {
      log.error({ workerPid: pid, exitCode: code, signal }, `web processes keep dying (${quickDeaths.length} in ${CRASH_LOOP_WINDOW_MS / 1000} s): giving up`);
      failedStops++;
      stopAll();
      return;
    }
    log.error({ workerPid: pid, exitCode: code, signal }, "web process died unexpectedly; starting another");
    fork();
  });

  /** Asks every web process, over IPC, to shut down gracefully (onShutdownSignal's shutdownMessage). */
  function stopAll(): void {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(failedStops > 0 ? 1 : 0);
    for (const w of workers) if (w?.isConnected()) w.send(SHUTDOWN_MESSAGE);
    // A web process bounds its own stop by the grace; this only guards against one that hangs.
    setTimeout(() => {
      log.error("web processes did not stop within the grace: killing them");
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
    }, o.graceMs + KILL_AFTER_GRACE_MS).unref();
  }

  const signals = secondSignalExits(log, () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
  });
  const onSignal = (signal: "SIGTERM" | "SIGINT") => {
    if (signals.handle(signal) || stopping) return;
    log.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, "shutting down the web processes");
    stopAll();
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));

  log.info({ workers: o.workers }, "starting the web processes");
  for (let i = 0; i < o.workers; i++) fork();
}
