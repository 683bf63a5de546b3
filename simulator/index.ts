// Public entry of the local Shopify simulator. See docs/simulator.md.
import { ShopifySimulator, type SimulatorOptions } from "./simulator";

export function createSimulator(options: SimulatorOptions = {}): ShopifySimulator {
  return new ShopifySimulator(options);
}

export { ShopifySimulator, DEFAULT_SCOPES } from "./simulator";
export type { SimulatorOptions, CreateShopOptions, GraphQLResponseBody } from "./simulator";
export { FakeClock, OffsetClock, systemClock, type Clock, type SettableClock } from "./clock";
export { startSimulatorServer, simulatorFetch, type SimulatorServer, type SimulatorServerOptions } from "./server";
export { seedOnlineRetail, buildOnlineRetailShop, defaultOnlineRetailPath, isCancellationRecord, merchantTags, CANCELLATION_RECORD_TAG, type OnlineRetailReport, type SeedOptions, type CsvLayout } from "./seed-online-retail";
export { computeRfmGroups, type CustomerRfmGroup } from "./rfm-groups";
export type { CallSummary, BulkCallSummary } from "./calls";
export { SyntheticStore, type SyntheticStoreOptions } from "./synthetic-store";
export { signedAppProxyUrl, signedAppProxyRequest, appProxySignature, type AppProxyOptions } from "./app-proxy";
export { SEGMINT_SUBSCRIPTIONS, sign as signWebhookBody, type Delivery, type ChaosOptions, type SubscriptionConfig, type WebhookTransport } from "./webhooks";
export { FaultPlan, type HttpFaultStatus, type BulkLineFault } from "./faults";
export { STANDARD_PLAN, type ThrottleStatus, type ThrottleConfig } from "./throttle";
export { adminSchema, ADMIN_API_VERSION } from "./schema";
export { prepareDocument } from "./graphql";
export { validateBulkQuery, validateBulkMutation, type BulkExecutor, type BulkOptions } from "./bulk";
export type { ShopState, CustomerRecord, OrderRecord, ProductRecord, RefundRecord, WebhookTopic } from "./state";
