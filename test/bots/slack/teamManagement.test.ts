import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/testRelais.js';
import { CHANNEL_A, CHANNEL_B, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
const ADMIN = 'UADMIN0001';
let adminId = '';

beforeAll(async () => {
  f = await startSlackFixture('slack_team');
  adminId = (
    await f.t.relais.db.staffMember.create({
      data: { slackUserId: ADMIN, associationId: f.seed.associationB, role: 'ADMIN', language: 'en' },
    })
  ).id;
});
afterAll(async () => {
  await f?.close();
});

const db = () => f.t.relais.db;
const base = { team: { id: 'T00000001', domain: 'relais-test' }, api_app_id: 'A00000001' };

/** A click in a command's private answer (ephemeral, with its response_url), as Slack sends it. */
function fromPrivateAnswer(user: { id: string; username: string }, messageTs: string, action: Record<string, unknown>) {
  return f.slack.interactivity({
    type: 'block_actions',
    ...base,
    user: { ...user, team_id: 'T00000001' },
    trigger_id: `TRIG${Date.now()}`,
    channel: { id: 'C_ANY', name: 'general' },
    container: { type: 'message', message_ts: messageTs, channel_id: 'C_ANY', is_ephemeral: true },
    response_url: f.fake.responseUrl,
    actions: [action],
  });
}

/** A choice in a message's overflow menu, as Slack sends it from a command's private answer (with its response_url). */
function overflowChoice(userId: string, actionId: string, value: string) {
  return fromPrivateAnswer({ id: userId, username: 'staff' }, '1700000000.000100', {
    type: 'overflow',
    action_id: actionId,
    block_id: 'm1',
    selected_option: { text: { type: 'plain_text', text: 'x', emoji: true }, value },
    action_ts: `${Date.now() / 1000}`,
  });
}

/** The modal Relais opened for this trigger, as Slack holds it (its private_metadata comes back on submit). */
async function openedView(
  triggerId: string,
): Promise<{ callback_id: string; private_metadata?: string; blocks: unknown[] }> {
  const call = await eventually(async () => f.fake.of('views.open').find((c) => c.args.trigger_id === triggerId));
  const view = call.args.view as { callback_id: string; private_metadata?: string; blocks: unknown[] };
  return view;
}

const responses = () => f.fake.of('response_url');
const dmTo = (user: string, contains: string) =>
  f.fake.of('chat.postMessage').find((c) => c.args.channel === user && String(c.args.text).includes(contains));

describe('/relais staff', () => {
  it(
    'a coordinator sees their team with role, language ' + 'and status, and a menu on everyone but themselves',
    async () => {
      const answer = (await f.slack.command({ userId: STAFF.coordinatorA, text: 'équipe' })).json();
      const text = String(answer.text);
      expect(text).toContain('Équipe de Utopia 56 Calais : 2 membres actifs');
      expect(text).toContain(`<@${STAFF.volunteerA}> · *Bénévole* · 🇫🇷 français · 🟢 actif·ve`);
      expect(text).toContain(`<@${STAFF.coordinatorA}> · *Coordinateur·rice*`);
      expect(text).not.toContain(STAFF.volunteerB);
      const blocks = JSON.stringify(answer.blocks);
      expect(blocks).toContain(`"action_id":"team.add"`);
      expect(blocks).toContain(`deactivate:${f.seed.staff.volunteerA}`);
      expect(blocks).toContain(`role:COORDINATOR:${f.seed.staff.volunteerA}`);
      expect(blocks).not.toContain(`deactivate:${f.seed.staff.coordinatorA}`);
      // a coordinator gives volunteer or coordinator, never admin
      expect(blocks).not.toContain('role:ADMIN');
    },
  );

  it(
    'a coordinator adds a volunteer with the user ' + 'picker: saved, audited, both told in their language, once',
    async () => {
      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'team.add',
        value: f.seed.associationA,
        channelId: 'C_ANY',
        triggerId: 'TRIGTEAMADD1',
      });
      const view = await openedView('TRIGTEAMADD1');
      expect(view.callback_id).toBe('team_member_add');
      expect(JSON.stringify(view.blocks)).toContain('"type":"users_select"');
      const values = {
        user: { value: { type: 'users_select', selected_user: 'UNEWVOL001' } },
        role: {
          value: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'Bénévole' }, value: 'VOLUNTEER' },
          },
        },
        language: {
          value: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'anglais' }, value: 'en' },
          },
        },
      };
      const submit = () =>
        f.slack.viewSubmission({
          userId: STAFF.coordinatorA,
          callbackId: view.callback_id,
          metadata: view.private_metadata ?? '',
          values,
          viewId: 'VTEAMADD001',
        });
      expect((await submit()).body).toBe('');
      // Slack may deliver a submission twice
      expect((await submit()).body).toBe('');

      const added = await db().staffMember.findUniqueOrThrow({ where: { slackUserId: 'UNEWVOL001' } });
      expect(added).toMatchObject({
        associationId: f.seed.associationA,
        role: 'VOLUNTEER',
        language: 'en',
        active: true,
      });
      const audit = await db().auditEvent.findMany({ where: { entityId: added.id } });
      expect(audit.map((a) => [a.action, a.actorType, a.actorId])).toEqual([
        ['staff.created', 'STAFF', f.seed.staff.coordinatorA],
      ]);
      await eventually(async () => dmTo('UNEWVOL001', 'Welcome!'));
      await eventually(async () => dmTo(STAFF.coordinatorA, 'a rejoint l’équipe de *Utopia 56 Calais* comme Bénévole'));
      expect(f.fake.of('chat.postMessage').filter((c) => c.args.channel === 'UNEWVOL001')).toHaveLength(1);

      // they can use Relais at once
      const theirs = (await f.slack.command({ userId: 'UNEWVOL001', text: 'staff' })).json();
      expect(String(theirs.text)).toContain('Team of Utopia 56 Calais: 3 active members');
    },
  );

  it('adding someone already in another association’s team is refused under the picker, nothing changes', async () => {
    await f.slack.blockAction({
      userId: STAFF.coordinatorA,
      actionId: 'team.add',
      value: f.seed.associationA,
      channelId: 'C_ANY',
      triggerId: 'TRIGTEAMADD2',
    });
    const view = await openedView('TRIGTEAMADD2');
    const values = {
      user: { value: { type: 'users_select', selected_user: STAFF.volunteerB } },
      role: { value: { type: 'static_select', selected_option: { value: 'VOLUNTEER' } } },
      language: { value: { type: 'static_select', selected_option: { value: 'fr' } } },
    };
    const answer = (
      await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: view.callback_id,
        metadata: view.private_metadata ?? '',
        values,
      })
    ).json();
    expect(answer).toMatchObject({
      response_action: 'errors',
      errors: { user: expect.stringContaining('autre association') },
    });
    expect(await db().staffMember.findUniqueOrThrow({ where: { slackUserId: STAFF.volunteerB } })).toMatchObject({
      associationId: f.seed.associationB,
      active: true,
    });
  });

  it('a coordinator changes a role from the menu: the list is replaced with the change, audited', async () => {
    const newcomer = await db().staffMember.findUniqueOrThrow({ where: { slackUserId: 'UNEWVOL001' } });
    const before = responses().length;
    await overflowChoice(STAFF.coordinatorA, 'team.member', `role:COORDINATOR:${newcomer.id}`);
    const replaced = await eventually(async () =>
      responses()
        .slice(before)
        .find((c) => String(c.args.text).includes('est maintenant Coordinateur·rice')),
    );
    expect(replaced.args).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(String(replaced.args.text)).toContain(`<@UNEWVOL001> · *Coordinateur·rice*`);
    expect(await db().staffMember.findUniqueOrThrow({ where: { id: newcomer.id } })).toMatchObject({
      role: 'COORDINATOR',
    });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { entityId: newcomer.id, action: 'staff.updated' } });
    expect(audit).toMatchObject({
      actorType: 'STAFF',
      actorId: f.seed.staff.coordinatorA,
      data: { fields: ['role'], from: 'VOLUNTEER', role: 'COORDINATOR' },
    });
  });

  it('a coordinator deactivates a volunteer: kept with their history, refused by Relais from then on', async () => {
    const newcomer = await db().staffMember.findUniqueOrThrow({ where: { slackUserId: 'UNEWVOL001' } });
    const before = responses().length;
    await overflowChoice(STAFF.coordinatorA, 'team.member', `deactivate:${newcomer.id}`);
    await eventually(async () =>
      responses()
        .slice(before)
        .find((c) => String(c.args.text).includes('est désactivé·e')),
    );
    expect(await db().staffMember.findUniqueOrThrow({ where: { id: newcomer.id } })).toMatchObject({
      active: false,
      role: 'COORDINATOR',
    });
    expect(await db().auditEvent.count({ where: { entityId: newcomer.id } })).toBe(3);
    expect(
      await db().auditEvent.findFirst({ where: { entityId: newcomer.id, action: 'staff.deactivated' } }),
    ).toMatchObject({ actorId: f.seed.staff.coordinatorA });
    const theirs = (await f.slack.command({ userId: 'UNEWVOL001', text: 'requests' })).json();
    expect(String(theirs.text)).toContain('Relais does not know you');
    expect(String(theirs.text)).not.toContain('Team of');

    // still listed, with a Reactivate button that brings the same row back
    const list = (await f.slack.command({ userId: STAFF.coordinatorA, text: 'équipe' })).json();
    expect(String(list.text)).toContain('<@UNEWVOL001> · *Coordinateur·rice* · 🇬🇧 anglais · ⚪ désactivé·e');
    expect(JSON.stringify(list.blocks)).toContain(`"value":"reactivate:${newcomer.id}"`);
    const again = responses().length;
    await f.slack.blockAction({
      userId: STAFF.coordinatorA,
      actionId: 'team.member',
      value: `reactivate:${newcomer.id}`,
      channelId: 'C_ANY',
      ephemeral: true,
    });
    await eventually(async () =>
      responses()
        .slice(again)
        .find((c) => String(c.args.text).includes('est de nouveau actif·ve')),
    );
    expect(await db().staffMember.count({ where: { slackUserId: 'UNEWVOL001', active: true } })).toBe(1);
  });

  it('a coordinator cannot deactivate themselves or reach an admin’s row', async () => {
    await overflowChoice(STAFF.coordinatorA, 'team.member', `deactivate:${f.seed.staff.coordinatorA}`);
    await eventually(async () =>
      f.fake
        .of('chat.postEphemeral')
        .find((c) => c.args.user === STAFF.coordinatorA && String(c.args.text).includes('vous désactiver')),
    );
    await overflowChoice(STAFF.coordinatorA, 'team.member', `deactivate:${adminId}`);
    await eventually(async () =>
      f.fake
        .of('chat.postEphemeral')
        .find((c) => c.args.user === STAFF.coordinatorA && String(c.args.text).includes('🔒')),
    );
    expect(
      await db().staffMember.count({ where: { id: { in: [f.seed.staff.coordinatorA, adminId] }, active: true } }),
    ).toBe(2);
  });

  it('a volunteer sees the team read-only and a forged click or submission from them changes nothing', async () => {
    const answer = (await f.slack.command({ userId: STAFF.volunteerA, text: 'equipe' })).json();
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).not.toContain('team.add');
    expect(blocks).not.toContain('team.member');

    await overflowChoice(STAFF.volunteerA, 'team.member', `deactivate:${f.seed.staff.coordinatorA}`);
    await eventually(async () =>
      f.fake
        .of('chat.postEphemeral')
        .find(
          (c) => c.args.user === STAFF.volunteerA && String(c.args.text).includes('gérées par les coordinateur·rices'),
        ),
    );
    const values = {
      user: { value: { type: 'users_select', selected_user: 'UFORGED001' } },
      role: { value: { type: 'static_select', selected_option: { value: 'COORDINATOR' } } },
      language: { value: { type: 'static_select', selected_option: { value: 'fr' } } },
    };
    const forged = (
      await f.slack.viewSubmission({
        userId: STAFF.volunteerA,
        callbackId: 'team_member_add',
        metadata: { associationId: f.seed.associationA },
        values,
      })
    ).json();
    expect(forged).toMatchObject({ response_action: 'errors' });
    // a coordinator's forged submission for another association is refused too
    const other = (
      await f.slack.viewSubmission({
        userId: STAFF.coordinatorA,
        callbackId: 'team_member_add',
        metadata: { associationId: f.seed.associationB },
        values,
      })
    ).json();
    expect(other).toMatchObject({ response_action: 'errors' });
    expect(await db().staffMember.findUnique({ where: { slackUserId: 'UFORGED001' } })).toBeNull();
    expect(await db().staffMember.findUniqueOrThrow({ where: { id: f.seed.staff.coordinatorA } })).toMatchObject({
      active: true,
    });
  });

  it('an admin sees any association’s team through the picker and may give the admin role', async () => {
    const answer = (await f.slack.command({ userId: ADMIN, text: 'staff' })).json();
    expect(String(answer.text)).toContain('Team of Auberge des migrants');
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).toContain('"action_id":"team.association"');
    expect(blocks).toContain(`role:ADMIN:${f.seed.staff.volunteerB}`);
    const before = responses().length;
    await f.slack.interactivity({
      type: 'block_actions',
      ...base,
      user: { id: ADMIN, username: 'admin', team_id: 'T00000001' },
      trigger_id: 'TRIGPICK1',
      channel: { id: 'C_ANY', name: 'general' },
      container: { type: 'message', message_ts: '1700000000.000200', channel_id: 'C_ANY', is_ephemeral: true },
      response_url: f.fake.responseUrl,
      actions: [
        {
          type: 'static_select',
          action_id: 'team.association',
          block_id: 'team_pick',
          selected_option: { text: { type: 'plain_text', text: 'Utopia 56 Calais' }, value: f.seed.associationA },
          action_ts: '1',
        },
      ],
    });
    const shown = await eventually(async () =>
      responses()
        .slice(before)
        .find((c) => String(c.args.text).includes('Team of Utopia 56 Calais')),
    );
    expect(String(shown.args.text)).toContain(`<@${STAFF.volunteerA}> · *Volunteer* · 🇫🇷 French`);
  });
});

