/**
 * @module The gate: the cameras' own endpoints (Vzenith/臻识 push and a plain JSON webhook, both
 * without a session, each camera proving itself with its secret or its address), the manager's
 * camera registry and gate rule, and the guard's decisions on held reads.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import type { CameraView, ReadResult } from '../app/gate.js';
import {
  FEE_METHODS,
  GATE_DIRECTIONS,
  authenticateCamera,
  decideRead,
  heartbeat,
  listCameras,
  pendingReads,
  receiveRead,
  recentReads,
  registerCamera,
  setGateRule,
  gateRuleOf,
} from '../app/gate.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';
import { idParam } from './schemas.js';

const cameraParams = z.object({ compoundId: idParam('compound'), cameraId: idParam('camera') });

const proposalSchema = z.object({
  plate: z.string(),
  reason: z.enum(['province', 'look-alike']),
  index: z.number().int(),
});

const readResultSchema = z.object({
  readId: z.string(),
  outcome: z.string(),
  barrier: z.enum(['ok', 'no']),
  vehicleId: z.string().nullable(),
  proposals: z.array(proposalSchema),
  alarm: z.string().nullable(),
  taskId: z.string().nullable(),
  feeFen: z.number().int().nullable().describe('outcome `fee-due`: what a hostless visitor owes at the exit, in fen'),
});

const readViewSchema = z.object({
  id: z.string(),
  cameraId: z.string(),
  gate: z.string(),
  direction: z.enum(GATE_DIRECTIONS),
  plate: z.string(),
  confidence: z.number().nullable(),
  readAt: z.number(),
  outcome: z.string(),
  barrier: z.enum(['ok', 'no']),
  vehicleId: z.string().nullable(),
  proposals: z.array(proposalSchema),
  alarm: z.string().nullable(),
  decision: z.enum(['admitted', 'refused', 'confirmed', 'paid', 'waived']).nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.number().nullable(),
  feeFen: z.number().int().nullable(),
});

const cameraSchema = z.object({
  id: z.string(),
  gate: z.string(),
  direction: z.enum(GATE_DIRECTIONS),
  serialNo: z.string().nullable(),
  hasSecret: z.boolean(),
  allowedIps: z.array(z.string()),
  heartbeatSeconds: z.number().int(),
  lastSeenAt: z.number().nullable(),
  silentAlarmedAt: z.number().nullable(),
});

/** The Vzenith (臻识) push: lenient, since firmware versions add fields. */
const vzenithBody = z.looseObject({
  AlarmInfoPlate: z
    .looseObject({
      serialno: z.string().optional(),
      ipaddr: z.string().optional(),
      deviceName: z.string().optional(),
      channel: z.union([z.number(), z.string()]).optional(),
      result: z.looseObject({
        PlateResult: z.looseObject({
          license: z.string().min(1).max(16),
          colorType: z.union([z.number(), z.string()]).optional(),
          confidence: z.number().optional(),
          timeStamp: z.unknown().optional(),
        }),
      }),
    })
    .optional(),
  heartbeat: z.unknown().optional(),
});

const vzenithReply = z.object({
  Response_AlarmInfoPlate: z.looseObject({ info: z.enum(['ok', 'no']), content: z.string().optional() }),
});

const secretQuery = z.object({ secret: z.string().max(200).optional().describe('the camera’s secret') });

/** The camera's secret: the `X-Camera-Secret` header, else `?secret=` (Vzenith cameras can only set a URL). */
function credentialsOf(request: FastifyRequest, query: { secret?: string | undefined }) {
  const header = request.headers['x-camera-secret'];
  return { secret: (typeof header === 'string' ? header : undefined) ?? query.secret ?? null, ip: request.ip };
}

const answer = (r: ReadResult) => r;

