import { associationName } from '../../../../core/associations/associationQueries.js';
import { errorSummary } from '../../../../core/outbound/outboxDispatcher.js';
import { renderImpactChart, type ImpactChartData } from '../../../../core/impact/impactChart.js';
import { impactFigures } from '../../../../core/impact/impactFigures.js';
import { describePeriod, type ImpactPeriod, type StaffText } from '../../../../core/impact/impactPeriod.js';
import type { StaffActor } from '../../../../core/staff/staffAccess.js';
import { section } from '../../blocks/kit.js';
import { impactLines } from '../../blocks/lists.js';
import { slackErrorCode } from '../../slackErrors.js';
import { cannotPostHere, shareFile } from '../../slackFiles.js';
import { escapeMrkdwn } from '../../slackText.js';
import type { SlackClient, SlackDeps } from '../../slackDeps.js';
import { tellUser } from '../../staffGate.js';
import { reply, type CommandContext, type SubCommand } from './commandTypes.js';
import { parseImpactArgs } from './impactArgs.js';

const scopeOf = (period: ImpactPeriod) => ({
  ...(period.since ? { since: period.since } : {}),
  ...(period.until ? { until: period.until } : {}),
});

interface ChartPost {
  deps: SlackDeps;
  client: SlackClient;
  staff: StaffActor;
  channelId: string;
  text: StaffText;
  data: ImpactChartData;
  respond: CommandContext['respond'];
}

/**
 * A private note after the ack: through response_url (works where the bot is not a member), else an ephemeral message.
 */
async function tellLater(post: ChartPost, message: string): Promise<void> {
  try {
    if (post.respond) return await post.respond(message);
  } catch {
    // response_url expired or unreachable: try the Web API
  }
  await tellUser(post.client, { userId: post.staff.slackUserId, channelId: post.channelId }, message);
}

/** Renders the chart and uploads it to the channel; the volunteer is told privately if that fails. */
async function postChart(post: ChartPost): Promise<void> {
  const { say } = post.text;
  try {
    const chart = await renderImpactChart(post.data, post.text);
    await shareFile(post.client, {
      channelId: post.channelId,
      bytes: chart.png,
      filename: 'relais-impact.png',
      title: chart.title,
      altText: chart.altText,
      comment: say('slack:impact.chart.comment', { user: post.staff.slackUserId }),
    });
  } catch (error) {
    post.deps.log.warn({ err: errorSummary(error), slackError: slackErrorCode(error) }, 'impact chart upload failed');
    await tellLater(
      post,
      say(cannotPostHere(error) ? 'slack:impact.chart_not_in_channel' : 'slack:impact.chart_failed'),
    );
  }
}

/**
 * `/relais impact [chart] [network] [period]`: counts for the volunteer's association and the
 * whole network over the period (default: since the start), privately. With `chart`
 * (`graphique`), the figures of the association (or with `network` the network's) are also
 * drawn as a PNG and posted in the channel, after the ack.
 */
export const impactCommand: SubCommand = async ({ deps, staff, say, args, client, channelId, respond, afterAck }) => {
  const asked = parseImpactArgs(args);
  if (!asked) return reply(say('slack:impact.bad_period'));
  const scope = scopeOf(asked.period);
  const [association, mine, network] = await Promise.all([
    associationName(deps.db, staff.associationId),
    impactFigures(deps.db, { associationId: staff.associationId, ...scope }),
    impactFigures(deps.db, scope),
  ]);
  const text: StaffText = { language: deps.text.language(staff.language), say };
  const lines = [
    `🗓️ ${describePeriod(asked.period, text)}`,
    '',
    `*${say('slack:impact.title_association', { association: escapeMrkdwn(association) })}*`,
    impactLines(mine, say),
    '',
    `*${say('slack:impact.title_network')}*`,
    impactLines(network, say),
  ];
  if (asked.chart) {
    if (client && channelId && afterAck) {
      const data: ImpactChartData = {
        associationName: asked.network ? null : association,
        period: asked.period,
        figures: asked.network ? network : mine,
        generatedAt: new Date(),
      };
      afterAck(() => postChart({ deps, client, staff, channelId, text, data, respond }));
      lines.push('', say('slack:impact.chart_posting'));
    } else {
      lines.push('', say('slack:impact.chart_failed'));
    }
  }
  const answer = lines.join('\n');
  return reply(answer, [section(answer)]);
};
