// Write side of the Admin API: the mutations Segmint uses. Business-rule failures come back as
// `userErrors` (HTTP 200, data present) exactly like Shopify; unsupported inputs fail loudly.
import { GraphQLError } from "graphql";
import type { ResolverContext, UserErrorShape } from "./context";
import { gid, parseGid } from "./ids";
import { bulkOperationView, customerView, orderView, productView, segmentView, type View } from "./resolvers";
import { parseSegmentQuery, SegmentQueryError } from "./segment-query";
import { normaliseTags } from "./state";

type Args = Record<string, unknown>;

/** ⚠️ Shopify documents 250 tags/255 chars for products; the simulator applies it to every resource. */
export const MAX_TAGS = 250;
export const MAX_TAG_LENGTH = 255;

function userError(field: string[] | null, message: string, code?: string): UserErrorShape {
  return code === undefined ? { field, message } : { field, message, code };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
}

function tagErrors(tags: string[]): UserErrorShape[] {
  const long = tags.find((t) => t.length > MAX_TAG_LENGTH);
  return long ? [userError(["tags"], `Tags is too long (maximum is ${MAX_TAG_LENGTH} characters)`)] : [];
}

/** Worded like Shopify's other length errors ("Tags is too long (maximum is 255 characters)"). */
function tooManyTags(): UserErrorShape {
  return userError(["tags"], `Tags exceeds the maximum of ${MAX_TAGS} tags`);
}

/** Shopify keeps up to 20 facts per order risk assessment and truncates descriptions past 256 characters. */
export const MAX_RISK_FACTS = 20;
export const MAX_RISK_FACT_LENGTH = 256;

/** tagsAdd: the whole call is refused (nothing added) when the union would pass the cap. */
function overCap(current: string[], added: string[]): boolean {
  return normaliseTags([...current, ...added]).length > MAX_TAGS;
}

function unsupportedInput(mutation: string, field: string): GraphQLError {
  return new GraphQLError(`Segmint simulator: ${mutation} input field '${field}' is not implemented`, { extensions: { code: "SIMULATOR_UNSUPPORTED" } });
}

