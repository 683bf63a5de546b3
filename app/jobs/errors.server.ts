// The one place that decides whether a failed job is retried, and when.
import { ZodError } from "zod";

/** Throw this (or a subclass) when retrying cannot help: bad data, a revoked shop, a missing row. */
export class TerminalJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TerminalJobError";
  }
}

/** Errors that say "try again later", optionally with the server's own delay. */
export class RetryableJobError extends Error {
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RetryableJobError";
  }
}

export type FailureDecision = { retry: false; reason: string } | { retry: true; delayMs: number; reason: string };

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 10 * 60_000;

export function decideFailure(error: unknown, attempts: number, maxAttempts: number): FailureDecision {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof TerminalJobError || error instanceof ZodError || error instanceof SyntaxError) {
    return { retry: false, reason };
  }
  if (attempts >= maxAttempts) return { retry: false, reason: `gave up after ${attempts} attempts: ${reason}` };
  // Exponential backoff: 2 s, 4 s, 8 s … capped at 10 min, or the server's Retry-After if longer.
  const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const serverDelay = error instanceof RetryableJobError ? (error.retryAfterMs ?? 0) : 0;
  return { retry: true, delayMs: Math.max(backoff, serverDelay), reason };
}
