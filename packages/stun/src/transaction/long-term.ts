/**
 * The client side of the long-term credential mechanism (RFC 8489 §9.2):
 * the first request goes out bare, a 401 brings REALM and NONCE (and maybe
 * PASSWORD-ALGORITHMS), the request is retried with USERNAME or USERHASH,
 * REALM, NONCE and an HMAC keyed with MD5 or SHA-256 of username:realm:password;
 * a 438 refreshes the NONCE. The realm, nonce and algorithm are cached here for
 * later requests to the same server (§9.2.3.2). Sans-I/O: StunClient drives it.
 */
import type { CryptoProvider } from '@x/crypto';
import { type LongTermAlgorithm, longTermKey, userHash } from '../credentials.js';
import { decodeErrorCode } from '../message/attributes/error-code.js';
import {
  decodePasswordAlgorithms,
  encodePasswordAlgorithm,
  encodePasswordAlgorithms,
  PasswordAlgorithm,
  type PasswordAlgorithmValue,
} from '../message/attributes/password-algorithms.js';
import { decodeText, encodeText } from '../message/attributes/strings.js';
import { AttributeType } from '../message/attributes/types.js';
import type { IntegrityAlgorithm } from '../message/integrity.js';
import { findAttribute } from '../message/lookup.js';
import type { DecodedStunMessage, IntegrityOptions, StunAttribute } from '../message/message.js';

/** RFC 8489 §9.2: "obMatJos2" then base64 of the 24 security-feature bits. */
export const NONCE_COOKIE = 'obMatJos2';

export interface SecurityFeatures {
  /** Bit 0 (§18.1): the server offers PASSWORD-ALGORITHMS. */
  readonly passwordAlgorithms: boolean;
  /** Bit 1: the client must send USERHASH instead of USERNAME. */
  readonly usernameAnonymity: boolean;
}

/** The security features of a NONCE that starts with the nonce cookie, else undefined. */
export function nonceSecurityFeatures(nonce: string): SecurityFeatures | undefined {
  if (!nonce.startsWith(NONCE_COOKIE) || nonce.length < 13) return undefined;
  const b64 = nonce.slice(9, 13);
  if (!/^[A-Za-z0-9+/]{4}$/.test(b64)) return undefined;
  const first = atob(b64).charCodeAt(0);
  return { passwordAlgorithms: (first & 0x80) !== 0, usernameAnonymity: (first & 0x40) !== 0 };
}

export type ChallengeResult = 'retry' | 'fail';

export class LongTermCredentials {
  readonly username: string;
  readonly #password: string;
  readonly #provider: CryptoProvider;
  #realm: string | undefined;
  #nonce: string | undefined;
  #algorithms: PasswordAlgorithmValue[] | undefined;
  #algorithm: LongTermAlgorithm = 'MD5';
  #key: Uint8Array | undefined;
  #anonymous = false;
  /** Realm of the last request we authenticated, so a 401 for it is not retried (§9.2.5). */
  #lastRealm: string | undefined;

  /** `username`, and `password` after OpaqueString (or SASLprep for RFC 5389 servers). */
  constructor(provider: CryptoProvider, username: string, password: string) {
    this.#provider = provider;
    this.username = username;
    this.#password = password;
  }

  get realm(): string | undefined {
    return this.#realm;
  }

  get nonce(): string | undefined {
    return this.#nonce;
  }

  get algorithm(): LongTermAlgorithm {
    return this.#algorithm;
  }

  /** The HMAC key, once a realm is known. */
  get key(): Uint8Array | undefined {
    return this.#key;
  }

