-- AlterTable
ALTER TABLE "SegmentRun" ADD COLUMN "shopifyRfm" TEXT;

-- AlterTable
ALTER TABLE "CustomerSegment" ADD COLUMN "assignedAt" DATETIME;

-- CreateTable
CREATE TABLE "WriteBack" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "runId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "scope" TEXT,
    "bulkOperationId" TEXT,
    "bulkPhase" TEXT,
    "customersChanged" INTEGER NOT NULL DEFAULT 0,
    "tagsAdded" INTEGER NOT NULL DEFAULT 0,
    "tagsRemoved" INTEGER NOT NULL DEFAULT 0,
    "capped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "WriteBack_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "WriteBack_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SegmentRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ShopifySegment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "segmentKey" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopifySegment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "domain" TEXT NOT NULL,
    "installState" TEXT NOT NULL DEFAULT 'installed',
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "scopes" TEXT,
    "tagPrefix" TEXT NOT NULL DEFAULT 'segmint',
    "refreshSchedule" TEXT NOT NULL DEFAULT 'weekly',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "writeBackMode" TEXT NOT NULL DEFAULT 'dry-run',
    "algorithm" TEXT NOT NULL DEFAULT 'hybrid',
    "clusterCount" INTEGER,
    "refreshWeekday" INTEGER NOT NULL DEFAULT 1,
    "refreshHour" INTEGER NOT NULL DEFAULT 3,
    "lastRefreshAt" DATETIME,
    "nextRefreshAt" DATETIME,
    "bulkThreshold" INTEGER NOT NULL DEFAULT 1000,
    "shopifySegments" BOOLEAN NOT NULL DEFAULT true,
    "lastReconciledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("createdAt", "domain", "id", "installState", "installedAt", "lastReconciledAt", "refreshSchedule", "scopes", "tagPrefix", "timezone", "uninstalledAt", "updatedAt", "writeBackMode") SELECT "createdAt", "domain", "id", "installState", "installedAt", "lastReconciledAt", "refreshSchedule", "scopes", "tagPrefix", "timezone", "uninstalledAt", "updatedAt", "writeBackMode" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
CREATE TABLE "new_TagWrite" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "runId" INTEGER,
    "writeBackId" INTEGER,
    "result" TEXT NOT NULL DEFAULT 'ok',
    "message" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TagWrite_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TagWrite_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TagWrite_writeBackId_fkey" FOREIGN KEY ("writeBackId") REFERENCES "WriteBack" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_TagWrite" ("action", "createdAt", "customerId", "id", "mode", "runId", "shopId", "tag") SELECT "action", "createdAt", "customerId", "id", "mode", "runId", "shopId", "tag" FROM "TagWrite";
DROP TABLE "TagWrite";
ALTER TABLE "new_TagWrite" RENAME TO "TagWrite";
CREATE INDEX "TagWrite_shopId_customerId_idx" ON "TagWrite"("shopId", "customerId");
CREATE INDEX "TagWrite_writeBackId_idx" ON "TagWrite"("writeBackId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "WriteBack_shopId_startedAt_idx" ON "WriteBack"("shopId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ShopifySegment_shopId_segmentKey_key" ON "ShopifySegment"("shopId", "segmentKey");

-- CreateIndex
CREATE INDEX "CustomerSegment_runId_segmentKey_idx" ON "CustomerSegment"("runId", "segmentKey");

