/**
 * A session description read into the terms a WebRTC answerer needs
 * (JSEP, RFC 9429 §5.8): BUNDLE groups, ICE credentials, DTLS fingerprint
 * and setup role, and per media section its mid, direction, rtcp-mux,
 * header extensions, codecs (rtpmap / fmtp / rtcp-fb) and SSRCs.
 */
import { SdpError } from './errors.js';
import {
  attribute,
  attributes,
  parseSdpLines,
  type SdpAttribute,
  type SdpDocument,
  type SdpSection,
} from './lines.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export type Setup = 'actpass' | 'active' | 'passive' | 'holdconn';

export interface Codec {
  readonly payloadType: number;
  /** Encoding name as written (VP8, H264, opus, rtx, ...). */
  readonly name: string;
  readonly clockRate: number;
  readonly channels: number | undefined;
  /** The a=fmtp parameters as written, or undefined. */
  readonly fmtp: string | undefined;
  readonly feedback: readonly string[];
}

export interface Extmap {
  readonly id: number;
  readonly uri: string;
}

export interface SsrcInfo {
  readonly ssrc: number;
  readonly cname: string | undefined;
}

export interface Candidate {
  readonly foundation: string;
  readonly component: number;
  readonly transport: string;
  readonly priority: number;
  readonly address: string;
  readonly port: number;
  readonly type: string;
}

export interface MediaDescription {
  readonly kind: string;
  readonly port: number;
  readonly proto: string;
  readonly formats: readonly string[];
  readonly mid: string | undefined;
  readonly direction: Direction;
  readonly rtcpMux: boolean;
  readonly iceUfrag: string | undefined;
  readonly icePwd: string | undefined;
  readonly fingerprints: readonly string[];
  readonly setup: Setup | undefined;
  readonly extmaps: readonly Extmap[];
  readonly codecs: readonly Codec[];
  readonly ssrcs: readonly SsrcInfo[];
  /** a=ssrc-group:FID <media> <rtx> pairs. */
  readonly fidGroups: readonly (readonly [number, number])[];
  readonly candidates: readonly Candidate[];
}

export interface SessionDescription {
  readonly bundle: readonly string[] | undefined;
  readonly iceLite: boolean;
  readonly media: readonly MediaDescription[];
}

const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;
// RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/"; ufrag 4-256, pwd 22-256.
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;

function int(text: string, max: number, what: string, line: number): number {
  if (!/^[0-9]{1,10}$/.test(text)) throw new SdpError('malformed', `${what} is not a number`, line);
  const n = Number(text);
  if (n > max) throw new SdpError('malformed', `${what} ${n} is out of range`, line);
  return n;
}

function iceCredential(a: SdpAttribute | undefined, min: number): string | undefined {
  if (a === undefined) return undefined;
  const v = a.value ?? '';
  if (!ICE_CHARS.test(v) || v.length < min || v.length > 256) {
    throw new SdpError('malformed', `a=${a.name} must be ${min}-256 ice-chars`, a.line);
  }
  return v;
}

function readCodecs(section: SdpSection, formats: readonly string[]): Codec[] {
  const rtpmap = new Map<number, { name: string; clockRate: number; channels?: number }>();
  for (const a of attributes(section, 'rtpmap')) {
    const m = /^([0-9]{1,3}) ([^/\s]+)\/([0-9]{1,10})(?:\/([0-9]{1,3}))?$/.exec(a.value ?? '');
    if (m === null)
      throw new SdpError('malformed', 'a=rtpmap: expected "<pt> <name>/<rate>[/<ch>]"', a.line);
    const pt = int(m[1]!, 127, 'payload type', a.line);
    rtpmap.set(pt, {
      name: m[2]!,
      clockRate: int(m[3]!, 2 ** 32 - 1, 'clock rate', a.line),
      channels: m[4] === undefined ? undefined : int(m[4], 255, 'channels', a.line),
    });
  }
  const fmtp = new Map<number, string>();
  for (const a of attributes(section, 'fmtp')) {
    const m = /^([0-9]{1,3}) (.*)$/.exec(a.value ?? '');
    if (m === null) throw new SdpError('malformed', 'a=fmtp: expected "<pt> <params>"', a.line);
    fmtp.set(int(m[1]!, 127, 'payload type', a.line), m[2]!);
  }
  const feedback = new Map<number, string[]>();
  for (const a of attributes(section, 'rtcp-fb')) {
    const m = /^([0-9]{1,3}|\*) (.+)$/.exec(a.value ?? '');
    if (m === null) throw new SdpError('malformed', 'a=rtcp-fb: expected "<pt> <type>"', a.line);
    const pt = m[1] === '*' ? -1 : int(m[1]!, 127, 'payload type', a.line);
    const list = feedback.get(pt) ?? [];
    list.push(m[2]!);
    feedback.set(pt, list);
  }
  const codecs: Codec[] = [];
  for (const f of formats) {
    const pt = Number(f);
    const map = rtpmap.get(pt);
    if (map === undefined) continue; // static payload types without rtpmap: we answer none of them
    codecs.push({
      payloadType: pt,
      name: map.name,
      clockRate: map.clockRate,
      channels: map.channels,
      fmtp: fmtp.get(pt),
      feedback: [...(feedback.get(-1) ?? []), ...(feedback.get(pt) ?? [])],
    });
  }
  return codecs;
}