export function gateRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    const camera = async (request: FastifyRequest, params: { compoundId: string; cameraId: string }, q: object) =>
      authenticateCamera(ctx, params.compoundId, params.cameraId, credentialsOf(request, q as { secret?: string }));

    app.post(
      '/gate/:compoundId/cameras/:cameraId/vzenith',
      {
        config: { access: 'public' },
        schema: {
          tags: ['gate'],
          summary: 'A Vzenith (臻识) camera pushes a plate read or a heartbeat',
          description: `Set the camera's HTTP push URL to this path with \`?secret=…\` (or call from an address on the camera's
allow-list). A body with \`AlarmInfoPlate\` is a read: the reply's \`Response_AlarmInfoPlate.info\` is \`ok\` to open the barrier,
\`no\` to keep it closed. Any other body (the camera's heartbeat or poll) keeps the camera marked alive, and answers \`ok\` once after a
guard admitted a car this camera held. An unregistered camera or a wrong secret gets 401 \`CAMERA_REFUSED\`.`,
          params: cameraParams,
          querystring: secretQuery,
          body: vzenithBody,
          response: { 200: vzenithReply, ...pickErrors(400, 401) },
        },
      },
      async (request) => {
        const cam = await camera(request, request.params, request.query);
        const alarmInfo = request.body.AlarmInfoPlate;
        if (alarmInfo === undefined) {
          const open = await heartbeat(ctx, cam);
          return { Response_AlarmInfoPlate: { info: open, content: 'heartbeat' } };
        }
        const plate = alarmInfo.result.PlateResult;
        const result = await receiveRead(ctx, cam, {
          plate: plate.license,
          confidence: plate.confidence === undefined ? null : Math.round(plate.confidence),
          serialNo: alarmInfo.serialno ?? null,
        });
        return { Response_AlarmInfoPlate: { info: result.barrier, content: result.outcome } };
      },
    );

    app.post(
      '/gate/:compoundId/cameras/:cameraId/reads',
      {
        config: { access: 'public' },
        schema: {
          tags: ['gate'],
          summary: 'Any camera pushes a plate read as plain JSON',
          description: `For cameras that do not speak the Vzenith format: \`{ plate, confidence? }\` with the camera's secret in
\`X-Camera-Secret\` (or from an allowed address). The reply says whether to open (\`barrier: ok\`) and what came of the read.`,
          params: cameraParams,
          querystring: secretQuery,
          body: z.object({
            plate: z.string().min(1).max(16),
            confidence: z.number().min(0).max(100).optional(),
          }),
          response: { 200: readResultSchema, ...pickErrors(400, 401) },
        },
      },
      async (request) => {
        const cam = await camera(request, request.params, request.query);
        return answer(
          await receiveRead(ctx, cam, {
            plate: request.body.plate,
            confidence: request.body.confidence === undefined ? null : Math.round(request.body.confidence),
          }),
        );
      },
    );

    app.post(
      '/gate/:compoundId/cameras/:cameraId/heartbeat',
      {
        config: { access: 'public' },
        schema: {
          tags: ['gate'],
          summary: 'A camera says it is alive (and asks whether to open)',
          description:
            'A camera silent for more than twice its heartbeat raises an alarm to the managers and the guards.',
          params: cameraParams,
          querystring: secretQuery,
          response: { 200: z.object({ barrier: z.enum(['ok', 'no']) }), ...pickErrors(400, 401) },
        },
      },
      async (request) => {
        const cam = await camera(request, request.params, request.query);
        return { barrier: await heartbeat(ctx, cam) };
      },
    );

    app.get(
      '/gate/cameras',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['gate'],
          summary: 'The gate cameras, when each was last heard',
          security: signedIn,
          response: { 200: z.object({ cameras: z.array(cameraSchema) }), ...pickErrors(401, 403) },
        },
      },
      async (request) => ({ cameras: await listCameras(ctx, principalOf(request)) }),
    );

    app.put(
      '/gate/cameras/:cameraId',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['gate'],
          summary: 'Register or replace a gate camera',
          description: `A camera serves one gate in one direction. It needs a \`secret\` (16+ characters; only its SHA-256 is kept) or
an \`allowedIps\` list, or both. With \`serialNo\`, a Vzenith read must carry that \`serialno\`.`,
          security: signedIn,
          params: z.object({ cameraId: idParam('camera') }),
          body: z.object({
            gate: z.string().min(1).max(40),
            direction: z.enum(GATE_DIRECTIONS),
            serialNo: z.string().min(1).max(64).optional(),
            secret: z.string().max(200).optional(),
            allowedIps: z.array(z.string().min(2).max(64)).max(20).optional(),
            heartbeatSeconds: z.number().int().optional(),
          }),
          response: { 200: cameraSchema, ...pickErrors(400, 401, 403) },
        },
      },
      async (request): Promise<CameraView> =>
        registerCamera(ctx, principalOf(request), { id: request.params.cameraId, ...request.body }),
    );

    const ruleSchema = z.object({
      unknownPlate: z.enum(['hold', 'open']).describe('the barrier for a plate no rule admits, until a guard decides'),
      dedupSeconds: z.number().int().describe('reads of one plate at one gate within this many seconds are one event'),
    });
    app.get(
      '/gate/rule',
      {
        config: { access: ['manager', 'guard'] },
        schema: {
          tags: ['gate'],
          summary: 'The compound’s gate rule',
          security: signedIn,
          response: { 200: ruleSchema, ...pickErrors(401, 403) },
        },
      },
      async (request) => gateRuleOf(ctx, principalOf(request).compoundId),
    );
    app.put(
      '/gate/rule',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['gate'],
          summary: 'Set the compound’s gate rule',
          security: signedIn,
          body: ruleSchema,
          response: { 200: ruleSchema, ...pickErrors(400, 401, 403) },
        },
      },
      async (request) => setGateRule(ctx, principalOf(request), request.body),
    );

    app.get(
      '/gate/decisions',
      {
        config: { access: ['guard', 'manager'] },
        schema: {
          tags: ['gate'],
          summary: 'Reads waiting for a guard: unknown plates and near reads',
          security: signedIn,
          response: { 200: z.object({ reads: z.array(readViewSchema) }), ...pickErrors(401, 403) },
        },
      },
      async (request) => ({ reads: await pendingReads(ctx, principalOf(request)) }),
    );

    app.get(
      '/gate/reads',
      {
        config: { access: ['guard', 'manager'] },
        schema: {
          tags: ['gate'],
          summary: 'Recent plate reads, newest first',
          security: signedIn,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
          response: { 200: z.object({ reads: z.array(readViewSchema) }), ...pickErrors(400, 401, 403) },
        },
      },
      async (request) => ({ reads: await recentReads(ctx, principalOf(request), request.query.limit ?? 100) }),
    );

    app.post(
      '/gate/reads/:readId/decision',
      {
        config: { access: ['guard', 'manager'] },
        schema: {
          tags: ['gate'],
          summary: 'Decide a held read: admit a visitor, refuse, confirm a proposed plate, or settle a fee at the exit',
          description: `\`{ "action": "admit", "until" }\` registers the car as a visitor until then and checks it in;
\`{ "action": "confirm", "plate" }\` takes one of the proposed plates as the read; \`{ "action": "refuse" }\` keeps the barrier
closed. A visitor without a host household owes its temporary parking (临停) at the exit: that read is held as
\`fee-due\` with \`feeFen\`, and the guard answers \`{ "action": "collect", "method": "cash" | "qr" }\` once paid or
\`{ "action": "waive", "reason" }\`; the car then departs. Admit, confirm, collect and waive tell the camera to open on
its next heartbeat. A read is decided once (\`DECISION_CLOSED\`).`,
          security: signedIn,
          params: z.object({ readId: idParam('read') }),
          body: z.discriminatedUnion('action', [
            z.object({
              action: z.literal('admit'),
              until: z.iso.datetime({ offset: true }),
              householdId: idParam('household').optional(),
            }),
            z.object({ action: z.literal('refuse') }),
            z.object({ action: z.literal('confirm'), plate: z.string().min(1).max(16) }),
            z.object({ action: z.literal('collect'), method: z.enum(FEE_METHODS) }),
            z.object({ action: z.literal('waive'), reason: z.string().trim().min(2).max(200) }),
          ]),
          response: {
            200: z.object({ read: readViewSchema, taskId: z.string().nullable() }),
            ...pickErrors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const b = request.body;
        return decideRead(
          ctx,
          principalOf(request),
          request.params.readId,
          b.action === 'admit' ? { action: 'admit', until: Date.parse(b.until), householdId: b.householdId } : b,
        );
      },
    );
  };
}
