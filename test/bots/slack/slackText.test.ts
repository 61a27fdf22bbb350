import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../../src/bots/slack/modals/rechargeModal.js';
import { escapeMrkdwn, slackToPlainText } from '../../../src/bots/slack/slackText.js';

describe('text between Slack and people', () => {
  it('a volunteer message loses Slack markup before it reaches a person', () => {
    expect(
      slackToPlainText('Hi <@U123ABC>, see <https://x.org/map|the map> or <https://x.org> &lt;3 &amp; bye <!here>'),
    ).toBe('Hi, see the map (https://x.org/map) or https://x.org <3 & bye');
    expect(slackToPlainText('in <#C123|calais>')).toBe('in #calais');
  });

  it("a person's text cannot ping a channel or make a link in Slack", () => {
    expect(escapeMrkdwn('<!channel> <https://evil|click> & co')).toBe(
      '&lt;!channel&gt; &lt;https://evil|click&gt; &amp; co',
    );
  });

  it(
    'data cannot bold, italicise, strike or code-format a ' +
      'card: marks become look-alikes, marks inside a word stay',
    () => {
      expect(escapeMrkdwn('*bold* _it_ ~no~ `x`')).toBe('∗bold∗ ˍitˍ ∼no∼ ˋxˋ');
      expect(escapeMrkdwn('Galaxy_S9 a*b')).toBe('Galaxy_S9 a*b');
    },
  );

  it('recharge amounts are read in euros with a comma or a point', () => {
    expect(parseAmount('10')).toBe(1000);
    expect(parseAmount('7,50')).toBe(750);
    expect(parseAmount('7.5 €')).toBe(750);
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('ten')).toBeUndefined();
    expect(parseAmount('0')).toBeUndefined();
    expect(parseAmount('500')).toBeUndefined();
  });
});
