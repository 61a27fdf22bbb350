import type { Config } from '../config.js';

/** Messages per second an announcement goes out at on each channel: the channel's overall pace. */
export function announcementRate(
  config: Pick<Config, 'TELEGRAM_RATE_GLOBAL_PER_SEC' | 'WHATSAPP_GLOBAL_PER_MINUTE'>,
  channel: string,
): number {
  if (channel === 'TELEGRAM') return config.TELEGRAM_RATE_GLOBAL_PER_SEC;
  if (channel === 'WHATSAPP') return config.WHATSAPP_GLOBAL_PER_MINUTE / 60;
  return 500;
}

/** About how long `people` messages take on a channel at its pace, in seconds (rounded up). */
export function expectedSeconds(
  config: Parameters<typeof announcementRate>[0],
  channel: string,
  people: number,
): number {
  return Math.ceil(people / announcementRate(config, channel));
}

/**
 * How many of an announcement's messages may wait in a channel's outbox at once: about five
 * seconds of sending. The rest waits as recipients in Postgres, so Redis holds a few jobs,
 * not the whole audience, and a cancellation has little to take back.
 */
export function feedWindow(config: Parameters<typeof announcementRate>[0], channel: string): number {
  return Math.min(500, Math.max(5, Math.ceil(announcementRate(config, channel) * 5)));
}
