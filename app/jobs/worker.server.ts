// `npm run worker`: a job-only process for scale mode (PostgreSQL). Run any number, anywhere.
import { ConfigError, parseConfig } from "../config.server";

try {
  parseConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const { startAppJobRunner } = await import("./start.server");
const runner = startAppJobRunner();
console.log("Segmint worker started");
const stop = () => void runner.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
