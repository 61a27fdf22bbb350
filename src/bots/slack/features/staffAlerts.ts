import { z } from 'zod';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { asTaskError } from '../slackErrors.js';
import { STAFF_ALERT_TASK } from '../../../core/staff/staffAlerts.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { channelLanguage } from '../../../core/staff/channelLanguage.js';
import { staffCardPositions } from '../../../core/staffCards/staffCardPositions.js';

const alertSchema = z.object({
  code: z.string().regex(/^[a-z0-9_.-]{1,64}$/),
  channel: z
    .string()
    .regex(/^[A-Z_]{1,16}$/)
    .optional(),
  /** the request it is about: the alert goes in its card's thread */
  requestId: z.string().uuid().optional(),
});

/**
 * Posts an operational alert to SLACK_ALERTS_CHANNEL (or the triage channel), in SLACK_LANGUAGE;
 * an alert about a request whose card is posted goes in the card's thread instead, in the
 * language of that channel, naming the request (`slack:alerts.<code>_request`).
 * Not idempotent by itself (a post is a post): once it has run its task is DONE and is never
 * queued again, so only a worker dying between Slack's answer and that mark posts it twice.
 */
export function staffAlertTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  return {
    [STAFF_ALERT_TASK]: async (data) => {
      const { code, channel: about, requestId } = alertSchema.parse(data);
      const card = requestId ? await staffCardPositions.ofRequest(deps.db, requestId) : null;
      if (card && deps.text.has(deps.config.SLACK_LANGUAGE, `slack:alerts.${code}_request`)) {
        const say = sayIn(deps, await channelLanguage(deps.db, card.associationId, deps.config.SLACK_LANGUAGE));
        await client.chat
          .postMessage({
            channel: card.channel,
            thread_ts: card.ts,
            text: say(`slack:alerts.${code}_request`, { reference: card.reference, channel: about ?? '' }),
          })
          .catch((error: unknown) => Promise.reject(asTaskError(error)));
        return 'posted in the thread';
      }
      const channel = deps.config.SLACK_ALERTS_CHANNEL ?? deps.config.SLACK_TRIAGE_CHANNEL;
      if (!channel) return 'no alerts channel';
      const lng = deps.config.SLACK_LANGUAGE;
      const say = sayIn(deps, lng);
      const text = deps.text.has(lng, `slack:alerts.${code}`)
        ? say(`slack:alerts.${code}`, { channel: about ?? '' })
        : say('slack:alerts.generic', { code });
      await client.chat.postMessage({ channel, text }).catch((error: unknown) => Promise.reject(asTaskError(error)));
      return 'posted';
    },
  };
}
