import type { StockLine } from '../../../core/devices/stockQueries.js';
import type { ImpactFigures } from '../../../core/impact/impactFigures.js';
import type { RequestLine } from '../../../core/requests/requestQueries.js';
import { actions, button, context, divider, header, section, type Block, type HomeView } from './kit.js';
import type { AuditLine } from '../../../core/audit/auditQueries.js';
import type { AgendaLine } from '../../../core/followUps/appointmentAgenda.js';
import type { HasText } from './auditLines.js';
import { agendaBlocks, recentActionBlocks } from './homeAgenda.js';
import { impactLines, requestLines, stockLines } from './lists.js';
import type { Say } from './requestCard.js';

export interface HomeData {
  associationName: string;
  open: RequestLine[];
  mine: RequestLine[];
  stock: StockLine[];
  lastWeek: ImpactFigures;
  canTransfer: boolean;
  /** today's and overdue appointments */
  agenda?: AgendaLine[];
  /** the association's last actions (audit trail) */
  recent?: AuditLine[];
}

/** The App Home of a staff member: their association's open requests, theirs, the stock, last week. */
export function homeView(data: HomeData, say: Say, transferActionId: string, has: HasText = () => false): HomeView {
  const blocks: Block[] = [
    header(say('slack:home.title', { association: data.associationName })),
    ...(data.agenda ? agendaBlocks(data.agenda, say) : []),
    section(`*${say('slack:home.open', { count: data.open.length })}*\n${requestLines(data.open, say)}`),
    section(`*${say('slack:home.mine', { count: data.mine.length })}*\n${requestLines(data.mine, say)}`),
    divider(),
    section(`*${say('slack:home.stock')}*\n${stockLines(data.stock, say)}`),
    ...actions(
      'home:stock',
      data.canTransfer && data.stock.length > 0 ? [button(transferActionId, say('slack:stock.transfer'), 'home')] : [],
    ),
    divider(),
    section(`*${say('slack:home.last_week')}*\n${impactLines(data.lastWeek, say)}`),
    ...(data.recent ? [divider(), ...recentActionBlocks(data.recent, say, has)] : []),
    context(say('slack:home.footer')),
  ];
  return { type: 'home', blocks };
}

/** App Home of someone Relais does not know. */
export function strangerHomeView(text: string): HomeView {
  return { type: 'home', blocks: [section(text)] };
}
