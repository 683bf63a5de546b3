export * from "./scaling";
export * from "./hungarian";
export * from "./model";
export * from "./pipeline";
export * from "./explain";
export { describeSegment } from "./describe";
