/**
 * @module Signed outgoing webhooks for an SMS/WeChat gateway. Each delivery is a JSON POST whose
 * raw body is signed with HMAC-SHA256 under a shared secret:
 *
 * - `X-Parkbutler-Signature: sha256=<hex HMAC of the raw body>`
 * - `X-Parkbutler-Timestamp: <unix seconds>` (also `sentAt` in the signed body, so a receiver can
 *   refuse old replays)
 * - `X-Parkbutler-Delivery: <id>`: the idempotency id; the same on every retry of one delivery, so a
 *   gateway that saw it already answers 2xx and sends nothing twice.
 *
 * A 2xx answer is success; anything else (or no answer within the timeout) is retried by the outbox
 * dispatcher with exponential backoff. The body holds personal data (the recipient's name and
 * phone), so it goes only where it was configured to go: only to https URLs (http only when
 * `allowHttp` is set, e.g. for a gateway on the same host), and a redirect is never followed — a
 * 3xx answer is a failed delivery, not a reason to send the signed body somewhere else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface WebhookConfig {
  url: string;
  secret: string;
  /** How long to wait for an answer; default 10 s. */
  timeoutMs?: number;
  /** Allow a plain-http URL (`PARKBUTLER_WEBHOOK_ALLOW_HTTP=1`); by default only https is used. */
  allowHttp?: boolean;
}

/** Why a URL may not receive webhooks, or null when it may: https, or http when allowed. */
export function webhookUrlProblem(url: string, allowHttp: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL (e.g. https://gateway.example/parkbutler)`;
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:')
    return allowHttp ? null : 'must be an https URL (set PARKBUTLER_WEBHOOK_ALLOW_HTTP=1 to allow http)';
  return 'must be an https URL';
}

/** What the gateway receives. Personal data (name, phone) is here because an SMS needs a number. */
export interface WebhookPayload {
  /** The delivery id, equal to the `X-Parkbutler-Delivery` header. */
  id: string;
  type: 'notification';
  compoundId: string;
  attempt: number;
  sentAt: number;
  recipient: { userId: string; name: string | null; phone: string | null };
  notification: { id: string; kind: string; title: string; body: string; ref: string | null; createdAt: number };
  /** The resident's channel ('wechat' | 'sms') when he chose channels; absent: the gateway decides, as before. */
  channel?: 'wechat' | 'sms';
  /** The registered template (see `message-templates.ts`) and its named parameters, when the notification has one. */
  template?: { id: string; smsCode: string; wechatTemplate: string; params: Record<string, string> } | null;
}

export const SIGNATURE_HEADER = 'x-parkbutler-signature';
export const TIMESTAMP_HEADER = 'x-parkbutler-timestamp';
export const DELIVERY_HEADER = 'x-parkbutler-delivery';

/** `sha256=<hex>` of the raw body. */
export function signBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** For receivers (and tests): checks a signature header in constant time. */
export function verifySignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(secret, rawBody));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Posts one delivery; resolves on 2xx, throws with the reason otherwise. */
export async function postWebhook(config: WebhookConfig, payload: WebhookPayload): Promise<void> {
  const problem = webhookUrlProblem(config.url, config.allowHttp === true);
  if (problem !== null) throw new Error(`webhook: the URL ${problem}`);
  const body = JSON.stringify(payload);
  let response: Response;
  try {
    response = await fetch(config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        [SIGNATURE_HEADER]: signBody(config.secret, body),
        [TIMESTAMP_HEADER]: String(Math.floor(payload.sentAt / 1000)),
        [DELIVERY_HEADER]: payload.id,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new Error(`webhook: no answer from the gateway (${(error as Error).message})`, { cause: error });
  }
  // The body is drained so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status >= 300 && response.status < 400)
    throw new Error(
      `webhook: the gateway answered ${response.status} (a redirect to ${response.headers.get('location') ?? 'nowhere'}); redirects are not followed`,
    );
  if (!response.ok) throw new Error(`webhook: the gateway answered ${response.status}`);
}
