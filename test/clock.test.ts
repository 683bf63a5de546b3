import { afterEach, describe, expect, it } from "vitest";
import { businessNow, startBusinessClock } from "../app/clock.server";

describe("business clock", () => {
  afterEach(() => startBusinessClock(undefined));

  it("is real time by default", () => {
    expect(Math.abs(businessNow().getTime() - Date.now())).toBeLessThan(1000);
  });

  it("runs from the demo's store time once started there", async () => {
    startBusinessClock("2011-12-10T09:00:00.000Z");
    const first = businessNow().getTime();
    expect(Math.abs(first - Date.parse("2011-12-10T09:00:00.000Z"))).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 20));
    expect(businessNow().getTime()).toBeGreaterThan(first);
  });
});
