/**
 * The server side of the long-term credential mechanism (RFC 8489 §9.2.4):
 * challenges with REALM and a NONCE, then checks USERNAME, REALM, NONCE,
 * PASSWORD-ALGORITHM(S) and the HMAC in the order the RFC lists.
 *
 * Nonces are stateless: the nonce cookie, an expiry time and an HMAC over the
 * expiry and the client's transport address (a nonce is never valid for another
 * source, §9.2.4), so the server keeps no per-client state before authentication.
 */
import type { CryptoProvider } from '@x/crypto';
import { addressKey, constantTimeEqual, type SocketAddress, toHex } from '@x/wire';
import { type LongTermAlgorithm, longTermKey } from '../credentials.js';
import { ErrorCode } from '../errors.js';
import {
  decodePasswordAlgorithm,
  encodePasswordAlgorithms,
  PasswordAlgorithm,
  type PasswordAlgorithmValue,
} from '../message/attributes/password-algorithms.js';
import { decodeText, encodeText } from '../message/attributes/strings.js';
import { AttributeType } from '../message/attributes/types.js';
import {
  type IntegrityAlgorithm,
  integrityAlgorithmOf,
  verifyIntegrity,
} from '../message/integrity.js';
import { findAttribute } from '../message/lookup.js';
import type { DecodedStunMessage, StunAttribute } from '../message/message.js';
import { NONCE_COOKIE, nonceSecurityFeatures } from '../transaction/long-term.js';

export interface LongTermAuthOptions {
  readonly realm: string;
  readonly provider: CryptoProvider;
  /** The password (after OpaqueString) of a user, or undefined for an unknown user. */
  readonly password: (username: string) => string | undefined;
  /** Offer PASSWORD-ALGORITHMS [SHA-256, MD5] and set the nonce cookie bit (default true). */
  readonly passwordAlgorithms?: boolean;
  /** How long a nonce stays valid, ms (default 10 minutes). */
  readonly nonceLifetimeMs?: number;
  /** Key for the nonce HMAC (default: random per authenticator). */
  readonly nonceSecret?: Uint8Array;
}

export type LongTermAuthResult =
  | {
      readonly ok: true;
      readonly username: string;
      readonly key: Uint8Array;
      /** How to protect the response: MESSAGE-INTEGRITY unless SHA-256 was negotiated (§9.2.4). */
      readonly algorithm: IntegrityAlgorithm;
    }
  | { readonly ok: false; readonly code: number; readonly attributes: StunAttribute[] };

const OFFERED: PasswordAlgorithmValue[] = [
  { algorithm: PasswordAlgorithm.SHA_256, parameters: new Uint8Array(0) },
  { algorithm: PasswordAlgorithm.MD5, parameters: new Uint8Array(0) },
];

export class LongTermAuthenticator {
  readonly realm: string;
  readonly provider: CryptoProvider;
  readonly #options: LongTermAuthOptions;
  readonly #secret: Uint8Array;
  readonly #offer: boolean;
  readonly #offered: Uint8Array;

  constructor(options: LongTermAuthOptions) {
    this.realm = options.realm;
    this.provider = options.provider;
    this.#options = options;
    this.#secret = options.nonceSecret ?? options.provider.randomBytes(32);
    this.#offer = options.passwordAlgorithms ?? true;
    this.#offered = encodePasswordAlgorithms(OFFERED);
  }

