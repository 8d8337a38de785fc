import { describe, expect, it } from 'vitest';
import { isIPv4, lookupRoute } from './routing.js';

const routes = [
  'default via 172.18.0.1 dev eth0',
  '10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1',
  '10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink',
  '172.18.0.0/24 dev eth0 proto kernel scope link src 172.18.0.11',
  'blackhole 192.168.4.0/26 proto bird',
  '192.168.4.2 dev cali0123456789a scope link',
];

describe('the routing decision', () => {
  it('takes the most specific route', () => {
    expect(lookupRoute(routes, '10.244.1.7')).toMatchObject({ via: '10.244.1.0', dev: 'flannel.1' });
    expect(lookupRoute(routes, '10.244.0.5')).toMatchObject({ dev: 'cni0', via: undefined });
    expect(lookupRoute(routes, '192.168.4.2')).toMatchObject({ dev: 'cali0123456789a', blackhole: false });
    expect(lookupRoute(routes, '192.168.4.3')).toMatchObject({ blackhole: true });
    expect(lookupRoute(routes, '172.18.0.2')).toMatchObject({ dev: 'eth0', via: undefined });
  });
  it('falls back to the default route', () => {
    expect(lookupRoute(routes, '10.96.0.10')!.text).toBe('default via 172.18.0.1 dev eth0');
    expect(lookupRoute(routes.slice(1), '10.96.0.10')).toBeUndefined();
  });
  it('tells addresses from names', () => {
    expect(isIPv4('10.96.0.10')).toBe(true);
    expect(isIPv4('web.default')).toBe(false);
    expect(isIPv4('300.1.1.1')).toBe(false);
  });
});
