// Graceful shutdown of the app's processes (README "Deployment"): on SIGTERM or SIGINT, run the
// process's stop steps once and exit 0 (1 when a step failed); a second signal exits at once.
import type http from "node:http";
import type { Logger } from "../logger.server";

const SIGNAL_EXIT_CODE: Record<"SIGTERM" | "SIGINT", number> = { SIGTERM: 143, SIGINT: 130 };

/**
 * Calls `stop` on the first SIGTERM/SIGINT, then exits; a second signal exits at once (128 + signal).
 * A web process of a cluster also stops on its primary's `shutdownMessage` (over IPC), which is not
 * counted as a signal: Ctrl-C reaches the primary and its web processes both.
 */
export function onShutdownSignal(log: Logger, stop: (signal: NodeJS.Signals) => Promise<void>, shutdownMessage?: string): void {
  let stopping = false;
  if (shutdownMessage !== undefined) {
    process.on("message", (m) => {
      if (m !== shutdownMessage || stopping) return;
      stopping = true;
      log.info("shutting down (asked by the primary process)");
      void run("SIGTERM");
    });
  }
  const run = (signal: NodeJS.Signals) =>
    stop(signal).then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  const handle = (signal: "SIGTERM" | "SIGINT") => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting now, without waiting");
      process.exit(SIGNAL_EXIT_CODE[signal]);
    }
    stopping = true;
    log.info({ signal }, "shutting down");
    void run(signal);
  };
  process.on("SIGTERM", () => handle("SIGTERM"));
  process.on("SIGINT", () => handle("SIGINT"));
}

/**
 * Stops accepting connections, closes idle keep-alive ones, and resolves when the requests in
 * flight have been answered — or after `graceMs`, when the connections still open are cut.
 */
export function closeHttpServer(server: http.Server, graceMs: number): Promise<"drained" | "cut"> {
  return new Promise((resolve) => {
    // A keep-alive connection idle between requests would hold close() open until it times out:
    // close the idle ones now and, as the requests in flight are answered, theirs.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const timer = setTimeout(() => {
      clearInterval(idle);
      server.closeAllConnections();
      resolve("cut");
    }, graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(timer);
      resolve("drained");
    });
    server.closeIdleConnections();
  });
}
