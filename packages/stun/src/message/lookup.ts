/**
 * Looking attributes up the way a receiver must (RFC 8489 §9, §6.3): first
 * occurrence only, nothing after the integrity attributes but what may follow them.
 */
import { AttributeType, isComprehensionRequired, KNOWN_ATTRIBUTES } from './attributes/types.js';
import type { StunAttribute, StunMessage } from './message.js';

/**
 * The first occurrence of `type` that RFC 8489 §9 lets a receiver look at:
 * after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count,
 * after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT.
 */
export function findAttribute<A extends StunAttribute>(
  message: { readonly attributes: readonly A[] },
  type: number,
): A | undefined {
  let after = 0; // 0: no integrity yet, 1: after MESSAGE-INTEGRITY, 2: after -SHA256
  for (const a of message.attributes) {
    const t = a.type;
    if (
      after === 1 &&
      t !== AttributeType.MESSAGE_INTEGRITY_SHA256 &&
      t !== AttributeType.FINGERPRINT
    )
      continue;
    if (after === 2 && t !== AttributeType.FINGERPRINT) continue;
    if (t === type) return a;
    if (t === AttributeType.MESSAGE_INTEGRITY && after === 0) after = 1;
    else if (t === AttributeType.MESSAGE_INTEGRITY_SHA256) after = 2;
  }
  return undefined;
}

/**
 * Comprehension-required attribute types (0x0000-0x7FFF) this package does not
 * know (nor `alsoKnown`, e.g. a TURN client's attributes), each
 * once, in order: what a server lists in UNKNOWN-ATTRIBUTES with a 420 (§6.3.1).
 * Attributes a receiver must ignore (after MESSAGE-INTEGRITY) are not counted.
 */
export function unknownComprehensionRequired(
  message: StunMessage,
  alsoKnown?: ReadonlySet<number>,
): number[] {
  const out: number[] = [];
  for (const a of message.attributes) {
    if (
      isComprehensionRequired(a.type) &&
      !KNOWN_ATTRIBUTES.has(a.type) &&
      !alsoKnown?.has(a.type) &&
      !out.includes(a.type)
    ) {
      if (findAttribute(message, a.type) === a) out.push(a.type);
    }
  }
  return out;
}
