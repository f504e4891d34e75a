/**
 * PEM (RFC 7468) without Buffer. Parsing follows the RFC's "lax" reader:
 * text outside the blocks is ignored and any white space inside the base64 is
 * skipped, but the base64 itself must be valid and every BEGIN needs its END.
 */
import { CryptoError } from '../errors.js';
import { badEncoding } from './der.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 with "=" padding (RFC 4648 §4); white space is ignored. */
export function base64Decode(text: string): Uint8Array {
  const clean = text.replace(/[ \t\r\n]/g, '');
  if (clean.length % 4 !== 0) throw badEncoding('base64: length is not a multiple of 4');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let quad = 0;
    for (let j = 0; j < 4; j++) {
      const c = clean.charCodeAt(i + j);
      const last = i + 4 === clean.length;
      const v = c === 61 && last && j >= 4 - pad ? 0 : c < 128 ? DECODE[c]! : -1;
      if (v < 0) throw badEncoding(`base64: invalid character at ${i + j}`);
      quad = (quad << 6) | v;
    }
    if (o < out.length) out[o++] = quad >> 16;
    if (o < out.length) out[o++] = (quad >> 8) & 0xff;
    if (o < out.length) out[o++] = quad & 0xff;
  }
  return out;
}

export function base64Encode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = bytes.length - i;
    const quad = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += ALPHABET[quad >> 18]! + ALPHABET[(quad >> 12) & 63]!;
    s += n > 1 ? ALPHABET[(quad >> 6) & 63]! : '=';
    s += n > 2 ? ALPHABET[quad & 63]! : '=';
  }
  return s;
}

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

// RFC 7468 §3: a label is printable characters with single spaces or hyphens between them.
const LABEL = '([!-,.-~]+(?:[- ][!-,.-~]+)*)';
const BLOCK = new RegExp(`-----BEGIN ${LABEL}-----([\\s\\S]*?)-----END ${LABEL}-----`, 'g');

/** Every PEM block in the text, in order, whatever its label. */
export function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let consumed = 0;
  for (const m of text.matchAll(BLOCK)) {
    const [, label = '', body = '', endLabel] = m;
    // A BEGIN inside the body means the previous block never ended.
    if (body.includes('-----BEGIN')) throw badEncoding(`PEM: "${label}" block has no END line`);
    if (endLabel !== label) throw badEncoding(`PEM: BEGIN ${label} closed by END ${endLabel}`);
    // RFC 1421 encapsulated headers ("Proc-Type: 4,ENCRYPTED") mark legacy encrypted keys.
    if (body.includes(':')) {
      throw new CryptoError('unsupported', `PEM: "${label}" has headers (encrypted legacy key?)`);
    }
    blocks.push({ label, der: base64Decode(body) });
    consumed = (m.index ?? 0) + m[0].length;
  }
  if (text.indexOf('-----BEGIN', consumed) >= 0) throw badEncoding('PEM: BEGIN line without END');
  return blocks;
}

/**
 * The DER of every block with this label, in order (a chain file yields leaf,
 * then intermediates). Throws CryptoError('bad_encoding') if there is none, so a
 * key file passed where a certificate was expected fails with a clear message.
 */
export function pemToDer(text: string, label = 'CERTIFICATE'): Uint8Array[] {
  const blocks = readPemBlocks(text);
  const found = blocks.filter((b) => b.label === label).map((b) => b.der);
  if (found.length === 0) {
    const seen = blocks.map((b) => b.label).join(', ') || 'none';
    throw badEncoding(`PEM: no "${label}" block (found: ${seen})`);
  }
  return found;
}

/** RFC 7468 §2: 64-character lines, LF line ends, a final newline. */
export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = base64Encode(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${label}-----\n`;
}
