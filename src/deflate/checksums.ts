/**
 * The two checksums that end a compressed HTTP body, computed for a body whose pieces were
 * compressed apart: gzip's CRC-32 and zlib's Adler-32, each combined from the pieces' own values
 * and lengths without reading their bytes again (zlib's `crc32_combine` and `adler32_combine`).
 */
import zlib from 'node:zlib';

const POLY = 0xedb88320;

/** a(x)·b(x) modulo the CRC-32 polynomial, bit-reflected as CRC-32 has it. */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = (b & 1) !== 0 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

// X2N[k] = x^(2^k) modulo the polynomial: appending n zero bits is a product of these.
const X2N: number[] = [];
for (let k = 0, p = 0x40000000; k < 32; k++) {
  X2N.push(p);
  p = multModP(p, p);
}

/** x^(n·2^k) modulo the polynomial. */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000;
  for (let left = n; left > 0; left = Math.floor(left / 2), k++) {
    if (left % 2 === 1) p = multModP(X2N[k & 31] as number, p);
  }
  return p;
}

/** The CRC-32 of A followed by B, from the CRC-32 of each and the length of B. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(x2nModP(lengthB, 3), crcA) ^ crcB) >>> 0;
}

/** The CRC-32 of `bytes`, continuing from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  return zlib.crc32(bytes, crc);
}

const BASE = 65521;
// The most bytes summed before the 32-bit sums must be reduced (zlib's NMAX).
const NMAX = 5552;

/** The Adler-32 of `bytes`, continuing from `adler` (1 to start). */
export function adler32(bytes: Uint8Array, adler = 1): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(i + NMAX, bytes.length);
    for (; i < end; i++) {
      a += bytes[i] as number;
      b += a;
    }
    a %= BASE;
    b %= BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** The Adler-32 of A followed by B, from the Adler-32 of each and the length of B. */
export function adler32Combine(adlerA: number, adlerB: number, lengthB: number): number {
  const rem = lengthB % BASE;
  let sum1 = adlerA & 0xffff;
  let sum2 = (rem * sum1) % BASE;
  sum1 += (adlerB & 0xffff) + BASE - 1;
  sum2 += (adlerA >>> 16) + (adlerB >>> 16) + BASE - rem;
  if (sum1 >= BASE) sum1 -= BASE;
  if (sum1 >= BASE) sum1 -= BASE;
  if (sum2 >= BASE * 2) sum2 -= BASE * 2;
  if (sum2 >= BASE) sum2 -= BASE;
  return ((sum2 << 16) | sum1) >>> 0;
}
