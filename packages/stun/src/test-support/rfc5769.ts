/**
 * Reads the RFC 5769 (and RFC 8489 Appendix B) vectors from the RFC text: the
 * hex dump of each message and the parameters written above it.
 */
import { hex, rfcSlice } from '@x/test-helpers';

export interface RfcVector {
  readonly bytes: Uint8Array;
  /** "Password:", "Username:", ... with <U+XXXX> escapes turned into characters. */
  readonly params: ReadonlyMap<string, string[]>;
}

const DUMP = /^\s+((?:[0-9a-f]{2} ){3}[0-9a-f]{2})(?:\s|$)/;

function fromUnicodeEscapes(s: string): string {
  return s.replace(/<U\+([0-9A-F]{4,6})>/g, (_, h: string) =>
    String.fromCodePoint(Number.parseInt(h, 16)),
  );
}

/** The section from the line starting with `from` to the line starting with `to`. */
export function rfcVector(text: string, from: string, to: string): RfcVector {
  const section = rfcSlice(text, from, to);
  let bytes = '';
  for (const line of section.split('\n')) {
    const m = DUMP.exec(line);
    if (m) bytes += m[1];
  }
  // Parameters: "Name:  "value" ..." possibly continued on the next lines until a blank line.
  const params = new Map<string, string[]>();
  const paras = section.split(/\n\s*\n/);
  for (const p of paras) {
    const m = /^\s*([A-Z][A-Za-z ]+):\s+([\s\S]*)$/.exec(p);
    if (!m) continue;
    const quoted = [...m[2]!.matchAll(/"([^"]*)"/g)].map((q) => fromUnicodeEscapes(q[1]!));
    params.set(m[1]!.trim(), quoted.length > 0 ? quoted : [m[2]!.replace(/\s+/g, ' ').trim()]);
  }
  return { bytes: hex(bytes), params };
}

export function param(v: RfcVector, name: string, index = 0): string {
  const list = v.params.get(name);
  const value = list?.[index];
  if (value === undefined) throw new Error(`RFC vector has no parameter ${name}[${index}]`);
  return value;
}