function readCandidate(a: SdpAttribute): Candidate {
  // RFC 8839 §5.1: foundation component transport priority address port "typ" type ...
  const f = (a.value ?? '').split(' ');
  if (f.length < 8 || f[6] !== 'typ') {
    throw new SdpError(
      'malformed',
      'a=candidate: expected "... <address> <port> typ <type>"',
      a.line,
    );
  }
  return {
    foundation: f[0]!,
    component: int(f[1]!, 256, 'component', a.line),
    transport: f[2]!.toLowerCase(),
    priority: int(f[3]!, 2 ** 32 - 1, 'priority', a.line),
    address: f[4]!,
    port: int(f[5]!, 65535, 'port', a.line),
    type: f[7]!,
  };
}

function readMedia(section: SdpSection, session: SdpSection): MediaDescription {
  const mLine = section.lines[0]!;
  const f = mLine.value.split(' ');
  // RFC 8866 §5.14: m=<media> <port>[/<n>] <proto> <fmt> ...
  if (f.length < 4 || !TOKEN.test(f[0]!)) {
    throw new SdpError('malformed', 'm= needs "<media> <port> <proto> <fmt> ..."', mLine.line);
  }
  const port = int(f[1]!.split('/')[0]!, 65535, 'port', mLine.line);
  const formats = f.slice(3);
  const isRtp = f[2]!.includes('RTP');
  if (isRtp) for (const fmt of formats) int(fmt, 127, 'payload type', mLine.line);
  const inherited = (name: string) => attribute(section, name) ?? attribute(session, name);
  let direction: Direction = 'sendrecv';
  for (const d of ['sendrecv', 'sendonly', 'recvonly', 'inactive'] as const) {
    if (attribute(section, d) ?? attribute(session, d)) direction = d;
  }
  const setupAttr = inherited('setup');
  let setup: Setup | undefined;
  if (setupAttr !== undefined) {
    const v = setupAttr.value ?? '';
    if (v !== 'actpass' && v !== 'active' && v !== 'passive' && v !== 'holdconn') {
      throw new SdpError(
        'malformed',
        `a=setup:${v} is not a setup role (RFC 4145 §4)`,
        setupAttr.line,
      );
    }
    setup = v;
  }
  const extmaps: Extmap[] = [];
  for (const a of attributes(section, 'extmap')) {
    const m = /^([0-9]{1,5})(?:\/[a-z]+)? (\S+)/.exec(a.value ?? '');
    if (m === null) throw new SdpError('malformed', 'a=extmap: expected "<id> <uri>"', a.line);
    extmaps.push({ id: int(m[1]!, 4095, 'extmap id', a.line), uri: m[2]! });
  }
  const ssrcs: SsrcInfo[] = [];
  for (const a of attributes(section, 'ssrc')) {
    const m = /^([0-9]{1,10})(?: (.*))?$/.exec(a.value ?? '');
    if (m === null)
      throw new SdpError('malformed', 'a=ssrc: expected "<ssrc> <attribute>"', a.line);
    const ssrc = int(m[1]!, 2 ** 32 - 1, 'ssrc', a.line);
    const cname = m[2]?.startsWith('cname:') ? m[2].slice(6) : undefined;
    const known = ssrcs.findIndex((s) => s.ssrc === ssrc);
    if (known < 0) ssrcs.push({ ssrc, cname });
    else if (cname !== undefined) ssrcs[known] = { ssrc, cname };
  }
  const fidGroups: [number, number][] = [];
  for (const a of attributes(section, 'ssrc-group')) {
    const g = (a.value ?? '').split(' ');
    if (g[0] === 'FID' && g.length === 3) {
      fidGroups.push([
        int(g[1]!, 2 ** 32 - 1, 'ssrc', a.line),
        int(g[2]!, 2 ** 32 - 1, 'ssrc', a.line),
      ]);
    }
  }
  const midAttr = attribute(section, 'mid');
  if (midAttr !== undefined && !TOKEN.test(midAttr.value ?? '')) {
    throw new SdpError('malformed', 'a=mid must be a token', midAttr.line);
  }
  return {
    kind: f[0]!,
    port,
    proto: f[2]!,
    formats,
    mid: midAttr?.value,
    direction,
    rtcpMux: attribute(section, 'rtcp-mux') !== undefined,
    iceUfrag: iceCredential(inherited('ice-ufrag'), 4),
    icePwd: iceCredential(inherited('ice-pwd'), 22),
    fingerprints: [
      ...attributes(section, 'fingerprint'),
      ...attributes(session, 'fingerprint'),
    ].map((a) => a.value ?? ''),
    setup,
    extmaps,
    codecs: isRtp ? readCodecs(section, formats) : [],
    ssrcs,
    fidGroups,
    candidates: attributes(section, 'candidate').map(readCandidate),
  };
}

/** Parses SDP text into a SessionDescription. Raises only SdpError. */
export function parseSessionDescription(text: string): SessionDescription {
  const doc: SdpDocument = parseSdpLines(text);
  let bundle: string[] | undefined;
  for (const g of attributes(doc.session, 'group')) {
    const parts = (g.value ?? '').split(' ').filter((p) => p.length > 0);
    if (parts[0] === 'BUNDLE') bundle = parts.slice(1);
  }
  return {
    bundle,
    iceLite: attribute(doc.session, 'ice-lite') !== undefined,
    media: doc.media.map((m) => readMedia(m, doc.session)),
  };
}
