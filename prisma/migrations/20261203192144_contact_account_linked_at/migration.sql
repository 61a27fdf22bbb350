-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "accountLinkedAt" TIMESTAMP(3);
