import type { StockLine } from '../../../core/devices/stockQueries.js';
import type { ImpactFigures } from '../../../core/impact/impactFigures.js';
import type { RequestLine } from '../../../core/requests/requestQueries.js';
import { escapeMrkdwn, slackDate } from '../slackText.js';
import type { Say } from './requestCard.js';

/** One line per request: "• *P-1042* 📱 Phone · 🔵 Claimed · 🔴 High · 3 hours ago · @amina". */
export function requestLines(lines: RequestLine[], say: Say): string {
  if (lines.length === 0) return say('slack:lists.no_request');
  return lines
    .map((r) =>
      [
        `• *${r.reference}* ${say(`slack:kind.${r.kind}`)}`,
        say(`slack:status.${r.status}`),
        ...(r.urgency === 'HIGH' ? [say('slack:urgency.HIGH')] : []),
        slackDate(r.createdAt, '{ago}'),
        r.assigneeSlackId ? `<@${r.assigneeSlackId}>` : say('slack:card.nobody'),
      ].join(' · '),
    )
    .join('\n');
}

/** Stock grouped by model: "• *Fairphone 4*: 5 (A: 3, B: 2)". */
export function stockLines(stock: StockLine[], say: Say): string {
  if (stock.length === 0) return say('slack:stock.empty');
  const byModel = new Map<string, StockLine[]>();
  for (const line of stock) byModel.set(line.model, [...(byModel.get(line.model) ?? []), line]);
  return [...byModel.entries()]
    .map(([model, grades]) => {
      const total = grades.reduce((n, g) => n + g.count, 0);
      const detail = grades
        .map((g) => `${g.grade === null ? say('slack:stock.no_grade') : escapeMrkdwn(g.grade)}: ${g.count}`)
        .join(', ');
      return `• *${escapeMrkdwn(model)}*: ${total} (${detail})`;
    })
    .join('\n');
}

/** Impact counts as short lines. */
export function impactLines(figures: ImpactFigures, say: Say): string {
  return [
    say('slack:impact.received', { count: figures.requestsReceived }),
    say('slack:impact.served', { count: figures.requestsServed }),
    say('slack:impact.collected', { count: figures.devicesCollected }),
    say('slack:impact.erased', { count: figures.devicesErased }),
    say('slack:impact.devices', { count: figures.devicesHandedOver }),
    say('slack:impact.people', { count: figures.peopleEquipped }),
    say('slack:impact.recharges', { count: figures.rechargesGiven }),
    say('slack:impact.follow_ups', { count: figures.followUpsAnswered }),
    say('slack:impact.avoided', { kg: figures.wasteAvoidedKg, co2: figures.co2eAvoidedKg }),
  ].join('\n');
}
