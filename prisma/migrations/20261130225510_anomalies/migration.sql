-- CreateTable
CREATE TABLE "AnomalyModel" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "asOf" TEXT NOT NULL,
    "orderCount" INTEGER NOT NULL,
    "threshold" REAL NOT NULL,
    "model" TEXT NOT NULL,
    "metrics" TEXT NOT NULL DEFAULT '{}',
    "fittedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AnomalyModel_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Anomaly" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "orderId" INTEGER,
    "customerId" INTEGER,
    "day" TEXT,
    "score" REAL NOT NULL,
    "category" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "facts" TEXT NOT NULL DEFAULT '{}',
    "source" TEXT NOT NULL DEFAULT 'refresh',
    "status" TEXT NOT NULL DEFAULT 'open',
    "reviewedAt" DATETIME,
    "riskAssessedAt" DATETIME,
    "detectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Anomaly_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Anomaly_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Anomaly_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "riskAssessments" BOOLEAN NOT NULL DEFAULT false,
    "vipTags" BOOLEAN NOT NULL DEFAULT false,
    "lastReconciledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("algorithm", "bulkThreshold", "clusterCount", "createdAt", "domain", "id", "installState", "installedAt", "lastReconciledAt", "lastRefreshAt", "nextRefreshAt", "refreshHour", "refreshSchedule", "refreshWeekday", "scopes", "shopifySegments", "tagPrefix", "timezone", "uninstalledAt", "updatedAt", "writeBackMode") SELECT "algorithm", "bulkThreshold", "clusterCount", "createdAt", "domain", "id", "installState", "installedAt", "lastReconciledAt", "lastRefreshAt", "nextRefreshAt", "refreshHour", "refreshSchedule", "refreshWeekday", "scopes", "shopifySegments", "tagPrefix", "timezone", "uninstalledAt", "updatedAt", "writeBackMode" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "AnomalyModel_shopId_key" ON "AnomalyModel"("shopId");

-- CreateIndex
CREATE INDEX "Anomaly_shopId_kind_status_score_idx" ON "Anomaly"("shopId", "kind", "status", "score");

-- CreateIndex
CREATE INDEX "Anomaly_orderId_idx" ON "Anomaly"("orderId");

-- CreateIndex
CREATE INDEX "Anomaly_customerId_idx" ON "Anomaly"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Anomaly_shopId_kind_subjectKey_key" ON "Anomaly"("shopId", "kind", "subjectKey");

