// Reading bulk result files: jsonLinesMarked picks lines by a marker on the bytes (the backfill's
// two passes) and must number lines exactly as jsonLines (node:readline) does, since a resumed
// backfill skips lines by number — across chunk boundaries, with CRLF, blank lines and no final
// newline.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { jsonLines, jsonLinesMarked } from "../../app/shopify/bulk-results.server";

const dir = mkdtempSync(path.join(os.tmpdir(), "bulk-results-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MARK = '"__parentId"';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function fileOf(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

it("splits a file into the marked and unmarked lines with the numbers node:readline gives them", async () => {
  // Lines long enough to cross the 1 MiB read chunks many times; the marker sits near the end of
  // some lines, so a marker found past a line's end must not count for it.
  const pad = "x".repeat(70_000);
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) {
    lines.push(i % 3 === 0 ? JSON.stringify({ id: `o${i}`, pad }) : JSON.stringify({ id: `l${i}`, pad, __parentId: `o${i - (i % 3)}` }));
    if (i % 7 === 0) lines.push(""); // a blank line is counted, never yielded
  }
  const text = lines.map((l, i) => (i % 2 === 0 ? `${l}\r\n` : `${l}\n`)).join("") + JSON.stringify({ id: "last", __parentId: "o57" }); // no final newline
  const file = fileOf("mixed.jsonl", text);

  const all = await collect(jsonLines(file, () => true));
  const byReadline = (marked: boolean) => all.filter(({ value }) => ("__parentId" in value) === marked).map(({ n, value }) => [n, value.id]);
  const children = (await collect(jsonLinesMarked(file, MARK, true))).map(({ n, value }) => [n, value.id]);
  const roots = (await collect(jsonLinesMarked(file, MARK, false))).map(({ n, value }) => [n, value.id]);

  expect(children).toEqual(byReadline(true));
  expect(roots).toEqual(byReadline(false));
  expect(children.length + roots.length).toBe(61);
  expect(children.at(-1)).toEqual([lines.length + 1, "last"]);
});

it("names the line that is not JSON", async () => {
  const file = fileOf("bad.jsonl", `{"id":"o1"}\n{"id":"l1","__parentId":"o1"\n`);
  await expect(collect(jsonLinesMarked(file, MARK, true))).rejects.toThrow(/line 2 is not JSON/);
  expect(await collect(jsonLinesMarked(file, MARK, false))).toEqual([{ n: 1, value: { id: "o1" } }]);
});
