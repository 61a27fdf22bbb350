-- CreateEnum
CREATE TYPE "JoinRequestStatus" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED');

-- AlterTable
ALTER TABLE "Association" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "department" TEXT;

-- CreateTable
CREATE TABLE "StaffJoinRequest" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slackUserId" TEXT NOT NULL,
    "associationId" UUID NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'fr',
    "status" "JoinRequestStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "slackChannelId" TEXT,
    "slackTs" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffJoinRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StaffJoinRequest_slackUserId_status_idx" ON "StaffJoinRequest"("slackUserId", "status");

-- AddForeignKey
ALTER TABLE "StaffJoinRequest" ADD CONSTRAINT "StaffJoinRequest_associationId_fkey" FOREIGN KEY ("associationId") REFERENCES "Association"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One pending request per person and association: a second click answers "already asked"
CREATE UNIQUE INDEX "StaffJoinRequest_one_pending" ON "StaffJoinRequest"("slackUserId", "associationId") WHERE "status" = 'PENDING';
