import { describe, expect, it } from 'vitest';
import { configFromEnv, trustProxyFromEnv } from './config.js';

describe('the security settings from the environment', () => {
  it('believes no proxy unless told, and then only the ones named', () => {
    expect(trustProxyFromEnv(undefined)).toBe(false);
    expect(trustProxyFromEnv('false')).toBe(false);
    expect(trustProxyFromEnv('true')).toBe(true);
    expect(trustProxyFromEnv(' 127.0.0.1, 10.0.0.0/8 ')).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(configFromEnv({}).trustProxy).toBe(false);
  });

  it('takes a positive whole number of sign-in calls a minute, and names the variable otherwise', () => {
    expect(configFromEnv({ PARKBUTLER_SIGN_IN_LIMIT: '12' }).signInPerMinute).toBe(12);
    expect(configFromEnv({}).signInPerMinute).toBeUndefined();
    expect(() => configFromEnv({ PARKBUTLER_SIGN_IN_LIMIT: '0' })).toThrow(/PARKBUTLER_SIGN_IN_LIMIT/);
    expect(() => configFromEnv({ PARKBUTLER_SIGN_IN_LIMIT: 'many' })).toThrow(/PARKBUTLER_SIGN_IN_LIMIT/);
  });
});
