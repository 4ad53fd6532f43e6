/**
 * @module Residents' channels and message templates: the templates (WeChat template message and SMS
 * template, named parameters with their lengths) and the latest deliveries for the manager; each
 * resident's choice of channels (微信, 短信, 站内) and quiet hours.
 */
import { z } from 'zod';
import { CHANNELS, listDeliveries, myChannels, setMyChannels } from '../app/channels.js';
import type { AppContext } from '../app/context.js';
import { MESSAGE_TEMPLATES, TEMPLATE_IDS } from '../app/message-templates.js';
import { principalOf } from './auth.js';
import { pickErrors, signedIn, type RoutePlugin } from './route-helpers.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM');
const lang = z.object({ zh: z.string(), en: z.string() });
const choiceSchema = z.object({
  channels: z
    .array(z.enum(CHANNELS as ['wechat', 'sms', 'inapp']))
    .min(1)
    .max(3)
    .describe('wechat (微信模板消息), sms (短信), inapp (站内 live feed); the feed always keeps the message'),
  quiet: z
    .object({ from: hhmm, to: hhmm })
    .nullable()
    .describe('Asia/Shanghai; WeChat and SMS wait until the quiet hours end (they wrap past midnight when to ≤ from)'),
});

export function messagesRoutes(ctx: AppContext): RoutePlugin {
  return async (app) => {
    app.get(
      '/messages/templates',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['messages'],
          summary: 'The message templates: text in zh-CN (and en), named parameters with the gateways’ lengths',
          security: signedIn,
          response: {
            200: z.object({
              templates: z.array(
                z.object({
                  id: z.enum(TEMPLATE_IDS),
                  title: lang,
                  text: lang,
                  params: z.array(z.object({ name: z.string(), label: lang, maxLength: z.number().int() })),
                  smsCode: z.string(),
                  wechatTemplate: z.string(),
                }),
              ),
            }),
            ...pickErrors(401, 403),
          },
        },
      },
      async () => ({ templates: TEMPLATE_IDS.map((id) => MESSAGE_TEMPLATES[id]) }),
    );

    app.get(
      '/messages/deliveries',
      {
        config: { access: ['manager'] },
        schema: {
          tags: ['messages'],
          summary: 'The latest deliveries of notifications per channel and how they went (no text, no phone)',
          security: signedIn,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: {
            200: z.object({
              deliveries: z.array(
                z.object({
                  id: z.string(),
                  notificationId: z.string(),
                  userId: z.string(),
                  userName: z.string().nullable(),
                  userRole: z.string().nullable(),
                  kind: z.string(),
                  template: z.string().nullable(),
                  channel: z.enum(['wechat', 'sms', 'inapp', 'default']),
                  status: z.enum(['pending', 'sent', 'failed']),
                  attempts: z.number().int(),
                  lastError: z.string().nullable(),
                  createdAt: z.number(),
                  nextAttemptAt: z.number(),
                  sentAt: z.number().nullable(),
                }),
              ),
            }),
            ...pickErrors(400, 401, 403),
          },
        },
      },
      async (request) => ({
        deliveries: await listDeliveries(ctx, principalOf(request), request.query.limit),
      }),
    );

    app.get(
      '/me/channels',
      {
        config: { access: ['resident'] },
        schema: {
          tags: ['messages'],
          summary: 'Your channels and quiet hours (null: not chosen; you get the feed and the compound’s default)',
          security: signedIn,
          response: { 200: z.object({ choice: choiceSchema.nullable() }), ...pickErrors(401, 403) },
        },
      },
      async (request) => ({ choice: await myChannels(ctx, principalOf(request)) }),
    );

    app.put(
      '/me/channels',
      {
        config: { access: ['resident'] },
        schema: {
          tags: ['messages'],
          summary: 'Choose your channels (微信, 短信, 站内) and quiet hours',
          security: signedIn,
          body: choiceSchema,
          response: { 200: z.object({ choice: choiceSchema }), ...pickErrors(400, 401, 403) },
        },
      },
      async (request) => ({ choice: await setMyChannels(ctx, principalOf(request), request.body) }),
    );
  };
}
