/**
 * The SDP text layer (RFC 8866 §5): `<type>=<value>` lines, one session
 * section, then media sections each starting at an `m=` line. Attributes are
 * kept as `{ name, value }` in order so unknown ones survive a round trip.
 */
import { SdpError } from './errors.js';

/** Offers larger than this are refused before parsing (a Chromium offer is ~6 KB). */
export const MAX_SDP_LENGTH = 64 * 1024;

export interface SdpAttribute {
  readonly name: string;
  /** The text after the first ':', or undefined for a flag attribute (a=rtcp-mux). */
  readonly value: string | undefined;
  readonly line: number;
}

export interface SdpLine {
  readonly type: string;
  readonly value: string;
  readonly line: number;
}

export interface SdpSection {
  /** Non-attribute lines (v=, o=, s=, c=, t=, b=, m=, ...) in order. */
  readonly lines: SdpLine[];
  readonly attributes: SdpAttribute[];
}

export interface SdpDocument {
  readonly session: SdpSection;
  readonly media: SdpSection[];
}

const LINE = /^([a-z])=(.*)$/;

/** Splits SDP text into sections. Raises only SdpError. */
export function parseSdpLines(text: string): SdpDocument {
  if (typeof text !== 'string') throw new SdpError('malformed', 'SDP must be text');
  if (text.length > MAX_SDP_LENGTH) {
    throw new SdpError('malformed', `SDP is longer than ${MAX_SDP_LENGTH} characters`);
  }
  const raw = text.split(/\r?\n/);
  // A trailing newline leaves one empty element; blank lines elsewhere are not SDP.
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const session: SdpSection = { lines: [], attributes: [] };
  const media: SdpSection[] = [];
  let current = session;
  for (let i = 0; i < raw.length; i++) {
    const lineNo = i + 1;
    const m = LINE.exec(raw[i]!);
    if (m === null) throw new SdpError('malformed', 'expected "<letter>=<value>"', lineNo);
    const type = m[1]!;
    const value = m[2]!;
    if (i === 0 && (type !== 'v' || value !== '0')) {
      throw new SdpError('malformed', 'SDP must start with "v=0" (RFC 8866 §5.1)', lineNo);
    }
    if (type === 'm') {
      current = { lines: [], attributes: [] };
      media.push(current);
    }
    if (type === 'a') {
      const colon = value.indexOf(':');
      const name = colon < 0 ? value : value.slice(0, colon);
      if (name.length === 0) throw new SdpError('malformed', 'empty attribute name', lineNo);
      current.attributes.push({
        name,
        value: colon < 0 ? undefined : value.slice(colon + 1),
        line: lineNo,
      });
    } else {
      current.lines.push({ type, value, line: lineNo });
    }
  }
  if (raw.length === 0) throw new SdpError('malformed', 'empty SDP');
  return { session, media };
}

/** Writes sections back as CRLF-terminated lines (RFC 8866 §5: CRLF). */
export function serializeSdpLines(doc: SdpDocument): string {
  const out: string[] = [];
  const section = (s: SdpSection) => {
    // Non-attribute lines first (m= leads a media section), then attributes, as Chromium writes them.
    for (const l of s.lines) out.push(`${l.type}=${l.value}`);
    for (const a of s.attributes)
      out.push(a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`);
  };
  section(doc.session);
  for (const m of doc.media) section(m);
  return `${out.join('\r\n')}\r\n`;
}

export function attribute(section: SdpSection, name: string): SdpAttribute | undefined {
  return section.attributes.find((a) => a.name === name);
}

export function attributes(section: SdpSection, name: string): SdpAttribute[] {
  return section.attributes.filter((a) => a.name === name);
}
