import { describe, expect, it } from "vitest";
import { neighbourLists, neighboursOf, parseRecommender, recommend, serializeRecommender, trainBaseline, trainRecommender } from "../../../app/analytics/index";
import { syntheticBaskets } from "./synthetic-baskets";

const baskets = syntheticBaskets(200, 40, 11);

describe("a stored recommender", () => {
  it("reads back to the same model, giving the same lists", () => {
    const model = trainRecommender(baskets, { headMax: 15, neighbours: 10 });
    const back = parseRecommender(serializeRecommender(model));
    expect(back).toEqual(model);
    const query = { basket: [model.items[0]!, model.items[20]!], limit: 5 };
    expect(recommend(back, query)).toEqual(recommend(model, query));
    // The per-product lists the app stores are the model's rows.
    const lists = neighbourLists(back);
    expect([...lists.keys()]).toEqual(model.items);
    for (const id of model.items) expect(lists.get(id)).toEqual(neighboursOf(model, id));
    expect(neighboursOf(model, "no such product")).toEqual([]);
    const baseline = trainBaseline(baskets, "item-knn");
    expect(parseRecommender(serializeRecommender(baseline))).toEqual(baseline);
  });

  it("is refused in plain words when it is not one this version can use", () => {
    const json = JSON.parse(serializeRecommender(trainRecommender(baskets, { neighbours: 3 })));
    const bad = (change: object) => JSON.stringify({ ...json, ...change });
    expect(() => parseRecommender("{not json")).toThrow("The stored recommender is not valid JSON.");
    expect(() => parseRecommender(bad({ kind: "segmint.anomaly-orders" }))).toThrow(/its kind is "segmint.anomaly-orders"/);
    expect(() => parseRecommender(bad({ version: 0 }))).toThrow(/trained by version 0 .* train it again/);
    expect(() => parseRecommender(bad({ offsets: json.offsets.slice(1) }))).toThrow(/offsets does not delimit one row per product/);
    expect(() => parseRecommender(bad({ neighbourIndex: json.neighbourIndex.map(() => 9999) }))).toThrow(/outside the products/);
    expect(() => parseRecommender(bad({ params: { ...json.params, lambda: -1 } }))).toThrow(/its params are wrong/);
    expect(() => parseRecommender("[]")).toThrow(/it is not an object/);
  });
});
