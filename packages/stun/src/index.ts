export {
  type LongTermAlgorithm,
  longTermAlgorithmOf,
  longTermKey,
  opaqueString,
  shortTermKey,
  userHash,
} from './credentials.js';
export { classify, type PacketKind } from './demux.js';
export { ErrorCode, reasonPhrase, StunError } from './errors.js';
export {
  type IceCheck,
  type IceCheckOutcome,
  IceLiteResponder,
  type IceLiteResponderOptions,
} from './ice/responder.js';
export { md5 } from './md5.js';
export {
  decodeAddress,
  decodeXorAddress,
  encodeAddress,
  encodeXorAddress,
} from './message/attributes/address.js';
export {
  decodeErrorCode,
  type ErrorCodeValue,
  encodeErrorCode,
} from './message/attributes/error-code.js';
export {
  decodePriority,
  decodeTiebreaker,
  decodeUseCandidate,
  encodePriority,
  encodeTiebreaker,
} from './message/attributes/ice.js';
export {
  decodePasswordAlgorithm,
  decodePasswordAlgorithms,
  encodePasswordAlgorithm,
  encodePasswordAlgorithms,
  PasswordAlgorithm,
  type PasswordAlgorithmValue,
} from './message/attributes/password-algorithms.js';
export {
  decodeText,
  decodeUserhash,
  encodeText,
  MAX_TEXT_DECODE_BYTES,
  MAX_TEXT_ENCODE_BYTES,
} from './message/attributes/strings.js';
export {
  AttributeType,
  attributeName,
  isComprehensionRequired,
  KNOWN_ATTRIBUTES,
} from './message/attributes/types.js';
export {
  decodeUnknownAttributes,
  encodeUnknownAttributes,
} from './message/attributes/unknown-attributes.js';
export { crc32 } from './message/crc32.js';
export { checkFingerprint, FINGERPRINT_XOR, fingerprintValue } from './message/fingerprint.js';
export {
  classOf,
  decodeHeader,
  HEADER_LENGTH,
  looksLikeStun,
  MAGIC_COOKIE,
  METHOD_BINDING,
  messageType,
  methodOf,
  type StunClass,
  type StunHeader,
} from './message/header.js';
export {
  type IntegrityAlgorithm,
  integrityAlgorithmOf,
  verifyIntegrity,
} from './message/integrity.js';
export { findAttribute, unknownComprehensionRequired } from './message/lookup.js';
export {
  type DecodedAttribute,
  type DecodedStunMessage,
  decodeMessage,
  type EncodeOptions,
  encodeMessage,
  type IntegrityOptions,
  type StunAttribute,
  type StunMessage,
} from './message/message.js';
export {
  type BindingRequestOptions,
  type BindingResult,
  bindingRequest,
  startBindingServer,
} from './node.js';
export { BindingServer, type BindingServerOptions } from './server/binding-server.js';
export {
  LongTermAuthenticator,
  type LongTermAuthOptions,
  type LongTermAuthResult,
} from './server/long-term-auth.js';
export {
  StunClient,
  type StunClientOptions,
  type StunRequestOptions,
} from './transaction/client.js';
export {
  type ChallengeResult,
  LongTermCredentials,
  NONCE_COOKIE,
  nonceSecurityFeatures,
  type SecurityFeatures,
} from './transaction/long-term.js';
export {
  ClientTransaction,
  type RetransmissionOptions,
  type TransactionOutcome,
} from './transaction/transaction.js';
