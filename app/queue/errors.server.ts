// The one place that decides whether a failed job is retried, and when. Handlers and the clients
// they use throw their own errors (the Shopify Admin client throws Shopify's); only this module
// knows which of them retrying cannot help.
import { ZodError } from "zod";
import {
  AdminGraphqlError,
  ShopAccessError,
  ShopifyRequestError,
  ShopifyUnavailableError,
  UserErrorsError,
} from "../shopify/admin-client.server";

/** Throw this (or a subclass) when retrying cannot help: bad data, a missing shop, a missing row. */
export class TerminalJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TerminalJobError";
  }
}

/** A job's payload does not match its type's schema: no retry can change the payload. */
export class JobPayloadError extends TerminalJobError {
  constructor(readonly jobType: string, cause: ZodError) {
    const issues = cause.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ");
    super(`job ${jobType}: payload does not match its schema: ${issues}`, { cause });
    this.name = "JobPayloadError";
  }
}

/** Errors that no retry can fix: the same input fails the same way. */
const TERMINAL: (abstract new (...args: never[]) => Error)[] = [
  TerminalJobError,
  ZodError, // a payload that fails its schema
  SyntaxError, // JSON that does not parse
  AdminGraphqlError, // the query itself is wrong
  UserErrorsError, // Shopify refused the mutation's input
  ShopAccessError, // token revoked, shop frozen or locked, scope missing
  ShopifyRequestError, // any other 4xx
];

/**
 * Whether trying again later may succeed. Everything not known to be terminal is retryable:
 * Shopify unavailable or throttled, a database hiccup, the network.
 */
export function isRetryable(error: unknown): boolean {
  return !TERMINAL.some((type) => error instanceof type);
}

/** The delay the server asked for (Retry-After, the throttle bucket), if any. */
function serverDelayMs(error: unknown): number {
  return error instanceof ShopifyUnavailableError ? (error.retryAfterMs ?? 0) : 0;
}

export type FailureDecision = { retry: false; reason: string } | { retry: true; delayMs: number; reason: string };

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 10 * 60_000;

/** After a job's `attempts`-th attempt failed with `error`: retry (and when) or fail for good. */
export function decideFailure(error: unknown, attempts: number, maxAttempts: number): FailureDecision {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (!isRetryable(error)) return { retry: false, reason };
  if (attempts >= maxAttempts) return { retry: false, reason: `gave up after ${attempts} attempts: ${reason}` };
  // Exponential backoff: 2 s, 4 s, 8 s … capped at 10 min, or the server's Retry-After if longer.
  const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return { retry: true, delayMs: Math.max(backoff, serverDelayMs(error)), reason };
}
