import { DecodeError, Reader, Writer } from '@x/wire';
import { QuicError, TransportError } from './errors.js';

/** RFC 9000 §18.2 (and RFC 9221 §3) transport parameter identifiers. */
export const TransportParameterId = {
  original_destination_connection_id: 0x00,
  max_idle_timeout: 0x01,
  stateless_reset_token: 0x02,
  max_udp_payload_size: 0x03,
  initial_max_data: 0x04,
  initial_max_stream_data_bidi_local: 0x05,
  initial_max_stream_data_bidi_remote: 0x06,
  initial_max_stream_data_uni: 0x07,
  initial_max_streams_bidi: 0x08,
  initial_max_streams_uni: 0x09,
  ack_delay_exponent: 0x0a,
  max_ack_delay: 0x0b,
  disable_active_migration: 0x0c,
  preferred_address: 0x0d,
  active_connection_id_limit: 0x0e,
  initial_source_connection_id: 0x0f,
  retry_source_connection_id: 0x10,
  max_datagram_frame_size: 0x20,
} as const;

/** RFC 9000 §18.2 Figure 22. */
export interface PreferredAddress {
  /** 4 bytes; all zero when the server has no IPv4 address to offer. */
  readonly ipv4Address: Uint8Array;
  readonly ipv4Port: number;
  /** 16 bytes; all zero when the server has no IPv6 address to offer. */
  readonly ipv6Address: Uint8Array;
  readonly ipv6Port: number;
  readonly connectionId: Uint8Array;
  readonly statelessResetToken: Uint8Array;
}

/**
 * Decoded transport parameters with the §18.2 defaults filled in for absent ones.
 * Integer values above 2^53-1 ("unlimited" limits such as 2^62-1) decode as
 * Number.MAX_SAFE_INTEGER.
 */
export interface TransportParameters {
  readonly originalDestinationConnectionId?: Uint8Array;
  /** Milliseconds; 0 means no idle timeout. */
  readonly maxIdleTimeout: number;
  readonly statelessResetToken?: Uint8Array;
  readonly maxUdpPayloadSize: number;
  readonly initialMaxData: number;
  readonly initialMaxStreamDataBidiLocal: number;
  readonly initialMaxStreamDataBidiRemote: number;
  readonly initialMaxStreamDataUni: number;
  readonly initialMaxStreamsBidi: number;
  readonly initialMaxStreamsUni: number;
  readonly ackDelayExponent: number;
  /** Milliseconds. */
  readonly maxAckDelay: number;
  readonly disableActiveMigration: boolean;
  readonly preferredAddress?: PreferredAddress;
  readonly activeConnectionIdLimit: number;
  readonly initialSourceConnectionId?: Uint8Array;
  readonly retrySourceConnectionId?: Uint8Array;
  /** RFC 9221 §3: absent means DATAGRAM frames are not supported. */
  readonly maxDatagramFrameSize?: number;
}

/** RFC 9000 §18.2: the value assumed for each absent parameter. */
export const DEFAULT_TRANSPORT_PARAMETERS: TransportParameters = Object.freeze({
  maxIdleTimeout: 0,
  maxUdpPayloadSize: 65527,
  initialMaxData: 0,
  initialMaxStreamDataBidiLocal: 0,
  initialMaxStreamDataBidiRemote: 0,
  initialMaxStreamDataUni: 0,
  initialMaxStreamsBidi: 0,
  initialMaxStreamsUni: 0,
  ackDelayExponent: 3,
  maxAckDelay: 25,
  disableActiveMigration: false,
  activeConnectionIdLimit: 2,
});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type IntegerKey = {
  [K in keyof TransportParameters]-?: TransportParameters[K] extends number | undefined ? K : never;
}[keyof TransportParameters];

const ID = TransportParameterId;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const INTEGER_PARAMETERS: readonly [number, IntegerKey][] = [
  [ID.max_idle_timeout, 'maxIdleTimeout'],
  [ID.max_udp_payload_size, 'maxUdpPayloadSize'],
  [ID.initial_max_data, 'initialMaxData'],
  [ID.initial_max_stream_data_bidi_local, 'initialMaxStreamDataBidiLocal'],
  [ID.initial_max_stream_data_bidi_remote, 'initialMaxStreamDataBidiRemote'],
  [ID.initial_max_stream_data_uni, 'initialMaxStreamDataUni'],
  [ID.initial_max_streams_bidi, 'initialMaxStreamsBidi'],
  [ID.initial_max_streams_uni, 'initialMaxStreamsUni'],
  [ID.ack_delay_exponent, 'ackDelayExponent'],
  [ID.max_ack_delay, 'maxAckDelay'],
  [ID.active_connection_id_limit, 'activeConnectionIdLimit'],
  [ID.max_datagram_frame_size, 'maxDatagramFrameSize'],
];
const INTEGER_BY_ID = new Map(INTEGER_PARAMETERS);

