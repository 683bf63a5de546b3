// The ops bench's baseline (bench/ops.bench.ts): the production web process as it was before the
// job thread — the same app (probes aside), with the in-process job runner on the request thread.
// Started by the bench only; never part of the app.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { parseConfig } from "../app/config.server";
import { logger } from "../app/logger.server";

const cfg = parseConfig();
const app = express();
app.disable("x-powered-by");
const { WEBHOOK_PATHS, handleWebhookRequest } = await import("../app/webhooks.server");
app.all([...WEBHOOK_PATHS], handleWebhookRequest);
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
const buildPath = "../build/server/index.js";
const build = (await import(/* @vite-ignore */ buildPath)) as ServerBuild;
app.all("*", createRequestHandler({ build, mode: cfg.NODE_ENV }));
const [{ startAppQueue }, { jobHandlers }, { startInboxDispatcher }] = await Promise.all([
  import("../app/queue/start.server"),
  import("../app/jobs/handlers.server"),
  import("../app/services/inbox-dispatch.server"),
]);
startAppQueue(jobHandlers, [startInboxDispatcher]);
const server = app.listen(cfg.PORT, cfg.HOST, () => logger("server").info("Segmint listening (job runner on the request thread)"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
