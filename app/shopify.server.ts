// The Shopify app object: auth, webhooks, app proxy and Admin API clients.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { config } from "./config.server";
import { db } from "./db.server";
import { onShopInstalled } from "./services/install.server";
import { createAdminClient } from "./shopify/admin-client.server";
import { installSimulatorTransport } from "./shopify/simulator-transport.server";

export const API_VERSION = ApiVersion.October26;

const cfg = config();
// Offline demo only; refuses unless every URL involved is local (see config.server.ts).
if (cfg.SEGMINT_SIMULATOR_URL) installSimulatorTransport(cfg.SEGMINT_SIMULATOR_URL, cfg.SHOPIFY_APP_URL);

const shopify = shopifyApp({
  apiKey: cfg.SHOPIFY_API_KEY,
  apiSecretKey: cfg.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: cfg.scopes,
  appUrl: cfg.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(db()),
  distribution: AppDistribution.AppStore,
  hooks: {
    // Install and re-install: store the shop's time zone, backfill the order history, schedule reconciliation.
    afterAuth: async ({ session, admin }) => {
      await onShopInstalled(db(), session.shop, session.scope, new Date(), createAdminClient(admin.graphql));
    },
  },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
});

export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
