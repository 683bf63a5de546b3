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

/**
 * A per-line failure inside a bulk mutation's result file; the operation still COMPLETES (Shopify
 * fails an operation only on a system error, reference §4.2).
 */
export interface BulkLineFault {
  /** Match the line whose `id` variable is this customer (REST id)… */
  customerId?: number;
  /** …or the line with this `__lineNumber` (0-based line of the staged file). Both set: both must match. */
  lineNumber?: number;
  message: string;
  /**
   * "errors" (default): the line gets a top-level `errors` entry and its mutation does not run
   * (what Shopify writes for validation, access or throttle failures of a line);
   * "userErrors": the mutation answers this userError and changes nothing.
   */
  kind: "errors" | "userErrors";
  /** `extensions.code` of an "errors" entry; `field` of a userError. */
  code: string;
  field: string[] | null;
  /** Matching lines it still hits (default 1). */
  remaining: number;
}

export class FaultPlan {
  private http: HttpFault[] = [];
  private userErrors: UserErrorShape[] = [];
  private throttled = 0;
  private bulk: BulkFault[] = [];
  private bulkLines: BulkLineFault[] = [];

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

  /** Lines of the next bulk mutation(s) matching `customerId` / `lineNumber` fail (`times` matching lines, default 1). */
  bulkLineError(fault: { customerId?: number; lineNumber?: number; message?: string; kind?: "errors" | "userErrors"; code?: string; field?: string[] | null; times?: number }): this {
    if (fault.customerId === undefined && fault.lineNumber === undefined) throw new Error("bulkLineError needs a customerId or a lineNumber");
    this.bulkLines.push({
      ...(fault.customerId !== undefined ? { customerId: fault.customerId } : {}),
      ...(fault.lineNumber !== undefined ? { lineNumber: fault.lineNumber } : {}),
      message: fault.message ?? "Internal error. Looks like something went wrong on our end.",
      kind: fault.kind ?? "errors",
      code: fault.code ?? "INTERNAL_SERVER_ERROR",
      field: fault.field ?? null,
      remaining: fault.times ?? 1,
    });
    return this;
  }

  clear(): this {
    this.http = [];
    this.userErrors = [];
    this.throttled = 0;
    this.bulk = [];
    this.bulkLines = [];
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
  /** The planned failure of this bulk mutation line, if any (consumed). */
  takeBulkLine(lineNumber: number, customerId: number | null): BulkLineFault | undefined {
    const index = this.bulkLines.findIndex((f) => (f.lineNumber === undefined || f.lineNumber === lineNumber) && (f.customerId === undefined || f.customerId === customerId));
    const fault = this.bulkLines[index];
    if (!fault) return undefined;
    if (--fault.remaining <= 0) this.bulkLines.splice(index, 1);
    return fault;
  }
  get pending(): { http: number; userErrors: number; throttled: number; bulk: number; bulkLines: number } {
    return { http: this.http.length, userErrors: this.userErrors.length, throttled: this.throttled, bulk: this.bulk.length, bulkLines: this.bulkLines.reduce((n, f) => n + f.remaining, 0) };
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
