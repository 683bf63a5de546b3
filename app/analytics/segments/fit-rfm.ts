import { rfmLabels } from "./assign";
import { emptyFit, type ClusterFit, type FitContext } from "./fit-context";
import { diagnosticKDistance } from "./fit-curves";

/** RFM: no fitting; each customer's cluster is its RFM group. Only the k-distance diagnostic is computed. */
export function fitRfm(ctx: FitContext): ClusterFit {
  const fit = emptyFit(ctx.scaled.rows);
  fit.labels = rfmLabels(ctx.prepared.clustered, ctx.rfm);
  fit.kDistance = diagnosticKDistance(ctx);
  return fit;
}
