-- CreateTable
CREATE TABLE "RecommendationModel" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "runId" INTEGER,
    "version" INTEGER NOT NULL,
    "basketCount" INTEGER NOT NULL,
    "productCount" INTEGER NOT NULL,
    "params" TEXT NOT NULL DEFAULT '{}',
    "metrics" TEXT NOT NULL DEFAULT '{}',
    "popularity" TEXT NOT NULL DEFAULT '{}',
    "trainedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RecommendationModel_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProductRecommendation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "modelId" INTEGER NOT NULL,
    "productId" TEXT NOT NULL,
    "neighbours" TEXT NOT NULL,
    CONSTRAINT "ProductRecommendation_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RecommendationModel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProductRule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "modelId" INTEGER NOT NULL,
    "antecedent" TEXT NOT NULL,
    "consequent" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "support" REAL NOT NULL,
    "confidence" REAL NOT NULL,
    "lift" REAL NOT NULL,
    CONSTRAINT "ProductRule_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RecommendationModel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Product" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" INTEGER NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priceMilli" BIGINT,
    "currency" TEXT,
    "imageUrl" TEXT,
    "imageAlt" TEXT,
    "available" BOOLEAN NOT NULL DEFAULT true,
    "shopifyUpdatedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Product_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Product" ("currency", "handle", "id", "imageUrl", "priceMilli", "shopId", "shopifyId", "shopifyUpdatedAt", "status", "title") SELECT "currency", "handle", "id", "imageUrl", "priceMilli", "shopId", "shopifyId", "shopifyUpdatedAt", "status", "title" FROM "Product";
DROP TABLE "Product";
ALTER TABLE "new_Product" RENAME TO "Product";
CREATE UNIQUE INDEX "Product_shopId_shopifyId_key" ON "Product"("shopId", "shopifyId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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

