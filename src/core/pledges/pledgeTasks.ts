import type { Config } from '../config.js';
import type { Db } from '../db.js';
import type { I18n } from '../i18n/i18n.js';
import type { Secrets } from '../secrets.js';
import type { OutboxDispatcher } from '../outbound/outboxDispatcher.js';
import type { TaskHandlers } from '../queue/taskWorker.js';
import { readTaskData } from '../queue/taskData.js';
import { milestoneData, sendDonorUpdate } from './donorUpdates.js';
import { PLEDGE_TASKS } from './pledgeService.js';

/** Core tasks of pledges: the donor's milestone messages. */
export function buildPledgeTasks(deps: {
  db: Db;
  config: Config;
  i18n: I18n;
  secrets: Secrets;
  dispatcher?: Pick<OutboxDispatcher, 'dispatchMessages'>;
}): TaskHandlers {
  return {
    [PLEDGE_TASKS.donorUpdate]: async (data) => {
      const input = readTaskData(milestoneData, data, PLEDGE_TASKS.donorUpdate);
      const { outcome, messages } = await sendDonorUpdate(deps.db, deps, input);
      if (messages.length > 0) await deps.dispatcher?.dispatchMessages(messages);
      return outcome;
    },
  };
}
