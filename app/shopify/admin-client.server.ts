// The one wrapper around Shopify's Admin GraphQL client. It
// - waits for the cost bucket (extensions.cost.throttleStatus) before a request would overdraw it,
// - retries THROTTLED (HTTP 200!), 429 and 5xx with backoff — the stock client retries none of
//   THROTTLED and, by default, nothing else either,
// - turns GraphQL errors, userErrors and access failures (401/402/403/423) into typed errors that
//   the job layer classifies (app/jobs/errors.server.ts).
import {
  GraphqlQueryError,
  HttpInternalError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpThrottlingError,
} from "@shopify/shopify-api";
import { RetryableJobError, TerminalJobError } from "../jobs/errors.server";

/** What Remix's `admin.graphql` is: a request that resolves to a Response with JSON. */
export type GraphqlTransport = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface CostExtension {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

export class AdminGraphqlError extends TerminalJobError {
  constructor(readonly errors: { message: string; extensions?: { code?: string } }[]) {
    super(`Admin API errors: ${errors.map((e) => e.message).join("; ")}`);
    this.name = "AdminGraphqlError";
  }
}

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export class UserErrorsError extends TerminalJobError {
  constructor(readonly operation: string, readonly userErrors: UserError[]) {
    super(`${operation}: ${userErrors.map((e) => `${e.code ?? "ERROR"} ${e.message}`).join("; ")}`);
    this.name = "UserErrorsError";
  }
}

/** 401 (token revoked / uninstalled), 402 (shop frozen), 403 (missing scope), 423 (shop locked). */
export class ShopAccessError extends TerminalJobError {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "ShopAccessError";
  }
}

export class ShopifyUnavailableError extends RetryableJobError {
  constructor(message: string, retryAfterMs?: number) {
    super(message, retryAfterMs);
    this.name = "ShopifyUnavailableError";
  }
}

export interface AdminClientOptions {
  /** Attempts per request for THROTTLED / 429 / 5xx / network failures before giving up. */
  maxAttempts?: number;
  /** Cost assumed for a request whose cost we have not seen yet. */
  expectedCost?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface AdminClient {
  request<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
  /** The last throttle status Shopify reported (for progress displays and tests). */
  readonly throttle: ThrottleStatus | null;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const ACCESS_STATUSES = new Set([401, 402, 403, 423]);

export function createAdminClient(transport: GraphqlTransport, o: AdminClientOptions = {}): AdminClient {
  const maxAttempts = o.maxAttempts ?? 8;
  const sleep = o.sleep ?? realSleep;
  const now = o.now ?? Date.now;
  let throttle: ThrottleStatus | null = null;
  let throttleAt = 0;
  const costs = new Map<string, number>();

  function remember(cost: CostExtension | undefined): void {
    if (cost?.throttleStatus) {
      throttle = cost.throttleStatus;
      throttleAt = now();
    }
  }

  /** Sleeps until the bucket (as last reported, restored since) can pay `cost`. */
  async function waitForBucket(cost: number): Promise<void> {
    if (!throttle) return;
    const restored = ((now() - throttleAt) / 1000) * throttle.restoreRate;
    const available = Math.min(throttle.maximumAvailable, throttle.currentlyAvailable + restored);
    if (available >= cost) return;
    await sleep(Math.ceil(((cost - available) / throttle.restoreRate) * 1000));
  }

  function backoffMs(attempt: number): number {
    return Math.min(30_000, 500 * 2 ** (attempt - 1));
  }

  async function request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await waitForBucket(costs.get(document) ?? o.expectedCost ?? 50);
      let retryIn: number;
      let lastError: Error;
      try {
        const response = await transport(document, variables ? { variables } : undefined);
        const body = (await response.json()) as { data?: T; errors?: unknown; extensions?: { cost?: CostExtension } };
        remember(body.extensions?.cost);
        if (body.extensions?.cost?.requestedQueryCost !== undefined) costs.set(document, body.extensions.cost.requestedQueryCost);
        if (body.errors) throw new AdminGraphqlError(body.errors as { message: string }[]);
        return body.data as T;
      } catch (error) {
        if (error instanceof GraphqlQueryError) {
          const body = error.body as { errors?: { graphQLErrors?: { message: string; extensions?: { code?: string } }[] }; extensions?: { cost?: CostExtension } } | undefined;
          const cost = body?.extensions?.cost;
          remember(cost);
          const graphQLErrors = body?.errors?.graphQLErrors ?? [{ message: error.message }];
          if (!graphQLErrors.some((e) => e.extensions?.code === "THROTTLED")) throw new AdminGraphqlError(graphQLErrors);
          const requested = cost?.requestedQueryCost ?? o.expectedCost ?? 50;
          if (cost?.requestedQueryCost !== undefined) costs.set(document, cost.requestedQueryCost);
          const status = cost?.throttleStatus;
          // Shopify's rule: wait until the bucket holds the requested cost; at least 1 s.
          retryIn = status ? Math.max(1000, Math.ceil(((requested - status.currentlyAvailable) / status.restoreRate) * 1000)) : 1000;
          lastError = new ShopifyUnavailableError("THROTTLED", retryIn);
        } else if (error instanceof HttpThrottlingError) {
          retryIn = Math.max(1000, (error.response.retryAfter ?? 1) * 1000);
          lastError = new ShopifyUnavailableError("HTTP 429", retryIn);
        } else if (error instanceof HttpInternalError || error instanceof HttpMaxRetriesError || error instanceof HttpRequestError) {
          retryIn = backoffMs(attempt);
          lastError = new ShopifyUnavailableError(error.message, retryIn);
        } else if (error instanceof HttpResponseError) {
          const status = error.response.code;
          if (ACCESS_STATUSES.has(status)) throw new ShopAccessError(status, `Shopify answered ${status} ${error.response.statusText}`);
          throw new TerminalJobError(`Shopify answered ${status}: ${error.message}`);
        } else if (error instanceof TypeError) {
          // fetch's network failure
          retryIn = backoffMs(attempt);
          lastError = new ShopifyUnavailableError(`network: ${error.message}`, retryIn);
        } else {
          throw error;
        }
      }
      if (attempt >= maxAttempts) throw lastError;
      await sleep(retryIn);
    }
  }

  return {
    request,
    get throttle() {
      return throttle;
    },
  };
}

/** Throws UserErrorsError when a mutation payload reports userErrors. */
export function assertNoUserErrors<P extends { userErrors?: UserError[] | null }>(operation: string, payload: P | null | undefined): P {
  if (!payload) throw new AdminGraphqlError([{ message: `${operation} returned no payload` }]);
  if (payload.userErrors && payload.userErrors.length > 0) throw new UserErrorsError(operation, payload.userErrors);
  return payload;
}
