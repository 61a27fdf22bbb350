import type { App, ViewResponseAction } from '@slack/bolt';
import { z } from 'zod';
import { importStock, type StockImportReport } from '../../../../core/devices/stockImport.js';
import { RelaisError } from '../../../../core/errors.js';
import { csvLine } from '../../../../core/http/admin/csvLine.js';
import { errorSummary } from '../../../../core/outbound/outboxDispatcher.js';
import { findAssociation, listAssociations } from '../../../../core/staff/associationDirectory.js';
import { findStaffBySlackId, type StaffActor } from '../../../../core/staff/staffAccess.js';
import type { Say } from '../../blocks/requestCard.js';
import {
  STOCK_IMPORT_BLOCKS,
  STOCK_IMPORT_VIEWS,
  stockDoneModal,
  stockMessageModal,
  stockPreviewModal,
  stockUploadModal,
} from '../../modals/stockImportModal.js';
import { safeJson } from '../../modals/submission.js';
import { ViewState, viewStateSchema } from '../../modals/viewState.js';
import { sayIn, type SlackClient, type SlackDeps } from '../../slackDeps.js';
import { downloadTextFile } from '../../slackFileDownload.js';
import { shareFile } from '../../slackFiles.js';
import { tellUser, unknownUserText } from '../../staffGate.js';
import { reply, type SubCommand } from '../commands/commandTypes.js';
import { stockCommand } from '../commands/lookupCommands.js';
import { teamErrorText } from '../team/teamActionHandler.js';

/** The admin API's body limit for the same files. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

const submissionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    id: z.string().min(1),
    private_metadata: z.string().default(''),
    state: z.object({ values: viewStateSchema }).optional(),
  }),
});
const uploadMetadata = z.object({ associationId: z.string().uuid() });
const previewMetadata = z.object({ associationId: z.string().uuid(), fileId: z.string().regex(/^F[A-Z0-9]+$/) });

const mayImport = (staff: StaffActor, associationId: string) =>
  staff.role === 'ADMIN' || (staff.role === 'COORDINATOR' && staff.associationId === associationId);

/** `/relais stock import` (`importer`) opens the import modal; `/relais stock` alone lists the stock. */
export const stockCommands: SubCommand = async (ctx) => {
  const word = ctx.args[0]?.toLowerCase();
  if (word !== 'import' && word !== 'importer') return stockCommand(ctx);
  const { deps, staff, say, client, triggerId } = ctx;
  if (!mayImport(staff, staff.associationId)) return reply(say('slack:stock_import.coordinators_only'));
  if (!client || !triggerId) return reply(say('slack:errors.generic'));
  const [association, associations] = await Promise.all([
    findAssociation(deps.db, staff.associationId),
    staff.role === 'ADMIN' ? listAssociations(deps.db, { activeOnly: true }) : Promise.resolve(undefined),
  ]);
  await client.views.open({
    trigger_id: triggerId,
    view: stockUploadModal(
      {
        associationId: staff.associationId,
        associationName: association?.name ?? '',
        ...(associations ? { associations } : {}),
      },
      say,
    ),
  });
  return reply(say('slack:stock_import.opened'));
};

/** The whole report as a CSV file (line, column, problem, value) in the staff member's language. */
function reportCsv(report: StockImportReport, say: Say): Buffer {
  const head = csvLine([
    say('slack:stock_import.report.line'),
    say('slack:stock_import.report.column'),
    say('slack:stock_import.report.problem'),
    say('slack:stock_import.report.value'),
  ]);
  const rows = report.errors.map((e) =>
    csvLine([
      e.line,
      e.column ? say(`slack:stock_import.column.${e.column}`) : '',
      say(`slack:stock_import.problem.${e.code}`, { defaultValue: say('slack:stock_import.problem.other') }),
      e.value ?? '',
    ]),
  );
  return Buffer.from(`\uFEFF${head}${rows.join('')}`, 'utf8');
}

/** Sends the full report to the staff member's messages with Relais (conversations.open, then the upload). */
async function sendReport(
  deps: SlackDeps,
  client: SlackClient,
  staff: StaffActor,
  say: Say,
  fileName: string,
  report: StockImportReport,
): Promise<void> {
  try {
    const opened = await client.conversations.open({ users: staff.slackUserId });
    const channelId = opened.channel?.id;
    if (!channelId) return;
    const base = fileName.replace(/\.[^.]*$/, '') || 'stock';
    await shareFile(client, {
      channelId,
      bytes: reportCsv(report, say),
      filename: `${base}-report.csv`,
      title: say('slack:stock_import.report_title', { file: fileName }),
      comment: say('slack:stock_import.problems', { count: report.errors.length }),
    });
  } catch (error) {
    deps.log.warn({ err: errorSummary(error) }, 'slack stock import report not sent');
    await tellUser(client, { userId: staff.slackUserId }, say('slack:stock_import.report_failed'));
  }
}

type Ack = (response?: ViewResponseAction) => Promise<void>;

