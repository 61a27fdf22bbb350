import { z } from 'zod';
import { RelaisError } from '../../core/errors.js';
import type { SlackClient } from './slackDeps.js';

/** A file a staff member gave Relais cannot be read: too big, not text, or Slack would not hand it over. */
export class SlackFileUnreadable extends RelaisError {
  constructor(readonly reason: 'too_big' | 'not_text' | 'unavailable') {
    super(`RELAIS_FILE_${reason.toUpperCase()}`, `the Slack file cannot be read (${reason})`, 422);
  }
}

const fileInfo = z.object({
  file: z.object({
    id: z.string(),
    user: z.string().optional(),
    name: z.string().optional(),
    size: z.number().optional(),
    url_private_download: z.string().url(),
  }),
});

/** Slack serves private files from files.slack.com; a self-hosted API URL (tests, proxies) from its own origin. */
function trustedOrigin(url: URL, apiUrl: string): boolean {
  if (url.protocol === 'https:' && (url.hostname === 'files.slack.com' || url.hostname.endsWith('.slack.com')))
    return true;
  return url.origin === new URL(apiUrl).origin;
}

/**
 * Reads a text file a staff member shared with Relais (a modal's file_input): files.info gives
 * its `url_private_download`, fetched with the bot token (needs `files:read`). Slack answers
 * a request without a valid token with its HTML sign-in page and a 200, so HTML is refused.
 * The bytes are decoded as UTF-8, else as Windows-1252 (what a French Excel exports).
 */
export async function downloadTextFile(
  client: SlackClient,
  fileId: string,
  options: { apiUrl: string; maxBytes: number; timeoutMs?: number; uploadedBy?: string },
): Promise<{ name: string; text: string }> {
  const parsed = fileInfo.safeParse(await client.files.info({ file: fileId }));
  if (!parsed.success) throw new SlackFileUnreadable('unavailable');
  const { file } = parsed.data;
  // only the file the staff member gave: not another file the bot happens to see
  if (options.uploadedBy && file.user && file.user !== options.uploadedBy) throw new SlackFileUnreadable('unavailable');
  if (file.size !== undefined && file.size > options.maxBytes) throw new SlackFileUnreadable('too_big');
  const url = new URL(file.url_private_download);
  // the bot token goes to Slack only
  if (!trustedOrigin(url, options.apiUrl) || !client.token) throw new SlackFileUnreadable('unavailable');
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${client.token}` },
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
    });
  } catch {
    throw new SlackFileUnreadable('unavailable');
  }
  if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html'))
    throw new SlackFileUnreadable('unavailable');
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > options.maxBytes) throw new SlackFileUnreadable('too_big');
  if (bytes.includes(0)) throw new SlackFileUnreadable('not_text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return { name: file.name ?? fileId, text };
}
