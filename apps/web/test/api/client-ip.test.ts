import { describe, expect, it } from 'vitest';
import { clientIp } from '../../src/server/auth/request';

describe('clientIp', () => {
  it('takes the hop the proxy appended, not the one the client made up', () => {
    const h = new Headers({ 'x-forwarded-for': '1.2.3.4, 198.51.100.9' });
    expect(clientIp(h)).toBe('198.51.100.9');
    expect(clientIp(new Headers({ 'x-forwarded-for': '198.51.100.9' }))).toBe('198.51.100.9');
    expect(clientIp(new Headers({ 'x-real-ip': '198.51.100.10' }))).toBe('198.51.100.10');
    expect(clientIp(new Headers())).toBeNull();
  });
});