export function mutationRoot(ctx: ResolverContext): View {
  const shop = ctx.shop;

  /** Fault injection: a planned userError replaces the mutation's effect once. */
  const injected = (): UserErrorShape[] | null => {
    if (!ctx.injectedUserError) return null;
    const error = ctx.injectedUserError;
    ctx.injectedUserError = null;
    return [error];
  };

  const tagMutation = (args: Args, add: boolean): View => {
    const planned = injected();
    if (planned) return { node: null, userErrors: planned };
    const tags = normaliseTags(stringList(args.tags));
    const parsed = typeof args.id === "string" ? parseGid(args.id) : null;
    const errors = tagErrors(tags);
    if (errors.length) return { node: null, userErrors: errors };
    if (tags.length === 0) return { node: null, userErrors: [userError(["tags"], "Tags can't be blank")] };
    if (parsed?.type === "Customer" && shop.customers.has(parsed.id)) {
      const current = shop.customers.get(parsed.id)?.tags ?? [];
      if (add && overCap(current, tags)) return { node: null, userErrors: [tooManyTags()] };
      const customer = add ? shop.addCustomerTags(parsed.id, tags) : shop.removeCustomerTags(parsed.id, tags);
      return { node: customerView(ctx, customer), userErrors: [] };
    }
    if (parsed?.type === "Order" && shop.orders.has(parsed.id)) {
      const order = shop.requireOrder(parsed.id);
      if (add && overCap(order.tags, tags)) return { node: null, userErrors: [tooManyTags()] };
      if (add) shop.addTags(order, tags);
      else shop.removeTags(order, tags);
      return { node: orderView(ctx, order), userErrors: [] };
    }
    if (parsed?.type === "Product" && shop.products.has(parsed.id)) {
      const product = shop.products.get(parsed.id);
      if (!product) throw new Error("unreachable");
      if (add && overCap(product.tags, tags)) return { node: null, userErrors: [tooManyTags()] };
      if (add) shop.addTags(product, tags);
      else shop.removeTags(product, tags);
      return { node: productView(ctx, product), userErrors: [] };
    }
    return { node: null, userErrors: [userError(["id"], "Resource does not exist")] };
  };

  return {
    tagsAdd: (args: Args) => tagMutation(args, true),
    tagsRemove: (args: Args) => tagMutation(args, false),

    orderRiskAssessmentCreate: (args: Args) => {
      // A missing scope is a top-level error (ACCESS_DENIED), not a userError, as in Shopify.
      if (!shop.scopes.includes("write_orders")) {
        throw new GraphQLError("Access denied for orderRiskAssessmentCreate field. Required access: `write_orders` access scope.", {
          extensions: { code: "ACCESS_DENIED", requiredAccess: "`write_orders` access scope." },
        });
      }
      const planned = injected();
      if (planned) return { orderRiskAssessment: null, userErrors: planned };
      const input = (args.orderRiskAssessmentInput ?? {}) as Args;
      const facts = Array.isArray(input.facts) ? (input.facts as Args[]) : [];
      if (facts.length > MAX_RISK_FACTS) {
        return { orderRiskAssessment: null, userErrors: [userError(["orderRiskAssessmentInput", "facts"], `Facts must have at most ${MAX_RISK_FACTS} entries`, "TOO_MANY_FACTS")] };
      }
      const parsed = typeof input.orderId === "string" ? parseGid(input.orderId) : null;
      if (!parsed || parsed.type !== "Order" || !shop.orders.has(parsed.id)) {
        return { orderRiskAssessment: null, userErrors: [userError(["orderRiskAssessmentInput", "orderId"], "Order does not exist", "NOT_FOUND")] };
      }
      const record = {
        orderId: parsed.id,
        riskLevel: String(input.riskLevel),
        facts: facts.map((f) => ({ description: String(f.description ?? "").slice(0, MAX_RISK_FACT_LENGTH), sentiment: String(f.sentiment) })),
        createdAt: ctx.now,
      };
      shop.riskAssessments.push(record);
      return { orderRiskAssessment: { riskLevel: record.riskLevel, facts: record.facts }, userErrors: [] };
    },

    customerUpdate: (args: Args) => {
      const input = (args.input ?? {}) as Args;
      for (const key of Object.keys(input)) if (!["id", "tags", "note"].includes(key)) throw unsupportedInput("customerUpdate", key);
      const planned = injected();
      if (planned) return { customer: null, userErrors: planned };
      const parsed = typeof input.id === "string" ? parseGid(input.id) : null;
      if (!parsed || parsed.type !== "Customer" || !shop.customers.has(parsed.id)) {
        return { customer: null, userErrors: [userError(["id"], "Customer does not exist")] };
      }
      const patch: { tags?: string[]; note?: string | null } = {};
      if ("tags" in input) {
        // CustomerInput.tags REPLACES the whole tag list.
        const tags = normaliseTags(stringList(input.tags));
        const errors = tagErrors(tags);
        if (errors.length) return { customer: null, userErrors: errors };
        if (tags.length > MAX_TAGS) return { customer: null, userErrors: [tooManyTags()] };
        patch.tags = tags;
      }
      if ("note" in input) patch.note = typeof input.note === "string" ? input.note : null;
      const customer = shop.updateCustomer(parsed.id, patch);
      return { customer: customerView(ctx, customer), userErrors: [] };
    },

    segmentCreate: (args: Args) => {
      const planned = injected();
      if (planned) return { segment: null, userErrors: planned };
      const name = String(args.name ?? "").trim();
      const query = String(args.query ?? "");
      const errors = segmentErrors(ctx, name, query, null);
      if (errors.length) return { segment: null, userErrors: errors };
      return { segment: segmentView(shop.createSegment(name, query)), userErrors: [] };
    },

    segmentUpdate: (args: Args) => {
      const planned = injected();
      if (planned) return { segment: null, userErrors: planned };
      const parsed = typeof args.id === "string" ? parseGid(args.id) : null;
      const segment = parsed?.type === "Segment" ? shop.segments.get(parsed.id) : undefined;
      if (!segment) return { segment: null, userErrors: [userError(["id"], "Segment does not exist")] };
      const name = typeof args.name === "string" ? args.name.trim() : segment.name;
      const query = typeof args.query === "string" ? args.query : segment.query;
      const errors = segmentErrors(ctx, name, query, segment.id);
      if (errors.length) return { segment: null, userErrors: errors };
      segment.name = name;
      segment.query = query;
      segment.updatedAt = Math.max(ctx.now, segment.updatedAt + 1000);
      shop.version++;
      return { segment: segmentView(segment), userErrors: [] };
    },

    segmentDelete: (args: Args) => {
      const planned = injected();
      if (planned) return { deletedSegmentId: null, userErrors: planned };
      const parsed = typeof args.id === "string" ? parseGid(args.id) : null;
      if (!parsed || parsed.type !== "Segment" || !shop.segments.delete(parsed.id)) {
        return { deletedSegmentId: null, userErrors: [userError(["id"], "Segment does not exist")] };
      }
      shop.version++;
      return { deletedSegmentId: gid("Segment", parsed.id), userErrors: [] };
    },

    bulkOperationRunQuery: (args: Args) => {
      const planned = injected();
      if (planned) return { bulkOperation: null, userErrors: planned };
      const result = ctx.bulk.runQuery(shop, String(args.query ?? ""), args.groupObjects === true);
      return { bulkOperation: result.operation ? bulkOperationView(result.operation) : null, userErrors: result.userErrors.map(withCode) };
    },

    bulkOperationRunMutation: (args: Args) => {
      const planned = injected();
      if (planned) return { bulkOperation: null, userErrors: planned };
      const result = ctx.bulk.runMutation(shop, String(args.mutation ?? ""), String(args.stagedUploadPath ?? ""), typeof args.clientIdentifier === "string" ? args.clientIdentifier : null);
      return { bulkOperation: result.operation ? bulkOperationView(result.operation) : null, userErrors: result.userErrors.map(withCode) };
    },

    bulkOperationCancel: (args: Args) => {
      const planned = injected();
      if (planned) return { bulkOperation: null, userErrors: planned };
      const parsed = typeof args.id === "string" ? parseGid(args.id) : null;
      if (!parsed || parsed.type !== "BulkOperation") return { bulkOperation: null, userErrors: [userError(["id"], "Bulk operation does not exist")] };
      const result = ctx.bulk.cancel(shop, parsed.id);
      return { bulkOperation: result.operation ? bulkOperationView(result.operation) : null, userErrors: result.userErrors };
    },

    stagedUploadsCreate: (args: Args) => {
      const planned = injected();
      if (planned) return { stagedTargets: null, userErrors: planned };
      const inputs = Array.isArray(args.input) ? (args.input as Args[]) : [];
      const errors: UserErrorShape[] = [];
      const targets: View[] = [];
      inputs.forEach((input, index) => {
        if (input.resource !== "BULK_MUTATION_VARIABLES") throw unsupportedInput("stagedUploadsCreate", `resource ${String(input.resource)}`);
        if (input.mimeType !== "text/jsonl") errors.push(userError(["input", String(index), "mimeType"], "mimeType must be text/jsonl for BULK_MUTATION_VARIABLES"));
        if (input.httpMethod !== "POST") errors.push(userError(["input", String(index), "httpMethod"], "httpMethod must be POST for BULK_MUTATION_VARIABLES"));
        if (errors.length) return;
        const target = ctx.uploads.createTarget(shop, {
          resource: String(input.resource),
          filename: String(input.filename ?? "upload.jsonl"),
          mimeType: String(input.mimeType),
          httpMethod: typeof input.httpMethod === "string" ? input.httpMethod : null,
        });
        targets.push({ url: target.url, resourceUrl: target.resourceUrl, parameters: target.parameters });
      });
      return errors.length ? { stagedTargets: null, userErrors: errors } : { stagedTargets: targets, userErrors: [] };
    },
  };
}

/** BulkOperationUserError / BulkMutationUserError carry a `code`; plain UserError doesn't. */
function withCode(error: UserErrorShape): UserErrorShape {
  return { field: error.field, message: error.message, code: error.code ?? null };
}

function segmentErrors(ctx: ResolverContext, name: string, query: string, selfId: number | null): UserErrorShape[] {
  const errors: UserErrorShape[] = [];
  if (!name) errors.push(userError(["name"], "Name can't be blank"));
  for (const segment of ctx.shop.segments.values()) {
    if (segment.id !== selfId && segment.name.toLowerCase() === name.toLowerCase()) errors.push(userError(["name"], "Name has already been taken"));
  }
  try {
    parseSegmentQuery(query);
  } catch (error) {
    errors.push(userError(["query"], error instanceof SegmentQueryError ? error.message : String(error)));
  }
  return errors;
}