/** RFC 9000 §18.2: parameters a client MUST NOT send. */
const SERVER_ONLY = new Set<number>([
  ID.original_destination_connection_id,
  ID.preferred_address,
  ID.retry_source_connection_id,
  ID.stateless_reset_token,
]);

function fail(reason: string, cause?: unknown): QuicError {
  return new QuicError(TransportError.TRANSPORT_PARAMETER_ERROR, reason, 0, { cause });
}

/** §18.2 limits on individual values. */
function checkInteger(key: IntegerKey, value: number): void {
  switch (key) {
    case 'maxUdpPayloadSize':
      if (value < 1200) throw fail(`max_udp_payload_size ${value} is below 1200`);
      break;
    case 'ackDelayExponent':
      if (value > 20) throw fail(`ack_delay_exponent ${value} is above 20`);
      break;
    case 'maxAckDelay':
      if (value >= 2 ** 14) throw fail(`max_ack_delay ${value} is 2^14 or more`);
      break;
    case 'activeConnectionIdLimit':
      if (value < 2) throw fail(`active_connection_id_limit ${value} is below 2`);
      break;
    case 'initialMaxStreamsBidi':
    case 'initialMaxStreamsUni':
      // §18.2 / §4.6: "If a max_streams transport parameter ... is received with a
      // value greater than 2^60 ... TRANSPORT_PARAMETER_ERROR".
      if (value > 2 ** 60) throw fail(`${key} ${value} is above 2^60`);
      break;
    default:
      break;
  }
}

function readCid(r: Reader, name: string): Uint8Array {
  if (r.remaining > 20) throw fail(`${name} longer than 20 bytes`);
  return r.rest();
}

function decodePreferredAddress(r: Reader): PreferredAddress {
  const ipv4Address = r.bytesView(4, 'IPv4 Address');
  const ipv4Port = r.u16('IPv4 Port');
  const ipv6Address = r.bytesView(16, 'IPv6 Address');
  const ipv6Port = r.u16('IPv6 Port');
  const connectionId = r.vector8('Connection ID');
  // §18.2: a zero-length (or over-long) connection ID here is a TRANSPORT_PARAMETER_ERROR.
  if (connectionId.length < 1 || connectionId.length > 20) {
    throw fail(`preferred_address connection ID of ${connectionId.length} bytes`);
  }
  const statelessResetToken = r.bytesView(16, 'Stateless Reset Token');
  r.expectEnd('end of preferred_address');
  return { ipv4Address, ipv4Port, ipv6Address, ipv6Port, connectionId, statelessResetToken };
}

/**
 * Decodes the quic_transport_parameters extension sent by `sender` (RFC 9000 §18).
 * Raises only QuicError(TRANSPORT_PARAMETER_ERROR): malformed values, values out
 * of their §18.2 ranges, a parameter sent twice (§18), or a server-only
 * parameter from a client (§18.2). Unknown and
 * reserved (31 * N + 27) parameters are ignored (§18.1).
 */
export function decodeTransportParameters(
  bytes: Uint8Array,
  sender: 'client' | 'server',
): TransportParameters {
  const out: Mutable<TransportParameters> = { ...DEFAULT_TRANSPORT_PARAMETERS };
  const seen = new Set<number>();
  const r = new Reader(bytes);
  try {
    while (!r.done) {
      const id = r.varint('Transport Parameter ID');
      const length = r.varint('Transport Parameter Length');
      const v = r.take(length, 'Transport Parameter Value');
      // §18: "An endpoint MUST NOT send a parameter more than once in a given
      // transport parameters extension ... SHOULD treat receipt of duplicate
      // transport parameters as a connection error of type TRANSPORT_PARAMETER_ERROR."
      if (seen.has(id)) throw fail(`transport parameter 0x${id.toString(16)} appears twice`);
      seen.add(id);
      if (sender === 'client' && SERVER_ONLY.has(id)) {
        throw fail(`a client sent server-only transport parameter 0x${id.toString(16)}`);
      }
      const integer = INTEGER_BY_ID.get(id);
      if (integer !== undefined) {
        // Read exactly, so limits such as 2^60 are checked on the true value; then
        // clamp to 2^53-1: as a limit, anything above that is never reached.
        const exact = v.varintBig(integer);
        v.expectEnd(`end of ${integer}`);
        if (
          (integer === 'initialMaxStreamsBidi' || integer === 'initialMaxStreamsUni') &&
          exact > 2n ** 60n
        ) {
          throw fail(`${integer} is above 2^60`);
        }
        const value = exact > MAX_SAFE ? Number.MAX_SAFE_INTEGER : Number(exact);
        checkInteger(integer, value);
        out[integer] = value;
        continue;
      }
      switch (id) {
        case ID.original_destination_connection_id:
          out.originalDestinationConnectionId = readCid(v, 'original_destination_connection_id');
          break;
        case ID.initial_source_connection_id:
          out.initialSourceConnectionId = readCid(v, 'initial_source_connection_id');
          break;
        case ID.retry_source_connection_id:
          out.retrySourceConnectionId = readCid(v, 'retry_source_connection_id');
          break;
        case ID.stateless_reset_token:
          if (v.remaining !== 16) throw fail('stateless_reset_token must be 16 bytes');
          out.statelessResetToken = v.rest();
          break;
        case ID.disable_active_migration:
          if (v.remaining !== 0) throw fail('disable_active_migration must be empty');
          out.disableActiveMigration = true;
          break;
        case ID.preferred_address:
          out.preferredAddress = decodePreferredAddress(v);
          break;
        default:
          break; // §18.1: unknown and reserved parameters are ignored.
      }
    }
  } catch (e) {
    if (e instanceof DecodeError) throw fail(e.message, e);
    throw e;
  }
  return out;
}

