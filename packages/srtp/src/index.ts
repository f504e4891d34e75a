export type { SrtpContextOptions } from './context/options.js';
export { DEFAULT_REPLAY_WINDOW, type ReplayVerdict, ReplayWindow } from './context/replay.js';
export { estimateRoc, packetIndex } from './context/roc.js';
export { MAX_SRTCP_INDEX, SrtcpContext } from './context/srtcp-context.js';
export { SrtpContext } from './context/srtp-context.js';
export {
  type DtlsSrtpContexts,
  dtlsSrtpContexts,
  type KeyingMaterialExporter,
} from './dtls-srtp.js';
export { SrtpError, type SrtpErrorReason } from './errors.js';
export { deriveSessionKey, deriveSessionKeys, type SessionKeys, SRTP_LABEL } from './kdf.js';
export {
  DTLS_SRTP_EXPORTER_LABEL,
  type DtlsSrtpKeys,
  dtlsSrtpKeyingMaterialLength,
  dtlsSrtpLocalRemoteKeys,
  type SrtpMasterKeys,
  splitDtlsSrtpKeyingMaterial,
} from './keying.js';
export { aesCmHmacSha1Transform, aesCmIv } from './profiles/aes-cm.js';
export { aesGcmTransform, gcmIv } from './profiles/aes-gcm.js';
export {
  getSrtpTransform,
  registerSrtpTransform,
  resolveSrtpProfile,
  supportedSrtpProfiles,
  unregisterSrtpTransform,
} from './profiles/registry.js';
export type { SrtpCipher, SrtpCipherOptions, SrtpTransform } from './profiles/transform.js';
export {
  isRfc8285Extension,
  ONE_BYTE_PROFILE,
  parseHeaderExtensions,
  type RtpExtensionElement,
  serializeHeaderExtensions,
  TWO_BYTE_PROFILE,
} from './rtp/extensions.js';
export {
  parseRtpPacket,
  type RtpHeader,
  type RtpHeaderExtension,
  type RtpPacket,
  rtpHeaderSize,
  serializeRtpPacket,
} from './rtp/header.js';
export { rtpHeaderLength } from './rtp/header-length.js';
export {
  parseRtcpCompound,
  serializeRtcpCompound,
  serializeRtcpPacket,
} from './rtp/rtcp/compound.js';
export {
  FEEDBACK_FMT,
  firFci,
  nackFci,
  nackLostSequences,
  rembFci,
} from './rtp/rtcp/feedback.js';
export type {
  FirEntry,
  Goodbye,
  NackEntry,
  OtherRtcp,
  PayloadFeedback,
  ReceiverReport,
  Remb,
  ReportBlock,
  RtcpPacket,
  RtpFeedback,
  SdesChunk,
  SdesItem,
  SenderReport,
  SourceDescription,
  TransportCcHeader,
} from './rtp/rtcp/types.js';
export { RTCP_PT } from './rtp/rtcp/types.js';
