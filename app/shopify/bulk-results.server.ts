// Bulk operation result files (JSONL): downloaded once to a local file (a resumed pass reuses a
// complete download, never a partial one) and read back line by line.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

/**
 * The result file at `url` as a local file in `dir`, named by the URL itself (unique per
 * operation), never by our own ids, which repeat across databases: a resumed pass reuses its
 * own download and nothing else's.
 */
export async function downloadBulkResult(url: string, dir: string): Promise<string> {
  const name = createHash("sha256").update(url).digest("hex").slice(0, 32);
  return downloadOnce(url, path.join(dir, `${name}.jsonl`));
}

async function downloadOnce(url: string, file: string): Promise<string> {
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`downloading the bulk result failed: HTTP ${res.status}`);
  const partial = `${file}.part`;
  await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(partial));
  renameSync(partial, file); // only a complete download is ever reused
  return file;
}

/**
 * The file's JSON lines that `wanted` accepts (judged on the raw text, so each pass parses only
 * its own half of the file). `n` is the 1-based line number.
 */
export async function* jsonLines(file: string, wanted: (raw: string) => boolean): AsyncGenerator<{ n: number; value: Record<string, unknown> }> {
  const rl = readline.createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line === "" || !wanted(line)) continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`bulk result line ${n} is not JSON: ${line.slice(0, 120)}`);
    }
    yield { n, value };
  }
}