  /**
   * What to add to a request: nothing before the first challenge (§9.2.3.1),
   * afterwards USERNAME/USERHASH, REALM, NONCE, PASSWORD-ALGORITHM(S) and the
   * integrity attribute (MESSAGE-INTEGRITY-SHA256 only when the server listed
   * PASSWORD-ALGORITHMS, §9.2.5; MESSAGE-INTEGRITY otherwise).
   */
  authenticate(): { attributes: StunAttribute[]; integrity?: IntegrityOptions } {
    if (this.#realm === undefined || this.#nonce === undefined || !this.#key)
      return { attributes: [] };
    const attributes: StunAttribute[] = this.#anonymous
      ? [
          {
            type: AttributeType.USERHASH,
            value: userHash(this.#provider, this.username, this.#realm),
          },
        ]
      : [{ type: AttributeType.USERNAME, value: encodeText(this.username, 'USERNAME') }];
    attributes.push(
      { type: AttributeType.REALM, value: encodeText(this.#realm, 'REALM') },
      { type: AttributeType.NONCE, value: encodeText(this.#nonce, 'NONCE') },
    );
    const algorithms: IntegrityAlgorithm[] = ['SHA-1'];
    if (this.#algorithms) {
      const chosen =
        this.#algorithm === 'SHA-256' ? PasswordAlgorithm.SHA_256 : PasswordAlgorithm.MD5;
      attributes.push(
        {
          type: AttributeType.PASSWORD_ALGORITHMS,
          value: encodePasswordAlgorithms(this.#algorithms),
        },
        {
          type: AttributeType.PASSWORD_ALGORITHM,
          value: encodePasswordAlgorithm({ algorithm: chosen, parameters: new Uint8Array(0) }),
        },
      );
      algorithms[0] = 'SHA-256';
    }
    this.#lastRealm = this.#realm;
    return { attributes, integrity: { key: this.#key, provider: this.#provider, algorithms } };
  }

  /**
   * Learns from a 401 or 438 error response (§9.2.5) and says whether to retry
   * the request in a new transaction. Any other response: 'fail'.
   */
  challenge(response: DecodedStunMessage): ChallengeResult {
    try {
      const ec = findAttribute(response, AttributeType.ERROR_CODE);
      const code = ec ? decodeErrorCode(ec.value).code : 0;
      if (code !== 401 && code !== 438) return 'fail';
      const nonceAttr = findAttribute(response, AttributeType.NONCE);
      const realmAttr = findAttribute(response, AttributeType.REALM);
      if (!nonceAttr) return 'fail';
      const nonce = decodeText(nonceAttr.value, 'NONCE');
      const realm = realmAttr ? decodeText(realmAttr.value, 'REALM') : this.#realm;
      if (realm === undefined) return 'fail';
      const features = nonceSecurityFeatures(nonce);
      const listed = findAttribute(response, AttributeType.PASSWORD_ALGORITHMS);
      // §9.2.5: the bit says algorithms were offered but the list is gone: a bid-down, stop.
      if (features?.passwordAlgorithms && !listed) return 'fail';
      let algorithms: PasswordAlgorithmValue[] | undefined;
      let algorithm: LongTermAlgorithm = 'MD5';
      if (listed) {
        algorithms = decodePasswordAlgorithms(listed.value);
        const first = algorithms.find(
          (a) => a.algorithm === PasswordAlgorithm.MD5 || a.algorithm === PasswordAlgorithm.SHA_256,
        );
        if (!first) return 'fail';
        algorithm = first.algorithm === PasswordAlgorithm.SHA_256 ? 'SHA-256' : 'MD5';
      }
      // §9.2.5: no retry after a 401 unless the username, realm or password changes: a 401
      // for the realm we just authenticated in means the password is wrong.
      if (code === 401 && this.#lastRealm === realm) return 'fail';
      this.#realm = realm;
      this.#nonce = nonce;
      this.#algorithms = algorithms;
      this.#algorithm = algorithm;
      this.#anonymous = features?.usernameAnonymity ?? false;
      this.#key = longTermKey(this.#provider, this.username, realm, this.#password, algorithm);
      return 'retry';
    } catch {
      return 'fail';
    }
  }
}