/**
 * `/relais stock import` from Slack: the CSV a coordinator drops in the modal is fetched from
 * Slack (files.info, then its private URL with the bot token), checked without importing, and
 * the modal becomes the preview (views' `response_action: update`): devices per model and
 * grade, every problem of every row in one report (at most 50 lines shown, the full report
 * sent as a file). Import, from the preview, runs the same all-or-nothing import as the admin
 * API (`importStock`), audited `devices.imported` with the staff actor.
 */
export function registerStockImport(app: App, deps: SlackDeps): void {
  /** Fetches the coordinator's uploaded CSV (their own file only) and runs the import on it, or only checks it. */
  const readAndImport = async (
    client: SlackClient,
    staff: StaffActor,
    input: { associationId: string; fileId: string; dryRun: boolean },
  ) => {
    const file = await downloadTextFile(client, input.fileId, {
      apiUrl: deps.config.SLACK_API_URL,
      maxBytes: MAX_FILE_BYTES,
      uploadedBy: staff.slackUserId,
    });
    const report = await importStock(deps.db, {
      associationId: input.associationId,
      csv: file.text,
      actor: { type: 'STAFF', id: staff.id },
      ...(input.dryRun ? { dryRun: true } : {}),
    });
    return { file, report };
  };
  const handle = (
    callbackId: string,
    work: (input: {
      staff: StaffActor;
      say: Say;
      metadata: unknown;
      state: ViewState;
      client: SlackClient;
      ack: Ack;
    }) => Promise<void>,
  ) => {
    app.view(callbackId, async ({ ack, body, client }) => {
      const parsed = submissionSchema.safeParse(body);
      if (!parsed.success) return ack();
      const staff = await findStaffBySlackId(deps.db, parsed.data.user.id);
      const errorBlock = STOCK_IMPORT_BLOCKS.file;
      if (!staff) return ack({ response_action: 'errors', errors: { [errorBlock]: unknownUserText(deps) } });
      const say = sayIn(deps, staff.language);
      const metadata = parsed.data.view.private_metadata ? safeJson(parsed.data.view.private_metadata) : {};
      const state = new ViewState(parsed.data.view.state?.values ?? {});
      try {
        await work({ staff, say, metadata, state, client, ack: (response) => ack(response) });
      } catch (error) {
        if (!(error instanceof RelaisError))
          deps.log.warn({ err: errorSummary(error), view: callbackId }, 'slack stock import failed');
        // the preview has no input: its error is a modal saying what happened
        if (callbackId === STOCK_IMPORT_VIEWS.upload)
          await ack({ response_action: 'errors', errors: { [state.blockOf(errorBlock)]: teamErrorText(say, error) } });
        else await ack({ response_action: 'update', view: stockMessageModal(teamErrorText(say, error), say) });
      }
    });
  };

  handle(STOCK_IMPORT_VIEWS.upload, async ({ staff, say, metadata, state, client, ack }) => {
    const meta = uploadMetadata.safeParse(metadata);
    const associationId =
      state.selected(STOCK_IMPORT_BLOCKS.association, 'value') ??
      (meta.success ? meta.data.associationId : staff.associationId);
    if (!z.string().uuid().safeParse(associationId).success || !mayImport(staff, associationId))
      return ack({
        response_action: 'errors',
        errors: { [STOCK_IMPORT_BLOCKS.file]: say('slack:stock_import.coordinators_only') },
      });
    const [fileId] = state.fileIds(STOCK_IMPORT_BLOCKS.file, 'value');
    if (!fileId)
      return ack({
        response_action: 'errors',
        errors: { [STOCK_IMPORT_BLOCKS.file]: say('slack:stock_import.no_file') },
      });
    const association = await findAssociation(deps.db, associationId);
    if (!association)
      return ack({
        response_action: 'errors',
        errors: { [STOCK_IMPORT_BLOCKS.file]: say('slack:errors.RELAIS_NOT_FOUND') },
      });
    const { file, report } = await readAndImport(client, staff, { associationId, fileId, dryRun: true });
    await ack({
      response_action: 'update',
      view: stockPreviewModal(
        { associationId, associationName: association.name, fileId, fileName: file.name, report },
        say,
      ),
    });
    if (report.status !== 'valid') await sendReport(deps, client, staff, say, file.name, report);
  });

  handle(STOCK_IMPORT_VIEWS.preview, async ({ staff, say, metadata, client, ack }) => {
    const meta = previewMetadata.safeParse(metadata);
    if (!meta.success) return ack();
    const { associationId, fileId } = meta.data;
    // a forged submission (volunteer, other association) is refused before anything is read or written
    if (!mayImport(staff, associationId))
      return ack({
        response_action: 'update',
        view: stockMessageModal(say('slack:stock_import.coordinators_only'), say),
      });
    const association = await findAssociation(deps.db, associationId);
    const { file, report } = await readAndImport(client, staff, { associationId, fileId, dryRun: false });
    const associationName = association?.name ?? '';
    // someone imported the same devices meanwhile: the preview comes back with the new problems
    if (report.status !== 'imported')
      return ack({
        response_action: 'update',
        view: stockPreviewModal({ associationId, associationName, fileId, fileName: file.name, report }, say),
      });
    await ack({ response_action: 'update', view: stockDoneModal({ associationName, report }, say) });
  });
}
