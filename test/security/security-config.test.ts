import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('security configuration', () => {
  it('turns the rate limits on by default, login tightest, and trusts only a proxy on loopback', () => {
    const config = loadConfig({});
    expect(config.rateLimit).toEqual({ perIp: 1000, perAccount: 300, login: 20 });
    expect(config.rateLimit.login).toBeLessThan(config.rateLimit.perAccount);
    expect(config.trustProxy).toEqual(['loopback']);
  });

  it('lets a deployment or the load benchmark turn each limit off and name its proxies', () => {
    const config = loadConfig({
      HEDUI_RATE_LIMIT_PER_MINUTE: '0',
      HEDUI_RATE_LIMIT_ACCOUNT_PER_MINUTE: '0',
      HEDUI_RATE_LIMIT_LOGIN_PER_MINUTE: '5',
      HEDUI_TRUST_PROXY: '10.0.0.1, 10.1.0.0/16',
    });
    expect(config.rateLimit).toEqual({ perIp: 0, perAccount: 0, login: 5 });
    expect(config.trustProxy).toEqual(['10.0.0.1', '10.1.0.0/16']);
    expect(loadConfig({ HEDUI_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('refuses a negative limit', () => {
    expect(() => loadConfig({ HEDUI_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/HEDUI_RATE_LIMIT_PER_MINUTE/);
  });
});
