export * from "./features";
export * from "./scores";
export * from "./groups";
export * from "./calendar";
