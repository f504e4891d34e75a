import type { CryptoProvider } from '@x/crypto';
import { DecodeError, Reader, Writer } from '@x/wire';

/**
 * Address-validation tokens (RFC 9000 §8.1.2-§8.1.4): a Retry token, valid
 * briefly and only for the connection attempt it answers, and a NEW_TOKEN token
 * for future connections. Both are sealed with AES-128-GCM under a server key,
 * so only this server can read or forge them; the client's address is the
 * associated data, so a token only validates the address it was issued to. The
 * issue time is inside; `now` is passed in (sans-I/O).
 *
 * Layout: kind (1) || nonce (12) || AEAD(issued_at (8) || odcid<1> || rscid<1>).
 */
export type TokenKind = 'retry' | 'new-token';

const KIND_RETRY = 0x52;
const KIND_NEW_TOKEN = 0x4e;
const NONCE_LENGTH = 12;

export interface TokenContents {
  readonly kind: TokenKind;
  readonly issuedAt: number;
  /** Retry tokens: the client's first Destination Connection ID (§7.3). */
  readonly originalDestinationConnectionId?: Uint8Array;
  /** Retry tokens: the Source Connection ID of the Retry packet (§7.3). */
  readonly retrySourceConnectionId?: Uint8Array;
}

export interface TokenKeyOptions {
  readonly provider: CryptoProvider;
  /** 16 bytes, known only to the server (and its peers behind the same address). */
  readonly key: Uint8Array;
}

export function createToken(
  { provider, key }: TokenKeyOptions,
  contents: TokenContents,
  clientAddress: Uint8Array,
): Uint8Array {
  const plain = new Writer(64)
    .u64(BigInt(Math.floor(contents.issuedAt)))
    .vector8(contents.originalDestinationConnectionId ?? new Uint8Array(0))
    .vector8(contents.retrySourceConnectionId ?? new Uint8Array(0))
    .finish();
  const kind = contents.kind === 'retry' ? KIND_RETRY : KIND_NEW_TOKEN;
  const nonce = provider.randomBytes(NONCE_LENGTH);
  const aad = new Uint8Array(1 + clientAddress.length);
  aad[0] = kind;
  aad.set(clientAddress, 1);
  const sealed = provider.aead('AES-128-GCM', key).seal(nonce, plain, aad);
  const out = new Uint8Array(1 + NONCE_LENGTH + sealed.length);
  out[0] = kind;
  out.set(nonce, 1);
  out.set(sealed, 1 + NONCE_LENGTH);
  return out;
}

export type TokenCheck =
  | { readonly valid: true; readonly contents: TokenContents }
  | { readonly valid: false; readonly reason: 'malformed' | 'forged' | 'expired' };

/**
 * Opens and checks a token from an Initial packet. Never throws on bad input.
 * `lifetime` is how long (ms) a token of each kind stays valid (§8.1.3: Retry
 * tokens briefly, NEW_TOKEN tokens longer). A token issued in the future (a
 * clock step) is treated as expired.
 */
export function validateToken(
  { provider, key }: TokenKeyOptions,
  token: Uint8Array,
  clientAddress: Uint8Array,
  now: number,
  lifetime: { retry: number; newToken: number } = { retry: 10_000, newToken: 86_400_000 },
): TokenCheck {
  if (token.length < 1 + NONCE_LENGTH + 16) return { valid: false, reason: 'malformed' };
  const kindByte = token[0]!;
  if (kindByte !== KIND_RETRY && kindByte !== KIND_NEW_TOKEN)
    return { valid: false, reason: 'malformed' };
  const aad = new Uint8Array(1 + clientAddress.length);
  aad[0] = kindByte;
  aad.set(clientAddress, 1);
  const plain = provider
    .aead('AES-128-GCM', key)
    .open(token.subarray(1, 1 + NONCE_LENGTH), token.subarray(1 + NONCE_LENGTH), aad);
  if (plain === null) return { valid: false, reason: 'forged' };
  let contents: TokenContents;
  try {
    const r = new Reader(plain);
    const issuedAt = Number(r.u64('issued at'));
    const odcid = r.vector8('original destination connection id');
    const rscid = r.vector8('retry source connection id');
    r.expectEnd();
    const kind: TokenKind = kindByte === KIND_RETRY ? 'retry' : 'new-token';
    contents =
      kind === 'retry'
        ? { kind, issuedAt, originalDestinationConnectionId: odcid, retrySourceConnectionId: rscid }
        : { kind, issuedAt };
  } catch (e) {
    if (e instanceof DecodeError) return { valid: false, reason: 'malformed' };
    throw e;
  }
  const maxAge = contents.kind === 'retry' ? lifetime.retry : lifetime.newToken;
  if (now < contents.issuedAt || now - contents.issuedAt > maxAge) {
    return { valid: false, reason: 'expired' };
  }
  return { valid: true, contents };
}
