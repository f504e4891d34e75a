/**
 * A SessionTicket as bytes, so a client can keep it across processes (a file,
 * a cache) and resume, or send 0-RTT, on its next start. The bytes hold the
 * resumption PSK: store them as a secret (the file mode, the cache's access).
 */
import { defaultProvider } from '@x/crypto';
import { constantTimeEqual, DecodeError, Reader, Writer } from '@x/wire';
import type { SessionTicket } from './tickets.js';

/** Bumped if the layout changes; older bytes then fail to decode rather than mislead. */
const FORMAT = 1;
/**
 * A SHA-256 prefix over the rest: a damaged file must fail to decode (a full
 * handshake follows) rather than offer a PSK whose binder then fails the
 * handshake with decrypt_error. Not a MAC: integrity against accidents only.
 */
const CHECK = 8;
const check = (body: Uint8Array) => defaultProvider.hash('SHA-256', body).subarray(0, CHECK);
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function optionalString(w: Writer, s: string | undefined): void {
  if (s === undefined) w.u8(0);
  else w.u8(1).vector8(encoder.encode(s));
}

function readOptionalString(r: Reader, what: string): string | undefined {
  const present = r.u8(`${what} flag`);
  if (present === 0) return undefined;
  if (present !== 1) r.fail(`${what} flag 0 or 1`, `got ${present}`);
  try {
    return decoder.decode(r.vector8(what));
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    return r.fail(`UTF-8 ${what}`);
  }
}

export function encodeSessionTicket(t: SessionTicket): Uint8Array {
  const w = new Writer(64 + t.ticket.length + t.psk.length);
  w.u8(FORMAT).u16(t.suite).vector16(t.ticket).vector8(t.psk);
  w.u32(t.ticketAgeAdd)
    .u32(t.lifetime)
    .u48(Math.max(0, Math.floor(t.receivedAt)));
  w.u32(t.maxEarlyData);
  optionalString(w, t.alpn);
  optionalString(w, t.serverName);
  const body = w.finish();
  const out = new Uint8Array(body.length + CHECK);
  out.set(body);
  out.set(check(body), body.length);
  return out;
}

/** The ticket `encodeSessionTicket` wrote; DecodeError for anything else. */
export function decodeSessionTicket(bytes: Uint8Array): SessionTicket {
  if (bytes.length < 1 + CHECK) throw new DecodeError('session ticket', 0, 'too short');
  const body = bytes.subarray(0, bytes.length - CHECK);
  if (!constantTimeEqual(check(body), bytes.subarray(body.length)))
    throw new DecodeError('session ticket checksum', body.length, 'damaged');
  const r = new Reader(body);
  const format = r.u8('format');
  if (format !== FORMAT) r.fail(`session ticket format ${FORMAT}`, `got ${format}`);
  const suite = r.u16('suite');
  const ticket = r.vector16('ticket').slice();
  if (ticket.length === 0) r.fail('a non-empty ticket');
  const psk = r.vector8('psk').slice();
  if (psk.length === 0) r.fail('a non-empty psk');
  const t: SessionTicket = {
    suite,
    ticket,
    psk,
    ticketAgeAdd: r.u32('ticket_age_add'),
    lifetime: r.u32('lifetime'),
    receivedAt: r.u48('received at'),
    maxEarlyData: r.u32('max_early_data'),
    alpn: readOptionalString(r, 'alpn'),
    serverName: readOptionalString(r, 'server name'),
  };
  r.expectEnd();
  return t;
}
