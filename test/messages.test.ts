/**
 * Templated messages over the residents' channels, on every backend: the templates fit the gateways
 * (named parameters cut to their lengths, one SMS segment), a resident chooses 微信/站内 with quiet
 * hours, a bill issued at night goes to the live feed at once and to WeChat when the quiet hours end
 * (through the channel adapter, with the template id and its parameters), a channel without a
 * gateway fails visibly, and the manager sees the templates and every delivery's status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../src/app/channels.js';
import { logAdapter, quietUntil } from '../src/app/channels.js';
import {
  MESSAGE_TEMPLATES,
  SMS_SEGMENT_CHARS,
  SMS_SIGNATURE_CHARS,
  TEMPLATE_IDS,
  render,
} from '../src/app/message-templates.js';
import { OutboxDispatcher } from '../src/app/outbox-dispatcher.js';
import { shanghaiInstant } from '../src/core/time.js';
import { BACKENDS } from './support/backends.js';
import { residentsWorld, type ResidentsWorld } from './support/residents.js';

const MANAGER = '13800000001';
/** r001, household h-cc25d4 with v003. */
const RESIDENT = '13800000101';
/** r003, household h-d9947c: no channel chosen. */
const OTHER = '13800000103';

describe('message templates', () => {
  it('fit one SMS segment with every parameter at its longest, and cut longer values', () => {
    for (const id of TEMPLATE_IDS) {
      const t = MESSAGE_TEMPLATES[id];
      const params = Object.fromEntries(t.params.map((p) => [p.name, '字'.repeat(p.maxLength + 5)]));
      const { body } = render(id, params);
      expect(body).not.toMatch(/[{}]/);
      expect([...body].length + SMS_SIGNATURE_CHARS, id).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
      for (const p of t.params) expect(body).toContain(`${'字'.repeat(p.maxLength - 1)}…`);
      expect(render(id, params, 'en').title).toBe(t.title.en);
    }
    expect(() => render('bill.issued', { month: '2026-11' })).toThrow(/params\.amount/);
  });

  it('hold WeChat and SMS until the quiet hours end, across midnight', () => {
    const quiet = { from: '22:00', to: '07:00' };
    expect(quietUntil(shanghaiInstant('2026-12-01', '23:00'), quiet)).toBe(shanghaiInstant('2026-12-02', '07:00'));
    expect(quietUntil(shanghaiInstant('2026-12-02', '06:59'), quiet)).toBe(shanghaiInstant('2026-12-02', '07:00'));
    expect(quietUntil(shanghaiInstant('2026-12-02', '07:00'), quiet)).toBe(shanghaiInstant('2026-12-02', '07:00'));
    expect(quietUntil(shanghaiInstant('2026-12-02', '12:00'), { from: '12:00', to: '14:00' })).toBe(
      shanghaiInstant('2026-12-02', '14:00'),
    );
    expect(quietUntil(shanghaiInstant('2026-12-02', '15:00'), quiet)).toBe(shanghaiInstant('2026-12-02', '15:00'));
  });
});

for (const backend of BACKENDS) describe(`resident channels on ${backend.name}`, () => channels(backend));

