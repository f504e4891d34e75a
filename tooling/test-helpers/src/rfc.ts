/**
 * Pulls byte values out of RFC text so tests read their vectors from the RFC
 * itself rather than from hand-copied constants.
 */

const HEX_LINE = /^[\s0-9a-fA-F]+$/;

/** The text between the first line starting with `from` and the next line starting with `to`. */
export function rfcSlice(text: string, from: string, to?: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(from));
  if (start < 0) throw new Error(`RFC text: no line starts with "${from}"`);
  let end = lines.length;
  if (to !== undefined) {
    const rel = lines.slice(start + 1).findIndex((l) => l.startsWith(to));
    if (rel < 0) throw new Error(`RFC text: no line starts with "${to}" after "${from}"`);
    end = start + 1 + rel;
  }
  return lines.slice(start, end).join('\n');
}

function parseHex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean))
    throw new Error(`RFC text: bad hex "${s.slice(0, 40)}"`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

/**
 * `name = hex` where the hex may continue on following lines (optionally after a
 * leading "="), as in RFC 9001 Appendix A: `initial_secret = HKDF-Extract(...)\n = 7db5...`.
 * Takes the last "=" group that is pure hex.
 */
export function rfcValue(text: string, name: string): Uint8Array {
  const lines = text.split('\n');
  const head = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(=|$)`);
  const at = lines.findIndex((l) => head.test(l.trimStart()));
  if (at < 0) throw new Error(`RFC text: no value named "${name}"`);
  let hex = '';
  let collecting = false;
  for (let i = at; i < lines.length; i++) {
    const line = lines[i]!;
    if (i > at && line.trim() === '') break;
    // Past the first line, only "= value" continuations and bare hex belong to this name.
    if (i > at && !line.trimStart().startsWith('=') && !(collecting && HEX_LINE.test(line))) break;
    const eq = line.lastIndexOf('=');
    const tail = (eq >= 0 ? line.slice(eq + 1) : line).replace(/^\s*0x/, '');
    if (eq >= 0 && HEX_LINE.test(tail) && tail.trim() !== '') {
      hex = tail;
      collecting = true;
    } else if (collecting && HEX_LINE.test(line)) {
      hex += line;
    }
  }
  if (!collecting) throw new Error(`RFC text: value "${name}" has no hex`);
  return parseHex(hex);
}

/** The block of hex-only lines that follows the first line containing `anchor` (after blank lines). */
export function rfcHexBlockAfter(text: string, anchor: string): Uint8Array {
  const lines = text.split('\n');
  let i = lines.findIndex((l) => l.includes(anchor));
  if (i < 0) throw new Error(`RFC text: no line contains "${anchor}"`);
  i++;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  let hex = '';
  while (i < lines.length && lines[i]!.trim() !== '' && HEX_LINE.test(lines[i]!)) hex += lines[i++];
  if (hex === '') throw new Error(`RFC text: no hex block after "${anchor}"`);
  return parseHex(hex);
}

export interface Rfc8448Step {
  /** "client" or "server". */
  actor: string;
  /** The step's title, e.g. `derive secret "tls13 c hs traffic"`. */
  title: string;
  /** Its fields, e.g. "PRK", "hash", "info", "expanded", "salt", "IKM", "secret". */
  fields: Map<string, Uint8Array>;
}

/**
 * RFC 8448 writes each step as `{actor}  title:` followed by fields
 * `name (N octets):  hex...` whose hex continues on indented lines.
 */
export function rfc8448Steps(section: string): Rfc8448Step[] {
  const steps: Rfc8448Step[] = [];
  let current: Rfc8448Step | undefined;
  let field: { name: string; hex: string; octets: number } | undefined;
  const flush = () => {
    if (current && field) {
      const bytes = field.octets === 0 ? new Uint8Array(0) : parseHex(field.hex);
      if (bytes.length !== field.octets)
        throw new Error(`RFC 8448: ${field.name} has ${bytes.length} of ${field.octets} octets`);
      current.fields.set(field.name, bytes);
    }
    field = undefined;
  };
  for (const line of section.split('\n')) {
    const head = /^ {3}\{(client|server)\}\s+(.*?):?\s*$/.exec(line);
    if (head) {
      flush();
      current = { actor: head[1]!, title: head[2]!, fields: new Map() };
      steps.push(current);
      continue;
    }
    const f = /^ {6}(\S.*?) \((\d+) octets\):\s*(.*)$/.exec(line);
    if (f && current) {
      flush();
      const hex = f[3]!.trim() === '(empty)' ? '' : f[3]!;
      field = { name: f[1]!, hex, octets: Number(f[2]) };
      continue;
    }
    const salt0 = /^ {6}(\S+):\s+0 \(all zero octets\)/.exec(line);
    if (salt0 && current) {
      flush();
      current.fields.set(salt0[1]!, new Uint8Array(0));
      continue;
    }
    if (field && /^ {9}[0-9a-f ]+$/.test(line)) {
      field.hex += line;
      continue;
    }
    if (line.trim() === '' || /^RFC 8448|^Thomson/.test(line) || line.startsWith('\f')) continue;
    flush();
  }
  flush();
  return steps;
}

const PAGE_LINE = /^(RFC \d+ {2,}|\f|.*\[Page \d+\]\s*$)/;
const DUMP_LINE = /^\s*\d{3} {2}([0-9a-f]{2}(?: [0-9a-f]{2})*)/;
const COLON_LINE = /^\s*([0-9a-f]{2}(?::[0-9a-f]{2})*):?\s*$/;
const WORD_LINE = /^\s*([0-9a-f]{2,}(?: {1,2}[0-9a-f]{2,})*)\s*$/;

/**
 * The bytes written under or after a label, in the layouts RFC 8439, RFC 7714 and
 * RFC 7748 use: `Label: hex` with hex continuation lines, offset dumps
 * (`000  4c 61 ...  ascii`) or colon-separated lines, across page breaks.
 */
export function rfcLabeled(text: string, label: string): Uint8Array {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim().startsWith(label));
  if (at < 0) throw new Error(`RFC text: no line starts with "${label}"`);
  let hex = '';
  const first = lines[at]!.trim()
    .slice(label.length)
    .replace(/^[\s:=]*/, '')
    .replace(/\.$/, '');
  if (first !== '' && WORD_LINE.test(first)) hex += first;
  else if (first !== '' && COLON_LINE.test(first)) hex += first.replace(/:/g, '');
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || PAGE_LINE.test(line)) {
      if (
        hex !== '' &&
        line.trim() === '' &&
        !PAGE_LINE.test(lines[i + 1] ?? '') &&
        !/^\s*\d{3} {2}/.test(lines[i + 1] ?? '')
      ) {
        // A blank line ends a value unless a page break or a continued dump follows.
        const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !PAGE_LINE.test(l)) ?? '';
        if (!DUMP_LINE.test(next)) break;
      }
      continue;
    }
    const dump = DUMP_LINE.exec(line);
    if (dump) {
      hex += dump[1]!;
      continue;
    }
    const colon = COLON_LINE.exec(line);
    if (colon) {
      hex += colon[1]!.replace(/:/g, '');
      continue;
    }
    const words = WORD_LINE.exec(line);
    if (words) {
      hex += words[1]!;
      continue;
    }
    break;
  }
  if (hex === '') throw new Error(`RFC text: no bytes under "${label}"`);
  return parseHex(hex);
}
