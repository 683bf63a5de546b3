// The simulator: shops + Admin GraphQL endpoint + throttling + faults + bulk operations +
// staged uploads + webhooks, behind one WHATWG `handle(Request): Response`. Tests use it
// in-process (sim.fetch); server.ts puts the same handler on 127.0.0.1.
import { FakeClock, systemClock, type Clock } from "./clock";
import type { BulkOperationRecord, ResolverContext } from "./context";
import { BulkOperations, DEFAULT_BULK_OPTIONS, type BulkOptions } from "./bulk";
import { FaultPlan, httpFaultBody } from "./faults";
import { actualCostOf, costOf, executeOperation, prepareOperation, type ShopifyGraphQLError } from "./graphql";
import { ADMIN_API_VERSION } from "./schema";
import { shopNumericId } from "./resolvers";
import { ShopState, type ShopEvent, type ShopSettings, type WebhookTopic } from "./state";
import { CostBucket, STANDARD_PLAN, type ThrottleConfig, type ThrottleStatus } from "./throttle";
import { StagedUploads } from "./uploads";
import { bulkFinishPayload, customerPayload, orderPayload, productDeletePayload, productPayload, refundPayload, shopPayload } from "./webhook-payloads";
import { WebhookDispatcher, type ChaosOptions, type Delivery, type SubscriptionConfig, type WebhookTransport } from "./webhooks";
import { signedAppProxyUrl, type AppProxyOptions } from "./app-proxy";
import { handleControl } from "./control-api";
import { CallLog, operationLabel, type CallSummary } from "./calls";
import { ComputedRfmGroups } from "./rfm-groups";
import type { SyntheticStore } from "./synthetic-store";

export const DEFAULT_SCOPES = ["read_orders", "read_all_orders", "read_customers", "write_customers", "read_products", "write_app_proxy"];

export interface SimulatorOptions {
  /** Injected clock; default the system clock. Pass a FakeClock in tests. */
  clock?: Clock;
  apiKey?: string;
  /** Signs webhooks and app proxy requests. */
  apiSecret?: string;
  /** Where webhooks go (relative subscription URIs are appended). */
  appUrl?: string;
  /** The simulator's own origin, used in bulk result and staged upload URLs. */
  baseUrl?: string;
  throttle?: Partial<ThrottleConfig>;
  bulk?: Partial<BulkOptions>;
  webhooks?: {
    transport?: WebhookTransport;
    subscriptions?: SubscriptionConfig[];
    chaos?: ChaosOptions;
    seed?: number;
    /** Send queued webhooks right after each change (server mode). Default false: call flushWebhooks(). */
    autoDeliver?: boolean;
  };
  scopes?: string[];
}

export interface CreateShopOptions extends Partial<Omit<ShopSettings, "domain">> {
  domain: string;
  accessToken?: string;
  scopes?: string[];
  /** Compute Customer.statistics.rfmGroup from the shop's orders (rfm-groups.ts); default: null unless set. */
  computeRfmGroups?: boolean;
}

interface ShopEntry {
  state: ShopState;
  accessToken: string;
  bucket: CostBucket;
  faults: FaultPlan;
  /** Groups set explicitly (setRfmGroup); they win over computed ones. */
  rfmGroups: Map<number, string>;
  computedRfm: ComputedRfmGroups | null;
  calls: CallLog;
}

export interface GraphQLResponseBody {
  data?: Record<string, unknown> | null;
  errors?: ShopifyGraphQLError[];
  extensions?: {
    cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };
    search?: Array<{ path: string[]; query: string; parsed: Record<string, unknown>; warnings: Array<{ field: string; message: string }> }>;
  };
}

export class ShopifySimulator {
  readonly clock: Clock;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly apiVersion = ADMIN_API_VERSION;
  appUrl: string;
  baseUrl: string;
  readonly webhooks: WebhookDispatcher;
  readonly bulk: BulkOperations;
  readonly uploads: StagedUploads;
  private readonly shops = new Map<string, ShopEntry>();
  private readonly synthetic = new Map<string, SyntheticStore>();
  private readonly throttleConfig: ThrottleConfig;
  private readonly scopes: string[];
  autoDeliver: boolean;
  private flushing: Promise<unknown> = Promise.resolve();
  private readonly app = { apiKey: "", handle: "segmint", title: "Segmint", appId: 1_000_000_123, installationId: 900_000_000_123 };