function channels(backend: (typeof BACKENDS)[number]): void {
  let world: ResidentsWorld;
  const call: ResidentsWorld['call'] = (...args) => world.call(...args);
  const sent: Omit<ChannelMessage, 'recipient'>[] = [];

  beforeAll(async () => {
    world = await residentsWorld(backend);
  }, 60_000);

  afterAll(async () => {
    await world.close();
    await backend.cleanup();
  });

  it('a resident chooses 微信 and 站内 with quiet hours; bad choices and other roles are refused', async () => {
    expect((await call(RESIDENT, 'GET', '/api/me/channels')).body).toEqual({ choice: null });
    const empty = await call(RESIDENT, 'PUT', '/api/me/channels', { channels: [], quiet: null });
    expect(empty.status).toBe(400);
    const twice = await call(RESIDENT, 'PUT', '/api/me/channels', { channels: ['sms', 'sms'], quiet: null });
    expect([twice.status, twice.body.error.field]).toEqual([400, 'body.channels']);
    const badTime = await call(RESIDENT, 'PUT', '/api/me/channels', {
      channels: ['sms'],
      quiet: { from: '25:00', to: '07:00' },
    });
    expect(badTime.status).toBe(400);
    expect((await call(MANAGER, 'PUT', '/api/me/channels', { channels: ['sms'], quiet: null })).status).toBe(403);
    const choice = { channels: ['wechat', 'inapp'], quiet: { from: '22:00', to: '07:00' } };
    const ok = await call(RESIDENT, 'PUT', '/api/me/channels', choice);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await call(RESIDENT, 'GET', '/api/me/channels')).body).toEqual({ choice });
  });

  it('a bill issued at 23:00 reaches the feed at once and WeChat at 07:00, as its template', async () => {
    world.clock.now = shanghaiInstant('2026-11-27', '20:00');
    const rules = {
      monthly: { bay: [30000], tandem: [20000], aisle: [15000] },
      temporary: { freeMinutes: 30, perHourFen: 500, dailyCapFen: 3000 },
      partner: { nightFen: 1000, overstayPerHourFen: 2000 },
      evPerKwhFen: 80,
      exemptions: [],
    };
    expect((await call(MANAGER, 'PUT', '/api/fees/rules/2026-11-01', rules)).status).toBe(200);
    for (const vehicleId of ['v003', 'v001'])
      expect(
        (await call(MANAGER, 'POST', '/api/fees/cards', { vehicleId, placeKind: 'bay', from: '2026-11-01' })).status,
      ).toBe(200);
    const dispatcher = new OutboxDispatcher(world.ctx, {
      webhook: null,
      adapters: { wechat: logAdapter((_, m) => sent.push(m)) },
    });
    await dispatcher.drain();
    world.clock.now = shanghaiInstant('2026-12-01', '23:00');
    const issued = await call(MANAGER, 'POST', '/api/fees/bills', { month: '2026-11' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);

    const feed = await call(RESIDENT, 'GET', '/api/notifications');
    const bill = (feed.body.notifications as { kind: string; title: string; body: string }[]).find(
      (n) => n.kind === 'bill.issued',
    );
    expect(bill).toMatchObject({ title: '停车费账单', body: '2026-11停车费账单¥300.00，请于2026-12-16前缴纳。' });

    expect(await dispatcher.drain()).toMatchObject({ failed: 0 });
    expect(sent).toEqual([]);
    const at23 = (await call(MANAGER, 'GET', '/api/messages/deliveries?limit=20')).body.deliveries as {
      kind: string;
      userId: string;
      channel: string;
      status: string;
      template: string | null;
      nextAttemptAt: number;
    }[];
    const billRows = at23.filter((d) => d.kind === 'bill.issued');
    expect(billRows.map((d) => [d.userId, d.channel, d.status]).sort()).toEqual([
      ['r001', 'inapp', 'sent'],
      ['r001', 'wechat', 'pending'],
      ['r003', 'default', 'sent'],
    ]);
    expect(billRows.find((d) => d.channel === 'wechat')?.nextAttemptAt).toBe(shanghaiInstant('2026-12-02', '07:00'));
    expect(billRows.every((d) => d.template === 'bill.issued')).toBe(true);

    world.clock.now = shanghaiInstant('2026-12-02', '07:00');
    expect(await dispatcher.drain()).toMatchObject({ sent: 1, failed: 0 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      channel: 'wechat',
      template: {
        id: 'bill.issued',
        smsCode: 'PB_BILL_ISSUED',
        params: { month: '2026-11', amount: '300.00', due: '2026-12-16' },
      },
    });
    expect(JSON.stringify(sent[0])).not.toContain('1380000');
  });

  it('a channel without a gateway fails its delivery visibly, the others still go', async () => {
    await call(OTHER, 'PUT', '/api/me/channels', { channels: ['sms', 'inapp'], quiet: null });
    world.clock.now = shanghaiInstant('2026-12-02', '10:00');
    const payment = await call(MANAGER, 'POST', '/api/fees/payments', {
      householdId: 'h-d9947c',
      fen: 100,
      method: 'cash',
    });
    expect(payment.status).toBe(200);
    const dispatcher = new OutboxDispatcher(world.ctx, { webhook: null, adapters: {} });
    expect(await dispatcher.drain()).toMatchObject({ sent: 1, failed: 1 });
    const rows = (await call(MANAGER, 'GET', '/api/messages/deliveries')).body.deliveries as {
      kind: string;
      channel: string;
      status: string;
      lastError: string | null;
    }[];
    expect(rows.filter((d) => d.kind === 'payment.recorded').map((d) => [d.channel, d.status, d.lastError])).toEqual(
      expect.arrayContaining([
        ['sms', 'failed', 'no gateway for the sms channel'],
        ['inapp', 'sent', null],
      ]),
    );
  });

  it('shows the manager the templates, and no one else', async () => {
    const r = await call(MANAGER, 'GET', '/api/messages/templates');
    expect(r.status).toBe(200);
    expect((r.body.templates as { id: string }[]).map((t) => t.id)).toEqual([...TEMPLATE_IDS]);
    expect((await call(RESIDENT, 'GET', '/api/messages/templates')).status).toBe(403);
    expect((await call(RESIDENT, 'GET', '/api/messages/deliveries')).status).toBe(403);
  });
}
