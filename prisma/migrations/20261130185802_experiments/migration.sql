-- CreateTable
CREATE TABLE "Experiment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "segmentKey" TEXT,
    "segmentName" TEXT,
    "runId" INTEGER,
    "metric" TEXT NOT NULL,
    "controlShare" REAL NOT NULL,
    "horizonDays" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "startsOn" DATETIME NOT NULL,
    "preDays" INTEGER NOT NULL,
    "design" TEXT NOT NULL,
    "stoppedAt" DATETIME,
    "archivedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Experiment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExperimentAssignment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "experimentId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "arm" TEXT NOT NULL,
    "stratum" TEXT NOT NULL,
    CONSTRAINT "ExperimentAssignment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExperimentAssignment_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExperimentAssignment_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Experiment_shopId_status_idx" ON "Experiment"("shopId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_shopId_slug_key" ON "Experiment"("shopId", "slug");

-- CreateIndex
CREATE INDEX "ExperimentAssignment_shopId_customerId_idx" ON "ExperimentAssignment"("shopId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentAssignment_experimentId_customerId_key" ON "ExperimentAssignment"("experimentId", "customerId");

