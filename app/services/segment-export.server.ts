// A segment's customers as a CSV download that streams: keyset pages of EXPORT_PAGE rows are read
// only when the client has taken the previous chunk (ReadableStream pull), so memory holds one
// page whatever the segment's size (100,000 rows in bounded memory, docs/segments.md).
import { formatMilli } from "../analytics";
import { db as defaultDb, type Db } from "../db.server";
import { csvRecord } from "../domain/csv";
import { parseRunMetrics } from "../domain/run-metrics";
import type { SegmentCustomerRow } from "../domain/segment-customers";
import { segmentCustomersAfter } from "../models/segment-customers.server";
import { latestCompletedRun } from "../models/segment-runs.server";

/** Rows per database read of the export. */
export const EXPORT_PAGE = 2000;

/** The export's columns, in order (a contract: docs/segments.md). */
export const EXPORT_COLUMNS = [
  "shopify_customer_id",
  "segment_id",
  "segment_name",
  "recency_days",
  "frequency",
  "monetary",
  "r_score",
  "f_score",
  "m_score",
  "rfm_group",
  "explanation",
] as const;

export interface SegmentExport {
  /** `segmint-<segment>-<as-of day>.csv`, safe in a Content-Disposition header. */
  readonly filename: string;
  readonly body: ReadableStream<Uint8Array>;
}

function recordOf(row: SegmentCustomerRow, segmentName: string): string {
  const bought = row.frequency > 0;
  return csvRecord([
    row.shopifyCustomerId,
    row.segmentKey,
    segmentName,
    row.recencyDays,
    row.frequency,
    formatMilli(row.monetaryMilli),
    bought ? row.rScore : null,
    bought ? row.fScore : null,
    bought ? row.mScore : null,
    row.rfmGroup,
    row.explanation,
  ]);
}

/**
 * The CSV of one segment of the shop's latest completed run, or null when the shop has no such
 * segment (the route answers 404). The body reads the database as it is consumed.
 */
export async function segmentExport(db: Db, shopId: number, segmentKey: string, pageSize = EXPORT_PAGE): Promise<SegmentExport | null> {
  const run = await latestCompletedRun(db, shopId);
  if (!run) return null;
  const metrics = parseRunMetrics(run.metrics);
  const profile = metrics.profiles.find((p) => p.segmentId === segmentKey);
  if (!profile) return null;
  const encoder = new TextEncoder();
  let after = 0;
  let done = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvRecord(EXPORT_COLUMNS)));
      },
      async pull(controller) {
        if (done) return;
        const rows = await segmentCustomersAfter(db, shopId, run.id, segmentKey, after, pageSize);
        if (rows.length > 0) {
          after = rows[rows.length - 1]!.rowId;
          controller.enqueue(encoder.encode(rows.map((r) => recordOf(r, profile.name)).join("")));
        }
        if (rows.length < pageSize) {
          done = true;
          controller.close();
        }
      },
    },
    // One chunk (one page) buffered ahead of the client at most.
    { highWaterMark: 1 },
  );
  const slug = segmentKey.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 60) || "segment";
  return { filename: `segmint-${slug}-${metrics.asOfDay ?? run.asOf.toISOString().slice(0, 10)}.csv`, body };
}

/** The export for the route (the process's database), or null (→ 404). */
export function openSegmentExport(shopId: number, segmentKey: string, db: Db = defaultDb()): Promise<SegmentExport | null> {
  return segmentExport(db, shopId, segmentKey);
}
