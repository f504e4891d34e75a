import { Reader, Writer } from '@x/wire';

/** RFC 6347 §4.2.1: server_version, opaque cookie<0..2^8-1>. */
export interface HelloVerifyRequest {
  readonly serverVersion: number;
  readonly cookie: Uint8Array;
}

export function decodeHelloVerifyRequest(body: Uint8Array): HelloVerifyRequest {
  const r = new Reader(body);
  const serverVersion = r.u16('server_version');
  const cookie = r.vector8('cookie');
  r.expectEnd('end of HelloVerifyRequest');
  return { serverVersion, cookie };
}

export function encodeHelloVerifyRequest(m: HelloVerifyRequest): Uint8Array {
  return new Writer(3 + m.cookie.length).u16(m.serverVersion).vector8(m.cookie).finish();
}
