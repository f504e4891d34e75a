import type { EcdheGroup } from '@x/crypto';
import { Reader } from '@x/wire';
import { type Extension, ExtensionType, extension } from './extension.js';

/** RFC 8422 §5.1.1 / RFC 7748: NamedGroup code points for the groups we support. */
export const NamedGroup = { secp256r1: 23, secp384r1: 24, x25519: 29 } as const;

const TO_GROUP = new Map<number, EcdheGroup>([
  [NamedGroup.x25519, 'x25519'],
  [NamedGroup.secp256r1, 'P-256'],
  [NamedGroup.secp384r1, 'P-384'],
]);
const FROM_GROUP: Readonly<Record<EcdheGroup, number>> = {
  x25519: NamedGroup.x25519,
  'P-256': NamedGroup.secp256r1,
  'P-384': NamedGroup.secp384r1,
};

export const groupFromCode = (code: number): EcdheGroup | undefined => TO_GROUP.get(code);
export const groupCode = (group: EcdheGroup): number => FROM_GROUP[group];

/** NamedGroupList named_group_list<2..2^16-1> (RFC 8422 §5.1.1). */
export function decodeSupportedGroups(data: Uint8Array): number[] {
  const r = new Reader(data);
  const list = r.subReader(2, 'named_group_list');
  if (list.remaining < 2 || list.remaining % 2 !== 0)
    r.fail('named_group_list<2..2^16-1> of uint16');
  const out: number[] = [];
  while (!list.done) out.push(list.u16('NamedGroup'));
  r.expectEnd('end of supported_groups');
  return out;
}

export function supportedGroupsExtension(codes: readonly number[]): Extension {
  return extension(ExtensionType.supported_groups, (w) =>
    w.withLength(2, (b) => {
      for (const c of codes) b.u16(c);
    }),
  );
}
