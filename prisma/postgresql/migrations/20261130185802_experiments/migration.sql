-- CreateTable
CREATE TABLE "Experiment" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "segmentKey" TEXT,
    "segmentName" TEXT,
    "runId" INTEGER,
    "metric" TEXT NOT NULL,
    "controlShare" DOUBLE PRECISION NOT NULL,
    "horizonDays" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "startsOn" TIMESTAMP(3) NOT NULL,
    "preDays" INTEGER NOT NULL,
    "design" TEXT NOT NULL,
    "stoppedAt" TIMESTAMP(3),
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Experiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentAssignment" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "experimentId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "arm" TEXT NOT NULL,
    "stratum" TEXT NOT NULL,

    CONSTRAINT "ExperimentAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Experiment_shopId_status_idx" ON "Experiment"("shopId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_shopId_slug_key" ON "Experiment"("shopId", "slug");

-- CreateIndex
CREATE INDEX "ExperimentAssignment_shopId_customerId_idx" ON "ExperimentAssignment"("shopId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentAssignment_experimentId_customerId_key" ON "ExperimentAssignment"("experimentId", "customerId");

-- AddForeignKey
ALTER TABLE "Experiment" ADD CONSTRAINT "Experiment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentAssignment" ADD CONSTRAINT "ExperimentAssignment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentAssignment" ADD CONSTRAINT "ExperimentAssignment_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentAssignment" ADD CONSTRAINT "ExperimentAssignment_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

