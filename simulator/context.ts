// What resolvers can reach. Kept as interfaces so graphql.ts / resolvers/ don't import the
// bulk, upload and webhook modules (which themselves execute GraphQL).
import type { ShopState } from "./state";

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
export type BulkType = "QUERY" | "MUTATION";
export type BulkErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";

export interface BulkOperationRecord {
  id: number;
  shopDomain: string;
  type: BulkType;
  status: BulkStatus;
  errorCode: BulkErrorCode | null;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
  query: string;
}

export interface UserErrorShape {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export interface BulkService {
  runQuery(shop: ShopState, query: string, groupObjects: boolean): { operation: BulkOperationRecord | null; userErrors: UserErrorShape[] };
  runMutation(shop: ShopState, mutation: string, stagedUploadPath: string, clientIdentifier: string | null): { operation: BulkOperationRecord | null; userErrors: UserErrorShape[] };
  cancel(shop: ShopState, id: number): { operation: BulkOperationRecord | null; userErrors: UserErrorShape[] };
  get(shop: ShopState, id: number): BulkOperationRecord | null;
  list(shop: ShopState): BulkOperationRecord[];
}

export interface StagedTarget {
  url: string;
  resourceUrl: string | null;
  parameters: Array<{ name: string; value: string }>;
}

export interface UploadService {
  createTarget(shop: ShopState, input: { resource: string; filename: string; mimeType: string; httpMethod: string | null }): StagedTarget;
}

export interface WebhookSubscriptionRecord {
  id: number;
  topic: string;
  uri: string;
  includeFields: string[];
  filter: string | null;
  name: string | null;
  createdAt: number;
}

export interface AppIdentity {
  apiKey: string;
  handle: string;
  title: string;
  appId: number;
  installationId: number;
}

export interface RfmGroupLookup {
  get(customerId: number): string | undefined;
}

export interface ResolverContext {
  shop: ShopState;
  app: AppIdentity;
  now: number;
  bulk: BulkService;
  uploads: UploadService;
  subscriptions: WebhookSubscriptionRecord[];
  /** Customer.statistics.rfmGroup by customer id (set by tests, or computed for seeded shops). */
  rfmGroups: RfmGroupLookup;
  /** Set while a bulk query runs: pagination is ignored and the root list is windowed. */
  bulkWindow: { offset: number; limit: number } | null;
  /** Fault injection: the next mutation answers with this userError instead of running. */
  injectedUserError: UserErrorShape | null;
  /** Search-syntax warnings, returned in extensions.search when the app asks for them. */
  searchWarnings: string[];
}
