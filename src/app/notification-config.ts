/**
 * @module Configuration of notifications and alarms from the environment:
 *
 * - `PARKBUTLER_WEBHOOK_URL`: where notifications are POSTed for an SMS/WeChat gateway (https);
 *   unset: no webhook, the in-app feed only.
 * - `PARKBUTLER_WEBHOOK_ALLOW_HTTP`: `1` allows an http URL (a gateway on the same host or network).
 *   The bodies hold names and phone numbers (PIPL), so plain http is refused unless allowed.
 * - `PARKBUTLER_WEBHOOK_SECRET`: the HMAC-SHA256 key the bodies are signed with; required with the
 *   URL, at least 16 characters.
 * - `PARKBUTLER_KEY_ALARM_MINUTES`: how long a key may be out with a guard before the managers are
 *   alarmed; default 15, an integer from 1 to 1440.
 */
import { DomainError } from '../core/errors.js';
import { webhookUrlProblem, type WebhookConfig } from './webhook.js';

export const DEFAULT_KEY_ALARM_MINUTES = 15;

export interface NotificationConfig {
  webhook: WebhookConfig | null;
  keyAlarmMinutes: number;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION', `${field}: ${message}`, { field });
}

export function notificationConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  const url = env.PARKBUTLER_WEBHOOK_URL ?? '';
  const secret = env.PARKBUTLER_WEBHOOK_SECRET ?? '';
  let webhook: WebhookConfig | null = null;
  if (url !== '') {
    const allowHttp = env.PARKBUTLER_WEBHOOK_ALLOW_HTTP === '1';
    const problem = webhookUrlProblem(url, allowHttp);
    if (problem !== null) throw invalid('PARKBUTLER_WEBHOOK_URL', problem);
    if (secret.length < 16)
      throw invalid(
        'PARKBUTLER_WEBHOOK_SECRET',
        'is required with PARKBUTLER_WEBHOOK_URL and has at least 16 characters',
      );
    webhook = { url, secret, ...(allowHttp ? { allowHttp } : {}) };
  }
  const minutesText = env.PARKBUTLER_KEY_ALARM_MINUTES ?? '';
  const keyAlarmMinutes = minutesText === '' ? DEFAULT_KEY_ALARM_MINUTES : Number(minutesText);
  if (!Number.isInteger(keyAlarmMinutes) || keyAlarmMinutes < 1 || keyAlarmMinutes > 1440) {
    throw invalid('PARKBUTLER_KEY_ALARM_MINUTES', `"${minutesText}" is not a whole number of minutes from 1 to 1440`);
  }
  return { webhook, keyAlarmMinutes };
}
