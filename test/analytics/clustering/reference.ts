// Loads the scikit-learn golden fixtures written by scripts/reference/cluster_reference.py.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import type { Matrix } from "../../../app/analytics/util/matrix";

const dir = fileURLToPath(new URL("../../fixtures/reference/", import.meta.url));

export function readFixture<T>(name: string): T {
  const raw = readFileSync(dir + name);
  return JSON.parse((name.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8")) as T;
}

interface DatasetJson {
  rows: number;
  cols: number;
  data: number[];
}

let cache: Record<string, DatasetJson> | null = null;

/** A reference input matrix, as a fresh copy (tests may check that inputs are not mutated). */
export function dataset(name: string): Matrix {
  cache ??= readFixture<{ datasets: Record<string, DatasetJson> }>("cluster_datasets.json.gz").datasets;
  const d = cache[name];
  if (!d) throw new Error(`no reference dataset ${name}`);
  return { data: Float64Array.from(d.data), rows: d.rows, cols: d.cols };
}

export interface KMeansCase { dataset: string; k: number; inertia: number; nIter: number }
export interface DbscanCase { dataset: string; eps: number; minPoints: number; labels: number[]; core: number[]; clusterCount: number; noise: number }
export interface KDistCase {
  dataset: string; minPoints: number; kneeIndex: number; eps: number;
  probe: { index: number; distance: number }[]; kdistByRow: number[] | null;
}
export interface SilhouetteCase { dataset: string; labelsFrom: string; labels: number[]; score: number; sampled1000?: number[] }
export interface PcaCase { dataset: string; components: number[][]; explainedVarianceRatio: number[]; mean: number[]; projectedFirstRows: number[][] }
