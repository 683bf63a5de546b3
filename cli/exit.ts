import { accessSync, constants, statSync } from "node:fs";

/** Exit codes (documented in --help and docs/analytics.md §9) and what every verb shares. */
export const EXIT = { ok: 0, unexpected: 1, usage: 2, input: 3 } as const;

/** A problem with the input file: reported as `segmint: input error: …`, exit 3. */
export class InputError extends Error {}

export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Throws an InputError unless `file` is a readable regular file (checked before streaming it). */
export function assertReadableFile(file: string): void {
  try {
    accessSync(file, constants.R_OK);
    if (!statSync(file).isFile()) throw new Error("not a file");
  } catch {
    throw new InputError(`cannot read ${file}`);
  }
}

/** zlib's messages for a damaged or truncated gzip stream, as an input error; null for anything else. */
export function corruptGzipError(file: string, e: unknown): InputError | null {
  if (e instanceof Error && /incorrect header check|unexpected end of file|invalid (block|distance|stored)/i.test(e.message)) {
    return new InputError(`${file}: corrupt gzip data (${e.message})`);
  }
  return null;
}
