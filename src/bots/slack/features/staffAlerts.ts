import { z } from 'zod';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { asTaskError } from '../slackErrors.js';
import { STAFF_ALERT_TASK } from '../../../core/staff/staffAlerts.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';

const alertSchema = z.object({
  code: z.string().regex(/^[a-z0-9_.-]{1,64}$/),
  channel: z
    .string()
    .regex(/^[A-Z_]{1,16}$/)
    .optional(),
});

/**
 * Posts an operational alert to SLACK_ALERTS_CHANNEL (or the triage channel), in SLACK_LANGUAGE.
 * Not idempotent by itself (a post is a post): once it has run its task is DONE and is never
 * queued again, so only a worker dying between Slack's answer and that mark posts it twice.
 */
export function staffAlertTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  return {
    [STAFF_ALERT_TASK]: async (data) => {
      const { code, channel: about } = alertSchema.parse(data);
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
