// The admin's customer lookup (/app/customers): by Shopify customer id, the customer's segment in
// the latest run with the "why here" sentence and the segment's medians, its segment in every
// stored run, and the tags Segmint wrote or planned for it. Reads stored rows only.
import { db as defaultDb, type Db } from "../db.server";
import { CUSTOMER_ID_HELP, parseCustomerIdInput, type CustomerLookup, type CustomerTagWriteRow } from "../domain/customer-lookup";
import { parseRunMetrics } from "../domain/run-metrics";
import { customerOfShop, customerRunRows, customerTagWrites } from "../models/customer-lookup.server";
import { latestCompletedRunRef } from "../models/segment-runs.server";

export type { CustomerLookup } from "../domain/customer-lookup";

export type CustomerLookupOutcome =
  | { readonly kind: "found"; readonly customer: CustomerLookup }
  | { readonly kind: "invalid"; readonly message: string }
  | { readonly kind: "not-found"; readonly message: string };

/** Tag writes shown per customer (weekly dry runs plan the same tag again each week). */
const TAG_WRITES_SHOWN = 50;

/** Looks a customer of this shop up by the id the merchant typed (numeric or GID). */
export async function lookupCustomer(shopId: number, input: string, db: Db = defaultDb()): Promise<CustomerLookupOutcome> {
  const shopifyId = parseCustomerIdInput(input);
  if (shopifyId === null) return { kind: "invalid", message: CUSTOMER_ID_HELP };
  const customer = await customerOfShop(db, shopId, shopifyId);
  if (!customer) return { kind: "not-found", message: `No customer with id ${shopifyId} in this store.` };
  const [rows, writes, latest] = await Promise.all([
    customerRunRows(db, shopId, customer.id),
    customerTagWrites(db, shopId, customer.id, TAG_WRITES_SHOWN + 1),
    latestCompletedRunRef(db, shopId),
  ]);
  const profilesOf = new Map(rows.map((r) => [r.runId, parseRunMetrics(r.run.metrics).profiles]));
  const profile = (runId: number, key: string) => profilesOf.get(runId)?.find((p) => p.segmentId === key) ?? null;
  const nameOf = (runId: number, key: string) => profile(runId, key)?.name ?? key;
  const top = rows[0];
  const current =
    top && latest && top.runId === latest.id
      ? {
          runId: top.runId,
          runAsOf: top.run.asOf.toISOString(),
          segmentKey: top.segmentKey,
          segmentName: nameOf(top.runId, top.segmentKey),
          rfmGroup: top.rfmGroup,
          explanation: top.explanation,
          assignedAt: top.assignedAt?.toISOString() ?? null,
          figures: { recencyDays: top.recencyDays, frequency: top.frequency, monetaryMilli: Number(top.monetaryMilli) },
          scores: { r: top.rScore, f: top.fScore, m: top.mScore },
          medians: profile(top.runId, top.segmentKey)?.median ?? null,
        }
      : null;
  return {
    kind: "found",
    customer: {
      shopifyId,
      deleted: customer.deletedAt !== null,
      latestRunId: latest?.id ?? null,
      current,
      history: rows.map((r) => ({ runId: r.runId, runAsOf: r.run.asOf.toISOString(), segmentKey: r.segmentKey, segmentName: nameOf(r.runId, r.segmentKey), rfmGroup: r.rfmGroup })),
      tagWrites: writes.slice(0, TAG_WRITES_SHOWN).map(
        (w): CustomerTagWriteRow => ({
          id: w.id,
          at: w.createdAt.toISOString(),
          tag: w.tag,
          action: w.action as CustomerTagWriteRow["action"],
          mode: w.mode as CustomerTagWriteRow["mode"],
          result: w.result,
          message: w.message,
        }),
      ),
      tagWritesTruncated: writes.length > TAG_WRITES_SHOWN,
    },
  };
}
