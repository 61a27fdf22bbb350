-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "OutboxJobStatus" ADD VALUE 'DONE';
ALTER TYPE "OutboxJobStatus" ADD VALUE 'FAILED';

-- AlterTable
ALTER TABLE "OutboxJob" ADD COLUMN     "queuedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "OutboxJob_status_queuedAt_idx" ON "OutboxJob"("status", "queuedAt");
