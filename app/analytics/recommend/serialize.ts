// The trained model as JSON (stored per shop, read back by the proxy and the CLI).
import { RECOMMENDER_VERSION, resolveRecommenderOptions } from "./train";
import type { RecommenderModel } from "./types";

const METHODS = new Set(["segmint", "popularity", "cooccurrence", "item-knn"]);

export function serializeRecommender(model: RecommenderModel): string {
  return JSON.stringify(model);
}

/** Reads a stored model back; throws a plain-words error if the text is not one this version can use. */
export function parseRecommender(json: string): RecommenderModel {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error("The stored recommender is not valid JSON.");
  }
  const fail = (why: string): never => {
    throw new Error(`The stored recommender cannot be used: ${why}.`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("it is not an object");
  const m = value as Record<string, unknown>;
  if (m.kind !== "segmint.recommender") fail(`its kind is ${JSON.stringify(m.kind)}, not "segmint.recommender"`);
  if (m.version !== RECOMMENDER_VERSION) fail(`it was trained by version ${JSON.stringify(m.version)} of the recommender, this is version ${RECOMMENDER_VERSION}: train it again`);
  if (m.method !== undefined && !METHODS.has(m.method as string)) fail(`its method ${JSON.stringify(m.method)} is unknown`);
  if (typeof m.params !== "object" || m.params === null) fail("it has no params");
  let params;
  try {
    params = resolveRecommenderOptions(m.params as Record<string, number>);
  } catch (error) {
    fail(`its params are wrong (${(error as Error).message})`);
  }
  const items = m.items;
  if (!Array.isArray(items) || !items.every((id) => typeof id === "string")) fail("items is not a list of product ids");
  const n = (items as string[]).length;
  if (new Set(items as string[]).size !== n) fail("items repeats a product");
  const counts = numbers(m.counts, "counts", fail);
  if (counts.length !== n || !counts.every((c) => Number.isInteger(c) && c >= 0)) fail("counts is not one whole number per product");
  if (!Number.isInteger(m.head) || (m.head as number) < 0 || (m.head as number) > n) fail("head is not between 0 and the number of products");
  if (!Number.isInteger(m.basketCount) || (m.basketCount as number) < 0) fail("basketCount is not a whole number");
  const offsets = numbers(m.offsets, "offsets", fail);
  const neighbourIndex = numbers(m.neighbourIndex, "neighbourIndex", fail);
  const weights = numbers(m.weights, "weights", fail);
  if (offsets.length !== n + 1 || offsets[0] !== 0 || offsets[n] !== neighbourIndex.length) fail("offsets does not delimit one row per product");
  for (let i = 0; i < n; i++) if (!Number.isInteger(offsets[i + 1]) || offsets[i + 1]! < offsets[i]!) fail("offsets is not ascending");
  if (weights.length !== neighbourIndex.length) fail("weights and neighbourIndex differ in length");
  if (!neighbourIndex.every((j) => Number.isInteger(j) && j >= 0 && j < n)) fail("a neighbour index is outside the products");
  if (!weights.every(Number.isFinite)) fail("a weight is not a finite number");
  return {
    kind: "segmint.recommender",
    version: RECOMMENDER_VERSION,
    method: (m.method as RecommenderModel["method"]) ?? "segmint",
    params: params!,
    items: items as string[],
    counts,
    head: m.head as number,
    basketCount: m.basketCount as number,
    offsets,
    neighbourIndex,
    weights,
  };
}

function numbers(value: unknown, name: string, fail: (why: string) => never): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "number")) fail(`${name} is not a list of numbers`);
  return value as number[];
}
