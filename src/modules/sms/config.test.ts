// The SMPP settings in the one config module: optional as a whole, complete when given, failing fast otherwise.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';

describe('SMPP configuration', () => {
  it('is absent by default (the server then starts a local SMS centre) and the admin second factor is on', () => {
    const config = loadConfig({});
    expect(config.smpp).toBeUndefined();
    expect(config.adminSecondFactor).toBe(true);
    expect(loadConfig({ GOVCLOUD_ADMIN_SECOND_FACTOR: 'false' }).adminSecondFactor).toBe(false);
  });

  it('has a window and a rate for the gateway, bounded', () => {
    expect(loadConfig({})).toMatchObject({ smsWindow: 10, smsRatePerSecond: 1000 });
    expect(loadConfig({ GOVCLOUD_SMS_WINDOW: '50', GOVCLOUD_SMS_RATE: '200' })).toMatchObject({ smsWindow: 50, smsRatePerSecond: 200 });
    expect(() => loadConfig({ GOVCLOUD_SMS_WINDOW: '0' })).toThrow(/GOVCLOUD_SMS_WINDOW must be between/);
    expect(() => loadConfig({ GOVCLOUD_SMS_RATE: 'fast' })).toThrow(/GOVCLOUD_SMS_RATE must be a whole number/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      GOVCLOUD_SMPP_HOST: 'smsc.example.cn',
      GOVCLOUD_SMPP_PORT: '7890',
      GOVCLOUD_SMPP_SYSTEM_ID: 'hamigov',
      GOVCLOUD_SMPP_PASSWORD: 'pw123456',
      GOVCLOUD_SMPP_SOURCE_ADDR: '1069012345',
    });
    expect(config.smpp).toEqual({ host: 'smsc.example.cn', port: 7890, systemId: 'hamigov', password: 'pw123456', sourceAddr: '1069012345' });
    expect(loadConfig({ GOVCLOUD_SMPP_HOST: 'h', GOVCLOUD_SMPP_SYSTEM_ID: 's', GOVCLOUD_SMPP_PASSWORD: 'p' }).smpp).toMatchObject({ port: 2775, sourceAddr: '10690000' });
  });

  it.each([
    [{ GOVCLOUD_SMPP_HOST: 'h', GOVCLOUD_SMPP_PASSWORD: 'p' }, /GOVCLOUD_SMPP_SYSTEM_ID must be set/],
    [{ GOVCLOUD_SMPP_HOST: 'h', GOVCLOUD_SMPP_SYSTEM_ID: 's' }, /GOVCLOUD_SMPP_PASSWORD must be set/],
    [{ GOVCLOUD_SMPP_HOST: 'h', GOVCLOUD_SMPP_SYSTEM_ID: 's', GOVCLOUD_SMPP_PASSWORD: 'toolong12' }, /GOVCLOUD_SMPP_PASSWORD must be set \(1–8/],
    [{ GOVCLOUD_SMPP_HOST: 'h', GOVCLOUD_SMPP_SYSTEM_ID: 's', GOVCLOUD_SMPP_PASSWORD: 'p', GOVCLOUD_SMPP_PORT: '0' }, /GOVCLOUD_SMPP_PORT must be between/],
    [{ GOVCLOUD_SMPP_HOST: 'h', GOVCLOUD_SMPP_SYSTEM_ID: 's', GOVCLOUD_SMPP_PASSWORD: 'p', GOVCLOUD_SMPP_SOURCE_ADDR: 'GovCloud' }, /GOVCLOUD_SMPP_SOURCE_ADDR must be a number/],
    [{ GOVCLOUD_SMPP_HOST: 'a host' }, /GOVCLOUD_SMPP_HOST is not a host name/],
    [{ GOVCLOUD_ADMIN_SECOND_FACTOR: 'sometimes' }, /GOVCLOUD_ADMIN_SECOND_FACTOR must be true or false/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
