-- CreateEnum
CREATE TYPE "AnnouncementStatus" AS ENUM ('SCHEDULED', 'SENDING', 'DONE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "AnnouncementRecipientStatus" AS ENUM ('WAITING', 'QUEUED', 'OPTED_OUT', 'SKIPPED', 'CANCELLED');

-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "announcementsOff" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "announcementId" UUID;

-- CreateTable
CREATE TABLE "Announcement" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "number" SERIAL NOT NULL,
    "associationId" UUID,
    "template" TEXT,
    "texts" JSONB,
    "params" JSONB NOT NULL DEFAULT '{}',
    "audience" JSONB NOT NULL,
    "status" "AnnouncementStatus" NOT NULL DEFAULT 'SCHEDULED',
    "createdByType" "ActorType" NOT NULL,
    "createdById" TEXT,
    "sendAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "slackChannelId" TEXT,
    "slackTs" TEXT,
    "recipientCount" INTEGER NOT NULL DEFAULT 0,
    "leftOutNoText" JSONB NOT NULL DEFAULT '{}',
    "leftOutWhatsApp" INTEGER NOT NULL DEFAULT 0,
    "optedOutCount" INTEGER NOT NULL DEFAULT 0,
    "feedRound" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Announcement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnnouncementRecipient" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "announcementId" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "language" TEXT NOT NULL,
    "status" "AnnouncementRecipientStatus" NOT NULL DEFAULT 'WAITING',
    "messageId" UUID,

    CONSTRAINT "AnnouncementRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Announcement_number_key" ON "Announcement"("number");

-- CreateIndex
CREATE INDEX "Announcement_status_sendAt_idx" ON "Announcement"("status", "sendAt");

-- CreateIndex
CREATE INDEX "Announcement_associationId_createdAt_idx" ON "Announcement"("associationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementRecipient_messageId_key" ON "AnnouncementRecipient"("messageId");

-- CreateIndex
CREATE INDEX "AnnouncementRecipient_announcementId_status_channel_idx" ON "AnnouncementRecipient"("announcementId", "status", "channel");

-- CreateIndex
CREATE INDEX "AnnouncementRecipient_contactId_status_idx" ON "AnnouncementRecipient"("contactId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementRecipient_announcementId_contactId_key" ON "AnnouncementRecipient"("announcementId", "contactId");

-- CreateIndex
CREATE INDEX "Message_announcementId_status_idx" ON "Message"("announcementId", "status");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_announcementId_fkey" FOREIGN KEY ("announcementId") REFERENCES "Announcement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Announcement" ADD CONSTRAINT "Announcement_associationId_fkey" FOREIGN KEY ("associationId") REFERENCES "Association"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnouncementRecipient" ADD CONSTRAINT "AnnouncementRecipient_announcementId_fkey" FOREIGN KEY ("announcementId") REFERENCES "Announcement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnouncementRecipient" ADD CONSTRAINT "AnnouncementRecipient_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;
