/**
 * STUN attribute types (RFC 8489 §18.3, RFC 8445 §16.1). 0x0000-0x7FFF are
 * comprehension-required, 0x8000-0xFFFF comprehension-optional (RFC 8489 §14).
 */
export const AttributeType = {
  MAPPED_ADDRESS: 0x0001,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  UNKNOWN_ATTRIBUTES: 0x000a,
  REALM: 0x0014,
  NONCE: 0x0015,
  MESSAGE_INTEGRITY_SHA256: 0x001c,
  PASSWORD_ALGORITHM: 0x001d,
  USERHASH: 0x001e,
  XOR_MAPPED_ADDRESS: 0x0020,
  PRIORITY: 0x0024,
  USE_CANDIDATE: 0x0025,
  PASSWORD_ALGORITHMS: 0x8002,
  ALTERNATE_DOMAIN: 0x8003,
  SOFTWARE: 0x8022,
  ALTERNATE_SERVER: 0x8023,
  FINGERPRINT: 0x8028,
  ICE_CONTROLLED: 0x8029,
  ICE_CONTROLLING: 0x802a,
} as const;

const NAMES = new Map<number, string>(
  Object.entries(AttributeType).map(([name, type]) => [type, name.replace(/_/g, '-')]),
);

/** The registry name (e.g. "XOR-MAPPED-ADDRESS"), or "0x1234" for an unknown type. */
export function attributeName(type: number): string {
  return NAMES.get(type) ?? `0x${type.toString(16).padStart(4, '0')}`;
}

export function isComprehensionRequired(type: number): boolean {
  return type < 0x8000;
}

/** Every type this package understands, for the 420 check of RFC 8489 §6.3.1. */
export const KNOWN_ATTRIBUTES: ReadonlySet<number> = new Set<number>(Object.values(AttributeType));
