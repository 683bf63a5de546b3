// Failures on demand, per shop. Each planned fault is consumed by the next matching request,
// so a test states exactly which call fails: "the next 2 requests answer 503".
import type { UserErrorShape, BulkErrorCode } from "./context";

export type HttpFaultStatus = 401 | 402 | 423 | 429 | 500 | 502 | 503 | 504;

export interface HttpFault {
  status: HttpFaultStatus;
  /** Retry-After header value in seconds (Shopify sends it with 429/503). */
  retryAfter?: number;
}

export interface BulkFault {
  errorCode: BulkErrorCode;
  /** Keep the lines produced before the failure and expose them as partialDataUrl. */
  partial: boolean;
}

export class FaultPlan {
  private http: HttpFault[] = [];
  private userErrors: UserErrorShape[] = [];
  private throttled = 0;
  private bulk: BulkFault[] = [];

  /** The next `count` Admin API requests answer with this HTTP status. */
  failNext(status: HttpFaultStatus, count = 1, options: { retryAfter?: number } = {}): this {
    for (let i = 0; i < count; i++) this.http.push(options.retryAfter === undefined ? { status } : { status, retryAfter: options.retryAfter });
    return this;
  }

  /** The next mutation (any) answers with this userError and changes nothing. */
  userErrorOnNextMutation(error: { field?: string[] | null; message: string; code?: string }): this {
    this.userErrors.push({ field: error.field ?? null, message: error.message, ...(error.code ? { code: error.code } : {}) });
    return this;
  }

  /** The next `count` GraphQL requests answer THROTTLED whatever the bucket holds. */
  throttleNext(count = 1): this {
    this.throttled += count;
    return this;
  }

  /** The next bulk operation that runs ends FAILED with this error code. */
  failNextBulkOperation(fault: Partial<BulkFault> = {}): this {
    this.bulk.push({ errorCode: fault.errorCode ?? "INTERNAL_SERVER_ERROR", partial: fault.partial ?? true });
    return this;
  }

  clear(): this {
    this.http = [];
    this.userErrors = [];
    this.throttled = 0;
    this.bulk = [];
    return this;
  }

  takeHttp(): HttpFault | undefined {
    return this.http.shift();
  }
  takeThrottle(): boolean {
    if (this.throttled <= 0) return false;
    this.throttled--;
    return true;
  }
  takeUserError(): UserErrorShape | undefined {
    return this.userErrors.shift();
  }
  takeBulk(): BulkFault | undefined {
    return this.bulk.shift();
  }
  get pending(): { http: number; userErrors: number; throttled: number; bulk: number } {
    return { http: this.http.length, userErrors: this.userErrors.length, throttled: this.throttled, bulk: this.bulk.length };
  }
}

/** Bodies as Shopify sends them for these statuses (REST-style `errors` string). */
export function httpFaultBody(status: HttpFaultStatus): { body: string; contentType: string } {
  const json = (errors: string): { body: string; contentType: string } => ({ body: JSON.stringify({ errors }), contentType: "application/json; charset=utf-8" });
  switch (status) {
    case 401:
      return json("[API] Invalid API key or access token (unrecognized login or wrong password)");
    case 402:
      return json("Unavailable Shop");
    case 423:
      return json("Locked");
    case 429:
      return json("Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.");
    case 500:
      return json("Internal Server Error");
    case 502:
      return { body: "<html><body><h1>502 Bad Gateway</h1></body></html>", contentType: "text/html" };
    case 503:
      return json("Service Unavailable");
    case 504:
      return { body: "<html><body><h1>504 Gateway Time-out</h1></body></html>", contentType: "text/html" };
  }
}
