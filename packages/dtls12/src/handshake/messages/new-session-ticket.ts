import { Reader, Writer } from '@x/wire';

/**
 * RFC 5077 §3.3 NewSessionTicket. A server sends it only to a client that
 * offered session_ticket; we never offer it, but parse it so a peer that sends
 * one anyway is tolerated (and ignored: no resumption here).
 */
export interface NewSessionTicket {
  readonly lifetimeHint: number;
  readonly ticket: Uint8Array;
}

export function decodeNewSessionTicket(body: Uint8Array): NewSessionTicket {
  const r = new Reader(body);
  const lifetimeHint = r.u32('ticket_lifetime_hint');
  const ticket = r.vector16('ticket');
  r.expectEnd('end of NewSessionTicket');
  return { lifetimeHint, ticket };
}

export function encodeNewSessionTicket(m: NewSessionTicket): Uint8Array {
  return new Writer(6 + m.ticket.length).u32(m.lifetimeHint).vector16(m.ticket).finish();
}
