import { Reader } from '@x/wire';
import { type Extension, ExtensionType, extension } from './extension.js';

/** RFC 8422 §5.1.2: ECPointFormat uncompressed(0), the only format we accept (compressed points are rejected). */
export const EC_POINT_FORMAT_UNCOMPRESSED = 0;

/** ECPointFormatList ec_point_format_list<1..2^8-1>. */
export function decodeEcPointFormats(data: Uint8Array): number[] {
  const r = new Reader(data);
  const list = r.vector8('ec_point_format_list');
  if (list.length === 0) r.fail('ec_point_format_list<1..2^8-1>');
  r.expectEnd('end of ec_point_formats');
  return Array.from(list);
}

export function ecPointFormatsExtension(): Extension {
  return extension(ExtensionType.ec_point_formats, (w) =>
    w.vector8(Uint8Array.of(EC_POINT_FORMAT_UNCOMPRESSED)),
  );
}
