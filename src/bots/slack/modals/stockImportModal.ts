import type { StockImportReport, StockRowError } from '../../../core/devices/stockImport.js';
import {
  context,
  fields,
  input,
  modal,
  option,
  section,
  staticSelect,
  type Block,
  type ModalView,
} from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';
import { escapeMrkdwn } from '../slackText.js';

export const STOCK_IMPORT_VIEWS = {
  upload: 'stock_import_upload',
  preview: 'stock_import_preview',
  done: 'stock_import_done',
} as const;
export const STOCK_IMPORT_BLOCKS = { file: 'file', association: 'association' } as const;
/** Problems shown in the modal; the full report is a file sent to the staff member. */
export const SHOWN_PROBLEMS = 50;
/** Slack keeps 3000 characters per section: problems are shown in groups of lines. */
const LINES_PER_SECTION = 10;

/** The first step of `/relais stock import`: the refurbisher's CSV (and, for admins, whose stock receives it). */
export function stockUploadModal(
  m: { associationId: string; associationName: string; associations?: Array<{ id: string; name: string }> },
  say: Say,
): ModalView {
  const picker: Block[] =
    m.associations && m.associations.length > 1
      ? [
          input(
            STOCK_IMPORT_BLOCKS.association,
            say('slack:stock_import.association'),
            staticSelect(
              'value',
              say('slack:stock_import.association'),
              m.associations.map((a) => option(a.name, a.id)),
              option(m.associationName, m.associationId),
            ),
          ),
        ]
      : [];
  return modal(
    STOCK_IMPORT_VIEWS.upload,
    say('slack:stock_import.title'),
    [
      section(say('slack:stock_import.intro', { association: escapeMrkdwn(m.associationName) })),
      ...picker,
      input(
        STOCK_IMPORT_BLOCKS.file,
        say('slack:stock_import.file'),
        { type: 'file_input', action_id: 'value', filetypes: ['csv', 'tsv', 'txt'], max_files: 1 },
        { hint: say('slack:stock_import.file_hint') },
      ),
    ],
    {
      submit: say('slack:stock_import.check'),
      close: say('slack:modal.cancel'),
      metadata: { associationId: m.associationId },
    },
  );
}

/** One problem as a line of the report: where, what, and the value found. */
export function problemLine(error: StockRowError, say: Say): string {
  const where = error.column
    ? say('slack:stock_import.where_column', {
        line: error.line,
        column: say(`slack:stock_import.column.${error.column}`),
      })
    : say('slack:stock_import.where', { line: error.line });
  const what = say(`slack:stock_import.problem.${error.code}`, {
    defaultValue: say('slack:stock_import.problem.other'),
  });
  return error.value ? `${where} ${what} (${error.value})` : `${where} ${what}`;
}

function summaryBlocks(report: StockImportReport, say: Say): Block[] {
  const counts = report.summary.map((s) =>
    say('slack:stock_import.model_line', {
      model: escapeMrkdwn(s.model),
      grade: escapeMrkdwn(s.grade),
      count: s.count,
    }),
  );
  const blocks: Block[] = [];
  for (let i = 0; i < counts.length; i += 10) blocks.push(fields(counts.slice(i, i + 10)));
  return blocks.slice(0, 4);
}

/**
 * The preview of an import: devices per model and grade, then every problem (at most 50 lines
 * here, all of them in the report file), and "Import" only when the file is clean.
 */
export function stockPreviewModal(
  m: { associationId: string; associationName: string; fileId: string; fileName: string; report: StockImportReport },
  say: Say,
): ModalView {
  const { report } = m;
  const valid = report.status === 'valid';
  const shown = report.errors.slice(0, SHOWN_PROBLEMS).map((e) => `• ${escapeMrkdwn(problemLine(e, say))}`);
  const problemSections: Block[] = [];
  for (let i = 0; i < shown.length; i += LINES_PER_SECTION)
    problemSections.push(section(shown.slice(i, i + LINES_PER_SECTION).join('\n')));
  const blocks: Block[] = [
    section(
      say('slack:stock_import.preview_intro', {
        file: escapeMrkdwn(m.fileName),
        association: escapeMrkdwn(m.associationName),
        count: report.rowCount,
      }),
    ),
    ...summaryBlocks(report, say),
    ...(report.ignoredColumns.length > 0
      ? [
          context(
            say('slack:stock_import.ignored_columns', { columns: escapeMrkdwn(report.ignoredColumns.join(', ')) }),
          ),
        ]
      : []),
    section(
      valid
        ? say('slack:stock_import.ready', { count: report.rowCount })
        : say('slack:stock_import.problems', { count: report.errors.length }),
    ),
    ...problemSections,
    ...(report.errors.length > SHOWN_PROBLEMS
      ? [context(say('slack:stock_import.more_problems', { count: report.errors.length - SHOWN_PROBLEMS }))]
      : []),
    ...(!valid ? [context(say('slack:stock_import.report_sent'))] : []),
  ];
  return modal(STOCK_IMPORT_VIEWS.preview, say('slack:stock_import.title'), blocks.slice(0, 100), {
    close: say(valid ? 'slack:modal.cancel' : 'slack:stock_import.close'),
    ...(valid ? { submit: say('slack:stock_import.import') } : {}),
    metadata: { associationId: m.associationId, fileId: m.fileId },
  });
}

/** After Import: what is now in stock. */
export function stockDoneModal(m: { associationName: string; report: StockImportReport }, say: Say): ModalView {
  return modal(
    STOCK_IMPORT_VIEWS.done,
    say('slack:stock_import.title'),
    [
      section(
        say('slack:stock_import.done', { count: m.report.importedCount, association: escapeMrkdwn(m.associationName) }),
      ),
      ...summaryBlocks(m.report, say),
    ],
    { close: say('slack:stock_import.close') },
  );
}

/** A sentence in place of the preview (the import could not run: a forged click, a file gone from Slack). */
export function stockMessageModal(text: string, say: Say): ModalView {
  return modal(STOCK_IMPORT_VIEWS.done, say('slack:stock_import.title'), [section(text)], {
    close: say('slack:stock_import.close'),
  });
}