describe('asking to join', () => {
  it(
    'a stranger asks to join, the coordinators get it in their channel, one accepts: volunteer in the language ' +
      'asked, told',
    async () => {
      const stranger = 'USTRANGE02';
      const offer = (await f.slack.command({ userId: stranger, text: '' })).json();
      expect(String(offer.text)).toContain('Relais does not know you');
      const offerBlocks = JSON.stringify(offer.blocks);
      expect(offerBlocks).toContain('"action_id":"join.ask.fr"');
      expect(offerBlocks).toContain('"action_id":"join.ask.en"');
      expect(offerBlocks).toContain(f.seed.associationA);

      const ask = () =>
        fromPrivateAnswer({ id: stranger, username: 'newcomer' }, '1700000000.000300', {
          type: 'static_select',
          action_id: 'join.ask.en',
          block_id: 'join',
          selected_option: { text: { type: 'plain_text', text: 'Utopia 56 Calais' }, value: f.seed.associationA },
          action_ts: '1',
        });
      const before = responses().length;
      await ask();
      const posted = await eventually(async () =>
        f.fake
          .of('chat.postMessage')
          .find((c) => c.args.channel === CHANNEL_A && String(c.args.text).includes(`<@${stranger}>`)),
      );
      expect(String(posted.args.text)).toContain('demande à rejoindre l’équipe de *Utopia 56 Calais*');
      expect(JSON.stringify(posted.args.blocks)).toContain(`<@${STAFF.coordinatorA}>`);
      expect(JSON.stringify(posted.args.blocks)).toContain('"action_id":"join.accept"');
      await eventually(async () =>
        responses()
          .slice(before)
          .find((c) => String(c.args.text).includes('Your request went to the coordinators of *Utopia 56 Calais*')),
      );
      const request = await db().staffJoinRequest.findFirstOrThrow({ where: { slackUserId: stranger } });
      expect(request).toMatchObject({
        status: 'PENDING',
        language: 'en',
        associationId: f.seed.associationA,
        slackChannelId: CHANNEL_A,
      });

      // asking twice posts once
      await ask();
      await eventually(async () =>
        responses()
          .slice(before)
          .find((c) => String(c.args.text).includes('You already asked')),
      );
      expect(
        f.fake
          .of('chat.postMessage')
          .filter((c) => c.args.channel === CHANNEL_A && String(c.args.text).includes(`<@${stranger}>`)),
      ).toHaveLength(1);

      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'join.accept',
        value: request.id,
        channelId: CHANNEL_A,
      });
      await eventually(async () => dmTo(stranger, 'You are now a volunteer of *Utopia 56 Calais*'));
      const member = await db().staffMember.findUniqueOrThrow({ where: { slackUserId: stranger } });
      expect(member).toMatchObject({
        associationId: f.seed.associationA,
        role: 'VOLUNTEER',
        language: 'en',
        active: true,
      });
      const update = await eventually(async () =>
        f.fake.of('chat.update').find((c) => c.args.ts === posted.args.ts || c.args.ts === request.slackTs),
      );
      expect(String(update.args.text)).toContain(`<@${STAFF.coordinatorA}> a accepté <@${stranger}>`);
      expect(JSON.stringify(update.args.blocks)).not.toContain('join.accept');
      expect(await db().staffJoinRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
        status: 'ACCEPTED',
        decidedById: f.seed.staff.coordinatorA,
      });
      const actions = await db().auditEvent.findMany({
        where: { OR: [{ entityId: request.id }, { entityId: member.id }] },
        orderBy: { at: 'asc' },
      });
      expect(actions.map((a) => [a.action, a.actorType])).toEqual([
        ['staff.join_requested', 'SYSTEM'],
        ['staff.created', 'STAFF'],
        ['staff.join_accepted', 'STAFF'],
      ]);

      // a second decision is refused
      await f.slack.blockAction({
        userId: STAFF.coordinatorA,
        actionId: 'join.decline',
        value: request.id,
        channelId: CHANNEL_A,
      });
      await eventually(async () =>
        f.fake
          .of('chat.postEphemeral')
          .find((c) => c.args.user === STAFF.coordinatorA && String(c.args.text).includes('déjà répondu')),
      );
      expect(await db().staffMember.findUniqueOrThrow({ where: { slackUserId: stranger } })).toMatchObject({
        active: true,
      });
    },
  );

  it('a coordinator declines from the App Home offer’s request: no staff member, the person is told', async () => {
    const stranger = 'USTRANGE03';
    await f.slack.event({ type: 'app_home_opened', user: stranger, channel: 'DHOME3', tab: 'home' });
    const home = await eventually(async () => f.fake.of('views.publish').find((c) => c.args.user_id === stranger));
    expect(JSON.stringify(home.args.view)).toContain('"action_id":"join.ask.fr"');
    // from the App Home: no channel and no response_url
    await f.slack.interactivity({
      type: 'block_actions',
      ...base,
      user: { id: stranger, username: 'newcomer', team_id: 'T00000001' },
      trigger_id: 'TRIGHOMEJOIN',
      container: { type: 'view', view_id: 'VHOME00003' },
      view: { id: 'VHOME00003', type: 'home', private_metadata: '', callback_id: '', hash: 'h' },
      actions: [
        {
          type: 'static_select',
          action_id: 'join.ask.fr',
          block_id: 'join',
          selected_option: { text: { type: 'plain_text', text: 'Utopia 56 Calais' }, value: f.seed.associationA },
          action_ts: '1',
        },
      ],
    });
    await eventually(async () => dmTo(stranger, 'Votre demande est partie'));
    const request = await db().staffJoinRequest.findFirstOrThrow({ where: { slackUserId: stranger } });
    await f.slack.blockAction({
      userId: STAFF.volunteerA,
      actionId: 'join.decline',
      value: request.id,
      channelId: CHANNEL_A,
    });
    await eventually(async () =>
      f.fake
        .of('chat.postEphemeral')
        .find(
          (c) => c.args.user === STAFF.volunteerA && String(c.args.text).includes('gérées par les coordinateur·rices'),
        ),
    );
    expect(await db().staffJoinRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: 'PENDING',
    });

    await f.slack.blockAction({
      userId: STAFF.coordinatorA,
      actionId: 'join.decline',
      value: request.id,
      channelId: CHANNEL_A,
    });
    await eventually(async () => dmTo(stranger, 'a refusé votre demande'));
    expect(await db().staffMember.findUnique({ where: { slackUserId: stranger } })).toBeNull();
    expect(await db().staffJoinRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: 'DECLINED',
      decidedById: f.seed.staff.coordinatorA,
    });
    expect(
      await db().auditEvent.findFirst({ where: { entityId: request.id, action: 'staff.join_declined' } }),
    ).toMatchObject({ actorId: f.seed.staff.coordinatorA });
  });
});

