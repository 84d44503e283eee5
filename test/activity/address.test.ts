import { describe, expect, it } from 'vitest';
import { networkOf } from '../../src/activity/address.js';

describe('the network a client address is kept as', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['10.1.2.3', '10.1.2.0/24'],
    ['::ffff:198.51.100.23', '198.51.100.0/24'],
    ['::FFFF:127.0.0.1', '127.0.0.0/24'],
    ['2001:db8:abcd:12::7', '2001:db8:abcd::/48'],
    ['2001:0db8:0000:0012:0000:0000:0000:0007', '2001:db8::/48'],
    ['2001:DB8:0:5678::1', '2001:db8::/48'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1::/48'],
    ['0:db8:1::', '0:db8:1::/48'],
    ['::1', '::/48'],
    ['fe80::1%eth0', 'fe80::/48'],
    ['::ffff:c633:6417', '198.51.100.0/24'],
    ['64:ff9b::192.0.2.33', '64:ff9b::/48'],
    [undefined, 'unknown'],
    ['not an address', 'unknown'],
  ])('%s → %s', (address, network) => {
    expect(networkOf(address)).toBe(network);
  });
});
