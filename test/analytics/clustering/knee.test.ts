import { describe, expect, it } from "vitest";
import { findKnee } from "../../../app/analytics/clustering/knee";

const xs = Array.from({ length: 101 }, (_, i) => i / 100);

describe("findKnee (Kneedle)", () => {
  it("convex increasing y = x²: farthest below the chord at x = 0.5", () => {
    expect(findKnee(xs, xs.map((x) => x * x), { curve: "convex", direction: "increasing" })).toBe(50);
  });
  it("concave increasing y = √x: knee at x = 0.25", () => {
    expect(findKnee(xs, xs.map(Math.sqrt), { curve: "concave", direction: "increasing" })).toBe(25);
  });
  it("convex decreasing y = (1 − x)² (an inertia elbow): x = 0.5", () => {
    expect(findKnee(xs, xs.map((x) => (1 - x) ** 2), { curve: "convex", direction: "decreasing" })).toBe(50);
  });
  it("concave decreasing y = 1 − x²: x = 0.5", () => {
    expect(findKnee(xs, xs.map((x) => 1 - x * x), { curve: "concave", direction: "decreasing" })).toBe(50);
  });
  it("a sharp elbow is found exactly and x need not be evenly spaced", () => {
    const ks = [2, 3, 4, 5, 6, 8, 10];
    const inertia = [100, 60, 20, 18, 16, 14, 12];
    expect(findKnee(ks, inertia, { curve: "convex", direction: "decreasing" })).toBe(2);
  });
  it("no knee: a straight line, a curve bending the other way, < 3 points, constant y → −1", () => {
    expect(findKnee(xs, xs, { curve: "convex", direction: "increasing" })).toBe(-1);
    expect(findKnee(xs, xs.map(Math.sqrt), { curve: "convex", direction: "increasing" })).toBe(-1);
    expect(findKnee([1, 2], [1, 4], { curve: "convex", direction: "increasing" })).toBe(-1);
    expect(findKnee([1, 2, 3], [5, 5, 5], { curve: "convex", direction: "increasing" })).toBe(-1);
  });
  it("rejects mismatched lengths, unsorted x and bad options", () => {
    expect(() => findKnee([1, 2, 3], [1, 2], { curve: "convex", direction: "increasing" })).toThrow(/ys/);
    expect(() => findKnee([1, 3, 2], [1, 2, 3], { curve: "convex", direction: "increasing" })).toThrow(/increasing/);
    expect(() => findKnee([1, 2, 3], [1, 2, 3], { curve: "wavy" as "convex", direction: "increasing" })).toThrow(/curve/);
    expect(() => findKnee([1, 2, Number.NaN], [1, 2, 3], { curve: "convex", direction: "increasing" })).toThrow(/non-finite/);
  });
  it("accepts typed arrays", () => {
    const ys = Float64Array.from(xs, (x) => x ** 3);
    expect(findKnee(Float64Array.from(xs), ys, { curve: "convex", direction: "increasing" })).toBe(58); // argmax x − x³ = 1/√3
  });
});
