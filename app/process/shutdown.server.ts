// Graceful shutdown of the app's processes (README "Deployment"): on SIGTERM or SIGINT, run the
// process's stop steps once and exit 0 (1 when a step failed); a second signal exits at once.
import type http from "node:http";
import type { Logger } from "../logger.server";

const SIGNAL_EXIT_CODE: Record<"SIGTERM" | "SIGINT", number> = { SIGTERM: 143, SIGINT: 130 };

/**
 * A signal this soon after the first is the same stop arriving twice, not an operator insisting:
 * a terminal's Ctrl-C reaches every process of the group, and `tsx` (npm start) relays it to its
 * child again when the child is slow to report it.
 */
export const REPEAT_SIGNAL_IGNORED_MS = 1000;

/** Exits at once on a signal after the first (130 for SIGINT, 143 for SIGTERM), unless it is an echo of it. */
export function secondSignalExits(log: Logger, onSecond: () => void = () => undefined): { first(): void; handle(signal: "SIGTERM" | "SIGINT"): boolean } {
  let firstAt: number | undefined;
  return {
    /** Marks the stop as begun (by a signal or otherwise); true from then on in `handle`. */
    first() {
      firstAt ??= Date.now();
    },
    /** False for the first signal (the caller starts its stop); exits on a later one. */
    handle(signal) {
      if (firstAt === undefined) {
        firstAt = Date.now();
        return false;
      }
      if (Date.now() - firstAt < REPEAT_SIGNAL_IGNORED_MS) return true;
      log.warn({ signal }, "second signal: exiting now, without waiting");
      onSecond();
      process.exit(SIGNAL_EXIT_CODE[signal]);
    },
  };
}

/**
 * Calls `stop` on the first SIGTERM/SIGINT, then exits; a second signal exits at once (see
 * secondSignalExits). A web process of a cluster also stops on its primary's `shutdownMessage`
 * (over IPC), which starts the same stop.
 */
export function onShutdownSignal(log: Logger, stop: () => Promise<void>, shutdownMessage?: string): void {
  let stopping = false;
  const run = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  const signals = secondSignalExits(log);
  if (shutdownMessage !== undefined) {
    process.on("message", (m) => {
      if (m !== shutdownMessage || stopping) return;
      log.info("shutting down (asked by the primary process)");
      signals.first();
      run();
    });
  }
  const handle = (signal: "SIGTERM" | "SIGINT") => {
    if (signals.handle(signal) || stopping) return;
    log.info({ signal }, "shutting down");
    run();
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