describe('a join request Relais could not post', () => {
  it('is posted when the person asks again (the bot was not in the channel yet)', async () => {
    const stranger = 'USTRANGE04';
    const ask = () =>
      f.slack.interactivity({
        type: 'block_actions',
        ...base,
        user: { id: stranger, username: 'newcomer', team_id: 'T00000001' },
        trigger_id: `TRIG${Date.now()}`,
        container: { type: 'view', view_id: 'VHOME00004' },
        view: { id: 'VHOME00004', type: 'home', private_metadata: '', callback_id: '', hash: 'h' },
        actions: [
          {
            type: 'static_select',
            action_id: 'join.ask.en',
            block_id: 'join',
            selected_option: { text: { type: 'plain_text', text: 'Auberge des migrants' }, value: f.seed.associationB },
            action_ts: '1',
          },
        ],
      });
    f.fake.failNext('chat.postMessage', 'not_in_channel');
    await ask();
    await eventually(async () => dmTo(stranger, 'did not work'));
    await ask();
    const posted = await eventually(async () =>
      f.fake
        .of('chat.postMessage')
        .find((c) => c.args.channel === CHANNEL_B && String(c.args.text).includes(`<@${stranger}>`)),
    );
    expect(String(posted.args.text)).toContain('Auberge des migrants');
    await eventually(async () => dmTo(stranger, 'Your request went to the coordinators'));
    expect(await db().staffJoinRequest.count({ where: { slackUserId: stranger } })).toBe(1);
  });
});

