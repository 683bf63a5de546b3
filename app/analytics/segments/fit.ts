import type { SegmentAlgorithm } from "./model";
import type { ClusterFit, FitContext } from "./fit-context";
import { fitDbscanSegments } from "./fit-dbscan";
import { fitHybrid } from "./fit-hybrid";
import { fitKMeansSegments } from "./fit-kmeans";
import { fitRfm } from "./fit-rfm";

export type { ClusterFit, FitContext } from "./fit-context";

/** Fits the clusters of `algorithm`: one function per algorithm, nothing shared but the context. */
export function fitClusters(ctx: FitContext, algorithm: SegmentAlgorithm): ClusterFit {
  switch (algorithm) {
    case "rfm":
      return fitRfm(ctx);
    case "kmeans":
      return fitKMeansSegments(ctx);
    case "hybrid":
      return fitHybrid(ctx);
    case "dbscan":
      return fitDbscanSegments(ctx);
    default:
      return unknownAlgorithm(algorithm);
  }
}

function unknownAlgorithm(algorithm: never): never {
  throw new RangeError(`segmentCustomers: unknown algorithm ${String(algorithm)}`);
}
