// Bulk operations as GraphQL views and the `bulkOperation`, `currentBulkOperation` and
// `bulkOperations` root fields (the operations themselves run in ../bulk.ts).
import { iso } from "../clock";
import type { BulkOperationRecord, ResolverContext } from "../context";
import { gid } from "../ids";
import type { SearchFields } from "../search-query";
import { resolveGidOfType, rootConnection, type Args, type View } from "./common";

const bulkSearch: SearchFields<BulkOperationRecord> = {
  created_at: { kind: "date", get: (b) => b.createdAt },
  id: { kind: "id", get: (b) => b.id },
  status: { kind: "string", get: (b) => b.status.toLowerCase() },
  operation_type: { kind: "string", get: (b) => b.type.toLowerCase() },
};

export function bulkOperationView(op: BulkOperationRecord): View {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", op.id),
    status: op.status,
    type: op.type,
    errorCode: op.errorCode,
    createdAt: iso(op.createdAt),
    completedAt: op.completedAt === null ? null : iso(op.completedAt),
    // UnsignedInt64 is serialised as a string by Shopify.
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: op.fileSize === null ? null : String(op.fileSize),
    url: op.url,
    partialDataUrl: op.partialDataUrl,
    query: op.query,
  };
}

/** Root fields: `bulkOperation`, `currentBulkOperation` (deprecated), `bulkOperations`. */
export function bulkOperationQueries(ctx: ResolverContext): View {
  const shop = ctx.shop;
  return {
    bulkOperation: (args: Args) => {
      const id = resolveGidOfType(args.id, "BulkOperation");
      const op = id === null ? null : ctx.bulk.get(shop, id);
      return op ? bulkOperationView(op) : null;
    },
    // Deprecated in 2026-01+ but still served: the most recent operation of that type.
    currentBulkOperation: (args: Args) => {
      const type = args.type === "MUTATION" ? "MUTATION" : "QUERY";
      const ops = ctx.bulk.list(shop).filter((op) => op.type === type);
      const latest = ops[ops.length - 1];
      return latest ? bulkOperationView(latest) : null;
    },
    bulkOperations: (args: Args) =>
      rootConnection(
        ctx,
        "bulkOperations",
        () => ctx.bulk.list(shop),
        args,
        {
          CREATED_AT: (b) => b.createdAt,
          COMPLETED_AT: (b) => b.completedAt ?? Number.MAX_SAFE_INTEGER,
          ID: (b) => b.id,
          STATUS: (b) => b.status,
        },
        "CREATED_AT",
        (b) => b.id,
        bulkSearch,
        (b) => bulkOperationView(b),
        true,
      ),
  };
}
