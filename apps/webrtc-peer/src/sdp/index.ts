export {
  candidateLines,
  type HostCandidate,
  hostPriority,
  type LocalDescription,
  type LocalMediaSsrcs,
  writeAnswer,
} from './answer.js';
export {
  type Candidate,
  type Codec,
  type Direction,
  type Extmap,
  type MediaDescription,
  parseSessionDescription,
  type SessionDescription,
  type Setup,
  type SsrcInfo,
} from './description.js';
export { SdpError, type SdpErrorKind } from './errors.js';
export { MAX_SDP_LENGTH, parseSdpLines, type SdpDocument, serializeSdpLines } from './lines.js';
export { type AcceptedMedia, MID_EXTENSION_URI, type Negotiated, negotiate } from './negotiate.js';
export {
  CLIENT_AUDIO_PT,
  CLIENT_RTX_PT,
  CLIENT_VIDEO_PT,
  type ClientOfferOptions,
  writeClientOffer,
} from './offer.js';
