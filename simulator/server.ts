// HTTP server mode for the offline demo and black-box tests: the simulator's handler on
// 127.0.0.1 only, real time, bulk operations advanced by a timer, webhooks sent as they happen.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { AddressInfo } from "node:net";
import { OffsetClock } from "./clock";
import { ShopifySimulator, type CreateShopOptions, type SimulatorOptions } from "./simulator";
import { seedOnlineRetail, type OnlineRetailReport, type SeedOptions } from "./seed-online-retail";

export interface SimulatorServerOptions extends Omit<SimulatorOptions, "baseUrl" | "clock"> {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Shops to create empty. */
  shops?: CreateShopOptions[];
  /**
   * Seed the Online Retail shop (domain online-retail.myshopify.com unless given), from
   * `csvPath` if set (Online Retail or Online Retail II layout, plain or gzipped). With
   * `moveClock: true` the server's clock starts at the shop's "today" (the day after the data's
   * last order) and runs in real time from there.
   */
  onlineRetail?: boolean | SeedOptions;
  /** How often bulk operations are advanced (ms). */
  tickMs?: number;
}

export interface SimulatorServer {
  /** e.g. "http://127.0.0.1:43817" */
  url: string;
  port: number;
  simulator: ShopifySimulator;
  onlineRetail: OnlineRetailReport | null;
  /** A fetch for the app: Admin API calls to https://{shop}/admin/… go to this server. */
  fetch: typeof fetch;
  close(): Promise<void>;
}

export async function startSimulatorServer(options: SimulatorServerOptions = {}): Promise<SimulatorServer> {
  // Real time; the seeder may shift it to the data's "today" (OffsetClock without set() = system time).
  const simulator = new ShopifySimulator({ ...options, clock: new OffsetClock(), webhooks: { autoDeliver: true, ...options.webhooks } });
  for (const shop of options.shops ?? []) simulator.createShop(shop);
  let report: OnlineRetailReport | null = null;
  if (options.onlineRetail) report = (await seedOnlineRetail(simulator, options.onlineRetail === true ? {} : options.onlineRetail)).report;

  const server: Server = createServer((req, res) => {
    void serve(simulator, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  simulator.baseUrl = url;
  // While a bulk query is being executed, tick again as soon as the event loop is free: each tick
  // does ≤ ~50 ms of work, so requests are still served in between, and the export is not
  // stretched by the timer's idle time.
  let closed = false;
  let chasing = false;
  const chase = (): void => {
    simulator.tick();
    if (!closed && simulator.bulk.executing) setImmediate(chase);
    else chasing = false;
  };
  const timer = setInterval(() => {
    if (chasing) return;
    simulator.tick();
    if (simulator.bulk.executing) {
      chasing = true;
      setImmediate(chase);
    }
  }, options.tickMs ?? 100);
  timer.unref();
  return {
    url,
    port,
    simulator,
    onlineRetail: report,
    fetch: simulatorFetch(url),
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(timer);
        closed = true;
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serve(simulator: ShopifySimulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(key, v);
      else if (value !== undefined) headers.set(key, value);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
      method: req.method ?? "GET",
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
    } as RequestInit);
    const response = await simulator.handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve));
      }
    }
    res.end();
  } catch (error) {
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ errors: error instanceof Error ? error.message : String(error) }));
  }
}

/**
 * A fetch that sends Admin API calls for any *.myshopify.com shop to the simulator at `baseUrl`
 * (keeping the shop in the X-Shopify-Simulator-Shop header); all other URLs pass through.
 * This is the only seam the app needs: `@shopify/shopify-api` builds https://{shop}/admin/api/…
 */
export function simulatorFetch(baseUrl: string, inner: typeof fetch = fetch): typeof fetch {
  const base = new URL(baseUrl);
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const url = new URL(request.url);
    if (!url.hostname.endsWith(".myshopify.com")) return inner(request);
    const target = new URL(url.pathname + url.search, base);
    const headers = new Headers(request.headers);
    headers.set("x-shopify-simulator-shop", url.hostname);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    return inner(target, { method: request.method, headers, ...(body ? { body } : {}) });
  }) as typeof fetch;
}
