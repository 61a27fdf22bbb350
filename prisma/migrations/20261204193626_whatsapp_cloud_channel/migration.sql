-- AlterEnum
ALTER TYPE "Channel" ADD VALUE 'WHATSAPP_CLOUD';

-- AlterEnum
ALTER TYPE "MessageStatus" ADD VALUE 'HELD';

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "readAt" TIMESTAMP(3);
