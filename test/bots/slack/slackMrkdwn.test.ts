import { describe, expect, it } from 'vitest';
import { parseMrkdwn } from '../../../src/bots/slack/slackMrkdwn.js';
import { renderRichText, richTextFor } from '../../../src/core/messages/richText.js';

const whatsapp = (text: string) => renderRichText(parseMrkdwn(text), 'whatsapp');
const plain = (text: string) => renderRichText(parseMrkdwn(text), 'plain');

describe('a volunteer’s Slack mrkdwn, as each channel shows it', () => {
  it('bold, italic and strike become WhatsApp’s own marks, and disappear in plain text', () => {
    const typed = 'Come *tomorrow* at _10 am_, not ~today~';
    expect(whatsapp(typed)).toBe('Come *tomorrow* at _10 am_, not ~today~');
    expect(plain(typed)).toBe('Come tomorrow at 10 am, not today');
  });

  it('nested marks and marks around a link', () => {
    expect(plain('*bold _and italic_*')).toBe('bold and italic');
    expect(whatsapp('*bold _and italic_*')).toBe('*bold _and italic_*');
    expect(plain('*<https://relais.example/map|the map>*')).toBe('the map (https://relais.example/map)');
    expect(whatsapp('*<https://relais.example/map|the map>*')).toBe('*the map (https://relais.example/map)*');
  });

  it('marks Slack does not read as formatting stay as typed', () => {
    expect(plain('file_name_v2 and 2*3*4 and a * b * c')).toBe('file_name_v2 and 2*3*4 and a * b * c');
    expect(plain('* not bold *')).toBe('* not bold *');
    expect(plain('*open\nclose*')).toBe('*open\nclose*');
  });

  it('links, e-mail addresses, mentions, channels and specials', () => {
    expect(plain('See <https://x.org/plan|the plan> or <https://x.org>')).toBe(
      'See the plan (https://x.org/plan) or https://x.org',
    );
    expect(plain('Write to <mailto:help@asso.example|help@asso.example>')).toBe('Write to help@asso.example');
    expect(plain('Write to <mailto:help@asso.example|the team>')).toBe('Write to the team (help@asso.example)');
    expect(plain('Hi <@U123ABC>, ask <@U456|amina> in <#C123|calais> <!here>')).toBe('Hi, ask in #calais');
    expect(plain('on <!date^1700000000^{date_short}|Nov 14, 2023>')).toBe('on Nov 14, 2023');
  });

  it('entities are decoded once, and what looks like a tag is text', () => {
    expect(plain('Tom &amp; Jerry &lt;3 &amp;lt;')).toBe('Tom & Jerry <3 &lt;');
    expect(whatsapp('a &lt;b&gt; c')).toBe('a <b> c');
  });

  it('code, blocks, quotes and lists', () => {
    expect(whatsapp('type `*123#` then')).toBe('type `*123#` then');
    expect(plain('type `*123#` then')).toBe('type *123# then');
    expect(whatsapp('```line 1\n  line 2```')).toBe('```line 1\n  line 2```');
    expect(plain('```line 1\n  line 2```')).toBe('line 1\n  line 2');
    expect(plain('&gt; what you asked\nmy answer')).toBe('> what you asked\nmy answer');
    expect(whatsapp('&gt; *quoted*')).toBe('> *quoted*');
    expect(plain('• passport\n• phone charger\n1. first')).toBe('• passport\n• phone charger\n1. first');
  });

  it('each channel gets its style: WhatsApp its markup, Telegram and the web chat plain text', () => {
    const rich = parseMrkdwn('*Bring* _your_ ~old~ phone');
    expect(richTextFor(rich, 'WHATSAPP')).toBe('*Bring* _your_ ~old~ phone');
    expect(richTextFor(rich, 'TELEGRAM')).toBe('Bring your old phone');
    expect(richTextFor(rich, 'WEB')).toBe('Bring your old phone');
  });
});
