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
CREATE TABLE "new_CustomerSegment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "runId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "segmentKey" TEXT NOT NULL,
    "cluster" INTEGER NOT NULL,
    "outlier" BOOLEAN NOT NULL DEFAULT false,
    "recencyDays" INTEGER,
    "frequency" INTEGER NOT NULL,
    "monetaryMilli" BIGINT NOT NULL,
    "rScore" INTEGER NOT NULL,
    "fScore" INTEGER NOT NULL,
    "mScore" INTEGER NOT NULL,
    "rfmGroup" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    CONSTRAINT "CustomerSegment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CustomerSegment_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SegmentRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CustomerSegment_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CustomerSegment" ("cluster", "customerId", "explanation", "fScore", "frequency", "id", "mScore", "monetaryMilli", "outlier", "rScore", "recencyDays", "rfmGroup", "runId", "segmentKey", "shopId") SELECT "cluster", "customerId", "explanation", "fScore", "frequency", "id", "mScore", "monetaryMilli", "outlier", "rScore", "recencyDays", "rfmGroup", "runId", "segmentKey", "shopId" FROM "CustomerSegment";
DROP TABLE "CustomerSegment";
ALTER TABLE "new_CustomerSegment" RENAME TO "CustomerSegment";
CREATE INDEX "CustomerSegment_shopId_customerId_idx" ON "CustomerSegment"("shopId", "customerId");
CREATE UNIQUE INDEX "CustomerSegment_runId_customerId_key" ON "CustomerSegment"("runId", "customerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

