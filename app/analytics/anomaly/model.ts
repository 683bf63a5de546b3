// The stored order model (JSON-safe): the forest, every yardstick the features were measured
// against, the combination's constant and the threshold, so an order arriving by webhook between
// refits is scored exactly as it would have been in the fit.
import type { OrderAnomalyModel, OrderFeature } from "./types";
import type { OrderYardsticks, ProductYardstick } from "./features";
import { ORDER_FEATURES } from "./features";
import type { RobustYardstick } from "./robust";
import { parseIsolationForest, type IsolationForest } from "./isolation-forest";

export const MODEL_KIND = "segmint.anomaly-orders";
/** 2: products keep their two largest line quantities (the record measure of 'line-quantity'). */
export const MODEL_VERSION = 2;

/** [median, scale] */
type YardstickJson = [number, number];

export interface OrderModelJson extends OrderAnomalyModel {
  readonly columns: readonly OrderFeature[];
  /** Orders the model was fitted on. */
  readonly orders: number;
  /** The score at the review budget in the fit. */
  readonly threshold: number;

  /** null when fitted on no orders (every score is then the robust part alone). */
  readonly forest: unknown;
  readonly storeValue: YardstickJson;
  readonly burst: YardstickJson;
  readonly refundShare: YardstickJson;
  /** The store's line quantities: the yardstick of a product with too little history. */
  readonly lineQuantity: YardstickJson;
  /**
   * Column-wise: ids[i] has quantity [median, scale] or null (too little history), its two largest
   * line quantities [largest, second] or null (too little history), and price [median, scale] or null.
   */
  readonly products: { readonly ids: string[]; readonly quantity: (number | null)[]; readonly largest: (number | null)[]; readonly price: (number | null)[] };
}

/** What a parsed model scores with. */
export interface OrderModelParts {
  readonly forest: IsolationForest | null;
  readonly yardsticks: OrderYardsticks;
  readonly threshold: number;
}

const pair = (y: RobustYardstick): YardstickJson => [y.median, y.scale];

export function buildOrderModel(parts: {
  forest: IsolationForest | null;
  yardsticks: OrderYardsticks;
  threshold: number;
  orders: number;
}): OrderModelJson {
  const ids: string[] = [];
  const quantity: (number | null)[] = [];
  const largest: (number | null)[] = [];
  const price: (number | null)[] = [];
  for (const [id, product] of parts.yardsticks.products) {
    ids.push(id);
    quantity.push(product.quantity?.median ?? null, product.quantity?.scale ?? null);
    largest.push(product.largest?.[0] ?? null, product.largest?.[1] ?? null);
    price.push(product.price?.median ?? null, product.price?.scale ?? null);
  }
  return {
    kind: MODEL_KIND,
    version: MODEL_VERSION,
    columns: [...ORDER_FEATURES],
    orders: parts.orders,
    threshold: parts.threshold,
    forest: parts.forest === null ? null : parts.forest.toJSON(),
    storeValue: pair(parts.yardsticks.storeValue),
    burst: pair(parts.yardsticks.burst),
    refundShare: pair(parts.yardsticks.refundShare),
    lineQuantity: pair(parts.yardsticks.lineQuantity),
    products: { ids, quantity, largest, price },
  };
}

class ModelError extends Error {
  constructor(what: string, message = `This is not a stored order anomaly model (${what}); fit a new one with a refresh.`) {
    super(message);
    this.name = "ModelError";
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function finite(x: unknown, what: string): number {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new ModelError(`${what} is not a number`);
  return x;
}

function yardstick(x: unknown, what: string): RobustYardstick {
  if (!Array.isArray(x) || x.length !== 2) throw new ModelError(`${what} is not a [median, scale] pair`);
  const scale = finite(x[1], `${what}'s scale`);
  if (scale <= 0) throw new ModelError(`${what}'s scale is not positive`);
  return { median: finite(x[0], `${what}'s median`), scale };
}

/** Validates a stored model and returns it typed. */
export function parseOrderModelJson(json: unknown): OrderModelJson {
  if (!isRecord(json)) throw new ModelError("not an object");
  if (json.kind !== MODEL_KIND) throw new ModelError(`kind is ${JSON.stringify(json.kind)}`);
  if (json.version === 1) {
    throw new ModelError(
      "version 1",
      "This order anomaly model was fitted by an earlier version of Segmint (version 1), which did not keep each product's largest lines; fit a new one with a refresh.",
    );
  }
  if (json.version !== MODEL_VERSION) throw new ModelError(`version ${JSON.stringify(json.version)} is not ${MODEL_VERSION}`);
  const columns = json.columns;
  if (!Array.isArray(columns) || columns.length !== ORDER_FEATURES.length || columns.some((c, i) => c !== ORDER_FEATURES[i])) {
    throw new ModelError("its columns are not this version's features");
  }
  finite(json.orders, "orders");
  finite(json.threshold, "threshold");
  for (const key of ["storeValue", "burst", "refundShare", "lineQuantity"]) yardstick(json[key], key);
  const products = json.products;
  if (!isRecord(products) || !Array.isArray(products.ids) || !Array.isArray(products.quantity) || !Array.isArray(products.largest) || !Array.isArray(products.price)) {
    throw new ModelError("products are missing");
  }
  const n = products.ids.length;
  const columnsOk = [products.quantity, products.largest, products.price].every((column) => column.length === 2 * n);
  if (!columnsOk || products.ids.some((id) => typeof id !== "string")) {
    throw new ModelError("products' columns have different lengths");
  }
  if (json.forest !== null) parseIsolationForest(json.forest);
  return json as unknown as OrderModelJson;
}

/** The forest and yardsticks of a validated model. */
export function orderModelParts(model: OrderModelJson): OrderModelParts {
  const products = new Map<string, ProductYardstick>();
  const { ids, quantity, largest, price } = model.products;
  const optional = (pairs: (number | null)[], i: number, what: string) => {
    const median = pairs[2 * i];
    const scale = pairs[2 * i + 1];
    return median == null || scale == null ? null : yardstick([median, scale], `product ${ids[i]}'s ${what}`);
  };
  const topTwo = (i: number): [number, number] | null => {
    const first = largest[2 * i];
    const second = largest[2 * i + 1];
    if (first == null || second == null) return null;
    return [finite(first, `product ${ids[i]}'s largest quantity`), finite(second, `product ${ids[i]}'s second largest quantity`)];
  };
  for (let i = 0; i < ids.length; i++) {
    products.set(ids[i]!, { quantity: optional(quantity, i, "quantity"), largest: topTwo(i), price: optional(price, i, "price") });
  }
  return {
    forest: model.forest === null ? null : parseIsolationForest(model.forest),
    threshold: model.threshold,
    yardsticks: {
      storeValue: yardstick(model.storeValue, "storeValue"),
      burst: yardstick(model.burst, "burst"),
      refundShare: yardstick(model.refundShare, "refundShare"),
      lineQuantity: yardstick(model.lineQuantity, "lineQuantity"),
      products,
    },
  };
}
