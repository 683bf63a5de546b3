-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "available" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "imageAlt" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "RecommendationModel" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "runId" INTEGER,
    "version" INTEGER NOT NULL,
    "basketCount" INTEGER NOT NULL,
    "productCount" INTEGER NOT NULL,
    "params" TEXT NOT NULL DEFAULT '{}',
    "metrics" TEXT NOT NULL DEFAULT '{}',
    "popularity" TEXT NOT NULL DEFAULT '{}',
    "trainedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecommendationModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductRecommendation" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "modelId" INTEGER NOT NULL,
    "productId" TEXT NOT NULL,
    "neighbours" TEXT NOT NULL,

    CONSTRAINT "ProductRecommendation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductRule" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "modelId" INTEGER NOT NULL,
    "antecedent" TEXT NOT NULL,
    "consequent" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "support" DOUBLE PRECISION NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "lift" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ProductRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecommendationModel_shopId_trainedAt_idx" ON "RecommendationModel"("shopId", "trainedAt");

-- CreateIndex
CREATE INDEX "ProductRecommendation_shopId_productId_idx" ON "ProductRecommendation"("shopId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "ProductRecommendation_modelId_productId_key" ON "ProductRecommendation"("modelId", "productId");

-- CreateIndex
CREATE INDEX "ProductRule_modelId_antecedent_idx" ON "ProductRule"("modelId", "antecedent");

-- CreateIndex
CREATE INDEX "ProductRule_modelId_consequent_idx" ON "ProductRule"("modelId", "consequent");

-- AddForeignKey
ALTER TABLE "RecommendationModel" ADD CONSTRAINT "RecommendationModel_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductRecommendation" ADD CONSTRAINT "ProductRecommendation_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RecommendationModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductRule" ADD CONSTRAINT "ProductRule_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RecommendationModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

