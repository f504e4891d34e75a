import { DecodeError, EncodeError } from '@x/wire';
import type { RtpHeaderExtension } from './header.js';

/** RFC 8285 §4.2: the one-byte header form's "defined by profile" value. */
export const ONE_BYTE_PROFILE = 0xbede;
/** RFC 8285 §4.3: two-byte form, 0x100 followed by 4 application bits. */
export const TWO_BYTE_PROFILE = 0x1000;

export interface RtpExtensionElement {
  /** Local identifier negotiated with a=extmap (1-14 one-byte, 1-255 two-byte). */
  readonly id: number;
  readonly data: Uint8Array;
}

/** True when the extension uses one of RFC 8285's two element formats. */
export function isRfc8285Extension(profile: number): boolean {
  return profile === ONE_BYTE_PROFILE || (profile & 0xfff0) === TWO_BYTE_PROFILE;
}

/**
 * Splits RFC 8285 header extension elements out of an RTP header extension.
 * Padding bytes (ID 0) are skipped; in the one-byte form ID 15 stops parsing
 * (§4.2). Raises DecodeError for another profile or an element past the end.
 */
export function parseHeaderExtensions(ext: RtpHeaderExtension): RtpExtensionElement[] {
  const d = ext.data;
  const out: RtpExtensionElement[] = [];
  if (ext.profile === ONE_BYTE_PROFILE) {
    for (let i = 0; i < d.length; ) {
      const b = d[i]!;
      if (b === 0) {
        i++;
        continue;
      }
      const id = b >>> 4;
      if (id === 15) break;
      const len = (b & 0x0f) + 1;
      if (i + 1 + len > d.length) throw new DecodeError(`${len}-byte extension element`, i);
      out.push({ id, data: d.subarray(i + 1, i + 1 + len) });
      i += 1 + len;
    }
    return out;
  }
  if ((ext.profile & 0xfff0) === TWO_BYTE_PROFILE) {
    for (let i = 0; i < d.length; ) {
      const id = d[i]!;
      if (id === 0) {
        i++;
        continue;
      }
      if (i + 2 > d.length) throw new DecodeError('two-byte extension element header', i);
      const len = d[i + 1]!;
      if (i + 2 + len > d.length) throw new DecodeError(`${len}-byte extension element`, i);
      out.push({ id, data: d.subarray(i + 2, i + 2 + len) });
      i += 2 + len;
    }
    return out;
  }
  throw new DecodeError(
    'RFC 8285 extension profile 0xBEDE or 0x100X',
    0,
    `header extension profile 0x${ext.profile.toString(16)} is not RFC 8285`,
  );
}

/**
 * Builds an RFC 8285 header extension: the one-byte form when every element
 * fits it (ID 1..14, 1..16 bytes), else the two-byte form; zero-padded to a
 * 32-bit boundary.
 */
export function serializeHeaderExtensions(
  elements: readonly RtpExtensionElement[],
  form?: 'one-byte' | 'two-byte',
): RtpHeaderExtension {
  const fitsOne = elements.every(
    (e) => e.id >= 1 && e.id <= 14 && e.data.length >= 1 && e.data.length <= 16,
  );
  const one = form === undefined ? fitsOne : form === 'one-byte';
  if (one && !fitsOne) throw new EncodeError('element does not fit the one-byte form');
  let size = 0;
  for (const e of elements) {
    if (!one && (e.id < 1 || e.id > 255 || e.data.length > 255)) {
      throw new EncodeError('two-byte elements have ID 1..255 and up to 255 bytes');
    }
    size += (one ? 1 : 2) + e.data.length;
  }
  const data = new Uint8Array(Math.ceil(size / 4) * 4);
  let at = 0;
  for (const e of elements) {
    if (one) data[at++] = (e.id << 4) | (e.data.length - 1);
    else {
      data[at++] = e.id;
      data[at++] = e.data.length;
    }
    data.set(e.data, at);
    at += e.data.length;
  }
  return { profile: one ? ONE_BYTE_PROFILE : TWO_BYTE_PROFILE, data };
}
