-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SegmentRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "algorithm" TEXT NOT NULL,
    "asOf" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "params" TEXT NOT NULL DEFAULT '{}',
    "metrics" TEXT NOT NULL DEFAULT '{}',
    "model" TEXT,
    "plots" TEXT,
    "customerCount" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "durationMs" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SegmentRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_SegmentRun" ("algorithm", "asOf", "createdAt", "customerCount", "id", "metrics", "model", "params", "plots", "shopId", "status") SELECT "algorithm", "asOf", "createdAt", "customerCount", "id", "metrics", "model", "params", "plots", "shopId", "status" FROM "SegmentRun";
DROP TABLE "SegmentRun";
ALTER TABLE "new_SegmentRun" RENAME TO "SegmentRun";
CREATE INDEX "SegmentRun_shopId_createdAt_idx" ON "SegmentRun"("shopId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

