-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN     "appointmentAt" TIMESTAMP(3),
ADD COLUMN     "appointmentPlace" TEXT;
