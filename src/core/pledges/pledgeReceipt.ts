import type { PledgeStatus } from '../../generated/prisma/enums.js';
import type { Db } from '../db.js';
import { InvalidTransition, NotFound } from '../errors.js';
import { createStaffI18n, type StaffI18n } from '../staff/staffI18n.js';
import { readDonorDetails } from './pledgeDraft.js';

/** A receipt exists once the gift was received. */
export const RECEIPT_STATUSES: readonly PledgeStatus[] = ['COLLECTED', 'PROCESSED', 'CLOSED'];

export interface ReceiptData {
  reference: string;
  donorKind: string;
  donorName: string | null;
  /** a company's or public body's legal name */
  organisation: string | null;
  collectedAt: Date;
  refurbisher: string | null;
  devices: Array<{ kind: string; model: string; identifier: string; certificate: string | null; status: string }>;
  issuedAt: Date;
}

/** What a receipt lists, read from the database; only for a pledge that was received. */
export async function receiptData(db: Db, pledgeId: string, now = new Date()): Promise<ReceiptData> {
  const pledge = await db.pledge.findUnique({
    where: { id: pledgeId },
    select: {
      reference: true,
      status: true,
      donorKind: true,
      donorDetails: true,
      collectedAt: true,
      refurbisher: true,
      devices: {
        orderBy: { createdAt: 'asc' },
        select: { kind: true, model: true, imei: true, serial: true, erasureCertificate: true, status: true },
      },
    },
  });
  if (!pledge) throw new NotFound('pledge');
  if (!RECEIPT_STATUSES.includes(pledge.status) || !pledge.collectedAt)
    throw new InvalidTransition('pledge', pledge.status, 'receipt');
  const donor = readDonorDetails(pledge.donorDetails);
  return {
    reference: pledge.reference,
    donorKind: pledge.donorKind,
    donorName: donor?.name ?? null,
    organisation: donor?.organisation ?? null,
    collectedAt: pledge.collectedAt,
    refurbisher: pledge.refurbisher,
    devices: pledge.devices.map((d) => ({
      kind: d.kind,
      model: d.model,
      identifier: d.imei ?? d.serial ?? '—',
      certificate: d.erasureCertificate,
      status: d.status,
    })),
    issuedAt: now,
  };
}

const day = (at: Date) =>
  new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(at);

let texts: StaffI18n | undefined;
/** The receipt's texts (staff-locales/<fr|en>/receipt.json), loaded on first use. */
function receiptTexts(): StaffI18n {
  texts ??= createStaffI18n();
  return texts;
}

/** What a receipt prints, every value a label (never a code such as COMPANY or IN_STOCK), French then English. */
export interface ReceiptContent {
  documentTitle: string;
  title: string;
  subtitle: string;
  facts: Array<[label: string, value: string]>;
  columns: string[];
  rows: string[][];
  disclaimer: string;
  issued: string;
}

/** The receipt's content in French with English (the receipt goes to a French association, donors read either). */
export function receiptContent(data: ReceiptData, text: StaffI18n = receiptTexts()): ReceiptContent {
  const fr = (key: string, params?: Record<string, string | number>) => text.t('fr', `receipt:${key}`, params);
  const en = (key: string, params?: Record<string, string | number>) => text.t('en', `receipt:${key}`, params);
  const both = (key: string, params?: Record<string, string | number>) => {
    const [a, b] = [fr(key, params), en(key, params)];
    return a === b ? a : `${a} / ${b}`;
  };
  const donorKind = both(`donor_kind.${data.donorKind}`);
  const facts: Array<[string, string]> = [[both('pledge'), data.reference]];
  if (data.organisation) facts.push([both('legal_name'), data.organisation]);
  facts.push(
    [data.organisation ? both('contact') : both('donor'), `${data.donorName ?? both('details_erased')} — ${donorKind}`],
    [both('received_on'), day(data.collectedAt)],
    [both('refurbisher'), data.refurbisher ?? '—'],
    [both('devices'), String(data.devices.length)],
  );
  return {
    documentTitle: fr('document_title', { reference: data.reference }),
    title: fr('title'),
    subtitle: en('title'),
    facts,
    columns: [both('column_kind'), both('column_model'), both('column_identifier'), both('column_certificate')],
    rows: data.devices.map((d) => [
      both(`device_kind.${d.kind}`),
      d.model,
      d.identifier,
      `${d.certificate ?? '—'}\n${both(`device_status.${d.status}`)}`,
    ]),
    disclaimer: `${fr('disclaimer')} / ${en('disclaimer')}`,
    issued: both('issued_on', { date: day(data.issuedAt) }),
  };
}

/**
 * The receipt of a gift as a PDF (A4, French with English): what was received (kind, model,
 * IMEI or serial, erasure certificate, where the device is now), for the association to issue
 * the official tax receipt. It is not a tax receipt itself and says so.
 */
export async function renderReceiptPdf(data: ReceiptData): Promise<Buffer> {
  // loaded on first use: most processes never render a receipt (its RSS: docs/BENCHMARKS.md)
  const { default: PDFDocument } = await import('pdfkit');
  const content = receiptContent(data);
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: content.documentTitle, Producer: 'Relais' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(content.title, { align: 'left' });
  doc.font('Helvetica').fontSize(11).fillColor('#555555').text(content.subtitle).moveDown();
  doc.fillColor('#000000').fontSize(11);
  for (const [label, value] of content.facts)
    doc.font('Helvetica-Bold').text(`${label} : `, { continued: true }).font('Helvetica').text(value);
  doc.moveDown();

  const columns = [50, 190, 320, 420];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cells.forEach((cell, i) => {
      doc.text(cell, columns[i], y, { width: (columns[i + 1] ?? 545) - (columns[i] ?? 50) - 6 });
    });
    doc.moveDown(0.4);
    doc.x = 50;
  };
  row(content.columns, true);
  doc.moveTo(50, doc.y).lineTo(545, doc.y).stroke('#999999').moveDown(0.3);
  for (const cells of content.rows) {
    if (doc.y > 760) doc.addPage();
    row(cells);
  }
  doc.moveDown(2).x = 50;
  doc.font('Helvetica').fontSize(9).fillColor('#333333').text(content.disclaimer, 50, doc.y, { width: 495 });
  doc.moveDown().text(content.issued, { width: 495 });
  doc.end();
  return done;
}
