import { type Reader, Writer } from '@x/wire';

/** IANA TLS ExtensionType values this stack reads or writes. */
export const ExtensionType = {
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  use_srtp: 14,
  extended_master_secret: 23,
  session_ticket: 35,
  supported_versions: 43,
  renegotiation_info: 0xff01,
} as const;

/** An extension as carried: type and opaque extension_data (a view). */
export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * RFC 5246 §7.4.1.4: extensions<0..2^16-1>, absent entirely when the message
 * ends first. Unknown types are kept (and ignored by the handshake); a type
 * appearing twice is a decode error ("MUST NOT be more than one").
 */
export function decodeExtensions(r: Reader): Extension[] {
  if (r.done) return [];
  const list = r.subReader(2, 'extensions');
  const out: Extension[] = [];
  const seen = new Set<number>();
  while (!list.done) {
    const type = list.u16('extension type');
    const data = list.vector16('extension_data');
    if (seen.has(type)) list.fail('extensions without duplicates', `type ${type} repeated`);
    seen.add(type);
    out.push({ type, data });
  }
  return out;
}

export function writeExtensions(w: Writer, extensions: readonly Extension[]): void {
  if (extensions.length === 0) return;
  w.withLength(2, (b) => {
    for (const e of extensions) b.u16(e.type).vector16(e.data);
  });
}

export function findExtension(
  extensions: readonly Extension[],
  type: number,
): Extension | undefined {
  for (const e of extensions) if (e.type === type) return e;
  return undefined;
}

/** Builds an extension body with a Writer. */
export function extension(type: number, body: (w: Writer) => void): Extension {
  const w = new Writer(32);
  body(w);
  return { type, data: w.finish() };
}
