import { describe, expect, it } from 'vitest';
import {
  buildCloudMessage,
  buildTemplateMessage,
  cutText,
} from '../../../src/bots/whatsapp-cloud/cloudMessageBuilder.js';
import { ConfigError, loadConfig } from '../../../src/core/config.js';

const choices = (n: number, label = (i: number) => `Choice ${i + 1}`) =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i}`, label: label(i) }));

describe('WhatsApp Cloud messages', () => {
  it('cuts after a whole word or a whole emoji, never inside one', () => {
    expect(cutText('Short', 20)).toBe('Short');
    expect(cutText('A phone for my daughter please', 20)).toBe('A phone for my…');
    const cut = cutText('👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 20);
    expect(cut).toBe('👨‍👩‍👧‍👦…');
    expect(cutText('هاتف لابنتي من فضلك يا صديقي', 20)).toBe('هاتف لابنتي من فضلك…');
    expect(cutText('Téléphoneportablepourmafille', 12)).toBe('Téléphonepo…');
  });

  it('1–3 choices are reply buttons, 4–10 a list, more a numbered text', () => {
    const three = buildCloudMessage({ text: 'Pick', choices: choices(3) }, 'Choose');
    expect(three).toMatchObject({ type: 'interactive', interactive: { type: 'button', body: { text: 'Pick' } } });
    const buttons = (three.interactive as { action: { buttons: unknown[] } }).action.buttons;
    expect(buttons).toEqual(
      [0, 1, 2].map((i) => ({ type: 'reply', reply: { id: `c${i}`, title: `Choice ${i + 1}` } })),
    );
    const ten = buildCloudMessage({ text: 'Pick', choices: choices(10) }, 'Choose');
    expect(ten).toMatchObject({ type: 'interactive', interactive: { type: 'list', action: { button: 'Choose' } } });
    const eleven = buildCloudMessage({ text: 'Pick', choices: choices(11) }, 'Choose');
    expect(eleven).toMatchObject({ type: 'text', text: { preview_url: false } });
    expect((eleven.text as { body: string }).body).toContain('\n11. Choice 11');
  });

  it('a cut title puts every full label, numbered, in the body; RTL choices keep their mark', () => {
    const long = buildCloudMessage(
      { text: 'لمن الهاتف؟', rtl: true, choices: choices(2, (i) => `خيار طويل جدا جدا رقم ${i + 1}`) },
      'اختر',
    );
    const interactive = long.interactive as {
      body: { text: string };
      action: { buttons: Array<{ reply: { title: string } }> };
    };
    expect(interactive.body.text).toContain('\u200f1. خيار طويل جدا جدا رقم 1');
    for (const button of interactive.action.buttons) expect(button.reply.title.length).toBeLessThanOrEqual(20);
  });

  it('outside the window: the template of the kind in the person’s language, or none', () => {
    const catalogue = {
      checkIn: { name: 'relais_check_in', languages: { en: 'en_US' }, parameters: ['text' as const] },
    };
    const content = { text: 'How is the phone?\nAnswer:', choices: choices(2), kind: 'checkIn' as const };
    expect(buildTemplateMessage(content, 'en', catalogue)).toEqual({
      type: 'template',
      template: {
        name: 'relais_check_in',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [{ type: 'text', text: 'How is the phone? · Answer: · 1. Choice 1 · 2. Choice 2' }],
          },
        ],
      },
    });
    expect(buildTemplateMessage(content, 'ar', catalogue)).toBeNull();
    expect(buildTemplateMessage({ ...content, kind: 'staffReply' }, 'en', catalogue)).toBeNull();
  });

  it('configuration: one line per missing or wrong variable', () => {
    let problems: string[] = [];
    try {
      loadConfig({
        WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922',
        WHATSAPP_CLOUD_TEMPLATES: '{"checkIn":{"name":"Bad Name","languages":{}}}',
      });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([
      'WHATSAPP_CLOUD_ACCESS_TOKEN: required when WHATSAPP_CLOUD_PHONE_NUMBER_ID is set',
      'WHATSAPP_CLOUD_APP_SECRET: required when WHATSAPP_CLOUD_PHONE_NUMBER_ID is set',
      'WHATSAPP_CLOUD_VERIFY_TOKEN: required when WHATSAPP_CLOUD_PHONE_NUMBER_ID is set',
      'WHATSAPP_CLOUD_TEMPLATES.checkIn.name: a template name is lower case letters, digits and _',
    ]);
    expect(loadConfig({}).WHATSAPP_CLOUD_GRAPH_URL).toBe('https://graph.facebook.com/v26.0');
    expect(loadConfig({}).WHATSAPP_CLOUD_RATE_PER_SEC).toBe(80);
  });
});
