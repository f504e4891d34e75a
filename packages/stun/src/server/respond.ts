/**
 * Building responses to a request (RFC 8489 §6.3.1.1): same method and
 * transaction ID, success or error class, SOFTWARE if configured, optional
 * integrity and FINGERPRINT.
 */

import { reasonPhrase } from '../errors.js';
import { encodeErrorCode } from '../message/attributes/error-code.js';
import { AttributeType } from '../message/attributes/types.js';
import { encodeUnknownAttributes } from '../message/attributes/unknown-attributes.js';
import type { EncodeOptions, StunAttribute } from '../message/message.js';
import { encodeMessage } from '../message/message.js';

export interface RequestIdentity {
  readonly method: number;
  readonly transactionId: Uint8Array;
}

export function successResponse(
  request: RequestIdentity,
  attributes: readonly StunAttribute[],
  options: EncodeOptions,
): Uint8Array {
  return encodeMessage(
    { method: request.method, class: 'success', transactionId: request.transactionId, attributes },
    options,
  );
}

/** An error response with ERROR-CODE (and UNKNOWN-ATTRIBUTES for a 420). */
export function errorResponse(
  request: RequestIdentity,
  code: number,
  options: EncodeOptions,
  extra: {
    readonly unknown?: readonly number[];
    readonly software?: Uint8Array;
    /** Further attributes, e.g. REALM and NONCE of a 401 (RFC 8489 §9.2.4). */
    readonly extra?: readonly StunAttribute[];
  } = {},
): Uint8Array {
  const attributes: StunAttribute[] = [];
  if (extra.software) attributes.push({ type: AttributeType.SOFTWARE, value: extra.software });
  attributes.push({
    type: AttributeType.ERROR_CODE,
    value: encodeErrorCode(code, reasonPhrase(code)),
  });
  if (extra.unknown && extra.unknown.length > 0) {
    attributes.push({
      type: AttributeType.UNKNOWN_ATTRIBUTES,
      value: encodeUnknownAttributes(extra.unknown),
    });
  }
  if (extra.extra) attributes.push(...extra.extra);
  return encodeMessage(
    { method: request.method, class: 'error', transactionId: request.transactionId, attributes },
    options,
  );
}
