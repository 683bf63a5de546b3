// HTTP for the ops tests: each request on a connection of its own (agent: false), so requests to
// one port reach whichever web process the cluster hands the connection to.
import http from "node:http";

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

export function getJson(url: string, timeoutMs = 10_000): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { connection: "close" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
        } catch (error) {
          reject(new Error(`${url} answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)} (${String(error)})`));
        }
      });
    });
    req.on("error", reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${url}: no answer within ${timeoutMs} ms`)));
  });
}

/** Resolves with the error code when a new connection to `url` is refused (e.g. ECONNREFUSED), null when it is accepted. */
export function connectionRefused(url: string): Promise<string | null> {
  return getJson(url).then(
    () => null,
    (error: NodeJS.ErrnoException) => error.code ?? String(error),
  );
}