/**
 * Encodes transport parameters for `sender`. Parameters equal to their defaults
 * are left out, except the connection-ID parameters, which are sent whenever set.
 */
export function encodeTransportParameters(
  params: Partial<TransportParameters>,
  sender: 'client' | 'server',
): Uint8Array {
  const w = new Writer(128);
  const cid = (id: number, value: Uint8Array | undefined) => {
    if (value === undefined) return;
    if (value.length > 20) throw new RangeError('connection ID over 20 bytes');
    w.varint(id).varintVector(value);
  };
  if (sender === 'client') {
    for (const key of [
      'originalDestinationConnectionId',
      'preferredAddress',
      'retrySourceConnectionId',
      'statelessResetToken',
    ] as const) {
      if (params[key] !== undefined) throw new RangeError(`a client must not send ${key}`);
    }
  }
  cid(ID.original_destination_connection_id, params.originalDestinationConnectionId);
  cid(ID.initial_source_connection_id, params.initialSourceConnectionId);
  cid(ID.retry_source_connection_id, params.retrySourceConnectionId);
  if (params.statelessResetToken !== undefined) {
    if (params.statelessResetToken.length !== 16)
      throw new RangeError('reset token must be 16 bytes');
    w.varint(ID.stateless_reset_token).varintVector(params.statelessResetToken);
  }
  for (const [id, key] of INTEGER_PARAMETERS) {
    const value = params[key];
    if (value === undefined || value === DEFAULT_TRANSPORT_PARAMETERS[key]) continue;
    checkIntegerForEncode(key, value);
    w.varint(id).withLength({ varint: 1 }, (x) => x.varint(value));
  }
  if (params.disableActiveMigration) w.varint(ID.disable_active_migration).varint(0);
  const pa = params.preferredAddress;
  if (pa !== undefined) {
    w.varint(ID.preferred_address).withLength({ varint: 1 }, (x) => {
      x.bytes(pa.ipv4Address).u16(pa.ipv4Port).bytes(pa.ipv6Address).u16(pa.ipv6Port);
      x.vector8(pa.connectionId).bytes(pa.statelessResetToken);
    });
  }
  return w.finish().slice();
}

function checkIntegerForEncode(key: IntegerKey, value: number): void {
  try {
    checkInteger(key, value);
  } catch (e) {
    throw new RangeError((e as Error).message);
  }
}

/**
 * RFC 9000 §7.3: checks the peer's connection-ID parameters against the IDs seen
 * in Initial packets. `retrySourceConnectionId` is the SCID of the Retry the
 * client acted on (client side only; undefined when there was none).
 */
export function validateConnectionIdParameters(
  peer: TransportParameters,
  peerRole: 'client' | 'server',
  seen: {
    initialSourceConnectionId: Uint8Array;
    originalDestinationConnectionId?: Uint8Array;
    retrySourceConnectionId?: Uint8Array;
  },
): void {
  const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
    a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
  if (peer.initialSourceConnectionId === undefined)
    throw fail('initial_source_connection_id missing');
  if (!same(peer.initialSourceConnectionId, seen.initialSourceConnectionId)) {
    throw fail('initial_source_connection_id does not match the peer Source Connection ID');
  }
  if (peerRole === 'client') return;
  if (peer.originalDestinationConnectionId === undefined) {
    throw fail('original_destination_connection_id missing');
  }
  if (!same(peer.originalDestinationConnectionId, seen.originalDestinationConnectionId)) {
    throw fail('original_destination_connection_id does not match');
  }
  if (
    (peer.retrySourceConnectionId === undefined) !==
    (seen.retrySourceConnectionId === undefined)
  ) {
    throw fail('retry_source_connection_id presence does not match whether a Retry was received');
  }
  if (
    seen.retrySourceConnectionId &&
    !same(peer.retrySourceConnectionId, seen.retrySourceConnectionId)
  ) {
    throw fail('retry_source_connection_id does not match the Retry Source Connection ID');
  }
}
