// What the write-back tests share: the app's environment for the services' logger, a simulator
// whose bulk operations finish at once, a backfill to its end, and a write-back pass driven to
// its end (the job's loop without the queue).
import { vi } from "vitest";
import type { Db } from "../../app/db.server";
import { advanceBackfill, beginBackfill } from "../../app/services/backfill.server";
import { advanceWriteBack } from "../../app/services/write-back.server";
import type { AdminClient } from "../../app/shopify/admin-client.server";
import { startSimulatorServer, type SimulatorServer, type SimulatorServerOptions } from "../../simulator/server";

/** The services log through the app's logger, which reads the validated configuration. */
export function stubAppEnv(): void {
  vi.stubEnv("SHOPIFY_API_KEY", "test-key");
  vi.stubEnv("SHOPIFY_API_SECRET", "test-secret");
  vi.stubEnv("SHOPIFY_APP_URL", "http://localhost:3000");
  vi.stubEnv("LOG_LEVEL", "error");
}

/** A local Shopify for these shops: bulk operations run at once, webhooks are not delivered. */
export function startWriteBackSimulator(shops: SimulatorServerOptions["shops"]): Promise<SimulatorServer> {
  return startSimulatorServer({
    apiSecret: "s",
    appUrl: "http://127.0.0.1:9",
    shops,
    webhooks: { autoDeliver: false },
    bulk: { objectsPerSecond: 1e7, minRunMs: 20, startDelayMs: 0 },
    tickMs: 10,
  });
}

/** Imports the shop's orders from the simulator, to the end of the backfill. */
export async function backfillShop(db: Db, admin: AdminClient, shopId: number): Promise<void> {
  await beginBackfill(db, shopId);
  while (!(await advanceBackfill({ db, admin, shopId })).done) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Drives a write-back pass to its end and returns its row; fails after `maxSteps` steps.
 * `beforeStep` runs before every step (a test that acts in the middle of a pass).
 */
export async function driveWriteBack(db: Db, admin: AdminClient, shopId: number, writeBackId: number, maxSteps: number, beforeStep?: () => Promise<void>) {
  for (let steps = 0; ; steps++) {
    await beforeStep?.();
    const step = await advanceWriteBack({ db, admin, shopId, writeBackId });
    if (step.done) break;
    if (steps > maxSteps) throw new Error(`write-back pass ${writeBackId} did not finish in ${maxSteps} steps`);
    if (step.pollAfterMs > 0) await new Promise((r) => setTimeout(r, 30));
  }
  return db.writeBack.findUniqueOrThrow({ where: { id: writeBackId } });
}