  constructor(options: SimulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.apiKey = options.apiKey ?? "segmint-simulator-api-key";
    this.apiSecret = options.apiSecret ?? "segmint-simulator-api-secret";
    this.appUrl = options.appUrl ?? "http://127.0.0.1:3000";
    this.baseUrl = options.baseUrl ?? "https://shopify-simulator.invalid";
    this.app.apiKey = this.apiKey;
    this.throttleConfig = { ...STANDARD_PLAN, ...options.throttle };
    this.scopes = options.scopes ?? DEFAULT_SCOPES;
    this.autoDeliver = options.webhooks?.autoDeliver ?? false;
    this.webhooks = new WebhookDispatcher({
      appUrl: this.appUrl,
      apiSecret: this.apiSecret,
      apiVersion: ADMIN_API_VERSION,
      clock: this.clock,
      ...(options.webhooks?.transport ? { transport: options.webhooks.transport } : {}),
      ...(options.webhooks?.subscriptions ? { subscriptions: options.webhooks.subscriptions } : {}),
      ...(options.webhooks?.chaos ? { chaos: options.webhooks.chaos } : {}),
      ...(options.webhooks?.seed !== undefined ? { seed: options.webhooks.seed } : {}),
    });
    this.uploads = new StagedUploads(() => this.baseUrl, this.clock, this.apiSecret);
    this.bulk = new BulkOperations(
      this.clock,
      this.uploads,
      {
        contextFor: (shop) => this.contextFor(this.entry(shop.domain)),
        faultsFor: (shop) => this.entry(shop.domain).faults,
        onFinished: (shop, op) => this.bulkFinished(shop, op),
        baseUrl: () => this.baseUrl,
        syntheticFor: (shop) => this.synthetic.get(shop.domain),
      },
      { ...DEFAULT_BULK_OPTIONS, ...options.bulk },
    );
  }

  // ---- shops ------------------------------------------------------------------------------------

