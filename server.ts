// The web process: validates the environment first (exits 1 naming each bad variable), then
// serves the Remix app — through Vite in development, from build/ in production — and, on the
// embedded default, runs background jobs in-process.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { ConfigError, parseConfig } from "./app/config.server";
import { logger } from "./app/logger.server";

async function main(): Promise<void> {
  let cfg;
  try {
    cfg = parseConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Not a log line: the operator's fix-it message, before any logger (its level is config).
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const app = express();
  app.disable("x-powered-by");
  if (cfg.NODE_ENV === "production") {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(express.static("build/client", { maxAge: "1h" }));
    const path = "./build/server/index.js";
    // One handler for the process: building it per request doubled a bare request's time (bench/proxy).
    const build = (await import(/* @vite-ignore */ path)) as ServerBuild;
    app.all("*", createRequestHandler({ build, mode: cfg.NODE_ENV }));
  } else {
    const vite = await import("vite").then((v) =>
      v.createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: "custom" }),
    );
    app.use(vite.middlewares);
    // Development: the build is asked for on every request, so edits show without a restart.
    app.all("*", (req, res, next) =>
      (vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>)
        .then((build) => createRequestHandler({ build, mode: cfg.NODE_ENV })(req, res, next))
        .catch(next),
    );
  }

  if (cfg.JOB_RUNNER === "in-process") {
    const [{ startAppQueue }, { jobHandlers }] = await Promise.all([import("./app/queue/start.server"), import("./app/jobs/handlers.server")]);
    startAppQueue(jobHandlers);
  }

  const server = app.listen(cfg.PORT, cfg.HOST, () => {
    logger("server").info(`Segmint listening on http://${cfg.HOST === "0.0.0.0" ? "localhost" : cfg.HOST}:${cfg.PORT}`);
  });
  const shutdown = () => server.close(() => process.exit(0));
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

void main();
