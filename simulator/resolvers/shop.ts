// The shop, the app installation and its webhook subscriptions as GraphQL views, and their root
// fields.
import { iso } from "../clock";
import type { ResolverContext, WebhookSubscriptionRecord } from "../context";
import { gid } from "../ids";
import type { SearchFields } from "../search-query";
import type { ShopState } from "../state";
import { resolveGidOfType, rootConnection, type Args, type View } from "./common";

const subscriptionSearch: SearchFields<WebhookSubscriptionRecord> = {
  id: { kind: "id", get: (s) => s.id },
  topic: { kind: "string", get: (s) => s.topic.toLowerCase() },
};

export function shopView(ctx: ResolverContext): View {
  const s = ctx.shop.settings;
  return {
    __typename: "Shop",
    id: gid("Shop", shopNumericId(ctx.shop)),
    name: s.name,
    myshopifyDomain: s.domain,
    currencyCode: s.currencyCode,
    ianaTimezone: s.ianaTimezone,
    email: `shop@${s.domain}`,
    contactEmail: `shop@${s.domain}`,
    createdAt: iso(ctx.shop.createdAt),
    plan: { publicDisplayName: s.planDisplayName, displayName: s.planDisplayName, partnerDevelopment: s.partnerDevelopment, shopifyPlus: s.shopifyPlus },
    primaryDomain: { host: s.domain, url: `https://${s.domain}`, sslEnabled: true, id: gid("Shop", shopNumericId(ctx.shop)) },
    enabledPresentmentCurrencies: [s.currencyCode],
    timezoneAbbreviation: s.ianaTimezone === "Europe/London" ? "GMT" : "UTC",
  };
}

export function shopNumericId(shop: ShopState): number {
  // Stable per domain so restarting the demo keeps the same shop id.
  let hash = 0;
  for (const ch of shop.domain) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return 60_000_000_000 + (hash % 1_000_000_000);
}

export function subscriptionView(sub: WebhookSubscriptionRecord): View {
  const topicEnum = sub.topic.toUpperCase().replace(/[/.]/g, "_");
  return {
    __typename: "WebhookSubscription",
    id: gid("WebhookSubscription", sub.id),
    legacyResourceId: String(sub.id),
    topic: topicEnum,
    uri: sub.uri,
    callbackUrl: sub.uri,
    endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: sub.uri },
    includeFields: sub.includeFields,
    filter: sub.filter,
    name: sub.name,
    format: "JSON",
    metafieldNamespaces: [],
    apiVersion: { handle: "2026-10", displayName: "2026-10", supported: true },
    createdAt: iso(sub.createdAt),
    updatedAt: iso(sub.createdAt),
  };
}

function appInstallationView(ctx: ResolverContext): View {
  const app = ctx.app;
  return {
    __typename: "AppInstallation",
    id: gid("AppInstallation", app.installationId),
    accessScopes: ctx.shop.scopes.map((handle) => ({ handle, description: handle })),
    launchUrl: `https://admin.shopify.com/store/${ctx.shop.domain.replace(".myshopify.com", "")}/apps/${app.handle}`,
    uninstallUrl: null,
    activeSubscriptions: [],
    app: {
      __typename: "App",
      id: gid("App", app.appId),
      handle: app.handle,
      title: app.title,
      apiKey: app.apiKey,
      embedded: true,
      published: false,
      developerName: "Segmint",
    },
  };
}

/** Root fields: `shop`, `currentAppInstallation`, `appInstallation`, `webhookSubscriptions`. */
export function shopQueries(ctx: ResolverContext): View {
  return {
    shop: () => shopView(ctx),
    currentAppInstallation: () => appInstallationView(ctx),
    appInstallation: (args: Args) => (args.id == null || resolveGidOfType(args.id, "AppInstallation") === ctx.app.installationId ? appInstallationView(ctx) : null),
    webhookSubscriptions: (args: Args) => {
      const topics = Array.isArray(args.topics) ? new Set(args.topics.map(String)) : null;
      const subs = ctx.subscriptions.filter((s) => !topics || topics.has(s.topic.toUpperCase().replace(/[/.]/g, "_")));
      return rootConnection(ctx, "webhookSubscriptions", () => subs, args, { ID: (s) => s.id, CREATED_AT: (s) => s.createdAt }, "CREATED_AT", (s) => s.id, subscriptionSearch, subscriptionView, true);
    },
  };
}
