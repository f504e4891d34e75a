export {
  AlertDescription,
  AlertLevel,
  type AlertName,
  alertDescriptionName,
} from './alerts.js';
export type {
  Direction,
  EncryptionLevel,
  HandshakeEngine,
  HandshakeRecordLayer,
  KeyMaterial,
} from './contract.js';
export { type NonceRule, writeSequence64, xorSequenceNonce } from './nonce.js';
export {
  createRecordProtector,
  type RecordProtector,
  type RecordProtectorOptions,
} from './protector.js';
