import { z } from 'zod/v4';
import { createStaffI18n, type StaffI18n } from '../../staff/staffI18n.js';

/**
 * `?lang=fr|en` on a CSV export: column names and values as labels for a spreadsheet; without it, machine names and
 * codes.
 */
export const csvLanguageQuery = z.object({
  lang: z
    .enum(['fr', 'en'])
    .optional()
    .describe(
      'fr or en: column names and values as labels (for a spreadsheet); without it, the machine names and codes',
    ),
});

export interface CsvLabels {
  column(name: string): string;
  /** a code of the request card's vocabulary (`kind`, `status`, `urgency`, `language`) as a label, without its emoji */
  value(group: 'kind' | 'status' | 'urgency' | 'language', code: string | null): string;
  yesNo(value: boolean): string;
  network(): string;
}

let texts: StaffI18n | undefined;

const LEADING_EMOJI = /^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\uFE0F|\u200D)+\s*/u;

/**
 * Labels of one staff language for CSV exports (staff-locales/<fr|en>/export.json and the card's labels); null: codes.
 */
export function csvLabels(lang: 'fr' | 'en' | undefined): CsvLabels | null {
  if (!lang) return null;
  texts ??= createStaffI18n();
  const t = texts;
  return {
    column: (name) => t.t(lang, `export:columns.${name}`),
    value: (group, code) =>
      code === null ? '' : t.t(lang, `slack:${group}.${code}`, { defaultValue: code }).replace(LEADING_EMOJI, ''),
    yesNo: (value) => t.t(lang, value ? 'export:yes' : 'export:no'),
    network: () => t.t(lang, 'export:network'),
  };
}
