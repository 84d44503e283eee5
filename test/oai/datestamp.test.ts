// parseDatestamp / formatDatestamp / secondBefore: the two legal UTC forms of §3.3.
import { describe, expect, it } from 'vitest';
import { formatDatestamp, parseDatestamp, secondBefore } from '../../src/oai/datestamp.js';

describe('parseDatestamp: day granularity', () => {
  it('covers the whole day', () => {
    expect(parseDatestamp('2024-05-01')).toEqual({
      raw: '2024-05-01',
      granularity: 'day',
      lower: '2024-05-01T00:00:00Z',
      upper: '2024-05-01T23:59:59Z',
    });
  });

  it.each([
    ['2024-02-29', 'a leap year (divisible by 4)'],
    ['2000-02-29', 'a leap year (divisible by 400)'],
    ['1600-02-29', 'a leap year (divisible by 400)'],
    ['2400-02-29', 'a leap year (divisible by 400)'],
    ['0004-02-29', 'a leap year below 100 (no 19xx mapping)'],
    ['0001-01-01', 'the first day of year 1'],
    ['9999-12-31', 'the last day of year 9999'],
    ['2024-01-31', '31 January'],
    ['2023-02-28', '28 February in a common year'],
    ['2024-04-30', '30 April'],
    ['2024-12-31', '31 December'],
  ])('%s is valid (%s)', (raw) => {
    expect(parseDatestamp(raw)?.granularity).toBe('day');
  });

  it.each([
    ['2100-02-29', '2100 is not a leap year'],
    ['1900-02-29', '1900 is not a leap year'],
    ['2023-02-29', '2023 is not a leap year'],
    ['0100-02-29', 'year 100 is not a leap year'],
    ['2024-02-30', 'no 30 February'],
    ['2024-04-31', 'no 31 April'],
    ['2024-06-31', 'no 31 June'],
    ['2024-13-01', 'no month 13'],
    ['2024-00-10', 'no month 0'],
    ['2024-01-00', 'no day 0'],
    ['2024-01-32', 'no day 32'],
    ['0000-01-01', 'no year 0'],
    ['24-01-01', 'a two-digit year'],
    ['2024-1-01', 'a one-digit month'],
    ['2024-01-1', 'a one-digit day'],
    ['2024-01', 'no day'],
    ['2024', 'a year only'],
    ['20240101', 'no hyphens'],
    ['2024/01/01', 'slashes'],
    ['+2024-01-01', 'a sign'],
    ['12024-01-01', 'a five-digit year'],
    [' 2024-01-01', 'a leading space'],
    ['2024-01-01 ', 'a trailing space'],
    ['2024-01-01\n', 'a trailing newline'],
    ['۲۰۲۴-۰۱-۰۱', 'Persian digits'],
    ['', 'empty'],
    ['junk', 'junk'],
  ])('%j is invalid (%s)', (raw) => {
    expect(parseDatestamp(raw)).toBeNull();
  });
});

describe('parseDatestamp: seconds granularity', () => {
  it('is its own lower and upper bound', () => {
    expect(parseDatestamp('2024-05-01T08:30:00Z')).toEqual({
      raw: '2024-05-01T08:30:00Z',
      granularity: 'second',
      lower: '2024-05-01T08:30:00Z',
      upper: '2024-05-01T08:30:00Z',
    });
  });

  it.each(['2024-02-29T23:59:59Z', '2000-02-29T00:00:00Z', '2024-01-05T00:00:00Z', '2024-12-31T23:59:59Z'])('%s is valid', (raw) => {
    expect(parseDatestamp(raw)?.granularity).toBe('second');
  });

  it.each([
    ['2100-02-29T00:00:00Z', 'not a leap year'],
    ['2023-02-29T12:00:00Z', 'not a leap year'],
    ['2024-01-05T25:00:00Z', 'hour 25'],
    ['2024-01-05T24:00:00Z', 'hour 24'],
    ['2024-01-05T12:60:00Z', 'minute 60'],
    ['2016-12-31T23:59:60Z', 'a leap second'],
    ['2024-01-05T12:00:00', 'no Z'],
    ['2024-01-05T12:00Z', 'minutes only'],
    ['2024-01-05T12Z', 'hours only'],
    ['2024-01-05T12:00:00.5Z', 'a fraction'],
    ['2024-01-05T12:00:00.000Z', 'milliseconds'],
    ['2024-01-05T12:00:00+00:00', 'an offset'],
    ['2024-01-05T12:00:00+03:30', 'a Tehran offset'],
    ['2024-01-05 12:00:00Z', 'a space for T'],
    ['2024-01-05t12:00:00z', 'lowercase t and z'],
    ['2024-01-05T1:00:00Z', 'a one-digit hour'],
    ['2024-01-05T12:00:00Z\n', 'a trailing newline'],
  ])('%j is invalid (%s)', (raw) => {
    expect(parseDatestamp(raw)).toBeNull();
  });
});

describe('formatDatestamp', () => {
  it('formats to the second, in UTC, with Z', () => {
    expect(formatDatestamp(new Date(Date.UTC(2024, 4, 1, 8, 30, 0)))).toBe('2024-05-01T08:30:00Z');
  });

  it.each([
    ['2024-01-05T12:00:00.000Z', '2024-01-05T12:00:00Z'],
    ['2024-01-05T12:00:00.001Z', '2024-01-05T12:00:00Z'],
    ['2024-01-05T12:00:00.500Z', '2024-01-05T12:00:00Z'],
    ['2024-01-05T12:00:59.999Z', '2024-01-05T12:00:59Z'],
    ['2024-12-31T23:59:59.999Z', '2024-12-31T23:59:59Z'],
  ])('drops the fraction of %s (truncates, never rounds up)', (iso, expected) => {
    expect(formatDatestamp(new Date(iso))).toBe(expected);
  });

  it('converts other time zones to UTC', () => {
    expect(formatDatestamp(new Date('2024-03-20T03:30:00+03:30'))).toBe('2024-03-20T00:00:00Z');
  });

  it('its output parses back as a seconds datestamp', () => {
    const now = formatDatestamp(new Date());
    expect(now).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(parseDatestamp(now)?.raw).toBe(now);
  });

  it('on 29 February', () => {
    expect(formatDatestamp(new Date(Date.UTC(2000, 1, 29, 0, 0, 0, 750)))).toBe('2000-02-29T00:00:00Z');
  });
});

describe('secondBefore', () => {
  it.each([
    ['2024-05-01T08:30:00Z', '2024-05-01T08:29:59Z'],
    ['2024-03-01T00:00:00Z', '2024-02-29T23:59:59Z'],
    ['2023-03-01T00:00:00Z', '2023-02-28T23:59:59Z'],
    ['2025-01-01T00:00:00Z', '2024-12-31T23:59:59Z'],
  ])('%s → %s', (datestamp, expected) => {
    expect(secondBefore(datestamp)).toBe(expected);
  });
});
