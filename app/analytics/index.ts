/**
 * Public API of the analytics core (pure: plain data in and out, no IO, no clock, no random
 * source — `asOf` and `seed` are arguments). See docs/analytics.md for every formula and default.
 */
export * from "./types";
export * from "./money";
export * from "./rfm/index";
export * from "./segments/index";
export type { Matrix } from "./util/matrix";
export { matrixFromRows } from "./util/matrix";
export { createRng, type Rng } from "./util/random";
export { medianOf, quantileSorted } from "./util/stats";
export { fitKMeans, assignKMeans, type KMeansModel, type KMeansOptions } from "./clustering/kmeans";
export { chooseK } from "./clustering/choose-k";
export { dbscan, proposeEps } from "./clustering/dbscan";
export { pca2d } from "./clustering/pca";
export { sampledSilhouette } from "./clustering/silhouette";
export * from "./experiments/index";
export * from "./anomaly/index";
export * from "./recommend/index";
