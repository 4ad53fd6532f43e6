/** Condition records at hand-over over the HTTP API: photos re-encoded and hashed, acknowledged, linked to a damage incident. */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { residentsWorld, type ResidentsWorld } from './support/residents.js';

/** r003, household 1号1单元201, owner of v001. */
const RESIDENT = '13800000103';
const OTHER_RESIDENT = '13800000101';

/** A small JPEG carrying EXIF, as a phone camera writes it. */
async function phonePhoto(shade: number): Promise<string> {
  const data = await sharp({
    create: { width: 320, height: 240, channels: 3, background: { r: shade, g: 90, b: 160 } },
  })
    .withExif({ IFD0: { Make: 'PhoneMaker', Copyright: 'gps-and-owner' } })
    .jpeg()
    .toBuffer();
  return data.toString('base64');
}

for (const backend of BACKENDS) describe(`condition records on ${backend.name}`, () => conditions(backend));

function conditions(backend: (typeof BACKENDS)[number]): void {
  let world: ResidentsWorld;
  let guardPhone = '';
  let corners: { view: string; data: string }[] = [];

  beforeAll(async () => {
    world = await residentsWorld(backend);
    guardPhone = await world.onDutyGuardPhone();
    corners = await Promise.all(
      ['front-left', 'front-right', 'rear-left', 'rear-right'].map(async (view, i) => ({
        view,
        data: await phonePhoto(40 * i),
      })),
    );
  }, 60_000);

  afterAll(async () => {
    await world.close();
    await backend.cleanup();
  });

  let checkIn = '';

  it('refuses a record without every corner, or with a file that is not an image, writing nothing', async () => {
    const before = await world.fingerprint('jinfang');
    const three = await world.call(guardPhone, 'POST', '/api/condition-records', {
      vehicleId: 'v001',
      stage: 'check-in',
      photos: [...corners.slice(0, 3), corners[0]],
    });
    expect(three.status).toBe(400);
    expect(three.body.error.message).toContain('rear-right');
    const junk = await world.call(guardPhone, 'POST', '/api/condition-records', {
      vehicleId: 'v001',
      stage: 'check-in',
      photos: [...corners.slice(0, 3), { view: 'rear-right', data: Buffer.from('not an image').toString('base64') }],
    });
    expect(junk.status).toBe(400);
    expect(junk.body.error).toMatchObject({ code: 'BAD_PHOTO', field: 'body.photos[3].data' });
    expect(await world.fingerprint('jinfang')).toEqual(before);
  });

  it('the guard records the car at check-in; photos are re-encoded without metadata and hashed in the ledger', async () => {
    const r = await world.call(guardPhone, 'POST', '/api/condition-records', {
      vehicleId: 'v001',
      stage: 'check-in',
      notes: '右后门有旧划痕',
      photos: corners,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    checkIn = r.body.id;
    expect(r.body.photos).toHaveLength(4);
    const photo = await world.app.inject({
      method: 'GET',
      url: `/api/condition-records/${checkIn}/photos/${r.body.photos[0].id}`,
      headers: { authorization: await world.login(RESIDENT) },
    });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(photo.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(photo.rawPayload.includes(Buffer.from('gps-and-owner'))).toBe(false);
    expect(createHash('sha256').update(photo.rawPayload).digest('hex')).toBe(r.body.photos[0].sha256);
    const events = await world.ctx.store.events('jinfang');
    const hashes = events.flatMap((e) =>
      e.type === 'record' && e.payload.kind === 'condition.photo' ? [e.payload.detail.sha256] : [],
    );
    expect(hashes).toEqual(r.body.photos.map((p: { sha256: string }) => p.sha256));
  });

  it('the resident sees and acknowledges it; another resident cannot', async () => {
    const list = await world.call(RESIDENT, 'GET', '/api/vehicles/v001/condition-records');
    expect(list.body.records.map((x: { id: string }) => x.id)).toEqual([checkIn]);
    expect((await world.call(OTHER_RESIDENT, 'GET', '/api/vehicles/v001/condition-records')).status).toBe(404);
    expect((await world.call(OTHER_RESIDENT, 'POST', `/api/condition-records/${checkIn}/acknowledge`)).status).toBe(
      404,
    );
    const ack = await world.call(RESIDENT, 'POST', `/api/condition-records/${checkIn}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).toBe(world.clock.now);
  });

  it('a delivery record with damage links the check-in record and opens a damage incident naming both', async () => {
    world.clock.now += 12 * 3600_000;
    const r = await world.call(guardPhone, 'POST', '/api/condition-records', {
      vehicleId: 'v001',
      stage: 'delivery',
      notes: '左前保险杠新增凹陷',
      damage: true,
      photos: [...corners, { view: 'detail', data: corners[0]?.data ?? '' }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ checkInRecordId: checkIn, damage: true });
    expect(r.body.incidentId).not.toBeNull();
    const incident = await world.call(RESIDENT, 'GET', `/api/incidents/${r.body.incidentId}`);
    expect(incident.status, JSON.stringify(incident.body)).toBe(200);
    expect(JSON.stringify(incident.body)).toContain(checkIn);
    expect(JSON.stringify(incident.body)).toContain(r.body.id);
    expect(await world.ctx.store.verify('jinfang')).toMatchObject({ ok: true });
  });
}
