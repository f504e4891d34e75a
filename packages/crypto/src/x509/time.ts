/**
 * Certificate validity times (RFC 5280 §4.1.2.5), as milliseconds since the
 * epoch. Only the two forms RFC 5280 allows are accepted: UTCTime
 * YYMMDDHHMMSSZ and GeneralizedTime YYYYMMDDHHMMSSZ — no fractions, no offsets.
 */
import { Time } from '@peculiar/asn1-x509';
import { badEncoding, TAG, type Tlv } from './der.js';

function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
}

export function readTime(tlv: Tlv, what: string): number {
  const text = String.fromCharCode(...tlv.value);
  let year: number;
  let rest: number;
  if (tlv.tag === TAG.UTC_TIME && text.length === 13) {
    // §4.1.2.5.1: YY >= 50 is 19YY, YY < 50 is 20YY.
    const yy = digits(text, 0, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    rest = 2;
  } else if (tlv.tag === TAG.GENERALIZED_TIME && text.length === 15) {
    year = digits(text, 0, 4);
    rest = 4;
  } else {
    throw badEncoding(
      `${what}: time must be UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ`,
    );
  }
  const month = digits(text, rest, 2);
  const day = digits(text, rest + 2, 2);
  const hour = digits(text, rest + 4, 2);
  const minute = digits(text, rest + 6, 2);
  const second = digits(text, rest + 8, 2);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  // Date.UTC silently rolls over (Feb 30 -> Mar 2); a round trip catches every bad field.
  if (
    text[text.length - 1] !== 'Z' ||
    Number.isNaN(ms) ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    throw badEncoding(`${what}: invalid time "${text}"`);
  }
  return ms;
}

/**
 * A peculiar Time for writing: UTCTime for 1950..2049 and GeneralizedTime
 * otherwise (§4.1.2.5), truncated to whole seconds because fractional seconds
 * are forbidden (§4.1.2.5.2).
 */
export function encodeTime(ms: number): Time {
  const date = new Date(Math.floor(ms / 1000) * 1000);
  const year = date.getUTCFullYear();
  // GeneralizedTime has four year digits.
  if (!(year >= 0 && year <= 9999)) throw badEncoding(`certificate time ${ms} is out of range`);
  return year >= 1950 && year < 2050
    ? new Time({ utcTime: date })
    : new Time({ generalTime: date });
}
