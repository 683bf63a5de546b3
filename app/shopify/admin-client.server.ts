// The one wrapper around Shopify's Admin GraphQL client. It
// - waits for the cost bucket (extensions.cost.throttleStatus) before a request would overdraw it,
// - retries THROTTLED (HTTP 200!), 429 and 5xx with backoff — the stock client retries none of
//   THROTTLED and, by default, nothing else either,
// - turns GraphQL errors, userErrors and refusals (401/402/403/423, other 4xx) into Shopify's own
//   error types below. Whether a job retries after one of them is the queue's decision
//   (app/queue/errors.server.ts), not this client's.
import {
  GraphqlQueryError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpThrottlingError,
} from "@shopify/shopify-api";

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

/** The query came back with GraphQL errors (other than THROTTLED). */
export class AdminGraphqlError extends Error {
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

/** A mutation reported userErrors: Shopify refused its input. */
export class UserErrorsError extends Error {
  constructor(readonly operation: string, readonly userErrors: UserError[]) {
    super(`${operation}: ${userErrors.map((e) => `${e.code ?? "ERROR"} ${e.message}`).join("; ")}`);
    this.name = "UserErrorsError";
  }
}

/** 401 (token revoked / uninstalled), 402 (shop frozen), 403 (missing scope), 423 (shop locked). */
export class ShopAccessError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "ShopAccessError";
  }
}

/** Any other 4xx: Shopify refused the request as sent. */
export class ShopifyRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "ShopifyRequestError";
  }
}

/** Throttled, 429, 5xx or the network, still so after the client's own retries; `retryAfterMs` is Shopify's hint. */
export class ShopifyUnavailableError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
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

  type GraphQLErrorShape = { message: string; extensions?: { code?: string } };
  /** What one attempt came to, whichever way the transport reported it. */
  type Outcome =
    | { kind: "data"; data: unknown }
    | { kind: "graphql-errors"; errors: GraphQLErrorShape[]; cost?: CostExtension }
    | { kind: "http"; status: number; statusText: string; retryAfterSeconds?: number }
    | { kind: "network"; message: string };

  async function attempt(document: string, variables?: Record<string, unknown>): Promise<Outcome> {
    let response: Response;
    try {
      response = await transport(document, variables ? { variables } : undefined);
    } catch (error) {
      // @shopify/shopify-api throws for what it considers failures (Remix's admin.graphql too).
      if (error instanceof GraphqlQueryError) {
        const body = error.body as { errors?: { graphQLErrors?: GraphQLErrorShape[] }; extensions?: { cost?: CostExtension } } | undefined;
        return { kind: "graphql-errors", errors: body?.errors?.graphQLErrors ?? [{ message: error.message }], cost: body?.extensions?.cost };
      }
      if (error instanceof HttpThrottlingError) return { kind: "http", status: 429, statusText: "Too Many Requests", retryAfterSeconds: error.response.retryAfter };
      if (error instanceof HttpResponseError) return { kind: "http", status: error.response.code, statusText: error.response.statusText };
      if (error instanceof HttpMaxRetriesError || error instanceof HttpRequestError || error instanceof TypeError) {
        return { kind: "network", message: error.message };
      }
      throw error;
    }
    // A transport that hands back Shopify's raw response (non-2xx pages may be HTML).
    if (!response.ok) {
      const retryAfter = Number(response.headers.get("retry-after"));
      await response.body?.cancel();
      return { kind: "http", status: response.status, statusText: response.statusText, retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined };
    }
    const body = (await response.json()) as { data?: unknown; errors?: GraphQLErrorShape[] | { graphQLErrors?: GraphQLErrorShape[] }; extensions?: { cost?: CostExtension } };
    const errors = Array.isArray(body.errors) ? body.errors : body.errors?.graphQLErrors;
    if (errors && errors.length > 0) return { kind: "graphql-errors", errors, cost: body.extensions?.cost };
    remember(body.extensions?.cost);
    if (body.extensions?.cost?.requestedQueryCost !== undefined) costs.set(document, body.extensions.cost.requestedQueryCost);
    return { kind: "data", data: body.data };
  }

  async function request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    for (let n = 1; ; n++) {
      await waitForBucket(costs.get(document) ?? o.expectedCost ?? 50);
      const outcome = await attempt(document, variables);
      let retryIn: number;
      let failure: Error;
      switch (outcome.kind) {
        case "data":
          return outcome.data as T;
        case "graphql-errors": {
          remember(outcome.cost);
          if (!outcome.errors.some((e) => e.extensions?.code === "THROTTLED")) throw new AdminGraphqlError(outcome.errors);
          const requested = outcome.cost?.requestedQueryCost ?? costs.get(document) ?? o.expectedCost ?? 50;
          costs.set(document, requested);
          const status = outcome.cost?.throttleStatus;
          // Shopify's rule: wait until the bucket holds the requested cost; at least 1 s.
          retryIn = status ? Math.max(1000, Math.ceil(((requested - status.currentlyAvailable) / status.restoreRate) * 1000)) : 1000;
          failure = new ShopifyUnavailableError("THROTTLED", retryIn);
          break;
        }
        case "http":
          if (ACCESS_STATUSES.has(outcome.status)) throw new ShopAccessError(outcome.status, `Shopify answered ${outcome.status} ${outcome.statusText}`);
          if (outcome.status === 429) retryIn = Math.max(1000, (outcome.retryAfterSeconds ?? 1) * 1000);
          else if (outcome.status >= 500) retryIn = backoffMs(n);
          else throw new ShopifyRequestError(outcome.status, `Shopify answered ${outcome.status} ${outcome.statusText}`);
          failure = new ShopifyUnavailableError(`HTTP ${outcome.status}`, retryIn);
          break;
        case "network":
          retryIn = backoffMs(n);
          failure = new ShopifyUnavailableError(`network: ${outcome.message}`, retryIn);
          break;
      }
      if (n >= maxAttempts) throw failure;
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
