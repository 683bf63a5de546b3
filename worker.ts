// `npm run worker`: a job-only process for scale mode (PostgreSQL). Run any number, anywhere.
// Validates the environment first (exits 1 naming each bad variable), like server.ts.
import { ConfigError, parseConfig } from "./app/config.server";

try {
  parseConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    // Not a log line: the operator's fix-it message, before any logger (its level is config).
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
// Loaded only now: these modules read the configuration when they load.
const [{ startAppQueue }, { jobHandlers }, { logger }] = await Promise.all([
  import("./app/queue/start.server"),
  import("./app/jobs/handlers.server"),
  import("./app/logger.server"),
]);
const queue = startAppQueue(jobHandlers);
logger("worker").info("Segmint worker started");
const stop = () => void queue.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
