// Public entry of the local Shopify simulator. See docs/simulator.md.
import { ShopifySimulator, type SimulatorOptions } from "./simulator.js";

export function createSimulator(options: SimulatorOptions = {}): ShopifySimulator {
  return new ShopifySimulator(options);
}

export { ShopifySimulator, DEFAULT_SCOPES } from "./simulator.js";
export type { SimulatorOptions, CreateShopOptions, GraphQLResponseBody } from "./simulator.js";
export { FakeClock, systemClock, type Clock } from "./clock.js";
export { startSimulatorServer, simulatorFetch, type SimulatorServer, type SimulatorServerOptions } from "./server.js";
export { seedOnlineRetail, buildOnlineRetailShop, defaultOnlineRetailPath, isCancellationRecord, CANCELLATION_RECORD_TAG, type OnlineRetailReport } from "./seed-online-retail.js";
export { SyntheticStore, type SyntheticStoreOptions } from "./synthetic-store.js";
export { signedAppProxyUrl, signedAppProxyRequest, appProxySignature, type AppProxyOptions } from "./app-proxy.js";
export { SEGMINT_SUBSCRIPTIONS, sign as signWebhookBody, type Delivery, type ChaosOptions, type SubscriptionConfig, type WebhookTransport } from "./webhooks.js";
export { FaultPlan, type HttpFaultStatus } from "./faults.js";
export { STANDARD_PLAN, type ThrottleStatus, type ThrottleConfig } from "./throttle.js";
export { adminSchema, ADMIN_API_VERSION } from "./schema.js";
export { prepareDocument } from "./graphql.js";
export { validateBulkQuery, validateBulkMutation, type BulkExecutor, type BulkOptions } from "./bulk.js";
export type { ShopState, CustomerRecord, OrderRecord, ProductRecord, RefundRecord, WebhookTopic } from "./state.js";
