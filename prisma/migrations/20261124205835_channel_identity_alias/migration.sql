-- CreateTable
CREATE TABLE "ChannelIdentityAlias" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "channel" "Channel" NOT NULL,
    "aliasHash" TEXT NOT NULL,
    "identityId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelIdentityAlias_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChannelIdentityAlias_identityId_idx" ON "ChannelIdentityAlias"("identityId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelIdentityAlias_channel_aliasHash_key" ON "ChannelIdentityAlias"("channel", "aliasHash");

-- AddForeignKey
ALTER TABLE "ChannelIdentityAlias" ADD CONSTRAINT "ChannelIdentityAlias_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "ChannelIdentity"("id") ON DELETE CASCADE ON UPDATE CASCADE;