  /** A fresh nonce for `remote`: cookie, expiry (hex ms), HMAC (hex). */
  nonce(remote: SocketAddress, now: number): string {
    const features = this.#offer ? 'gAAA' : 'AAAA'; // bit 0 "Password algorithms" (§18.1)
    const expiry = Math.floor(now + (this.#options.nonceLifetimeMs ?? 600_000)).toString(16);
    return `${NONCE_COOKIE}${features}${expiry}.${this.#mac(features, expiry, remote)}`;
  }

  #mac(features: string, expiry: string, remote: SocketAddress): string {
    const input = new TextEncoder().encode(`${features}|${expiry}|${addressKey(remote)}`);
    return toHex(this.#options.provider.hmac('SHA-256', this.#secret, input).subarray(0, 16));
  }

  /** 'valid', 'stale' (ours but expired) or 'invalid' (not ours, or for another address). */
  #checkNonce(nonce: string, remote: SocketAddress, now: number): 'valid' | 'stale' | 'invalid' {
    const m = /^obMatJos2([A-Za-z0-9+/]{4})([0-9a-f]{1,13})\.([0-9a-f]{32})$/.exec(nonce);
    if (!m) return 'invalid';
    const mac = new TextEncoder().encode(this.#mac(m[1]!, m[2]!, remote));
    if (!constantTimeEqual(mac, new TextEncoder().encode(m[3]!))) return 'invalid';
    return Number.parseInt(m[2]!, 16) >= now ? 'valid' : 'stale';
  }

  /** The REALM, NONCE (and PASSWORD-ALGORITHMS) a 401 or 438 carries. */
  challengeAttributes(remote: SocketAddress, now: number): StunAttribute[] {
    const attrs: StunAttribute[] = [
      { type: AttributeType.REALM, value: encodeText(this.realm, 'REALM') },
      { type: AttributeType.NONCE, value: encodeText(this.nonce(remote, now), 'NONCE') },
    ];
    if (this.#offer) attrs.push({ type: AttributeType.PASSWORD_ALGORITHMS, value: this.#offered });
    return attrs;
  }

  /** Runs the checks of §9.2.4 on a request that passed the basic checks of §6.3. */
  authenticate(
    request: DecodedStunMessage,
    remote: SocketAddress,
    now: number,
  ): LongTermAuthResult {
    const challenge = (code: number): LongTermAuthResult => ({
      ok: false,
      code,
      attributes: this.challengeAttributes(remote, now),
    });
    const bad: LongTermAuthResult = { ok: false, code: ErrorCode.BAD_REQUEST, attributes: [] };
    const integrity = integrityAlgorithmOf(request);
    if (!integrity) return challenge(ErrorCode.UNAUTHENTICATED);
    const usernameAttr = findAttribute(request, AttributeType.USERNAME);
    const realmAttr = findAttribute(request, AttributeType.REALM);
    const nonceAttr = findAttribute(request, AttributeType.NONCE);
    const hasUserhash = findAttribute(request, AttributeType.USERHASH) !== undefined;
    if ((!usernameAttr && !hasUserhash) || !realmAttr || !nonceAttr) return bad;
    let nonce: string;
    let username: string | undefined;
    let realm: string;
    try {
      nonce = decodeText(nonceAttr.value, 'NONCE');
      realm = decodeText(realmAttr.value, 'REALM');
      username = usernameAttr ? decodeText(usernameAttr.value, 'USERNAME') : undefined;
    } catch {
      return bad;
    }
    let algorithm: LongTermAlgorithm = 'MD5';
    let negotiated = false;
    if (nonceSecurityFeatures(nonce)?.passwordAlgorithms) {
      const pas = findAttribute(request, AttributeType.PASSWORD_ALGORITHMS);
      const pa = findAttribute(request, AttributeType.PASSWORD_ALGORITHM);
      if (pas || pa) {
        // §9.2.4: both present, the list as we sent it, the choice one of its entries.
        if (!pas || !pa || !constantTimeEqual(pas.value, this.#offered)) return bad;
        let chosen: PasswordAlgorithmValue;
        try {
          chosen = decodePasswordAlgorithm(pa.value);
        } catch {
          return bad;
        }
        if (chosen.algorithm === PasswordAlgorithm.SHA_256) algorithm = 'SHA-256';
        else if (chosen.algorithm !== PasswordAlgorithm.MD5) return bad;
        negotiated = true;
      }
    }
    // USERHASH would need a reverse lookup over all users; this server asks for USERNAME
    // (it never sets the "Username anonymity" bit), so a USERHASH alone is an unknown user.
    const password = username === undefined ? undefined : this.#options.password(username);
    if (username === undefined || password === undefined || realm !== this.realm) {
      return challenge(ErrorCode.UNAUTHENTICATED);
    }
    const key = longTermKey(this.#options.provider, username, realm, password, algorithm);
    if (!verifyIntegrity(request, key, this.#options.provider, integrity)) {
      return challenge(ErrorCode.UNAUTHENTICATED);
    }
    const state = this.#checkNonce(nonce, remote, now);
    // A nonce that expired, or was never ours for this address (say the client's NAT binding
    // moved): 438 hands it a fresh one, and the client retries (§9.2.5).
    if (state !== 'valid') return challenge(ErrorCode.STALE_NONCE);
    return { ok: true, username, key, algorithm: negotiated ? 'SHA-256' : 'SHA-1' };
  }
}
