import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  escapeXml,
  impactChartSvg,
  renderImpactChart,
  type ImpactChartData,
} from '../../../src/core/impact/impactChart.js';
import type { ImpactFigures } from '../../../src/core/impact/impactFigures.js';
import { describePeriod, type StaffText } from '../../../src/core/impact/impactPeriod.js';
import { createStaffI18n, type StaffLanguage } from '../../../src/core/staff/staffI18n.js';

const staffI18n = createStaffI18n();
const textIn = (language: StaffLanguage): StaffText => ({
  language,
  say: (key, params) => staffI18n.t(language, key, params),
});
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const NOVEMBER = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };

const figures: ImpactFigures = {
  requestsReceived: 61,
  requestsServed: 48,
  devicesCollected: 1234,
  devicesErased: 1180,
  devicesHandedOver: 812,
  rechargesGiven: 356,
  peopleEquipped: 790,
  followUpsAnswered: 402,
  phonesSponsored: 3,
  wasteAvoidedKg: 1234.5,
  co2eAvoidedKg: 26540.2,
};

const data = (overrides: Partial<ImpactChartData> = {}): ImpactChartData => ({
  associationName: 'Utopia 56 Calais',
  period: NOVEMBER,
  figures,
  generatedAt: new Date('2026-12-02T10:00:00Z'),
  ...overrides,
});

/** Width and height from the PNG's IHDR chunk (bytes 16–23, big-endian). */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('impact chart', () => {
  it('is a 1200 × 675 PNG', async () => {
    const chart = await renderImpactChart(data(), textIn('fr'));
    expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(chart.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect({ width: chart.width, height: chart.height }).toEqual({ width: 1200, height: 675 });
    expect(chart.title).toBe('Impact de Utopia 56 Calais — novembre 2026');
  });

  it('shows every figure with its French label, the period and the waste and CO2e caption', () => {
    const svg = impactChartSvg(data(), textIn('fr'));
    expect(svg).toContain('Impact de Utopia 56 Calais');
    expect(svg).toContain('novembre 2026');
    for (const [label, value] of [
      ['Appareils collectés', '1\u00a0234'],
      ['Appareils effacés', '1\u00a0180'],
      ['Appareils remis', '812'],
      ['Recharges données', '356'],
      ['Personnes équipées', '790'],
      ['Suivis répondus', '402'],
    ]) {
      expect(svg).toContain(`>${label}</text>`);
      expect(svg).toContain(`>${value}</text>`);
    }
    expect(svg).toContain('Environ 1\u00a0234,5 kg de déchets électroniques et 26\u00a0540,2 kg CO₂e évités');
    expect(svg).toContain('2 déc. 2026');
  });

  it('speaks English to English-speaking staff and titles the network chart', () => {
    const svg = impactChartSvg(data({ associationName: null, period: {} }), textIn('en'));
    expect(svg).toContain('Impact of the Relais network');
    expect(svg).toContain('since the start');
    for (const label of [
      'Devices collected',
      'Devices wiped',
      'Devices handed over',
      'Recharges given',
      'People equipped',
      'Follow-ups answered',
    ])
      expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('>1,234</text>');
    expect(svg).toContain('About 1,234.5 kg of e-waste and 26,540.2 kg CO₂e avoided');
    expect(svg).not.toContain('Appareils');
  });

  it('escapes an association name with <, & and > (and drops control characters), and still renders', async () => {
    const name = 'Café <b>&</b> "Solidarité"\u0007';
    const svg = impactChartSvg(data({ associationName: name }), textIn('en'));
    expect(svg).toContain('Impact of Café &lt;b&gt;&amp;&lt;/b&gt; &quot;Solidarité&quot;</text>');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('\u0007');
    expect(escapeXml(`'<&>'`)).toBe('&apos;&lt;&amp;&gt;&apos;');
    const chart = await renderImpactChart(data({ associationName: name }), textIn('en'));
    expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('draws its text with the system fonts (the title area is not blank)', () => {
    const image = new Resvg(impactChartSvg(data(), textIn('en')), {
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    }).render();
    // the getter copies the whole RGBA buffer: read it once
    const pixels = image.pixels;
    let dark = 0;
    // the title's baseline is at y = 68, from x = 48: count dark pixels in that band
    for (let y = 40; y < 72; y++) {
      for (let x = 48; x < 600; x++) {
        const i = (y * image.width + x) * 4;
        if ((pixels[i] ?? 255) < 100 && (pixels[i + 3] ?? 0) > 200) dark++;
      }
    }
    expect(dark).toBeGreaterThan(500);
  });

  it('draws empty bars and a 0–4 axis when nothing happened yet', () => {
    const zero: ImpactFigures = {
      requestsReceived: 0,
      requestsServed: 0,
      devicesCollected: 0,
      devicesErased: 0,
      devicesHandedOver: 0,
      rechargesGiven: 0,
      peopleEquipped: 0,
      followUpsAnswered: 0,
      phonesSponsored: 0,
      wasteAvoidedKg: 0,
      co2eAvoidedKg: 0,
    };
    const svg = impactChartSvg(data({ figures: zero }), textIn('en'));
    expect(svg.match(/width="0\.0"/g)?.length).toBe(6);
    expect(svg).toContain('>4</text>');
  });

  it('names periods like people do: a month, a year, a range with its last day, an open start', () => {
    const fr = textIn('fr');
    const en = textIn('en');
    expect(describePeriod(NOVEMBER, en)).toBe('November 2026');
    expect(
      describePeriod({ since: new Date('2026-01-01T00:00:00Z'), until: new Date('2027-01-01T00:00:00Z') }, fr),
    ).toBe('2026');
    expect(
      describePeriod({ since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-11-16T00:00:00Z') }, en),
    ).toBe('1 Nov 2026 – 15 Nov 2026');
    expect(describePeriod({ since: new Date('2026-11-03T00:00:00Z') }, fr)).toBe('depuis le 3 nov. 2026');
    expect(describePeriod({}, fr)).toBe('depuis le début');
  });
});
