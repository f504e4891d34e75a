/**
 * The client role's offer (`webrtc-peer call`): one Opus and one VP8 (+RTX)
 * section in one BUNDLE, rtcp-mux, our ICE credentials and fingerprint.
 * JSEP (RFC 9429 §5.2.1) has an offerer say `setup:actpass`; the answerer
 * (our server, like every browser) then picks passive and we are the DTLS
 * client (`active`).
 */
import { candidateLines, type HostCandidate } from './answer.js';
import { MID_EXTENSION_URI } from './negotiate.js';

export interface ClientOfferOptions {
  readonly iceUfrag: string;
  readonly icePwd: string;
  readonly fingerprint: string;
  readonly candidates: readonly HostCandidate[];
  readonly cname: string;
  readonly sessionId: string;
  readonly audioSsrc: number;
  readonly videoSsrc: number;
  readonly videoRtxSsrc: number;
}

export const CLIENT_AUDIO_PT = 111;
export const CLIENT_VIDEO_PT = 96;
export const CLIENT_RTX_PT = 97;

export function writeClientOffer(o: ClientOfferOptions): string {
  const addr = o.candidates[0]?.address ?? '127.0.0.1';
  const port = o.candidates[0]?.port ?? 9;
  const common = (mid: string) => [
    `c=IN IP4 ${addr}`,
    ...candidateLines(o.candidates),
    'a=end-of-candidates',
    `a=ice-ufrag:${o.iceUfrag}`,
    `a=ice-pwd:${o.icePwd}`,
    `a=fingerprint:${o.fingerprint}`,
    'a=setup:actpass',
    `a=mid:${mid}`,
    `a=extmap:4 ${MID_EXTENSION_URI}`,
    'a=sendrecv',
    'a=rtcp-mux',
  ];
  return `${[
    'v=0',
    `o=- ${o.sessionId} 1 IN IP4 ${addr}`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    `m=audio ${port} UDP/TLS/RTP/SAVPF ${CLIENT_AUDIO_PT}`,
    ...common('0'),
    `a=rtpmap:${CLIENT_AUDIO_PT} opus/48000/2`,
    `a=fmtp:${CLIENT_AUDIO_PT} minptime=10;useinbandfec=1`,
    `a=ssrc:${o.audioSsrc} cname:${o.cname}`,
    `m=video ${port} UDP/TLS/RTP/SAVPF ${CLIENT_VIDEO_PT} ${CLIENT_RTX_PT}`,
    ...common('1'),
    `a=rtpmap:${CLIENT_VIDEO_PT} VP8/90000`,
    `a=rtcp-fb:${CLIENT_VIDEO_PT} nack`,
    `a=rtcp-fb:${CLIENT_VIDEO_PT} nack pli`,
    `a=rtpmap:${CLIENT_RTX_PT} rtx/90000`,
    `a=fmtp:${CLIENT_RTX_PT} apt=${CLIENT_VIDEO_PT}`,
    `a=ssrc-group:FID ${o.videoSsrc} ${o.videoRtxSsrc}`,
    `a=ssrc:${o.videoSsrc} cname:${o.cname}`,
    `a=ssrc:${o.videoRtxSsrc} cname:${o.cname}`,
  ].join('\r\n')}\r\n`;
}
