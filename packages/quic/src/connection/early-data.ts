/**
 * 0-RTT (RFC 9000 §7.4.1, RFC 9001 §4.6): the server transport parameters a
 * client remembers with a session ticket and sends its early data under, and
 * the context a server seals into its tickets so that it accepts 0-RTT only
 * while it still offers what the client remembers.
 */
import { decodeSessionTicket, encodeSessionTicket, type SessionTicket } from '@x/tls13';
import { Reader, Writer } from '@x/wire';
import type { TransportParameters } from '../transport-parameters.js';

/** A session ticket with what 0-RTT on a later connection needs from the one that received it. */
export interface QuicSessionTicket extends SessionTicket {
  /** The server's quic_transport_parameters (encoded) on that connection (RFC 9000 §7.4.1). */
  readonly transportParameters: Uint8Array;
}

/** RFC 9001 §4.6.1: in QUIC a ticket that allows 0-RTT says max_early_data_size 0xffffffff. */
export const QUIC_MAX_EARLY_DATA = 0xffffffff;

/** §7.4.1: a server that accepts 0-RTT MUST NOT set these below the remembered values. */
export const REMEMBERED_LIMITS = [
  'activeConnectionIdLimit',
  'initialMaxData',
  'initialMaxStreamDataBidiLocal',
  'initialMaxStreamDataBidiRemote',
  'initialMaxStreamDataUni',
  'initialMaxStreamsBidi',
  'initialMaxStreamsUni',
] as const satisfies readonly (keyof TransportParameters)[];

/**
 * A server's early-data context: the limits above and those §7.4.1 lets it hold
 * the client to (max_idle_timeout, max_udp_payload_size,
 * disable_active_migration), plus max_datagram_frame_size (RFC 9221 §3).
 * Equality is stricter than §7.4.1 needs (a raised limit also refuses 0-RTT),
 * but the check then cannot be wrong; BoringSSL's QUIC early-data context
 * works the same way.
 */
export function earlyDataContext(p: TransportParameters): Uint8Array {
  const w = new Writer(64);
  for (const name of REMEMBERED_LIMITS) w.varint(p[name]);
  w.varint(p.maxIdleTimeout).varint(p.maxUdpPayloadSize);
  w.u8(p.disableActiveMigration ? 1 : 0);
  w.varint(p.maxDatagramFrameSize ?? 0);
  return w.finish();
}

/** The first remembered limit that `current` lowers (a server that accepted 0-RTT must not). */
export function loweredLimit(
  remembered: TransportParameters,
  current: TransportParameters,
): string | undefined {
  return REMEMBERED_LIMITS.find((name) => current[name] < remembered[name]);
}

/** Whether a ticket carries what 0-RTT needs (a QUIC ticket that allows it). */
export function allowsEarlyData(ticket: SessionTicket | undefined): ticket is QuicSessionTicket {
  return (
    ticket !== undefined &&
    ticket.maxEarlyData === QUIC_MAX_EARLY_DATA &&
    ((ticket as Partial<QuicSessionTicket>).transportParameters?.length ?? 0) > 0
  );
}

/**
 * A QuicSessionTicket as bytes, to keep across processes (RFC 9000 §7.4.1: the
 * transport parameters go with the ticket). Holds the resumption PSK: store it
 * as a secret.
 */
export function encodeQuicSessionTicket(t: QuicSessionTicket): Uint8Array {
  const tls = encodeSessionTicket(t);
  // 24-bit: a TLS ticket alone may be up to 2^16-1 bytes.
  const w = new Writer(5 + tls.length + t.transportParameters.length);
  return w.vector24(tls).vector16(t.transportParameters).finish();
}

/** The ticket `encodeQuicSessionTicket` wrote; DecodeError for anything else. */
export function decodeQuicSessionTicket(bytes: Uint8Array): QuicSessionTicket {
  const r = new Reader(bytes);
  const ticket = decodeSessionTicket(r.vector24('session ticket'));
  const transportParameters = r.vector16('transport parameters').slice();
  r.expectEnd();
  return { ...ticket, transportParameters };
}
