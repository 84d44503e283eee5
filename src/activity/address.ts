import net from 'node:net';

/**
 * The network a client address belongs to, which is all the activity file keeps of it: IPv4 to
 * its /24, IPv6 to its /48, an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as the IPv4 it is.
 * Anything else (no address, a Unix socket) is "unknown".
 */
export function networkOf(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  if (net.isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  // A zone index (fe80::1%eth0) names an interface of this machine, not part of the address.
  const v6 = address.split('%')[0] ?? '';
  if (!net.isIPv6(v6)) return 'unknown';
  const groups = expandIpv6(v6).map((g) => g.replace(/^0+(?=.)/, ''));
  // IPv4-mapped (::ffff:198.51.100.23, or in hex ::ffff:c633:6417): the IPv4 address it is.
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    const [high = 0, low = 0] = groups.slice(6).map((g) => parseInt(g, 16));
    return `${high >> 8}.${high & 255}.${low >> 8}.0/24`;
  }
  const prefix = groups.slice(0, 3);
  // Written as RFC 5952 has it: zero groups at the end of the prefix join the `::`.
  while (prefix.at(-1) === '0') prefix.pop();
  return `${prefix.join(':')}::/48`;
}

/** The eight 16-bit groups of an IPv6 address, in hex, with `::` expanded and an IPv4 tail converted. */
function expandIpv6(address: string): string[] {
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...fill, ...right];
}
