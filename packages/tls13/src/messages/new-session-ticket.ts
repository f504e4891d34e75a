/** RFC 8446 §4.6.1 NewSessionTicket. */
import { Reader, Writer } from '@x/wire';
import { tlsError } from '../alerts.js';
import { type Extension, readExtensions, writeExtensions } from './extensions/types.js';
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export interface NewSessionTicket {
  readonly ticketLifetime: number;
  readonly ticketAgeAdd: number;
  readonly ticketNonce: Uint8Array;
  readonly ticket: Uint8Array;
  readonly extensions: readonly Extension[];
}

export function decodeNewSessionTicket(body: Uint8Array): NewSessionTicket {
  const r = new Reader(body);
  const ticketLifetime = r.u32('ticket_lifetime');
  const ticketAgeAdd = r.u32('ticket_age_add');
  const ticketNonce = r.vector8('ticket_nonce');
  const ticket = r.vector16('ticket');
  if (ticket.length === 0) throw tlsError('decode_error', 'empty ticket');
  const extensions = readExtensions(r);
  r.expectEnd('end of NewSessionTicket');
  // §4.6.1: servers MUST NOT use any value greater than 604800 seconds (7 days).
  if (ticketLifetime > 604800) throw tlsError('illegal_parameter', 'ticket_lifetime over 7 days');
  return { ticketLifetime, ticketAgeAdd, ticketNonce, ticket, extensions };
}

export function encodeNewSessionTicket(t: NewSessionTicket): Uint8Array {
  const w = new Writer(t.ticket.length + 32);
  w.u32(t.ticketLifetime).u32(t.ticketAgeAdd).vector8(t.ticketNonce).vector16(t.ticket);
  writeExtensions(w, t.extensions);
  return encodeHandshake(HandshakeType.new_session_ticket, w.finish());
}
