import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../../src/core/devices/imei.js';
import { eventually } from '../../support/testRelais.js';
import { STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

const ADMIN_TOKEN = 'bootstrap-admin-token-0123456789';
let f: SlackFixture;

beforeAll(async () => {
  f = await startSlackFixture('slack_stock_import', { ADMIN_TOKEN });
});
afterAll(async () => {
  await f?.close();
});

const db = () => f.t.relais.db;
const imei = (n: number) => withCheckDigit(String(35925108300000 + n));
/** an IMEI whose Luhn digit is off by one */
const badLuhn = (n: number) => imei(n).slice(0, 14) + String((Number(imei(n)[14]) + 1) % 10);
/** registered by the fixture in Utopia's stock */
const KNOWN = '356938035643809';

/**
 * A delivery with one problem of every kind, French spreadsheet style (semicolons, French headers, an extra column).
 */
const faultyCsv = [
  'IMEI;Modèle;État;Certificat;Fournisseur',
  `${imei(1)};Fairphone 4;A;EC-1;Ecodair`,
  `${badLuhn(2)};Fairphone 4;A;EC-2;Ecodair`,
  `3.5693E+14;Fairphone 4;B;EC-3;Ecodair`,
  `${imei(1)};Fairphone 4;A;EC-4;Ecodair`,
  `${KNOWN};Samsung Galaxy A12;B;EC-5;Ecodair`,
  `${imei(6)};Samsung Galaxy A12;B;;Ecodair`,
].join('\n');
const cleanCsv = [
  'IMEI;Modèle;État;Certificat',
  `${imei(11)};Fairphone 4;A;EC-11`,
  `${imei(12)};Fairphone 4;A;EC-12`,
  `${imei(13)};Samsung Galaxy A12;C;EC-13`,
].join('\n');

interface View {
  callback_id: string;
  private_metadata?: string;
  blocks: unknown[];
  submit?: unknown;
}

/** The modal's file_input as Slack submits it: the file's id and description (the bytes stay in Slack). */
function fileValues(file: { id: string; name: string }) {
  return {
    file: {
      value: {
        type: 'file_input',
        files: [
          {
            id: file.id,
            name: file.name,
            title: file.name,
            mimetype: 'text/csv',
            filetype: 'csv',
            url_private: 'https://files.slack.com/x',
          },
        ],
      },
    },
  };
}

/** The coordinator submits an open modal of the import (`view`) with `values`, as Slack posts it. */
function submitIn(view: View, values: Record<string, Record<string, Record<string, unknown>>>) {
  return f.slack.viewSubmission({
    userId: STAFF.coordinatorA,
    callbackId: view.callback_id,
    metadata: view.private_metadata ?? '',
    values,
  });
}

async function openImportModal(userId: string): Promise<View> {
  const before = f.fake.of('views.open').length;
  const answer = (await f.slack.command({ userId, text: 'stock import' })).json();
  expect(String(answer.text)).toContain('fenêtre d’import');
  const call = await eventually(async () => f.fake.of('views.open')[before]);
  return call.args.view as View;
}

describe('/relais stock import', () => {
  it(
    'checks a CSV fetched from Slack with the bot token and lists every problem of every row in one preview and one ' +
      'report file',
    async () => {
      const view = await openImportModal(STAFF.coordinatorA);
      expect(view.callback_id).toBe('stock_import_upload');
      expect(JSON.stringify(view.blocks)).toContain('"type":"file_input"');
      const file = f.fake.hostFile('livraison-ecodair.csv', faultyCsv);
      const devicesBefore = await db().device.count();

      const answer = (await submitIn(view, fileValues(file))).json();
      expect(f.fake.of('files.info').at(-1)?.args).toMatchObject({ file: file.id });
      expect(f.fake.of('file_download').at(-1)).toMatchObject({ token: 'xoxb-test-token', args: { fileId: file.id } });
      expect(answer.response_action).toBe('update');
      const preview = answer.view as View;
      expect(preview.callback_id).toBe('stock_import_preview');
      // nothing to import: no submit button
      expect(preview.submit).toBeUndefined();
      const shown = JSON.stringify(preview.blocks);
      expect(shown).toContain('6 appareils pour le stock de *Utopia 56 Calais*');
      expect(shown).toContain('*Fairphone 4* · état A : 1 appareil');
      expect(shown).toContain('Colonnes que Relais ne connaît pas (ignorées) : Fournisseur');
      expect(shown).toContain('5 problèmes');
      expect(shown).toContain('Ligne 3, IMEI : le chiffre de contrôle (Luhn)');
      expect(shown).toContain('Ligne 4, IMEI : un IMEI fait 15 chiffres');
      expect(shown).toContain('Ligne 5, IMEI : cet appareil est déjà sur une ligne précédente');
      expect(shown).toContain(`Ligne 6, IMEI : cet appareil est déjà enregistré dans Relais. (${KNOWN})`);
      expect(shown).toContain('Ligne 7, certificat d’effacement : ce champ est vide.');
      // the row already registered is reported with the format errors, not after a second try
      expect(shown).not.toContain('DUPLICATE');

      const report = await eventually(async () =>
        f.fake.uploads.find((u) => u.filename === 'livraison-ecodair-report.csv'),
      );
      expect(report.channelId).toBe(`D${STAFF.coordinatorA.slice(1)}`);
      const lines = report.bytes
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toBe('ligne,colonne,problème,valeur trouvée');
      expect(lines).toHaveLength(6);
      expect(lines[1]).toContain(`3,IMEI,le chiffre de contrôle (Luhn)`);
      expect(lines).toContain(`6,IMEI,cet appareil est déjà enregistré dans Relais.,${KNOWN}`);
      expect(f.fake.of('conversations.open').at(-1)?.args).toMatchObject({ users: STAFF.coordinatorA });
      expect(await db().device.count()).toBe(devicesBefore);
      expect(await db().auditEvent.count({ where: { action: 'devices.imported' } })).toBe(0);
    },
  );

  it('shows at most 50 problems in the modal and the rest in the report', async () => {
    const view = await openImportModal(STAFF.coordinatorA);
    const rows = Array.from({ length: 60 }, (_, i) => `${badLuhn(100 + i)};Fairphone 4;A;EC-${i}`);
    const file = f.fake.hostFile('big.csv', ['imei;modele;etat;certificat', ...rows].join('\n'));
    const answer = (await submitIn(view, fileValues(file))).json();
    const shown = JSON.stringify((answer.view as View).blocks);
    expect(shown.split('le chiffre de contrôle').length - 1).toBe(50);
    expect(shown).toContain('…et 10 autres problèmes dans le rapport complet.');
    const report = await eventually(async () => f.fake.uploads.find((u) => u.filename === 'big-report.csv'));
    expect(report.bytes.toString('utf8').trimEnd().split('\r\n')).toHaveLength(61);
  });

  it('a clean file previews its counts, then Import puts everything in stock once, audited', async () => {
    const view = await openImportModal(STAFF.coordinatorA);
    const file = f.fake.hostFile('clean.csv', cleanCsv);
    const first = (await submitIn(view, fileValues(file))).json();
    const preview = first.view as View;
    expect(preview.submit).toMatchObject({ text: 'Importer' });
    expect(JSON.stringify(preview.blocks)).toContain('Aucun problème. *Importer* met ces 3 appareils en stock.');
    expect(await db().device.count({ where: { imei: { in: [imei(11), imei(12), imei(13)] } } })).toBe(0);

    // the preview has no input: Slack sends its state empty
    const done = (await submitIn(preview, {})).json();
    expect(done.response_action).toBe('update');
    expect(JSON.stringify((done.view as View).blocks)).toContain(
      '3 appareils sont maintenant dans le stock de *Utopia 56 Calais*',
    );
    const devices = await db().device.findMany({ where: { imei: { in: [imei(11), imei(12), imei(13)] } } });
    expect(devices.map((d) => [d.status, d.associationId, d.model])).toEqual(
      expect.arrayContaining([['IN_STOCK', f.seed.associationA, 'Samsung Galaxy A12']]),
    );
    expect(devices).toHaveLength(3);
    const audit = await db().auditEvent.findMany({ where: { action: 'devices.imported' } });
    expect(audit).toEqual([
      expect.objectContaining({
        actorType: 'STAFF',
        actorId: f.seed.staff.coordinatorA,
        associationId: f.seed.associationA,
        data: expect.objectContaining({ count: 3 }),
      }),
    ]);

    // the same preview submitted again imports nothing more: the devices are now registered
    const again = (await submitIn(preview, {})).json();
    expect(JSON.stringify((again.view as View).blocks)).toContain('3 problèmes');
    expect(await db().device.count({ where: { imei: { in: [imei(11), imei(12), imei(13)] } } })).toBe(3);
  });

  it(
    'a volunteer cannot import, even with a forged submission; a ' + 'file Slack will not hand over is a clear error',
    async () => {
      const answer = (await f.slack.command({ userId: STAFF.volunteerA, text: 'stock importer' })).json();
      expect(String(answer.text)).toContain('importé par la coordination');
      const file = f.fake.hostFile('forged.csv', ['imei;modele;etat;certificat', `${imei(21)};X;A;EC`].join('\n'));
      const forged = (
        await f.slack.viewSubmission({
          userId: STAFF.volunteerA,
          callbackId: 'stock_import_preview',
          metadata: { associationId: f.seed.associationA, fileId: file.id },
          values: {},
        })
      ).json();
      expect(JSON.stringify(forged)).toContain('importé par la coordination');
      expect(await db().device.count({ where: { imei: imei(21) } })).toBe(0);

      const view = await openImportModal(STAFF.coordinatorA);
      // a file someone else uploaded (the bot sees it elsewhere) is not read
      const theirs = f.fake.hostFile(
        'theirs.csv',
        'imei;modele;etat;certificat\nsecret;X;A;EC',
        'text/csv',
        STAFF.volunteerB,
      );
      const notMine = (await submitIn(view, fileValues(theirs))).json();
      expect(notMine).toMatchObject({
        response_action: 'errors',
        errors: { file: expect.stringContaining('n’a pas pu lire ce fichier') },
      });
      expect(JSON.stringify(notMine)).not.toContain('secret');
      f.fake.botToken = 'xoxb-rotated';
      try {
        const refused = (await submitIn(view, fileValues(file))).json();
        expect(refused).toMatchObject({
          response_action: 'errors',
          errors: { file: expect.stringContaining('n’a pas pu lire ce fichier') },
        });
      } finally {
        f.fake.botToken = 'xoxb-test-token';
      }
      expect(await db().device.count({ where: { imei: imei(21) } })).toBe(0);
    },
  );
});

describe('the admin API import gives the same complete report', () => {
  it('format errors and rows already registered come in one answer', async () => {
    const response = await f.t.relais.app.inject({
      method: 'POST',
      url: `/api/v1/devices/import?associationId=${f.seed.associationA}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      payload: faultyCsv,
    });
    expect(response.statusCode).toBe(422);
    const report = response.json<{ errors: Array<{ line: number; code: string }> }>();
    expect(report.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'IMEI_CHECKSUM'],
      [4, 'IMEI_FORMAT'],
      [5, 'DUPLICATE_IN_FILE'],
      [6, 'DUPLICATE_IN_DATABASE'],
      [7, 'FIELD_MISSING'],
    ]);
  });

  it('adds a staff member with a role written in lower case', async () => {
    const response = await f.t.relais.app.inject({
      method: 'POST',
      url: '/api/v1/staff',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { slackUserId: 'UAPIVOL001', associationId: f.seed.associationA, role: 'volunteer' },
    });
    expect(response.statusCode).toBe(201);
    expect(await db().staffMember.findUniqueOrThrow({ where: { slackUserId: 'UAPIVOL001' } })).toMatchObject({
      role: 'VOLUNTEER',
    });
    const patch = await f.t.relais.app.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${response.json<{ id: string }>().id}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { role: 'Coordinator' },
    });
    expect(patch.json()).toMatchObject({ role: 'COORDINATOR' });
  });
});
