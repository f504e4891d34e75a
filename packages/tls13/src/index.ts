/**
 * @x/tls13: a sans-I/O TLS 1.3 (RFC 8446) client and server over any record
 * layer, with TLS records on a byte stream (TlsConnection, node:net binding in
 * '@x/tls13/node') and the QUIC interface of RFC 9001 §4 (QuicTls).
 */
export { AlertDescription, type AlertName, alertName, TlsError } from './alerts.js';
export { ClientEngine } from './client/index.js';
export type { ClientConfig, GroupRef, ServerConfig, SuiteRef } from './config.js';
export { DEFAULT_GROUPS, DEFAULT_SUITES } from './config.js';
export { type ConnectionHandlers, TlsConnection } from './connection.js';
export type { EngineEvents, Negotiated, State } from './context.js';
export { TlsEngine } from './engine.js';
export {
  exportKeyingMaterial,
  KeySchedule,
  nextTrafficSecret,
  resumptionPsk,
  trafficKeys,
} from './key-schedule.js';
export {
  getGroup,
  groupByName,
  groupName,
  type KeyExchangeGroup,
  NamedGroup,
} from './key-share/named-group.js';
export { type KeyLogLabel, type KeyLogSink, keyLogLine, parseKeyLog } from './keylog.js';
export type { ClientHello } from './messages/client-hello.js';
export { type Extension, ExtensionType } from './messages/extensions/types.js';
export { HandshakeType } from './messages/handshake-type.js';
export {
  cryptoErrorCode,
  type QuicClientConfig,
  type QuicServerConfig,
  QuicTls,
  type QuicTlsEvent,
} from './record-layer/quic.js';
export { ContentType, MAX_CIPHERTEXT, MAX_PLAINTEXT, TcpRecordLayer } from './record-layer/tcp.js';
export { ServerEngine } from './server/index.js';
export { SignatureScheme } from './signature-schemes.js';
export { decodeSessionTicket, encodeSessionTicket } from './ticket-codec.js';
export {
  type SessionTicket,
  TicketIssuer,
  type TicketIssuerOptions,
  type TicketState,
} from './tickets.js';
export { Transcript } from './transcript.js';
