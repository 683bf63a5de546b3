// Shopify ids: GraphQL uses GIDs ("gid://shopify/Order/123"), REST-shaped webhook payloads use the
// bare number. Numbers here stay below 2^53 so they survive JSON.parse in the app.

export type GidType =
  | "Shop"
  | "Customer"
  | "Order"
  | "LineItem"
  | "Refund"
  | "RefundLineItem"
  | "OrderTransaction"
  | "Product"
  | "ProductVariant"
  | "InventoryItem"
  | "MediaImage"
  | "ProductImage"
  | "BulkOperation"
  | "WebhookSubscription"
  | "Segment"
  | "CustomerSegmentMember"
  | "AppInstallation"
  | "App";

export function gid(type: GidType, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

export interface ParsedGid {
  type: string;
  id: number;
}

export function parseGid(value: string): ParsedGid | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (!match) return null;
  return { type: match[1] as string, id: Number(match[2]) };
}

/**
 * Distinct numeric ranges per resource type, so an order id can never be mistaken for a
 * customer id in a test that mixes them up (Shopify ids are also globally unique).
 */
export const ID_BASE: Record<GidType, number> = {
  Shop: 60_000_000_000,
  Customer: 7_000_000_000_000,
  Order: 5_000_000_000_000,
  LineItem: 13_000_000_000_000,
  Refund: 9_000_000_000_000,
  RefundLineItem: 10_000_000_000_000,
  OrderTransaction: 11_000_000_000_000,
  Product: 8_000_000_000_000,
  ProductVariant: 4_400_000_000_000,
  // A variant's inventory item has the variant's number (one each; never allocated on its own).
  InventoryItem: 4_400_000_000_000,
  MediaImage: 3_000_000_000_000,
  ProductImage: 3_100_000_000_000,
  BulkOperation: 720_000_000_000,
  WebhookSubscription: 1_400_000_000_000,
  Segment: 530_000_000_000,
  CustomerSegmentMember: 7_000_000_000_000,
  AppInstallation: 900_000_000_000,
  App: 1_000_000_000,
};

export class IdSequence {
  private next = new Map<GidType, number>();
  /** Returns the next unused id for the type (ids set explicitly by the seeder are reserved). */
  take(type: GidType): number {
    const value = (this.next.get(type) ?? ID_BASE[type] + 1_000_000_000) + 1;
    this.next.set(type, value);
    return value;
  }
  reserve(type: GidType, id: number): void {
    const current = this.next.get(type) ?? ID_BASE[type] + 1_000_000_000;
    if (id > current) this.next.set(type, id);
  }
}
