-- AlterTable
ALTER TABLE "Anomaly" ADD COLUMN "riskAssessment" TEXT;

