// Minimal types for the untyped density-clustering package (used only as a cross-check).
declare module "density-clustering" {
  export class DBSCAN {
    run(dataset: number[][], epsilon: number, minPts: number, distance?: (p: number[], q: number[]) => number): number[][];
    noise: number[];
  }
}