  createShop(options: CreateShopOptions): ShopState {
    const domain = options.domain.toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain)) throw new Error(`Shop domains look like name.myshopify.com, got ${domain}`);
    if (this.shops.has(domain)) throw new Error(`Shop ${domain} already exists`);
    const state = new ShopState(
      {
        domain,
        name: options.name ?? domain.replace(".myshopify.com", ""),
        currencyCode: options.currencyCode ?? "GBP",
        ianaTimezone: options.ianaTimezone ?? "Europe/London",
        planDisplayName: options.planDisplayName ?? "Basic",
        partnerDevelopment: options.partnerDevelopment ?? true,
        shopifyPlus: options.shopifyPlus ?? false,
      },
      this.clock,
      options.scopes ?? this.scopes,
    );
    this.register(state, options.accessToken, options.computeRfmGroups ?? false);
    return state;
  }

  /** Registers a shop built elsewhere (the seeders), wiring its events to webhooks. */
  adoptShop(state: ShopState, accessToken?: string, options: { computeRfmGroups?: boolean } = {}): ShopState {
    if (this.shops.has(state.domain)) throw new Error(`Shop ${state.domain} already exists`);
    this.register(state, accessToken, options.computeRfmGroups ?? false);
    return state;
  }

  private register(state: ShopState, accessToken: string | undefined, computeRfmGroups: boolean): void {
    this.shops.set(state.domain, {
      state,
      accessToken: accessToken ?? `shpat_sim_${state.domain.replace(/\W/g, "_")}`,
      bucket: new CostBucket(this.clock, this.throttleConfig),
      faults: new FaultPlan(),
      rfmGroups: new Map(),
      computedRfm: computeRfmGroups ? new ComputedRfmGroups(state) : null,
      calls: new CallLog(),
    });
    state.onEvent((event) => this.onShopEvent(state, event));
  }

  /**
   * Benchmarks: bulk queries on this shop return the synthetic store's JSONL (the shape of the
   * reference's orders export, streamed on download) instead of executing the query over the shop's records.
   */
  attachSyntheticStore(domain: string, store: SyntheticStore): void {
    this.synthetic.set(this.shop(domain).domain, store);
  }

  shop(domain: string): ShopState {
    return this.entry(domain).state;
  }

  shopDomains(): string[] {
    return [...this.shops.keys()];
  }

  accessToken(domain: string): string {
    return this.entry(domain).accessToken;
  }

  faults(domain: string): FaultPlan {
    return this.entry(domain).faults;
  }

  throttleStatus(domain: string): ThrottleStatus {
    return this.entry(domain).bucket.status();
  }

  /** Shopify computes Customer.statistics.rfmGroup itself; tests set the values they need (they win over computed ones). */
  setRfmGroup(domain: string, customerId: number, group: string | null): void {
    const groups = this.entry(domain).rfmGroups;
    if (group === null) groups.delete(customerId);
    else groups.set(customerId, group);
  }

  /** Turns on (or off) the computed RFM groups of a shop (on for the seeded Online Retail shop). */
  computeRfmGroups(domain: string, on = true): void {
    const entry = this.entry(domain);
    entry.computedRfm = on ? (entry.computedRfm ?? new ComputedRfmGroups(entry.state)) : null;
  }

  /** Customer.statistics.rfmGroup as the Admin API answers it now (null when none). */
  rfmGroupOf(domain: string, customerId: number): string | null {
    return this.rfmLookup(this.entry(domain)).get(customerId) ?? null;
  }

  /** Admin API requests and bulk operations of this shop since the start (or the last resetCalls). */
  calls(domain: string): CallSummary {
    const entry = this.entry(domain);
    return entry.calls.summary(this.bulk.list(entry.state));
  }

  resetCalls(domain: string): void {
    const entry = this.entry(domain);
    entry.calls.reset(this.bulk.list(entry.state));
  }

  private entry(domain: string): ShopEntry {
    const entry = this.shops.get(domain.toLowerCase());
    if (!entry) throw new Error(`Unknown shop ${domain}`);
    return entry;
  }

  private contextFor(entry: ShopEntry): ResolverContext {
    return {
      shop: entry.state,
      app: this.app,
      now: this.clock.now(),
      bulk: this.bulk,
      uploads: this.uploads,
      subscriptions: this.webhooks.apiSubscriptions,
      rfmGroups: this.rfmLookup(entry),
      bulkWindow: null,
      injectedUserError: null,
      searchWarnings: [],
    };
  }

  private rfmLookup(entry: ShopEntry): ResolverContext["rfmGroups"] {
    return entry.computedRfm ? entry.computedRfm.lookup(this.clock.now(), entry.rfmGroups) : entry.rfmGroups;
  }

  // ---- app lifecycle webhooks -----------------------------------------------------------------

  /** The merchant uninstalls the app: token revoked, app/uninstalled sent. */
  uninstall(domain: string): void {
    const shop = this.shop(domain);
    shop.installed = false;
    this.enqueue(shop, "app/uninstalled", shopPayload(shop, shopNumericId(shop)));
  }

  reinstall(domain: string): void {
    this.shop(domain).installed = true;
  }

  updateScopes(domain: string, scopes: string[]): void {
    const shop = this.shop(domain);
    const previous = shop.scopes;
    shop.scopes = [...scopes];
    this.enqueue(shop, "app/scopes_update", { id: shopNumericId(shop), previous, current: scopes, updated_at: new Date(this.clock.now()).toISOString() });
  }

  /** GDPR compliance webhooks (reference §9 payloads; no PII: email/phone are null). */
  sendCompliance(domain: string, topic: "customers/data_request" | "customers/redact" | "shop/redact", input: { customerId?: number; orderIds?: number[]; dataRequestId?: number } = {}): void {
    const shop = this.shop(domain);
    const base = { shop_id: shopNumericId(shop), shop_domain: shop.domain };
    const customer = { id: input.customerId ?? null, email: null, phone: null };
    const orders = input.orderIds ?? (input.customerId !== undefined ? shop.customerOrders(input.customerId).map((o) => o.id) : []);
    const payload =
      topic === "customers/data_request"
        ? { ...base, orders_requested: orders, customer, data_request: { id: input.dataRequestId ?? 9999 } }
        : topic === "customers/redact"
          ? { ...base, customer, orders_to_redact: orders }
          : base;
    this.enqueue(shop, topic, payload);
  }

  private onShopEvent(shop: ShopState, event: ShopEvent): void {
    // The payload is built now, so each delivery carries the state at the time of the event.
    switch (event.topic) {
      case "refunds/create":
        this.enqueue(shop, event.topic, refundPayload(shop, event.order, event.refund));
        break;
      case "customers/create":
      case "customers/update":
        this.enqueue(shop, event.topic, customerPayload(shop, event.customer));
        break;
      case "customers/delete":
        this.enqueue(shop, event.topic, { id: event.customerId, admin_graphql_api_id: `gid://shopify/Customer/${event.customerId}`, email: null, phone: null, addresses: [], tax_exemptions: [] });
        break;
      case "products/create":
      case "products/update":
        this.enqueue(shop, event.topic, productPayload(shop, event.product));
        break;
      case "products/delete":
        this.enqueue(shop, event.topic, productDeletePayload(event.productId));
        break;
      default:
        this.enqueue(shop, event.topic, orderPayload(shop, event.order));
    }
  }

  private bulkFinished(shop: ShopState, op: BulkOperationRecord): void {
    this.enqueue(shop, "bulk_operations/finish", bulkFinishPayload(op));
  }

  private enqueue(shop: ShopState, topic: WebhookTopic, payload: Record<string, unknown>): void {
    // An uninstalled app receives nothing but its own uninstall (and later shop/redact).
    if (!shop.installed && topic !== "app/uninstalled" && topic !== "shop/redact") return;
    this.webhooks.enqueue(shop.domain, topic, payload);
    if (this.autoDeliver) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushing = this.flushing.then(
      () => new Promise<void>((resolve) => setImmediate(() => void this.webhooks.flush().then(() => resolve(), () => resolve()))),
    );
  }

  /** Sends queued webhooks (with the dispatcher's chaos settings unless given). */
  async flushWebhooks(chaos?: ChaosOptions): Promise<Delivery[]> {
    await this.flushing;
    return this.webhooks.flush(chaos);
  }

  // ---- time ----------------------------------------------------------------------------------

  /** Runs due work (bulk operation transitions). Called on every request and by the server timer. */
  tick(): void {
    this.bulk.tick();
  }

  /** FakeClock only: moves time forward and runs what became due. */
  advance(ms: number): void {
    if (!(this.clock instanceof FakeClock)) throw new Error("advance() needs a FakeClock; the server uses real time");
    this.clock.advance(ms);
    this.tick();
  }

  /** FakeClock only: advances until no bulk operation is active (returns the time it took). */
  runBulkOperations(maxMs = 24 * 3600 * 1000): number {
    if (!(this.clock instanceof FakeClock)) throw new Error("runBulkOperations() needs a FakeClock");
    const start = this.clock.now();
    this.tick();
    while (this.bulk.busy) {
      const due = this.bulk.nextDueAt() ?? this.clock.now() + 1000;
      if (due - start > maxMs) throw new Error("bulk operations did not finish in time");
      this.clock.advance(Math.max(1, due - this.clock.now()));
      this.tick();
    }
    return this.clock.now() - start;
  }

  /** Text of a bulk result file (url or partialDataUrl), without HTTP. */
  readBulkResult(url: string): string {
    return this.bulk.readResult(url);
  }

  appProxyUrl(domain: string, storefrontPath: string, options: Omit<AppProxyOptions, "appUrl" | "apiSecret" | "shopDomain"> = {}): URL {
    return signedAppProxyUrl(storefrontPath, {
      appUrl: this.appUrl,
      apiSecret: this.apiSecret,
      shopDomain: this.shop(domain).domain,
      timestamp: Math.floor(this.clock.now() / 1000),
      ...options,
    });
  }

  // ---- HTTP -------------------------------------------------------------------------------------

  /**
   * A `fetch` that answers from this simulator without a network: hand it to the Shopify client
   * (`setAbstractFetchFunc` / custom fetch) and to the app's bulk downloader / uploader.
   */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    return this.handle(request);
  };

  /** Routes one request. Shops are found by Host, the X-Shopify-Simulator-Shop header, or token. */
  async handle(request: Request): Promise<Response> {
    this.tick();
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.startsWith("/_sim/bulk/") && request.method === "GET") {
      const token = /^\/_sim\/bulk\/([^/.]+)\.jsonl$/.exec(path)?.[1];
      return token ? this.bulk.serveFile(token) : notFound();
    }
    if (path === "/_sim/staged-uploads" && request.method === "POST") return this.uploads.receive(request);
    if (path.startsWith("/_sim/")) return handleControl(this, request, url);
    const admin = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(path);
    if (admin) return this.handleAdminGraphQL(request, url, admin[1] as string);
    return notFound();
  }

  private findShop(request: Request, url: URL): ShopEntry | undefined {
    const byHeader = request.headers.get("x-shopify-simulator-shop");
    if (byHeader) return this.shops.get(byHeader.toLowerCase());
    const byHost = this.shops.get(url.hostname.toLowerCase());
    if (byHost) return byHost;
    const token = request.headers.get("x-shopify-access-token");
    for (const entry of this.shops.values()) if (token && entry.accessToken === token) return entry;
    return undefined;
  }

  private async handleAdminGraphQL(request: Request, url: URL, version: string): Promise<Response> {
    if (version !== ADMIN_API_VERSION) return json(404, { errors: "Not Found" });
    const entry = this.findShop(request, url);
    if (!entry) return json(404, { errors: "Not Found" });
    if (request.method !== "POST") return json(405, { errors: "Method Not Allowed" });
    // The body is read first so that every request is counted under its operation, failed ones too.
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      body = undefined;
    }
    const { query, variables, operationName } = (isRecord(body) ? body : {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
    const opName = typeof operationName === "string" ? operationName : null;
    entry.calls.request(typeof query === "string" && query.trim() ? operationLabel(query, opName) : "(no query)");
    const answer = (response: Response): Response => {
      if (response.status !== 200) entry.calls.httpError();
      return response;
    };
    if (!entry.state.installed || request.headers.get("x-shopify-access-token") !== entry.accessToken) return answer(faultResponse(401));
    const fault = entry.faults.takeHttp();
    if (fault) return answer(faultResponse(fault.status, fault.retryAfter));
    if (typeof query !== "string" || !query.trim()) return answer(json(400, { errors: { query: "Required parameter missing or invalid" } }));
    const result = this.executeGraphQL(entry, query, isRecord(variables) ? variables : {}, opName, request.headers.get("shopify-search-query-debug") === "1");
    if (result.errors?.some((e) => e.extensions.code === "THROTTLED")) entry.calls.throttledRequest();
    return json(200, result);
  }

  /** The GraphQL pipeline: validate → cost check → bucket → execute → refund → envelope. */
  private executeGraphQL(entry: ShopEntry, query: string, variables: Record<string, unknown>, operationName: string | null, searchDebug: boolean): GraphQLResponseBody {
    const prepared = prepareOperation(query, variables, operationName);
    if (!prepared.ok) return { errors: prepared.errors, extensions: { cost: { requestedQueryCost: 0, actualQueryCost: 0, throttleStatus: entry.bucket.status() } } };
    const requested = costOf(prepared.op);
    if (requested > this.throttleConfig.maxQueryCost) {
      return {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${this.throttleConfig.maxQueryCost}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: this.throttleConfig.maxQueryCost },
          },
        ],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: entry.bucket.status() } },
      };
    }
    if (entry.faults.takeThrottle() || !entry.bucket.tryConsume(requested)) {
      return {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: entry.bucket.status() } },
      };
    }
    const ctx = this.contextFor(entry);
    if (prepared.op.operation.operation === "mutation") ctx.injectedUserError = entry.faults.takeUserError() ?? null;
    const outcome = executeOperation(prepared.op, ctx);
    const actual = Math.min(requested, actualCostOf(prepared.op, outcome.data));
    entry.bucket.refund(requested - actual);
    const response: GraphQLResponseBody = { data: outcome.data ?? null };
    if (outcome.errors?.length) response.errors = outcome.errors;
    response.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: entry.bucket.status() } };
    if (searchDebug && ctx.searchWarnings.length) {
      response.extensions.search = [{ path: [], query: "", parsed: {}, warnings: ctx.searchWarnings.map((message) => ({ field: message.match(/'([^']+)'/)?.[1] ?? "", message })) }];
    }
    return response;
  }

  /** Convenience for tests: POST a document to a shop's Admin endpoint, get the parsed body. */
  async graphql(domain: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponseBody & { httpStatus: number; httpError?: string }> {
    const response = await this.fetch(`https://${this.shop(domain).domain}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": this.accessToken(domain), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    // Non-200 answers carry REST-style `{ errors: "…" }` (or HTML): exposed as httpError.
    if (response.status !== 200) {
      let message = text;
      try {
        const body = JSON.parse(text) as { errors?: unknown };
        message = typeof body.errors === "string" ? body.errors : JSON.stringify(body.errors);
      } catch {
        // keep the raw text
      }
      return { httpStatus: response.status, httpError: message };
    }
    return { ...(JSON.parse(text) as GraphQLResponseBody), httpStatus: response.status };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

function notFound(): Response {
  return json(404, { errors: "Not Found" });
}

function faultResponse(status: Parameters<typeof httpFaultBody>[0], retryAfter?: number): Response {
  const { body, contentType } = httpFaultBody(status);
  const headers: Record<string, string> = { "content-type": contentType };
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  return new Response(body, { status, headers });
}
