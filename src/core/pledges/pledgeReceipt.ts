import type { PledgeStatus } from '../../generated/prisma/enums.js';
import type { Db } from '../db.js';
import { InvalidTransition, NotFound } from '../errors.js';
import { readDonorDetails } from './pledgeDraft.js';

/** A receipt exists once the gift was received. */
export const RECEIPT_STATUSES: readonly PledgeStatus[] = ['COLLECTED', 'PROCESSED', 'CLOSED'];
const KIND_LABEL: Record<string, string> = { SMARTPHONE: 'Smartphone', LAPTOP: 'Ordinateur portable / Laptop', TABLET: 'Tablette / Tablet', OTHER: 'Autre / Other' };
const STATUS_LABEL: Record<string, string> = {
  COLLECTED: 'Collecté / Collected',
  ERASED: 'Effacé / Wiped',
  REFURBISHED: 'Reconditionné / Refurbished',
  IN_STOCK: 'En stock / In stock',
  ALLOCATED: 'Attribué / Allocated',
  HANDED_OVER: 'Remis / Handed over',
  RECYCLED: 'Recyclé / Recycled',
  LOST: 'Perdu / Lost',
};

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
    select: { reference: true, status: true, donorKind: true, donorDetails: true, collectedAt: true, refurbisher: true, devices: { orderBy: { createdAt: 'asc' }, select: { kind: true, model: true, imei: true, serial: true, erasureCertificate: true, status: true } } },
  });
  if (!pledge) throw new NotFound('pledge');
  if (!RECEIPT_STATUSES.includes(pledge.status) || !pledge.collectedAt) throw new InvalidTransition('pledge', pledge.status, 'receipt');
  const donor = readDonorDetails(pledge.donorDetails);
  return {
    reference: pledge.reference,
    donorKind: pledge.donorKind,
    donorName: donor?.name ?? null,
    organisation: donor?.organisation ?? null,
    collectedAt: pledge.collectedAt,
    refurbisher: pledge.refurbisher,
    devices: pledge.devices.map((d) => ({ kind: d.kind, model: d.model, identifier: d.imei ?? d.serial ?? '—', certificate: d.erasureCertificate, status: d.status })),
    issuedAt: now,
  };
}

const day = (at: Date) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at);

/**
 * The receipt of a gift as a PDF (A4, French with English): what was received (kind, model,
 * IMEI or serial, erasure certificate, where the device is now), for the association to issue
 * the official tax receipt. It is not a tax receipt itself and says so.
 */
export async function renderReceiptPdf(data: ReceiptData): Promise<Buffer> {
  // loaded on first use: most processes never render a receipt (its RSS: docs/BENCHMARKS.md)
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Reçu de don ${data.reference}`, Producer: 'Relais' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text('Attestation de réception de matériel', { align: 'left' });
  doc.font('Helvetica').fontSize(11).fillColor('#555555').text('Receipt of donated equipment').moveDown();
  doc.fillColor('#000000').fontSize(11);
  const line = (label: string, value: string) => doc.font('Helvetica-Bold').text(`${label} : `, { continued: true }).font('Helvetica').text(value);
  line('Référence du don / Pledge', data.reference);
  if (data.organisation) line('Raison sociale / Legal name', data.organisation);
  line(data.organisation ? 'Contact' : 'Donateur / Donor', `${data.donorName ?? '(coordonnées effacées / details erased)'} — ${data.donorKind}`);
  line('Reçu le / Received on', day(data.collectedAt));
  line('Reconditionneur / Refurbisher', data.refurbisher ?? '—');
  line('Nombre d\'appareils / Devices', String(data.devices.length));
  doc.moveDown();

  const columns = [50, 190, 320, 420];
  const header = ['Type', 'Modèle / Model', 'IMEI / N° série', 'Certificat d\'effacement'];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cells.forEach((cell, i) => doc.text(cell, columns[i], y, { width: (columns[i + 1] ?? 545) - (columns[i] ?? 50) - 6 }));
    doc.moveDown(0.4);
    doc.x = 50;
  };
  row(header, true);
  doc.moveTo(50, doc.y).lineTo(545, doc.y).stroke('#999999').moveDown(0.3);
  for (const device of data.devices) {
    if (doc.y > 760) doc.addPage();
    row([KIND_LABEL[device.kind] ?? device.kind, device.model, device.identifier, `${device.certificate ?? '—'}\n${STATUS_LABEL[device.status] ?? device.status}`]);
  }
  doc.moveDown(2).x = 50;
  doc.font('Helvetica').fontSize(9).fillColor('#333333').text(
    'Ce document atteste la réception du matériel ci-dessus et les références des certificats d\'effacement des données. Il ne constitue pas un reçu fiscal : l\'association bénéficiaire établit le reçu fiscal officiel sur cette base. / ' +
      'This document lists the equipment received and the data-erasure certificate references. It is not a tax receipt: the association issues the official tax receipt from it.',
    50,
    doc.y,
    { width: 495 },
  );
  doc.moveDown().text(`Édité le / Issued on ${day(data.issuedAt)} — Relais`, { width: 495 });
  doc.end();
  return done;
}
