// Liveness and readiness probes for an orchestrator or a load balancer, answered before Remix
// (cheap: no session, no build). The web process serves them on PORT; `npm run worker` on
// HEALTH_PORT when set.
//   GET /healthz — liveness: 200 while the process runs (its body carries the pid, which tells
//                   the web processes behind one port apart).
//   GET /readyz  — readiness: 200 when the database answers a trivial query and the process is not
//                   shutting down; 503 with the reason otherwise.
import http from "node:http";
import type { Db } from "../db.server";
import type { Logger } from "../logger.server";

/** How long the readiness query may take before the database counts as unreachable. */
const READINESS_QUERY_TIMEOUT_MS = 2000;

export interface ProbeState {
  /** True from the first shutdown signal on: readiness answers 503 from then. */
  shuttingDown: boolean;
}

type Readiness = { ready: true } | { ready: false; reason: string };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Answers the probes; anything else is left to the caller (`false`). */
export function createProbeHandler(state: ProbeState, db: () => Db, log: Logger): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  let lastReady: boolean | undefined;

  async function readiness(): Promise<Readiness> {
    if (state.shuttingDown) return { ready: false, reason: "shutting down" };
    try {
      await withTimeout(db().$queryRaw`SELECT 1`, READINESS_QUERY_TIMEOUT_MS);
      return { ready: true };
    } catch (err) {
      // Logged when readiness changes, not on every probe; the answer names no host or credential.
      if (lastReady !== false) log.warn({ err }, "readiness: the database did not answer");
      return { ready: false, reason: "database unreachable" };
    }
  }

  const send = (res: http.ServerResponse, status: number, body: object) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };

  return (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (path === "/healthz") {
      send(res, 200, { status: "ok", pid: process.pid });
      return true;
    }
    if (path === "/readyz") {
      void readiness().then((r) => {
        if (r.ready !== lastReady && r.ready) log.info("readiness: ready");
        lastReady = r.ready;
        if (r.ready) send(res, 200, { status: "ready", pid: process.pid });
        else send(res, 503, { status: "unavailable", reason: r.reason, pid: process.pid });
      });
      return true;
    }
    return false;
  };
}

/** A server of the probes only (worker.ts's HEALTH_PORT): 404 for anything else. */
export function startProbeServer(port: number, host: string, handle: ReturnType<typeof createProbeHandler>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (!handle(req, res)) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "not found" }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
