// The app's one logger: JSON lines on stdout (pino), at the level LOG_LEVEL names. Modules take a
// child with their component name (`logger("jobs")`), so every line says where it came from and
// an operator can filter by it. Nothing here is personal data: log ids and counts, never payloads.
import pino, { type Logger } from "pino";
import { config } from "./config.server";

let root: Logger | undefined;

/** The process's logger, or a child bound to `component`. Created on first use from the validated config. */
export function logger(component?: string): Logger {
  root ??= pino({ level: config().LOG_LEVEL, base: { pid: process.pid } });
  return component ? root.child({ component }) : root;
}

export type { Logger };
