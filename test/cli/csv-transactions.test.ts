import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createRfmAccumulator, featureRows } from "../../app/analytics/index";
import { ONLINE_RETAIL_CANCELLATION_PREFIX, readTransactionBatches, streamTransactions, type CsvTransaction, type ReadOptions } from "../../cli/csv/transactions";

const HEADER = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID";

async function rows(csv: string, options: ReadOptions): Promise<CsvTransaction[]> {
  const out: CsvTransaction[] = [];
  for await (const batch of readTransactionBatches(Readable.from([csv]), options)) out.push(...batch.rows);
  return out;
}

/** Whether the accumulator counts the row as a return line. */
function countsAsReturn(r: CsvTransaction): boolean {
  const acc = createRfmAccumulator({ asOf: "2024-01-10" });
  acc.addLine(r);
  return acc.finish().stats.returnLines === 1;
}

describe("Online Retail cancellations: a reader option (cancellationPrefix)", () => {
  const csv = [HEADER, "123,P,-1,2024-01-01,1.00,A", "C123,P,5,2024-01-01,1.00,A", "123,P,0,2024-01-01,1.00,A", "c123,P,1,2024-01-01,1.00,A", "A563185,P,1,2024-01-01,1.00,A"].join("\n");
  const online = { cancellationPrefix: ONLINE_RETAIL_CANCELLATION_PREFIX };

  it("negative quantity, or an order id starting with an upper-case C", async () => {
    expect((await rows(csv, online)).map(countsAsReturn)).toEqual([true, true, false, false, false]); // c123: only an upper-case C; A…: a bad-debt adjustment is a purchase
  });
  it("is off unless asked for: then only the sign decides", async () => {
    expect((await rows(csv, {})).map((r) => r.cancelled)).toEqual([false, false, false, false, false]);
  });
  it("a C order with a positive quantity neither counts as an order nor moves recency", async () => {
    const acc = createRfmAccumulator({ asOf: "2024-01-10" });
    await streamTransactions(Readable.from([[HEADER, "1,P,1,2024-01-01,1.00,A", "C9,P,1,2024-01-05,1.00,A"].join("\n")]), online, {
      onRow: (r) => acc.addLine(r),
      onProblem: (p) => expect.fail(p.reason),
    });
    expect(featureRows(acc.finish())[0]).toMatchObject({ frequency: 1, recencyDays: 9, monetaryMilli: 2000 });
  });
});
