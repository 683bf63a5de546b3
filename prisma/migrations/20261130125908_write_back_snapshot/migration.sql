-- AlterTable
ALTER TABLE "WriteBack" ADD COLUMN "snapshotOperationId" TEXT;

