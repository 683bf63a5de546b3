// The offline demo (scripts/demo.ts: the simulator seeded with the real UCI Online Retail store, the
// production build, the real job runner) as a separate process, with a database of its own
// (SEGMINT_DEMO_DB) so a developer's .data/demo.db is never touched: what the e2e browser tests and
// the storefront bench run against. Development tooling, shared by test/ and bench/.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./app-process";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface Demo {
  child: ChildProcess;
  /** The app, at the PORT the demo was given. */
  appUrl: string;
  /** The Shopify simulator, as the demo prints it. */
  simUrl: string;
  /** The demo storefront's product page, as the demo prints it ("demo storefront: <url>"), if it had printed it when the demo was ready. */
  storefrontUrl?: string;
  /** Everything the demo printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM to the demo's process group, SIGKILL if it has not exited within 15 s, then SIGKILL again for the app child. */
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** SEGMINT_DEMO_DB: the demo's own database file. */
  dbFile: string;
  /** The line (tested against all the output so far) that means the demo is ready. */
  readyLine: RegExp;
  readyMs: number;
  /** For the errors: "the demo did not <waitingFor> within N min" (e.g. "complete its first refresh"). */
  waitingFor: string;
  /** For the errors: "the demo exited with <code> before <exitedBefore>" (e.g. "its first refresh"). */
  exitedBefore: string;
  /** Lines that mean the demo will never be ready, checked in order after readyLine: fail at once with `error` and an excerpt of the output. */
  failures?: { line: RegExp; error: string }[];
  /** More environment, under the demo's own variables (TZ, NODE_ENV, PORT, STOREFRONT_PORT, SEGMINT_DEMO_DB, LOG_LEVEL). */
  env?: NodeJS.ProcessEnv;
}

/** The demo's output for a failure message: its start (where a build error shows) and its end. */
export const excerpt = (out: string) => (out.length > 8000 ? `${out.slice(0, 3000)}\n…\n${out.slice(-5000)}` : out);

/** Starts `scripts/demo.ts` in a process group of its own; resolves when its output matches `readyLine`. */
export async function startDemo(o: DemoOptions): Promise<Demo> {
  const port = await freePort();
  let storefrontPort = await freePort();
  while (storefrontPort === port) storefrontPort = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    cwd: ROOT,
    detached: true, // its own process group: stop() ends the demo, its app process and anything they started
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? os.tmpdir(),
      ...o.env,
      TZ: "UTC",
      NODE_ENV: "production",
      PORT: String(port),
      STOREFRONT_PORT: String(storefrontPort),
      SEGMINT_DEMO_DB: o.dbFile,
      LOG_LEVEL: "warn",
    },
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is gone already
    }
  };
  const stop = async () => {
    signalGroup("SIGTERM");
    const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 15_000));
    if ((await Promise.race([exited.then(() => "exited" as const), timeout])) === "timeout") signalGroup("SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    signalGroup("SIGKILL"); // the app child, if the demo died before it could stop it
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo did not ${o.waitingFor} within ${o.readyMs / 60_000} min:\n${excerpt(out)}`)), o.readyMs);
      const check = () => {
        if (o.readyLine.test(out)) {
          clearTimeout(timer);
          return resolve();
        }
        const failed = o.failures?.find((f) => f.line.test(out));
        if (failed) {
          clearTimeout(timer);
          reject(new Error(`${failed.error}:\n${excerpt(out)}`));
        }
      };
      child.stdout?.on("data", check);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the demo exited with ${code} before ${o.exitedBefore}:\n${excerpt(out)}`));
      });
    });
    // Printed before the app starts, so long before any ready line.
    const sim = /Shopify simulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (!sim) throw new Error(`the demo did not print the simulator's URL:\n${excerpt(out)}`);
    const storefront = /demo storefront: (http:\/\/\S+)/.exec(out);
    return { child, appUrl: `http://127.0.0.1:${port}`, simUrl: sim[1]!, storefrontUrl: storefront?.[1], output: () => out, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
