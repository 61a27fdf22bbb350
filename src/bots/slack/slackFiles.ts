import { z } from 'zod';
import { slackErrorCode } from './slackErrors.js';
import type { SlackClient } from './slackDeps.js';

/** A file to share in a channel, or in a message's thread. */
export interface SlackFile {
  channelId: string;
  /** the message whose thread receives the file; the channel itself when absent */
  threadTs?: string | undefined;
  bytes: Buffer;
  filename: string;
  title: string;
  /** for screen readers (images); Slack keeps at most 1000 characters */
  altText?: string;
  /** the message introducing the file */
  comment?: string;
}

const uploaded = z.object({
  files: z.array(z.object({ files: z.array(z.object({ id: z.string() })).optional() })).optional(),
});
const MAX_ALT_TEXT = 1000;

/**
 * Shares a file with Slack's external upload flow (files.uploadV2: files.getUploadURLExternal,
 * the bytes POSTed to the upload URL it returns, then files.completeUploadExternal with the
 * channel and thread). Needs the `files:write` scope, and the bot must be in the channel
 * (`not_in_channel` otherwise). Returns the Slack file id.
 */
export async function shareFile(client: SlackClient, file: SlackFile): Promise<string | null> {
  const common = {
    file: file.bytes,
    filename: file.filename,
    title: file.title,
    ...(file.altText ? { alt_text: file.altText.slice(0, MAX_ALT_TEXT) } : {}),
    ...(file.comment ? { initial_comment: file.comment } : {}),
  };
  const result = await client.files.uploadV2(
    file.threadTs
      ? { ...common, channel_id: file.channelId, thread_ts: file.threadTs }
      : { ...common, channel_id: file.channelId },
  );
  const parsed = uploaded.safeParse(result);
  return parsed.success ? (parsed.data.files?.[0]?.files?.[0]?.id ?? null) : null;
}

/** Slack's answers when the bot may not post in a channel (not invited, archived, or a DM between two people). */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/** Whether an upload failed because Relais cannot post in that channel (the fix is `/invite @Relais`). */
export function cannotPostHere(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== null && NOT_A_MEMBER.has(code);
}
