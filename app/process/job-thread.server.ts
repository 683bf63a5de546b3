// Starts the in-process job runner (JOB_RUNNER=in-process) in a worker thread of the web process
// (job-thread.worker.ts) and keeps it running: a thread that dies (an uncaught error in a handler
// or the runner) is logged and started again after a pause that doubles while it keeps dying
// (1 s … 30 s). The jobs the dead thread was running are taken again: at once by the new thread
// when it is its database's only runner (SQLite), else when their lease ends. The web process is
// not taken down for it: its requests (webhooks landing in the inbox) do not need the thread.
import { Worker } from "node:worker_threads";
import type { Logger } from "../logger.server";
import { JOB_THREAD, type JobThreadData, type JobThreadReply, type JobThreadRequest } from "./job-thread.worker";

const FIRST_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A thread that ran this long before dying starts again after the first delay. */
const STABLE_AFTER_MS = 60_000;
/** After the grace, how long the thread gets to release its jobs and disconnect before it is terminated. */
const RELEASE_TIMEOUT_MS = 10_000;

export interface JobThreadOptions {
  log: Logger;
  /** See JobThreadData.businessOffsetMs. */
  businessOffsetMs?: number;
  /** See JobThreadData.handlers (tests). */
  handlers?: JobThreadData["handlers"];
  /** The thread's environment (default: a copy of this process's). */
  env?: Record<string, string | undefined>;
}

export interface JobThread {
  /** Resolves once the first thread has started its queue. */
  started: Promise<void>;
  /** Stops the runner (JobQueue.stop with `graceMs`) and ends the thread; no restart after. */
  stop(graceMs: number): Promise<void>;
}

export function startJobThread(o: JobThreadOptions): JobThread {
  const data: JobThreadData = { kind: JOB_THREAD, businessOffsetMs: o.businessOffsetMs ?? 0, ...(o.handlers ? { handlers: o.handlers } : {}) };
  let current: Worker | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let delayMs = FIRST_RESTART_DELAY_MS;
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));

  function spawn(): void {
    const bornAt = Date.now();
    // The thread loads the TypeScript source through tsx, as the process does.
    const worker = new Worker(new URL("./job-thread.worker.ts", import.meta.url), {
      workerData: data,
      execArgv: [...process.execArgv, "--import", "tsx"],
      ...(o.env ? { env: o.env } : {}),
    });
    current = worker;
    worker.on("message", (m: JobThreadReply) => m.type === "started" && markStarted());
    worker.on("error", (err) => o.log.error({ err }, "the job thread failed"));
    worker.on("exit", (code) => {
      if (current === worker) current = undefined;
      if (stopping) return;
      if (Date.now() - bornAt >= STABLE_AFTER_MS) delayMs = FIRST_RESTART_DELAY_MS;
      o.log.error({ exitCode: code, restartInMs: delayMs }, "the job thread stopped unexpectedly; starting it again");
      restartTimer = setTimeout(spawn, delayMs);
      delayMs = Math.min(delayMs * 2, MAX_RESTART_DELAY_MS);
    });
  }
  spawn();

  return {
    started,
    async stop(graceMs) {
      stopping = true;
      clearTimeout(restartTimer);
      const worker = current;
      if (!worker) return;
      const done = new Promise<JobThreadReply | "exited" | "timeout">((resolve) => {
        worker.on("message", (m: JobThreadReply) => m.type === "stopped" && resolve(m));
        worker.once("exit", () => resolve("exited"));
        setTimeout(() => resolve("timeout"), graceMs + RELEASE_TIMEOUT_MS).unref();
      });
      worker.postMessage({ type: "stop", graceMs } satisfies JobThreadRequest);
      const outcome = await done;
      if (outcome === "timeout") o.log.error({ graceMs }, "the job thread did not stop in time: terminating it (its running jobs stay running until their lease ends)");
      else if (outcome !== "exited" && outcome.type === "stopped" && outcome.error) o.log.error({ error: outcome.error }, "the job thread's stop failed");
      await worker.terminate();
    },
  };
}
