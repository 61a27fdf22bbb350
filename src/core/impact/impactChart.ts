import type { ImpactFigures } from './impactFigures.js';
import { describePeriod, formatDate, formatFigure, type ImpactPeriod, type StaffText } from './impactPeriod.js';

/** What a chart shows: one association's figures (or the network's) over a period. */
export interface ImpactChartData {
  /** the association's name, or null for the whole network */
  associationName: string | null;
  period: ImpactPeriod;
  figures: ImpactFigures;
  generatedAt: Date;
}

export interface ImpactChart {
  png: Buffer;
  /** "Impact of X — November 2026" (the file's title) */
  title: string;
  width: number;
  height: number;
  /** the figures in words, for screen readers (Slack's alt text) */
  altText: string;
}

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 675;

/** The bars, in the order of a device's and a person's path; labels in staff-locales (slack:impact.chart.*). */
const BARS: ReadonlyArray<{ figure: keyof ImpactFigures; label: string; colour: string }> = [
  { figure: 'devicesCollected', label: 'collected', colour: '#3b6fb6' },
  { figure: 'devicesErased', label: 'erased', colour: '#3b6fb6' },
  { figure: 'devicesHandedOver', label: 'handed_over', colour: '#3b6fb6' },
  { figure: 'rechargesGiven', label: 'recharges', colour: '#d9822b' },
  { figure: 'peopleEquipped', label: 'people', colour: '#d9822b' },
  { figure: 'followUpsAnswered', label: 'follow_ups', colour: '#d9822b' },
];

const FONT = 'DejaVu Sans';
const MARGIN = 48;
const LABEL_RIGHT = 390;
const BAR_LEFT = 404;
const BAR_MAX_WIDTH = CHART_WIDTH - MARGIN - BAR_LEFT - 96;
const ROWS_TOP = 150;
const ROW_PITCH = 60;
const BAR_HEIGHT = 36;
const MAX_NAME = 80;

/** Text for an SVG text node or attribute: XML-escaped, without the control characters XML forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A round top for the axis (1, 2 or 5 × 10^n per step, four or five steps). */
function axis(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 4, step: 1 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const wholeStep = Math.max(1, step);
  return { top: Math.ceil(max / wholeStep) * wholeStep, step: wholeStep };
}

function text(x: number, y: number, content: string, attributes: string): string {
  return `<text x="${x}" y="${y}" ${attributes}>${escapeXml(content)}</text>`;
}

function chartTitle(data: ImpactChartData, t: StaffText): string {
  return data.associationName === null
    ? t.say('slack:impact.chart.title_network')
    : t.say('slack:impact.chart.title_association', { association: cut(data.associationName, MAX_NAME) });
}

/**
 * The impact chart as SVG (1200 × 675): title (association or network) and period, one
 * horizontal bar per figure with its value, the waste and CO2e avoided as a caption, and a
 * note that these are estimates. Every text is escaped: association names are typed by people.
 */
export function impactChartSvg(data: ImpactChartData, t: StaffText): string {
  const title = chartTitle(data, t);
  // long names shrink the title rather than overflow the image (DejaVu Sans averages 0.6 em per character)
  const titleSize = Math.max(18, Math.min(34, Math.floor((CHART_WIDTH - 2 * MARGIN) / (title.length * 0.6))));
  const values = BARS.map((bar) => data.figures[bar.figure]);
  const { top, step } = axis(Math.max(...values));
  const scale = (value: number) => (value / top) * BAR_MAX_WIDTH;
  const rowsBottom = ROWS_TOP + BARS.length * ROW_PITCH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" ` +
      `viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${FONT}">`,
    `<rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/>`,
    `<rect width="${CHART_WIDTH}" height="8" fill="#0b6e4f"/>`,
    text(MARGIN, 68, title, `font-size="${titleSize}" font-weight="bold" fill="#1f2933"`),
    text(MARGIN, 106, describePeriod(data.period, t), 'font-size="22" fill="#52606d"'),
  ];
  for (let tick = 0; tick <= top; tick += step) {
    const x = BAR_LEFT + scale(tick);
    parts.push(
      `<line x1="${x}" y1="${ROWS_TOP - 10}" x2="${x}" y2="${rowsBottom - 6}" stroke="#e4e7eb" stroke-width="1"/>`,
    );
    parts.push(
      text(x, rowsBottom + 16, formatFigure(tick, t.language), 'font-size="15" fill="#7b8794" text-anchor="middle"'),
    );
  }
  BARS.forEach((bar, i) => {
    const y = ROWS_TOP + i * ROW_PITCH;
    const value = values[i] ?? 0;
    const width = scale(value);
    parts.push(
      text(
        LABEL_RIGHT,
        y + 25,
        t.say(`slack:impact.chart.${bar.label}`),
        'font-size="20" fill="#323f4b" text-anchor="end"',
      ),
    );
    parts.push(
      `<rect x="${BAR_LEFT}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="4" fill="${bar.colour}"/>`,
    );
    parts.push(
      text(
        BAR_LEFT + width + 10,
        y + 26,
        formatFigure(value, t.language),
        'font-size="21" font-weight="bold" fill="#1f2933"',
      ),
    );
  });
  const avoided = t.say('slack:impact.chart.avoided', {
    kg: formatFigure(data.figures.wasteAvoidedKg, t.language),
    co2: formatFigure(data.figures.co2eAvoidedKg, t.language),
  });
  parts.push(
    `<rect x="${MARGIN}" y="${rowsBottom + 38}" width="${CHART_WIDTH - 2 * MARGIN}" ` +
      'height="56" rx="8" fill="#e6f6ef"/>',
  );
  parts.push(text(MARGIN + 20, rowsBottom + 74, avoided, 'font-size="21" fill="#0b6e4f"'));
  parts.push(
    text(
      MARGIN,
      CHART_HEIGHT - 22,
      t.say('slack:impact.chart.note', { date: formatDate(data.generatedAt, t.language) }),
      'font-size="14" fill="#7b8794"',
    ),
  );
  parts.push('</svg>');
  return parts.join('\n');
}

/** The chart's figures in one sentence (alt text). */
export function impactChartAltText(data: ImpactChartData, t: StaffText): string {
  const bars = BARS.map(
    (bar) => `${t.say(`slack:impact.chart.${bar.label}`)}: ${formatFigure(data.figures[bar.figure], t.language)}`,
  ).join(', ');
  const avoided = t.say('slack:impact.chart.avoided', {
    kg: formatFigure(data.figures.wasteAvoidedKg, t.language),
    co2: formatFigure(data.figures.co2eAvoidedKg, t.language),
  });
  return `${chartTitle(data, t)} (${describePeriod(data.period, t)}). ${bars}. ${avoided}.`;
}

/**
 * The impact chart as a PNG, rendered by resvg off the event loop with the system fonts
 * (DejaVu Sans: the Docker image installs fonts-dejavu-core).
 */
export async function renderImpactChart(data: ImpactChartData, t: StaffText): Promise<ImpactChart> {
  // loaded on first use: the native renderer is only needed for charts
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(impactChartSvg(data, t), {
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
    fitTo: { mode: 'original' },
    logLevel: 'off',
  });
  return {
    png: image.asPng(),
    title: `${chartTitle(data, t)} — ${describePeriod(data.period, t)}`,
    width: image.width,
    height: image.height,
    altText: impactChartAltText(data, t),
  };
}
