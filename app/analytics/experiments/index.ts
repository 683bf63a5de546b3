// Holdout experiments' statistics (docs/experiments.md): assignment, design, analysis. Pure.
export * from "./types";
export { armHash, assignArms, type ArmMember } from "./assign";
export { analyzeExperiment, confidenceSequence, sampleRatioPValue, sequentialTuning, SRM_P_THRESHOLD } from "./analyze";
export { designExperiment, balanceCheck, type DesignInput, type ExperimentDesign, type BalanceCheck } from "./power";
export { ExperimentInputError } from "./errors";
export { normalCdf, normalQuantile, studentTTwoSidedP, studentTUpperQuantile, chiSquare1Sf } from "./distributions";
