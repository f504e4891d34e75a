export { DtlsClientEndpoint } from './client-endpoint.js';
export {
  DEFAULT_CIPHER_SUITES,
  DEFAULT_GROUPS,
  DEFAULT_SRTP_PROFILES,
  type DtlsCertificate,
  type DtlsOptions,
  type PeerCertificateInfo,
} from './config.js';
export { DtlsConnection, type DtlsConnectionEvents, type DtlsState } from './connection.js';
export { COOKIE_LENGTH, CookieJar, type CookieOptions } from './cookie.js';
export { DtlsServer, type DtlsServerOptions, type DtlsSession } from './dtls-server.js';
export { AlertDescription, AlertLevel, alertName, DtlsError } from './errors.js';
export { exportKeyingMaterial, type KeyingMaterialExporter } from './exporter.js';
export { FragmentBuffer, planFragments } from './handshake/fragment-buffer.js';
export * from './handshake/messages/index.js';
export { type RetransmitOptions, RetransmitTimer } from './handshake/retransmit.js';
export { computeVerifyData, deriveMasterSecret, deriveTrafficKeys } from './key-schedule.js';
export { clientRandomLine } from './keylog.js';
export {
  type ConnectOptions,
  type CreateServerOptions,
  connect,
  createServer,
  type DtlsClientSocket,
  type DtlsNodeServer,
} from './node.js';
export { tls12Prf } from './prf.js';
export {
  ContentType,
  DTLS1_0,
  DTLS1_2,
  decodeRecord,
  decodeRecords,
  encodeRecord,
} from './record/record.js';
export { REPLAY_WINDOW_SIZE, ReplayWindow } from './record/replay-window.js';
