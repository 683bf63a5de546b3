-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "riskAssessments" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "vipTags" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "AnomalyModel" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "asOf" TEXT NOT NULL,
    "orderCount" INTEGER NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "model" TEXT NOT NULL,
    "metrics" TEXT NOT NULL DEFAULT '{}',
    "fittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnomalyModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Anomaly" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "orderId" INTEGER,
    "customerId" INTEGER,
    "day" TEXT,
    "score" DOUBLE PRECISION NOT NULL,
    "category" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "facts" TEXT NOT NULL DEFAULT '{}',
    "source" TEXT NOT NULL DEFAULT 'refresh',
    "status" TEXT NOT NULL DEFAULT 'open',
    "reviewedAt" TIMESTAMP(3),
    "riskAssessedAt" TIMESTAMP(3),
    "detectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Anomaly_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "AnomalyModel" ADD CONSTRAINT "AnomalyModel_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Anomaly" ADD CONSTRAINT "Anomaly_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Anomaly" ADD CONSTRAINT "Anomaly_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Anomaly" ADD CONSTRAINT "Anomaly_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

