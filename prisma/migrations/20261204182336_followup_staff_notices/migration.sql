-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN     "staffNotifiedAt" TIMESTAMP(3),
ADD COLUMN     "unansweredAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "FollowUp_requestId_kind_idx" ON "FollowUp"("requestId", "kind");
