/**
 * The answerer's decisions for one offer (JSEP, RFC 9429 §5.3): which media
 * sections we accept, with which codecs, and the transport parameters both
 * sides use. One BUNDLE transport carries everything (RFC 9143), so the
 * ICE credentials, fingerprint and setup role are read from the first
 * accepted section (they must agree across a bundle).
 */

import type { Codec, MediaDescription, SessionDescription } from './description.js';
import { SdpError } from './errors.js';

/** The video codecs we accept (the echo is codec-agnostic; these are the ones every browser has). */
const VIDEO_CODECS = ['VP8', 'H264'] as const;
/** RFC 8285 header extensions we keep: only the mid (RFC 9143 §14), which routes the echo. */
export const MID_EXTENSION_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
/** Feedback we ask the browser to send for our (echoed) video (RFC 4585, RFC 5104). */
export const VIDEO_FEEDBACK = ['nack', 'nack pli', 'ccm fir'] as const;

export interface AcceptedMedia {
  readonly index: number;
  readonly mid: string;
  readonly kind: 'audio' | 'video';
  /** The primary codec (Opus, VP8 or H264 packetization-mode=1). */
  readonly codec: Codec;
  /** Its RTX codec (RFC 4588) when the offer had one. */
  readonly rtx: Codec | undefined;
  readonly midExtensionId: number | undefined;
  /** SSRCs the peer announced for this section: [media, rtx?]. */
  readonly remoteSsrcs: readonly number[];
  readonly remoteRtxSsrc: number | undefined;
  readonly direction: MediaDescription['direction'];
}

export interface Negotiated {
  readonly iceUfrag: string;
  readonly icePwd: string;
  /** "sha-256 AB:CD:..." of the peer's certificate. */
  readonly fingerprint: string;
  readonly remoteSetup: 'actpass' | 'active' | 'passive';
  /** Every media section of the offer: accepted, or why not (answered with port 0). */
  readonly sections: readonly (
    | AcceptedMedia
    | { readonly index: number; readonly rejected: string; readonly media: MediaDescription }
  )[];
  readonly accepted: readonly AcceptedMedia[];
  readonly offer: SessionDescription;
}

function fmtpParam(codec: Codec, name: string): string | undefined {
  for (const p of (codec.fmtp ?? '').split(';')) {
    const [k, v] = p.split('=');
    if (k?.trim() === name) return v?.trim();
  }
  return undefined;
}

function pickCodec(m: MediaDescription): Codec | undefined {
  if (m.kind === 'audio') {
    return m.codecs.find(
      (c) => c.name.toLowerCase() === 'opus' && c.clockRate === 48000 && c.channels === 2,
    );
  }
  // The offerer's order is its preference (RFC 3264 §6.1): the first one we accept wins.
  return m.codecs.find((c) => {
    const name = c.name.toUpperCase();
    if (!(VIDEO_CODECS as readonly string[]).includes(name) || c.clockRate !== 90000) return false;
    // RFC 6184 §6.2: mode 1 (non-interleaved) is what every browser sends.
    return name !== 'H264' || fmtpParam(c, 'packetization-mode') === '1';
  });
}

/**
 * Reads an offer for answering. Raises SdpError('unsupported') for valid SDP
 * we cannot answer: no DTLS-SRTP profile (proto), no ICE credentials or
 * fingerprint, rtcp-mux missing (RFC 8843 / JSEP require it), a `passive`
 * offerer (we are always the DTLS server), or no section with a codec we accept.
 */
export function negotiate(offer: SessionDescription): Negotiated {
  if (offer.media.length === 0)
    throw new SdpError('unsupported', 'the offer has no media sections');
  const bundle = offer.bundle;
  const sections: Negotiated['sections'][number][] = [];
  const accepted: AcceptedMedia[] = [];
  let transport: MediaDescription | undefined;
  for (const [index, m] of offer.media.entries()) {
    const reject = (why: string): void => {
      sections.push({ index, rejected: why, media: m });
    };
    if (m.kind !== 'audio' && m.kind !== 'video') {
      reject(`${m.kind} is not supported`);
      continue;
    }
    if (m.port === 0) {
      reject('rejected by the offerer');
      continue;
    }
    if (m.proto !== 'UDP/TLS/RTP/SAVPF' && m.proto !== 'UDP/TLS/RTP/SAVP') {
      reject(`transport ${m.proto} is not DTLS-SRTP`);
      continue;
    }
    if (m.mid === undefined) {
      reject('no a=mid');
      continue;
    }
    // Without BUNDLE every section would need its own transport: take the first only.
    if (accepted.length > 0 && (bundle === undefined || !bundle.includes(m.mid))) {
      reject('not in the BUNDLE group');
      continue;
    }
    if (accepted.length === 0 && bundle !== undefined && !bundle.includes(m.mid)) {
      reject('not in the BUNDLE group');
      continue;
    }
    const codec = pickCodec(m);
    if (codec === undefined) {
      reject(`no ${m.kind === 'audio' ? 'Opus' : 'VP8 or H264'} codec offered`);
      continue;
    }
    if (!m.rtcpMux)
      throw new SdpError('unsupported', `m=${m.kind} (mid ${m.mid}) has no a=rtcp-mux`);
    const rtx = m.codecs.find(
      (c) => c.name.toLowerCase() === 'rtx' && fmtpParam(c, 'apt') === String(codec.payloadType),
    );
    const fid = m.fidGroups[0];
    const remoteRtxSsrc = fid?.[1];
    const remoteSsrcs = m.ssrcs.map((s) => s.ssrc);
    transport ??= m;
    accepted.push({
      index,
      mid: m.mid,
      kind: m.kind,
      codec,
      rtx: m.kind === 'video' ? rtx : undefined,
      midExtensionId: m.extmaps.find((e) => e.uri === MID_EXTENSION_URI)?.id,
      remoteSsrcs,
      remoteRtxSsrc,
      direction: m.direction,
    });
    sections.push(accepted[accepted.length - 1]!);
  }
  if (transport === undefined) {
    const why = sections.map((s) => ('rejected' in s ? s.rejected : '')).join('; ');
    throw new SdpError('unsupported', `no media section we can answer (${why})`);
  }
  const t: MediaDescription = transport;
  if (t.iceUfrag === undefined || t.icePwd === undefined) {
    throw new SdpError('unsupported', 'the offer has no a=ice-ufrag / a=ice-pwd');
  }
  const fingerprint = t.fingerprints.find((f) => /^sha-256 /i.test(f)) ?? t.fingerprints[0];
  if (fingerprint === undefined)
    throw new SdpError('unsupported', 'the offer has no a=fingerprint');
  if (!/^sha-(1|256|384|512) [0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+$/i.test(fingerprint)) {
    throw new SdpError('malformed', `a=fingerprint:${fingerprint} is not "<hash> XX:XX:..."`);
  }
  const setup = t.setup ?? 'active'; // RFC 4145 §4: absent means active
  if (setup === 'passive' || setup === 'holdconn') {
    throw new SdpError('unsupported', `a=setup:${setup}: this endpoint is always the DTLS server`);
  }
  return {
    iceUfrag: t.iceUfrag,
    icePwd: t.icePwd,
    fingerprint,
    remoteSetup: setup,
    sections,
    accepted,
    offer,
  };
}
