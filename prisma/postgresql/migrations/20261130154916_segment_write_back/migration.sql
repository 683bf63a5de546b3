-- AlterTable
ALTER TABLE "WriteBack" ADD COLUMN     "segmentKey" TEXT;

