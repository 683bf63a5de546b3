// The real app as a separate process (server.ts: Express + Remix + the in-process job runner, or
// the worker), reached over real HTTP: what the simulator talks to in the sync tests and the sync
// bench. Development tooling, shared by test/ and bench/ (docs/decisions/0009-simulator-folder.md).
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

export const TEST_API_KEY = "segmint-test-key";
export const TEST_API_SECRET = "segmint-test-secret";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The environment of an app process on 127.0.0.1:`port` against the simulator: the production
 * build (npm test builds it first: what ships, and much faster than Vite's development
 * middleware), the test app's credentials, UTC. Callers add what their process needs.
 */
export function appProcessEnv(port: number, databaseUrl: string, simulatorUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    TZ: "UTC",
    NODE_ENV: "production",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    SEGMINT_SIMULATOR_URL: simulatorUrl,
  };
}

export interface AppProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** kill -9: no cleanup of any kind. */
  kill9(): Promise<void>;
}

export interface AppProcessOptions {
  databaseUrl: string;
  simulatorUrl: string;
  port?: number;
  /** "server" (web + in-process jobs) or "worker" (jobs only). */
  entry?: "server" | "worker";
  env?: Record<string, string>;
}

export async function startAppProcess(o: AppProcessOptions): Promise<AppProcess> {
  const port = o.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const script = o.entry === "worker" ? "worker.ts" : "server.ts";
  // One process (node with tsx's loader), not tsx's CLI, which runs the script in a child of its
  // own: kill -9 must hit the server itself.
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: {
      ...appProcessEnv(port, o.databaseUrl, o.simulatorUrl),
      // "info": the readiness lines ("listening on", "worker started") are info-level log lines.
      LOG_LEVEL: "info",
      // stop() is a graceful SIGTERM: a job still running after 5 s (not 25) is released, so a
      // test's teardown does not wait out the production grace.
      SHUTDOWN_GRACE_MS: "5000",
      ...o.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = o.entry === "worker" ? /worker started/ : /listening on/;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    port,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    kill9: async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
