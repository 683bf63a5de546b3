import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  createRfmAccumulator,
  parseSegmentModel,
  segmentCustomers,
  type RfmFeatureTable,
  type SegmentationResult,
  type SegmentModel,
} from "../app/analytics/index";
import { parseArgs, HELP, UsageError, type SegmentCommand } from "./args";
import { openCsvText, streamTransactions, EmptyInputError, ONLINE_RETAIL_CANCELLATION_PREFIX, type ReadProgress } from "./csv/transactions";
import { ColumnError } from "./csv/columns";
import { createProgress } from "./progress";
import { writeSegmentsCsv } from "./segments-csv";
import { summaryTable, groupCounts } from "./summary";
import { EXIT, InputError, assertReadableFile, corruptGzipError, type Io } from "./exit";
import { runExperimentAnalyze } from "./experiment";
import { runAnomalies } from "./anomalies";
import { parseRecommendArgs, runRecommend, RECOMMEND_HELP } from "./recommend";
import { SkippedRows } from "./skipped-rows";

export { EXIT, InputError, type Io };

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

async function readFeatures(cmd: SegmentCommand, io: Io): Promise<{ features: RfmFeatureTable; skipped: SkippedRows; validRows: number; level: string }> {
  assertReadableFile(cmd.file);
  const progressState: ReadProgress = { bytesRead: 0, totalBytes: 0 };
  const text = openCsvText(cmd.file, progressState);
  const progress = createProgress(io.stderr, progressState, cmd.quiet);
  const acc = createRfmAccumulator(cmd.asOf === null ? {} : { asOf: cmd.asOf });
  const skipped = new SkippedRows(cmd.file, cmd.maxErrors, io.stderr);
  let valid = 0;
  let level = "line";
  try {
    await streamTransactions(
      text,
      { columns: cmd.columns, slashDateOrder: cmd.dateOrder, cancellationPrefix: ONLINE_RETAIL_CANCELLATION_PREFIX },
      {
        onHeader: (h) => {
          level = h.columns.level;
        },
        onRow: (r) => {
          acc.addLine(r);
          valid++;
        },
        onProblem: (p) => skipped.add(p),
        onChunk: () => progress.update(valid),
      },
    );
  } catch (e) {
    progress.done();
    if (e instanceof ColumnError || e instanceof EmptyInputError) throw new InputError(e.message);
    throw corruptGzipError(cmd.file, e) ?? e;
  }
  progress.done();
  if (valid === 0) throw new InputError(`${cmd.file}: no valid rows`);
  const features = acc.finish();
  return { features, skipped, validRows: valid, level };
}

export async function runSegment(cmd: SegmentCommand, io: Io): Promise<number> {
  const t0 = performance.now();
  let previous: SegmentModel | undefined;
  if (cmd.previousModel !== null) {
    try {
      previous = parseSegmentModel(readFileSync(cmd.previousModel, "utf8"));
    } catch (e) {
      throw new InputError(`--previous-model ${cmd.previousModel}: ${(e as Error).message}`);
    }
  }
  if (previous && previous.algorithm !== cmd.algorithm) {
    io.stderr.write(`segmint: note: --previous-model was fitted with ${previous.algorithm}, not ${cmd.algorithm}; segment ids will not be carried over\n`);
  }
  const { features, skipped, validRows, level } = await readFeatures(cmd, io);
  const tRead = performance.now();
  const totalSkipped = skipped.total;
  if (features.count === 0 || features.frequency.every((f) => f === 0)) {
    throw new InputError(`no customer has a purchase on or before ${features.asOf} (${fmt(features.stats.guestRows)} guest rows, ${fmt(features.stats.afterAsOfRows)} rows after the as-of date)`);
  }
  let result: SegmentationResult;
  try {
    result = segmentCustomers(features, {
      algorithm: cmd.algorithm,
      k: cmd.k,
      eps: cmd.eps,
      ...(cmd.minPoints !== null ? { minPoints: cmd.minPoints } : {}),
      seed: cmd.seed,
      currencySymbol: cmd.currency,
      ...(previous ? { previousModel: previous } : {}),
      diagnostics: cmd.report !== null || features.count <= 200_000,
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  const tSeg = performance.now();
  await writeSegmentsCsv(cmd.out, features, result, cmd.currency);
  if (cmd.modelOut !== null) writeFileSync(cmd.modelOut, JSON.stringify(result.model, null, 1) + "\n");
  if (cmd.report !== null) {
    // Loaded only for --report: React's server renderer and the charts cost every other run time.
    const { renderReport } = await import("./html-report");
    writeFileSync(cmd.report, renderReport({ result, features, file: cmd.file, command: cmd, skipped: skipped.byReason, validRows, currency: cmd.currency }));
  }
  const tEnd = performance.now();

  const d = result.diagnostics;
  const lines = [
    `Segmint: ${fmt(features.count)} customers as of ${features.asOf} (${level}-level input), algorithm ${cmd.algorithm}, seed ${cmd.seed}`,
    `Rows: ${fmt(validRows + totalSkipped)} read, ${fmt(validRows)} valid, ${fmt(totalSkipped)} skipped; ${fmt(features.stats.guestRows)} guest rows and ${fmt(features.stats.afterAsOfRows)} rows after the as-of date not used; ${fmt(features.stats.returnLines)} return lines`,
    d.kRule === null ? "" : `Model: ${d.kRule}${d.silhouette === null ? "" : `; silhouette ${d.silhouette.toFixed(3)}`}${previous ? `; ${d.matchedSegments} segments matched to the previous model, ${d.keptByHysteresis} customers kept by hysteresis` : ""}`,
    "",
    summaryTable(result, cmd.currency),
    "",
    `RFM groups: ${groupCounts(result)}`,
    `Wrote ${cmd.out}${cmd.report ? `, ${cmd.report}` : ""}${cmd.modelOut ? `, ${cmd.modelOut}` : ""} in ${((tEnd - t0) / 1000).toFixed(2)} s (read ${((tRead - t0) / 1000).toFixed(2)} s, segment ${((tSeg - tRead) / 1000).toFixed(2)} s, write ${((tEnd - tSeg) / 1000).toFixed(2)} s)`,
  ].filter((l, i) => l !== "" || i === 3 || i === 5);
  io.stdout.write(lines.join("\n") + "\n");
  skipped.summarize();
  return EXIT.ok;
}

export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    // `recommend` parses its own options (cli/recommend.ts); --help anywhere is the help for all verbs.
    if (argv[0] === "recommend" && !argv.includes("-h") && !argv.includes("--help")) return await runRecommend(parseRecommendArgs(argv.slice(1)), io);
    const cmd = parseArgs(argv);
    if (cmd.command === "help") {
      io.stdout.write(HELP + RECOMMEND_HELP);
      return EXIT.ok;
    }
    if (cmd.command === "version") {
      const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
      io.stdout.write(`segmint ${pkg.version}\n`);
      return EXIT.ok;
    }
    if (cmd.command === "experiment-analyze") return await runExperimentAnalyze(cmd, io);
    if (cmd.command === "anomalies") return await runAnomalies(cmd, io);
    return await runSegment(cmd, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`segmint: ${e.message}\n(see segmint --help)\n`);
      return EXIT.usage;
    }
    if (e instanceof InputError) {
      io.stderr.write(`segmint: input error: ${e.message}\n`);
      return EXIT.input;
    }
    io.stderr.write(`segmint: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.unexpected;
  }
}

// Run when executed directly (bin/segmint.js imports this module and calls main itself).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
