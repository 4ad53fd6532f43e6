import { describe, expect, it } from 'vitest';
import { notificationConfigFromEnv } from './notification-config.js';

describe('notificationConfigFromEnv', () => {
  it('defaults to no webhook and a 15-minute key alarm', () => {
    expect(notificationConfigFromEnv({})).toEqual({ webhook: null, keyAlarmMinutes: 15 });
  });

  it('reads the webhook and the alarm limit', () => {
    expect(
      notificationConfigFromEnv({
        PARKBUTLER_WEBHOOK_URL: 'https://sms.example/hook',
        PARKBUTLER_WEBHOOK_SECRET: 'a-long-shared-secret',
        PARKBUTLER_KEY_ALARM_MINUTES: '20',
      }),
    ).toEqual({ webhook: { url: 'https://sms.example/hook', secret: 'a-long-shared-secret' }, keyAlarmMinutes: 20 });
  });

  it('takes an http URL only when PARKBUTLER_WEBHOOK_ALLOW_HTTP=1', () => {
    const env = {
      PARKBUTLER_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      PARKBUTLER_WEBHOOK_SECRET: 'a-long-shared-secret',
    };
    expect(() => notificationConfigFromEnv(env)).toThrow('PARKBUTLER_WEBHOOK_ALLOW_HTTP=1');
    expect(notificationConfigFromEnv({ ...env, PARKBUTLER_WEBHOOK_ALLOW_HTTP: '1' }).webhook).toEqual({
      url: 'http://127.0.0.1:9/hook',
      secret: 'a-long-shared-secret',
      allowHttp: true,
    });
  });

  it('names the variable and the rule when a value is wrong', () => {
    const cases: [NodeJS.ProcessEnv, string][] = [
      [
        { PARKBUTLER_WEBHOOK_URL: 'not a url', PARKBUTLER_WEBHOOK_SECRET: 'a-long-shared-secret' },
        'PARKBUTLER_WEBHOOK_URL',
      ],
      [
        { PARKBUTLER_WEBHOOK_URL: 'ftp://sms.example/', PARKBUTLER_WEBHOOK_SECRET: 'a-long-shared-secret' },
        'PARKBUTLER_WEBHOOK_URL',
      ],
      [
        { PARKBUTLER_WEBHOOK_URL: 'http://sms.example/', PARKBUTLER_WEBHOOK_SECRET: 'a-long-shared-secret' },
        'PARKBUTLER_WEBHOOK_URL',
      ],
      [{ PARKBUTLER_WEBHOOK_URL: 'https://sms.example/' }, 'PARKBUTLER_WEBHOOK_SECRET'],
      [
        { PARKBUTLER_WEBHOOK_URL: 'https://sms.example/', PARKBUTLER_WEBHOOK_SECRET: 'short' },
        'PARKBUTLER_WEBHOOK_SECRET',
      ],
      [{ PARKBUTLER_KEY_ALARM_MINUTES: '0' }, 'PARKBUTLER_KEY_ALARM_MINUTES'],
      [{ PARKBUTLER_KEY_ALARM_MINUTES: '7.5' }, 'PARKBUTLER_KEY_ALARM_MINUTES'],
      [{ PARKBUTLER_KEY_ALARM_MINUTES: 'soon' }, 'PARKBUTLER_KEY_ALARM_MINUTES'],
    ];
    for (const [env, field] of cases) {
      expect(() => notificationConfigFromEnv(env), JSON.stringify(env)).toThrow(
        expect.objectContaining({ code: 'VALIDATION', field, message: expect.stringContaining(field) }),
      );
    }
  });
});
