// Handlers are registered with the schema of their payload; the queue parses the payload before
// the handler runs, so no handler sees `unknown`. Shared by every queue backend.
import { JobPayloadError } from "./errors.server";
import type { JobContext, JobDefinition, JobRegistry } from "./job-queue";
import { jobPayloads, type JobPayload, type JobType } from "./job-types";

/** One of the app's jobs: its type, the payload schema from job-types.ts, and its handler. */
export function defineJob<T extends JobType>(
  type: T,
  run: (payload: JobPayload<T>, ctx: JobContext) => Promise<void>,
): JobDefinition<(typeof jobPayloads)[T]> {
  return { type, payload: jobPayloads[type], run };
}

/** The handlers a process runs; a type registered twice is a programming error. */
export function jobRegistry(definitions: readonly JobDefinition[]): JobRegistry {
  const registry = new Map<string, JobDefinition>();
  for (const d of definitions) {
    if (registry.has(d.type)) throw new Error(`job type "${d.type}" is registered twice`);
    registry.set(d.type, d);
  }
  return registry;
}

/**
 * Runs a job: finds its handler, validates the payload against the handler's schema (a payload
 * that fails is a terminal JobPayloadError), then runs the handler with the parsed payload.
 */
export async function runJob(registry: JobRegistry, type: string, payload: unknown, ctx: JobContext): Promise<void> {
  // Retried like any unknown failure: a worker of an older release may meet a type a newer one queued.
  const definition = registry.get(type);
  if (!definition) throw new Error(`no handler for job type "${type}"`);
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) throw new JobPayloadError(type, parsed.error);
  await definition.run(parsed.data, ctx);
}
