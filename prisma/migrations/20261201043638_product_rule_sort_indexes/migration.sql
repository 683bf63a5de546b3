-- CreateIndex
CREATE INDEX "ProductRule_modelId_count_idx" ON "ProductRule"("modelId", "count");

-- CreateIndex
CREATE INDEX "ProductRule_modelId_lift_idx" ON "ProductRule"("modelId", "lift");

-- CreateIndex
CREATE INDEX "ProductRule_modelId_confidence_idx" ON "ProductRule"("modelId", "confidence");

