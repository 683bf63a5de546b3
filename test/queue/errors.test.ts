// The queue alone decides retry or failure: which errors are terminal, and the backoff.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decideFailure, isRetryable, JobPayloadError, TerminalJobError } from "../../app/queue/errors.server";
import {
  AdminGraphqlError,
  ShopAccessError,
  ShopifyRequestError,
  ShopifyUnavailableError,
  UserErrorsError,
} from "../../app/shopify/admin-client.server";

const zodError = z.object({ id: z.string() }).safeParse({ id: 1 }).error!;

describe("isRetryable", () => {
  it.each([
    ["TerminalJobError", new TerminalJobError("backfill needs a shop")],
    ["JobPayloadError", new JobPayloadError("reconcile", zodError)],
    ["ZodError (a webhook payload that fails its schema)", zodError],
    ["SyntaxError (JSON that does not parse)", new SyntaxError("Unexpected token")],
    ["AdminGraphqlError", new AdminGraphqlError([{ message: "Field 'x' doesn't exist" }])],
    ["UserErrorsError", new UserErrorsError("tagsAdd", [{ message: "too many tags", code: "INVALID" }])],
    ["ShopAccessError (401/402/403/423)", new ShopAccessError(401, "Shopify answered 401 Unauthorized")],
    ["ShopifyRequestError (other 4xx)", new ShopifyRequestError(404, "Shopify answered 404 Not Found")],
  ])("%s is terminal", (_name, error) => {
    expect(isRetryable(error)).toBe(false);
  });

  it.each([
    ["ShopifyUnavailableError (throttled, 429, 5xx, network)", new ShopifyUnavailableError("HTTP 503", 4000)],
    ["a plain Error (database, unknown)", new Error("SQLITE_BUSY: database is locked")],
    ["a TypeError (fetch failed)", new TypeError("fetch failed")],
    ["a thrown non-Error", "boom"],
  ])("%s is retryable", (_name, error) => {
    expect(isRetryable(error)).toBe(true);
  });
});

describe("decideFailure", () => {
  it("backs off exponentially from 2 s, capped at 10 min", () => {
    const delays = [1, 2, 3, 4, 10, 20].map((attempts) => decideFailure(new Error("x"), attempts, 100));
    expect(delays.map((d) => (d.retry ? d.delayMs : null))).toEqual([2_000, 4_000, 8_000, 16_000, 600_000, 600_000]);
  });

  it("waits for Shopify's Retry-After when it is longer than the backoff", () => {
    expect(decideFailure(new ShopifyUnavailableError("HTTP 429", 30_000), 1, 5)).toMatchObject({ retry: true, delayMs: 30_000 });
    expect(decideFailure(new ShopifyUnavailableError("HTTP 429", 500), 1, 5)).toMatchObject({ retry: true, delayMs: 2_000 });
  });

  it("gives up when the attempts are spent, and says so", () => {
    const d = decideFailure(new Error("network down"), 5, 5);
    expect(d).toEqual({ retry: false, reason: "gave up after 5 attempts: Error: network down" });
  });

  it("fails a terminal error on its first attempt, with its name and message", () => {
    const d = decideFailure(new ShopAccessError(402, "Shopify answered 402 Payment Required"), 1, 5);
    expect(d).toEqual({ retry: false, reason: "ShopAccessError: Shopify answered 402 Payment Required" });
  });
});

describe("JobPayloadError", () => {
  it("names the job type and each failing field", () => {
    const error = new JobPayloadError("reconcile", z.object({ onDemand: z.boolean() }).safeParse({ onDemand: "yes" }).error!);
    expect(error.message).toMatch(/^job reconcile: payload does not match its schema: onDemand: /);
    expect(error).toBeInstanceOf(TerminalJobError);
  });
});
