import { describe, expect, it } from 'vitest';
import { encodeTlv, parseTlv, TAG } from './der.js';
import { readTime } from './time.js';

const time = (tag: number, s: string) =>
  readTime(parseTlv(encodeTlv(tag, new TextEncoder().encode(s)), tag, 't'), 't');
const utc = (s: string) => time(TAG.UTC_TIME, s);
const gen = (s: string) => time(TAG.GENERALIZED_TIME, s);

describe('validity times (RFC 5280 §4.1.2.5)', () => {
  it('maps two-digit UTCTime years to 1950..2049', () => {
    expect(utc('491231235959Z')).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
    expect(utc('500101000000Z')).toBe(Date.UTC(1950, 0, 1));
    expect(gen('20500101000000Z')).toBe(Date.UTC(2050, 0, 1));
    expect(gen('99991231235959Z')).toBe(Date.UTC(9999, 11, 31, 23, 59, 59));
    expect(utc('240229120000Z')).toBe(Date.UTC(2024, 1, 29, 12));
  });

  it('refuses other forms and impossible dates', () => {
    for (const bad of [
      '4912312359Z',
      '491231235959',
      '491231235959+0100',
      '491231235959.5Z',
      '230229000000Z',
      '491231240000Z',
      '491331000000Z',
      '49123123595aZ',
    ]) {
      expect(() => utc(bad), bad).toThrow(expect.objectContaining({ code: 'bad_encoding' }));
    }
    expect(() => gen('20500101000000.000Z')).toThrow(/time must be/);
    expect(() => gen('500101000000Z')).toThrow(/time must be/);
  });
});
