/**
 * Writes our answer (JSEP, RFC 9429 §5.3; RFC 8839 for ICE, RFC 8842 for
 * DTLS): a lite ICE agent (RFC 8445 §2.5) with host candidates on our one
 * UDP socket, our certificate fingerprint, `setup:passive` (we are the DTLS
 * server), rtcp-mux, the accepted codecs, sendrecv with our own SSRCs.
 */
import type { Negotiated } from './negotiate.js';
import { MID_EXTENSION_URI, VIDEO_FEEDBACK } from './negotiate.js';

export interface HostCandidate {
  readonly address: string;
  readonly port: number;
}

export interface LocalMediaSsrcs {
  readonly media: number;
  readonly rtx: number | undefined;
}

export interface LocalDescription {
  readonly iceUfrag: string;
  readonly icePwd: string;
  /** "sha-256 AB:CD:..." of our certificate. */
  readonly fingerprint: string;
  readonly candidates: readonly HostCandidate[];
  /** Our SSRCs per accepted mid. */
  readonly ssrcs: ReadonlyMap<string, LocalMediaSsrcs>;
  readonly cname: string;
  readonly sessionId: string;
}

/** RFC 8445 §5.1.2.1 host priority: (2^24)·126 + (2^8)·localPref + (256 − component). */
export function hostPriority(localPreference: number, component = 1): number {
  return 126 * 2 ** 24 + localPreference * 2 ** 8 + (256 - component);
}

export function candidateLines(candidates: readonly HostCandidate[]): string[] {
  return candidates.map(
    (c, i) =>
      `a=candidate:${i + 1} 1 udp ${hostPriority(65535 - i)} ${c.address} ${c.port} typ host`,
  );
}

function ipVersion(address: string): string {
  return address.includes(':') ? 'IP6' : 'IP4';
}

export function writeAnswer(n: Negotiated, local: LocalDescription): string {
  const first = local.candidates[0];
  const addr = first?.address ?? '0.0.0.0';
  const port = first?.port ?? 9;
  const mids = n.accepted.map((m) => m.mid);
  const out: string[] = [
    'v=0',
    `o=- ${local.sessionId} 1 IN ${ipVersion(addr)} ${addr}`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${mids.join(' ')}`,
    'a=msid-semantic: WMS webrtc-peer',
  ];
  for (const s of n.sections) {
    if ('rejected' in s) {
      // RFC 9429 §5.3.1: a rejected section keeps its kind and proto, port 0, and its mid.
      const fmt = s.media.formats.length > 0 ? s.media.formats.join(' ') : '0';
      out.push(`m=${s.media.kind} 0 ${s.media.proto} ${fmt}`, `c=IN ${ipVersion(addr)} ${addr}`);
      if (s.media.mid !== undefined) out.push(`a=mid:${s.media.mid}`);
      out.push('a=inactive');
      continue;
    }
    const pts = [s.codec.payloadType, ...(s.rtx ? [s.rtx.payloadType] : [])];
    out.push(
      `m=${s.kind} ${port} UDP/TLS/RTP/SAVPF ${pts.join(' ')}`,
      `c=IN ${ipVersion(addr)} ${addr}`,
      'a=rtcp:9 IN IP4 0.0.0.0',
      ...candidateLines(local.candidates),
      'a=end-of-candidates',
      `a=ice-ufrag:${local.iceUfrag}`,
      `a=ice-pwd:${local.icePwd}`,
      `a=fingerprint:${local.fingerprint}`,
      'a=setup:passive',
      `a=mid:${s.mid}`,
    );
    if (s.midExtensionId !== undefined)
      out.push(`a=extmap:${s.midExtensionId} ${MID_EXTENSION_URI}`);
    // We echo what we receive: an offerer that only sends gets recvonly, one that only receives sendonly.
    const dir =
      s.direction === 'sendonly'
        ? 'recvonly'
        : s.direction === 'recvonly'
          ? 'sendonly'
          : s.direction;
    out.push(`a=${dir}`, `a=msid:webrtc-peer echo-${s.mid}`, 'a=rtcp-mux');
    const c = s.codec;
    out.push(
      `a=rtpmap:${c.payloadType} ${c.name}/${c.clockRate}${c.channels ? `/${c.channels}` : ''}`,
    );
    if (s.kind === 'video')
      for (const fb of VIDEO_FEEDBACK) out.push(`a=rtcp-fb:${c.payloadType} ${fb}`);
    if (c.fmtp !== undefined) out.push(`a=fmtp:${c.payloadType} ${c.fmtp}`);
    if (s.rtx) {
      out.push(
        `a=rtpmap:${s.rtx.payloadType} rtx/${s.rtx.clockRate}`,
        `a=fmtp:${s.rtx.payloadType} apt=${c.payloadType}`,
      );
    }
    const ssrc = local.ssrcs.get(s.mid);
    if (ssrc !== undefined) {
      if (ssrc.rtx !== undefined && s.rtx) out.push(`a=ssrc-group:FID ${ssrc.media} ${ssrc.rtx}`);
      out.push(
        `a=ssrc:${ssrc.media} cname:${local.cname}`,
        `a=ssrc:${ssrc.media} msid:webrtc-peer echo-${s.mid}`,
      );
      if (ssrc.rtx !== undefined && s.rtx) {
        out.push(
          `a=ssrc:${ssrc.rtx} cname:${local.cname}`,
          `a=ssrc:${ssrc.rtx} msid:webrtc-peer echo-${s.mid}`,
        );
      }
    }
  }
  return `${out.join('\r\n')}\r\n`;
}
