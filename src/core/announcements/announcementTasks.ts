import type { TaskHandlers } from '../queue/taskWorker.js';
import { feedAnnouncement, startAnnouncement, type FeederDeps } from './announcementFeeder.js';
import { ANNOUNCEMENT_TASKS } from './announcementService.js';

/** The announcements' background tasks; `announcement.progress` is Slack's (a no-op without Slack). */
export function buildAnnouncementTasks(deps: FeederDeps): TaskHandlers {
  return {
    [ANNOUNCEMENT_TASKS.start]: async (data) => startAnnouncement(deps, data),
    [ANNOUNCEMENT_TASKS.feed]: async (data) => feedAnnouncement(deps, data),
    [ANNOUNCEMENT_TASKS.progress]: async () => 'no staff channel configured',
  };
}