describe('/relais associations', () => {
  const values = (name: string, channel: string | null, department: string) => ({
    name: { value: { type: 'plain_text_input', value: name } },
    channel: { value: { type: 'conversations_select', selected_conversation: channel } },
    city: { value: { type: 'plain_text_input', value: 'Dunkerque' } },
    department: { value: { type: 'plain_text_input', value: department } },
    active: {
      value: {
        type: 'checkboxes',
        selected_options: [{ text: { type: 'plain_text', text: 'Active' }, value: 'active' }],
      },
    },
  });

  it(
    'an admin creates an association with its channel, ' + 'town and département, audited; a coordinator may not',
    async () => {
      const list = (await f.slack.command({ userId: ADMIN, text: 'associations' })).json();
      expect(String(list.text)).toContain('2 associations in the network');
      await f.slack.blockAction({
        userId: ADMIN,
        actionId: 'associations.add',
        value: 'new',
        channelId: 'C_ANY',
        triggerId: 'TRIGASSOADD1',
      });
      const view = await openedView('TRIGASSOADD1');
      expect(JSON.stringify(view.blocks)).toContain('"type":"conversations_select"');

      const invalid = (
        await f.slack.viewSubmission({
          userId: ADMIN,
          callbackId: view.callback_id,
          metadata: view.private_metadata ?? '',
          values: values('Salam Nord', 'CNEWASSO01', '999'),
        })
      ).json();
      expect(invalid).toMatchObject({
        response_action: 'errors',
        errors: { department: expect.stringContaining('62, 2A or 971') },
      });
      const taken = (
        await f.slack.viewSubmission({
          userId: ADMIN,
          callbackId: view.callback_id,
          metadata: view.private_metadata ?? '',
          values: values('Salam Nord', CHANNEL_A, '59'),
        })
      ).json();
      expect(taken).toMatchObject({
        response_action: 'errors',
        errors: { channel: expect.stringContaining('already uses this channel') },
      });

      expect(
        (
          await f.slack.viewSubmission({
            userId: ADMIN,
            callbackId: view.callback_id,
            metadata: view.private_metadata ?? '',
            values: values('Salam Nord', 'CNEWASSO01', '59'),
          })
        ).body,
      ).toBe('');
      const created = await db().association.findFirstOrThrow({ where: { name: 'Salam Nord' } });
      expect(created).toMatchObject({
        slug: 'salam-nord',
        slackChannelId: 'CNEWASSO01',
        city: 'Dunkerque',
        department: '59',
        active: true,
      });
      expect(
        await db().auditEvent.findFirst({ where: { entityId: created.id, action: 'association.created' } }),
      ).toMatchObject({ actorType: 'STAFF', actorId: adminId });
      await eventually(async () => dmTo(ADMIN, 'Association *Salam Nord* saved'));

      const refused = (await f.slack.command({ userId: STAFF.coordinatorA, text: 'associations' })).json();
      expect(String(refused.text)).toContain('gérées par les admins');
      const forged = (
        await f.slack.viewSubmission({
          userId: STAFF.coordinatorA,
          callbackId: 'association_form',
          metadata: {},
          values: values('Forgée', 'CFORGED001', '62'),
        })
      ).json();
      expect(forged).toMatchObject({ response_action: 'errors' });
      expect(await db().association.count({ where: { name: 'Forgée' } })).toBe(0);
    },
  );
});
