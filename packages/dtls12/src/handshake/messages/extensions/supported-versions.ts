import { Reader } from '@x/wire';

/**
 * RFC 8446 §4.2.1 ClientHello form: ProtocolVersion versions<2..254>.
 * Chromium offers DTLS 1.3 (0xfefc) and DTLS 1.2 (0xfefd) here; a DTLS 1.2
 * server reads it only to know 1.2 is acceptable, and answers with a plain
 * 1.2 ServerHello without the extension (RFC 8446 §4.2.1: a 1.2 server
 * ignores it; the client then falls back).
 */
export function decodeSupportedVersions(data: Uint8Array): number[] {
  const r = new Reader(data);
  const list = r.vector8('versions');
  if (list.length < 2 || list.length % 2 !== 0) r.fail('versions<2..254> of uint16');
  r.expectEnd('end of supported_versions');
  const out: number[] = [];
  for (let i = 0; i < list.length; i += 2) out.push((list[i]! << 8) | list[i + 1]!);
  return out;
}
