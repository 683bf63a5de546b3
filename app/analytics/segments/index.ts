export * from "./scaling";
export * from "./hungarian";
export * from "./model";
export { SEGMENT_DEFAULTS, type SegmentOptions } from "./options";
export type * from "./result";
export { segmentCustomers } from "./pipeline";
export { assignSegments } from "./assign";
export * from "./explain";
export { describeSegment } from "./describe";
