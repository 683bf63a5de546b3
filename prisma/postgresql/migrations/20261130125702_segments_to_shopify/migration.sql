-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "algorithm" TEXT NOT NULL DEFAULT 'hybrid',
ADD COLUMN     "bulkThreshold" INTEGER NOT NULL DEFAULT 1000,
ADD COLUMN     "clusterCount" INTEGER,
ADD COLUMN     "lastRefreshAt" TIMESTAMP(3),
ADD COLUMN     "nextRefreshAt" TIMESTAMP(3),
ADD COLUMN     "refreshHour" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "refreshWeekday" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "shopifySegments" BOOLEAN NOT NULL DEFAULT true,
ALTER COLUMN "writeBackMode" SET DEFAULT 'dry-run';

-- AlterTable
ALTER TABLE "SegmentRun" ADD COLUMN     "shopifyRfm" TEXT;

-- AlterTable
ALTER TABLE "CustomerSegment" ADD COLUMN     "assignedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "TagWrite" ADD COLUMN     "message" TEXT,
ADD COLUMN     "result" TEXT NOT NULL DEFAULT 'ok',
ADD COLUMN     "writeBackId" INTEGER;

-- CreateTable
CREATE TABLE "WriteBack" (
    "id" SERIAL NOT NULL,
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
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "WriteBack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopifySegment" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "segmentKey" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopifySegment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WriteBack_shopId_startedAt_idx" ON "WriteBack"("shopId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ShopifySegment_shopId_segmentKey_key" ON "ShopifySegment"("shopId", "segmentKey");

-- CreateIndex
CREATE INDEX "CustomerSegment_runId_segmentKey_idx" ON "CustomerSegment"("runId", "segmentKey");

-- CreateIndex
CREATE INDEX "TagWrite_writeBackId_idx" ON "TagWrite"("writeBackId");

-- AddForeignKey
ALTER TABLE "TagWrite" ADD CONSTRAINT "TagWrite_writeBackId_fkey" FOREIGN KEY ("writeBackId") REFERENCES "WriteBack"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WriteBack" ADD CONSTRAINT "WriteBack_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WriteBack" ADD CONSTRAINT "WriteBack_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SegmentRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopifySegment" ADD CONSTRAINT "ShopifySegment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

