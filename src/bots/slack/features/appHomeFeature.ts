import type { App } from '@slack/bolt';
import { z } from 'zod';
import { associationName } from '../../../core/associations/associationQueries.js';
import { stockSummary } from '../../../core/devices/stockQueries.js';
import { recentAuditOf } from '../../../core/audit/auditQueries.js';
import { appointmentAgenda } from '../../../core/followUps/appointmentAgenda.js';
import { impactFigures } from '../../../core/impact/impactFigures.js';
import { listOpenRequests } from '../../../core/requests/requestQueries.js';
import { findStaffBySlackId, type StaffActor } from '../../../core/staff/staffAccess.js';
import { homeView, type HomeData } from '../blocks/homeView.js';
import { sayIn, type SlackDeps } from '../slackDeps.js';
import { joinOfferHome } from './join/joinFeature.js';
import { TRANSFER_DEVICES_ACTION } from './transferFeature.js';

const WEEK_MS = 7 * 86_400_000;
const homeOpened = z.object({ type: z.literal('app_home_opened'), user: z.string(), tab: z.string().optional() });

/** Everything the App Home shows for one staff member. */
export async function homeData(deps: SlackDeps, staff: StaffActor): Promise<HomeData> {
  const [name, open, mine, stock, lastWeek, agenda, recent] = await Promise.all([
    associationName(deps.db, staff.associationId),
    listOpenRequests(deps.db, { associationId: staff.associationId, take: 15 }),
    listOpenRequests(deps.db, { assigneeId: staff.id, take: 15 }),
    stockSummary(deps.db, staff.associationId),
    impactFigures(deps.db, { associationId: staff.associationId, since: new Date(Date.now() - WEEK_MS) }),
    appointmentAgenda(deps.db, {
      associationId: staff.associationId,
      now: new Date(),
      timeZone: deps.config.TIME_ZONE,
    }),
    recentAuditOf(deps.db, staff.associationId, 20),
  ]);
  return {
    associationName: name,
    open,
    mine,
    stock,
    lastWeek,
    canTransfer: staff.role !== 'VOLUNTEER',
    agenda,
    recent,
  };
}

/** App Home: rendered each time a staff member opens it (views.publish is idempotent). */
export function registerAppHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    const opened = homeOpened.safeParse(event);
    if (!opened.success || (opened.data.tab && opened.data.tab !== 'home')) return;
    const staff = await findStaffBySlackId(deps.db, opened.data.user);
    const view = staff
      ? homeView(await homeData(deps, staff), sayIn(deps, staff.language), TRANSFER_DEVICES_ACTION, (key) =>
          deps.text.has(staff.language, key),
        )
      : await joinOfferHome(deps);
    await client.views.publish({ user_id: opened.data.user, view });
  });
}
