// The experiments pages' entry points: the experiments use cases (experiments.server.ts, which
// take the database first so the demo and the tests pass their own) on the app's database, because
// routes never reach db.server themselves (eslint: routes → services only).
import { db } from "../db.server";
import { archiveExperiment, createExperiment, designDraft, experimentFormOptions, experimentResults, experimentsList, stopExperiment } from "./experiments.server";

export const experimentsPage = {
  list: (shopId: number, options: { archived?: boolean }) => experimentsList(db(), shopId, options),
  formOptions: (shopId: number) => experimentFormOptions(db(), shopId),
  design: (shopId: number, form: Record<string, string>) => designDraft(db(), shopId, form),
  create: (shopId: number, form: Record<string, string>) => createExperiment(db(), shopId, form),
  results: (shopId: number, id: number) => experimentResults(db(), shopId, id),
  stop: (shopId: number, id: number) => stopExperiment(db(), shopId, id),
  archive: (shopId: number, id: number) => archiveExperiment(db(), shopId, id),
};
