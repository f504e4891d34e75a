export { defaultProvider } from './default-provider.js';
export { CryptoError, type CryptoErrorCode } from './errors.js';
export * from './kdf/index.js';
export {
  AEAD_SPECS,
  type Aead,
  type AeadAlgorithm,
  type AeadSpec,
  type BlockCipher,
  type CryptoProvider,
  type EcdheGroup,
  HASH_BLOCK_LENGTH,
  HASH_LENGTH,
  type HashAlgorithm,
  type Hasher,
  type KeyPair,
  type Mac,
  type PrivateKey,
  type PublicKey,
  type RsaPrivateKey,
  type SignatureAlgorithm,
  type SigningKeyKind,
} from './provider.js';
export { nobleProvider } from './providers/noble/index.js';
export { nodeProvider } from './providers/node/index.js';
export * from './record/index.js';
export * from './suites/index.js';
export * from './x509/index.js';
