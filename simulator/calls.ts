// What the app asked of one shop: Admin API requests by operation, and the bulk operations run.
// Read by the control API (GET /_sim/shops/{domain}/calls) so a test or a person can check, for
// example, that a rerun with nothing to change sent no mutation.
import { Kind, type FieldNode } from "graphql";
import { findOperation } from "./cost";
import { prepareDocument } from "./graphql";
import type { BulkOperationRecord } from "./context";
import { gid } from "./ids";
import { iso } from "./clock";

export interface CallSummary {
  /** Admin API requests (POST …/graphql.json) that reached this shop, whatever their outcome. */
  total: number;
  /** Requests by GraphQL operation name, or the root field when the operation is anonymous. */
  byOperation: Record<string, number>;
  /** Of which answered THROTTLED (HTTP 200, bucket empty or injected). */
  throttled: number;
  /** Of which answered with a non-200 status (401, injected 5xx, …). */
  httpErrors: number;
  bulkOperations: BulkCallSummary[];
}

export interface BulkCallSummary {
  id: string;
  type: "QUERY" | "MUTATION";
  status: string;
  errorCode: string | null;
  /** Root field of the bulk query or inner mutation (e.g. "customers", "tagsAdd"). */
  rootField: string;
  objectCount: number;
  createdAt: string;
  completedAt: string | null;
}

/** The first root field of a document's operation (its name for unnamed operations). */
export function rootFieldOf(source: string, operationName: string | null = null): string | null {
  const prepared = prepareDocument(source);
  if (!prepared.ok) return null;
  const operation = findOperation(prepared.document, operationName);
  const field = operation?.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD);
  return field?.name.value ?? null;
}

/** How a request is counted: its operation's name, else its root field, else "(invalid)". */
export function operationLabel(source: string, operationName: string | null): string {
  const prepared = prepareDocument(source);
  if (prepared.ok) {
    const operation = findOperation(prepared.document, operationName);
    if (operation?.name) return operation.name.value;
    return rootFieldOf(source, operationName) ?? "(invalid)";
  }
  // Invalid documents are counted too, by the name they declare when it can be read.
  return operationName ?? /^\s*(?:query|mutation)\s+([_A-Za-z]\w*)/.exec(source)?.[1] ?? "(invalid)";
}

export class CallLog {
  private total = 0;
  private byOperation = new Map<string, number>();
  private throttled = 0;
  private httpErrors = 0;
  /** Bulk operations with an id above this are reported (reset() moves it). */
  private bulkAfterId = 0;

  request(label: string): void {
    this.total++;
    this.byOperation.set(label, (this.byOperation.get(label) ?? 0) + 1);
  }
  throttledRequest(): void {
    this.throttled++;
  }
  httpError(): void {
    this.httpErrors++;
  }

  reset(bulkOperations: readonly BulkOperationRecord[]): void {
    this.total = 0;
    this.byOperation.clear();
    this.throttled = 0;
    this.httpErrors = 0;
    this.bulkAfterId = Math.max(this.bulkAfterId, ...bulkOperations.map((op) => op.id));
  }

  summary(bulkOperations: readonly BulkOperationRecord[]): CallSummary {
    return {
      total: this.total,
      byOperation: Object.fromEntries([...this.byOperation].sort((a, b) => a[0].localeCompare(b[0]))),
      throttled: this.throttled,
      httpErrors: this.httpErrors,
      bulkOperations: bulkOperations
        .filter((op) => op.id > this.bulkAfterId)
        .map((op) => ({
          id: gid("BulkOperation", op.id),
          type: op.type,
          status: op.status,
          errorCode: op.errorCode,
          rootField: rootFieldOf(op.query) ?? "(invalid)",
          objectCount: op.objectCount,
          createdAt: iso(op.createdAt),
          completedAt: op.completedAt === null ? null : iso(op.completedAt),
        })),
    };
  }
}
