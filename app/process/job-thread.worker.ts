// The web process's job runner (JOB_RUNNER=in-process), in a worker thread of its own: the queue
// (startAppQueue: the runner, the hourly booking, the inbox dispatcher) and its handlers run here,
// so a slow or CPU-bound job never holds the thread that answers requests. It has its own module
// instances — its own database client, config and logger (JSON lines to the same stdout) — and
// shares nothing with the request thread but the database. Started by job-thread.server.ts.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { JobRegistry } from "../queue/job-queue";

export const JOB_THREAD = "segmint-job-thread";

export interface JobThreadData {
  kind: typeof JOB_THREAD;
  /** The request thread's business-clock offset (the demo's store time), to the millisecond. */
  businessOffsetMs: number;
  /** The handlers' module and export (default: app/jobs' registry); tests pass their own. */
  handlers?: { module: string; name: string };
}

export type JobThreadRequest = { type: "stop"; graceMs: number };
export type JobThreadReply = { type: "started" } | { type: "stopped"; error?: string };

async function loadHandlers(handlers: JobThreadData["handlers"]): Promise<JobRegistry> {
  if (!handlers) return (await import("../jobs/handlers.server")).jobHandlers;
  const mod = (await import(handlers.module)) as Record<string, unknown>;
  const registry = mod[handlers.name];
  if (!(registry instanceof Map)) throw new Error(`${handlers.module} exports no job registry named ${handlers.name}`);
  return registry as JobRegistry;
}

async function main(port: NonNullable<typeof parentPort>, data: JobThreadData): Promise<void> {
  // Listening before the modules load: a stop asked for meanwhile waits for the queue to start.
  let stopRequest: ((r: JobThreadRequest) => void) | undefined;
  const stopAsked = new Promise<JobThreadRequest>((resolve) => (stopRequest = resolve));
  port.on("message", (m: JobThreadRequest) => m.type === "stop" && stopRequest?.(m));

  const [{ startAppQueue }, { startBusinessClock }, { db }, { logger }, jobs] = await Promise.all([
    import("../queue/start.server"),
    import("../clock.server"),
    import("../db.server"),
    import("../logger.server"),
    loadHandlers(data.handlers),
  ]);
  const { startInboxDispatcher } = await import("../services/inbox-dispatch.server");
  const queue = startAppQueue(jobs, [startInboxDispatcher]);
  // startAppQueue started the clock from SEGMINT_DEMO_NOW now, a moment after the request thread:
  // take the request thread's offset so that both tell the same instant.
  if (data.businessOffsetMs !== 0) startBusinessClock(new Date(Date.now() + data.businessOffsetMs).toISOString());
  logger("jobs").info("job runner started in its thread");
  port.postMessage({ type: "started" } satisfies JobThreadReply);

  const { graceMs } = await stopAsked;
  try {
    await queue.stop({ graceMs });
    await db().$disconnect();
    port.postMessage({ type: "stopped" } satisfies JobThreadReply);
  } catch (error) {
    port.postMessage({ type: "stopped", error: error instanceof Error ? error.message : String(error) } satisfies JobThreadReply);
  }
  // Handlers released at the grace may still hold timers or sockets: the thread ends here anyway.
  process.exit(0);
}

if (!isMainThread && parentPort && (workerData as JobThreadData | undefined)?.kind === JOB_THREAD) {
  // An error here is the thread's: it reaches the request thread's 'error' listener, which logs it.
  await main(parentPort, workerData as JobThreadData);
}
