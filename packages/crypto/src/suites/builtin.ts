import { providerAead } from './aead-factory.js';
import type { CipherSuite } from './registry.js';

const aes128gcm = providerAead('AES-128-GCM');
const aes256gcm = providerAead('AES-256-GCM');
const chacha = providerAead('CHACHA20-POLY1305');
const gcm12 = { keyExchange: 'ECDHE', fixedIvLength: 4, recordIvLength: 8 } as const;

/** Registered at load through registerCipherSuite, the call users make for their own. */
export const BUILTIN_SUITES: readonly CipherSuite[] = [
  // RFC 8446 §B.4, in the preference order most stacks use.
  {
    family: 'tls13',
    id: 0x1301,
    name: 'TLS_AES_128_GCM_SHA256',
    hash: 'SHA-256',
    aead: aes128gcm,
    headerProtection: 'aes',
  },
  {
    family: 'tls13',
    id: 0x1302,
    name: 'TLS_AES_256_GCM_SHA384',
    hash: 'SHA-384',
    aead: aes256gcm,
    headerProtection: 'aes',
  },
  {
    family: 'tls13',
    id: 0x1303,
    name: 'TLS_CHACHA20_POLY1305_SHA256',
    hash: 'SHA-256',
    aead: chacha,
    headerProtection: 'chacha20',
  },
  {
    family: 'tls13',
    id: 0x1304,
    name: 'TLS_AES_128_CCM_SHA256',
    hash: 'SHA-256',
    aead: providerAead('AES-128-CCM'),
    headerProtection: 'aes',
  },

  // RFC 5289 / RFC 5288 (GCM: 4-byte salt + 8-byte explicit nonce) and RFC 7905 (ChaCha20: 12-byte IV, no explicit nonce).
  {
    family: 'tls12',
    id: 0xc02b,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    hash: 'SHA-256',
    aead: aes128gcm,
    authentication: 'ECDSA',
    ...gcm12,
  },
  {
    family: 'tls12',
    id: 0xc02c,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    hash: 'SHA-384',
    aead: aes256gcm,
    authentication: 'ECDSA',
    ...gcm12,
  },
  {
    family: 'tls12',
    id: 0xcca9,
    name: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    hash: 'SHA-256',
    aead: chacha,
    authentication: 'ECDSA',
    keyExchange: 'ECDHE',
    fixedIvLength: 12,
    recordIvLength: 0,
  },
  {
    family: 'tls12',
    id: 0xc02f,
    name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    hash: 'SHA-256',
    aead: aes128gcm,
    authentication: 'RSA',
    ...gcm12,
  },
  {
    family: 'tls12',
    id: 0xc030,
    name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    hash: 'SHA-384',
    aead: aes256gcm,
    authentication: 'RSA',
    ...gcm12,
  },
  {
    family: 'tls12',
    id: 0xcca8,
    name: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    hash: 'SHA-256',
    aead: chacha,
    authentication: 'RSA',
    keyExchange: 'ECDHE',
    fixedIvLength: 12,
    recordIvLength: 0,
  },

  // RFC 5764 §4.1.2 and RFC 7714 §14.2: DTLS-SRTP protection profiles.
  {
    family: 'srtp',
    id: 0x0007,
    name: 'SRTP_AEAD_AES_128_GCM',
    cipher: 'AES-GCM',
    masterKeyLength: 16,
    masterSaltLength: 12,
    srtpTagLength: 16,
    srtcpTagLength: 16,
    aead: aes128gcm,
  },
  {
    family: 'srtp',
    id: 0x0008,
    name: 'SRTP_AEAD_AES_256_GCM',
    cipher: 'AES-GCM',
    masterKeyLength: 32,
    masterSaltLength: 12,
    srtpTagLength: 16,
    srtcpTagLength: 16,
    aead: aes256gcm,
  },
  {
    family: 'srtp',
    id: 0x0001,
    name: 'SRTP_AES128_CM_HMAC_SHA1_80',
    cipher: 'AES-CM',
    masterKeyLength: 16,
    masterSaltLength: 14,
    srtpTagLength: 10,
    srtcpTagLength: 10,
    authKeyLength: 20,
  },
  {
    family: 'srtp',
    id: 0x0002,
    name: 'SRTP_AES128_CM_HMAC_SHA1_32',
    cipher: 'AES-CM',
    masterKeyLength: 16,
    masterSaltLength: 14,
    srtpTagLength: 4,
    srtcpTagLength: 10,
    authKeyLength: 20,
  },
];
