// @x/quic: QUIC v1 (RFC 9000, 9001, 9002): the sans-I/O Connection and Endpoint,
// the node:dgram listen/connect API, and the building blocks beneath them.

export {
  BaseController,
  type CongestionController,
  type CongestionPacket,
  initialWindow,
  minimumWindow,
} from './congestion/controller.js';
export { CUBIC_ALPHA, CUBIC_BETA, CUBIC_C, Cubic } from './congestion/cubic.js';
export { kLossReductionFactor, NewReno } from './congestion/new-reno.js';
export { PACING_GAIN, Pacer } from './congestion/pacer.js';
export { AMPLIFICATION_FACTOR, AmplificationLimit } from './connection/amplification.js';
// Connection IDs, stateless reset and address-validation tokens
export {
  encodeStatelessReset,
  type IssuedCid,
  LocalCids,
  PeerCids,
  statelessResetToken,
} from './connection/cid-manager.js';
export { CloseState } from './connection/close.js';
// The connection, the endpoint and the Node API
export { Connection, LOCAL_CID_LENGTH, type ServerInitialInfo } from './connection/connection.js';
export {
  decodeQuicSessionTicket,
  earlyDataContext,
  encodeQuicSessionTicket,
  QUIC_MAX_EARLY_DATA,
  type QuicSessionTicket,
} from './connection/early-data.js';
export { effectiveIdleTimeout, IdleTimer } from './connection/idle-timeout.js';
export { PathValidation } from './connection/path-validation.js';
export {
  type ClientConnectionOptions,
  type CloseReason,
  type CommonConnectionOptions,
  type ConnectionEvent,
  DEFAULT_LOCAL_PARAMETERS,
  type PathInfo,
  type ServerConnectionOptions,
} from './connection/state.js';
export { describeFrame, describePacket } from './connection/trace.js';
export { Endpoint, type EndpointOptions } from './endpoint/endpoint.js';
export {
  type ConnectOptions,
  connect,
  type ListenOptions,
  listen,
  QuicConnection,
  QuicServer,
  QuicStream,
} from './endpoint/node.js';
export {
  QuicError,
  TransportError,
  type TransportErrorName,
  transportErrorName,
} from './errors.js';
// Frames
export { type AckFrame, type AckRange, ackDelayMillis, type EcnCounts } from './frame/ack.js';
export type {
  DataBlockedFrame,
  StreamDataBlockedFrame,
  StreamsBlockedFrame,
} from './frame/blocked.js';
export {
  countsInFlight,
  decodeFrame,
  decodeFrames,
  encodeFrame,
  type Frame,
  forEachFrame,
  frameTypeOf,
  isAckEliciting,
} from './frame/codec.js';
export { FrameType, MAX_STREAM_OFFSET, MAX_STREAMS_LIMIT } from './frame/common.js';
export type { ConnectionCloseFrame } from './frame/connection-close.js';
export { type CryptoFrame, cryptoFrameOverhead } from './frame/crypto.js';
export type { DatagramFrame } from './frame/datagram.js';
export { HANDSHAKE_DONE, type HandshakeDoneFrame } from './frame/handshake-done.js';
export type { MaxDataFrame, MaxStreamDataFrame, MaxStreamsFrame } from './frame/max-data.js';
export {
  type NewConnectionIdFrame,
  STATELESS_RESET_TOKEN_LENGTH,
} from './frame/new-connection-id.js';
export type { NewTokenFrame } from './frame/new-token.js';
export { type PaddingFrame, PING, type PingFrame } from './frame/padding-ping.js';
export type { PathChallengeFrame, PathResponseFrame } from './frame/path.js';
export {
  checkFramePermitted,
  decodePacketPayload,
  type FramePacketType,
  isFramePermitted,
} from './frame/permitted.js';
export type { ResetStreamFrame } from './frame/reset-stream.js';
export type { RetireConnectionIdFrame } from './frame/retire-connection-id.js';
export type { StopSendingFrame } from './frame/stop-sending.js';
export type { StreamFrame } from './frame/stream.js';
export { CryptoStream, DEFAULT_CRYPTO_BUFFER_LIMIT } from './handshake/crypto-stream.js';
// Keys
export {
  deriveInitialSecrets,
  INITIAL_SALT_V1,
  type InitialProtection,
  type InitialSecrets,
  initialProtection,
  initialSuite,
} from './handshake/initial-keys.js';
export { KeyGenerations, nextTrafficSecret } from './handshake/key-update.js';
export {
  createToken,
  type TokenCheck,
  type TokenContents,
  type TokenKeyOptions,
  type TokenKind,
  validateToken,
} from './handshake/token.js';
// Connection building blocks (sans-I/O pieces of the coming state machine)
export {
  type BuildPacketOptions,
  type BuiltPacket,
  buildPacket,
  MIN_INITIAL_DATAGRAM_SIZE,
} from './packet/builder.js';
export { splitDatagram } from './packet/coalesce.js';
// Packets
export {
  type LongHeaderFields,
  type LongPacketType,
  MAX_CID_LENGTH,
  type PacketHeader,
  type PacketType,
  parsePacketHeader,
  peekDestinationCid,
  QUIC_V1,
  RETRY_TAG_LENGTH,
  writeLongHeader,
  writeShortHeader,
} from './packet/header.js';
export {
  decodePacketNumber,
  MAX_PACKET_NUMBER,
  packetNumberLength,
  truncatePacketNumber,
} from './packet/number.js';
export {
  derivePacketKeys,
  HeaderProtection,
  type OpenedPacket,
  type PacketKeys,
  PacketProtection,
  type UnmaskedHeader,
} from './packet/protection.js';
export {
  encodeRetry,
  RETRY_INTEGRITY_KEY_V1,
  RETRY_INTEGRITY_NONCE_V1,
  type RetryFields,
  retryIntegrityTag,
  verifyRetryIntegrity,
} from './packet/retry.js';
export {
  chooseVersion,
  encodeVersionNegotiation,
  isReservedVersion,
  supportedVersions,
  type VersionNegotiationFields,
} from './packet/version-negotiation.js';
// Loss recovery and congestion control
export { AckRanges, kAckElicitingThreshold, ReceivedPackets } from './recovery/ack-ranges.js';
export {
  type AckResult,
  kPacketThreshold,
  kTimeThreshold,
  LossDetection,
  type LossDetectionOptions,
  type PacketNumberSpace,
  type TimeoutAction,
} from './recovery/loss-detection.js';
export {
  inPersistentCongestion,
  kPersistentCongestionThreshold,
  persistentCongestionDuration,
} from './recovery/persistent-congestion.js';
export { kGranularity, kInitialRtt, RttEstimator } from './recovery/rtt.js';
export { type SentPacket, SentPackets } from './recovery/sent-packets.js';
export { ReceiveWindow, SendCredit } from './stream/flow-control.js';
// Streams and flow control
export { ReceiveBuffer } from './stream/receive-buffer.js';
export { SendBuffer, type SendChunk } from './stream/send-buffer.js';
export { StreamState } from './stream/stream.js';
export {
  isBidirectional,
  isClientInitiated,
  StreamMap,
  type StreamPart,
  streamId,
  streamIndex,
} from './stream/stream-map.js';
// Transport parameters
export {
  DEFAULT_TRANSPORT_PARAMETERS,
  decodeTransportParameters,
  encodeTransportParameters,
  type PreferredAddress,
  TransportParameterId,
  type TransportParameters,
  validateConnectionIdParameters,
} from './transport-parameters.js';
