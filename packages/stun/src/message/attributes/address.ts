/**
 * MAPPED-ADDRESS, XOR-MAPPED-ADDRESS and ALTERNATE-SERVER (RFC 8489 §14.1,
 * §14.2, §14.15): family, port and a 4- or 16-byte address; the XOR form
 * obfuscates it with the magic cookie (and, for IPv6, the transaction ID).
 */
import { formatIpAddress, parseIpAddress } from '@x/crypto';
import { DecodeError, type SocketAddress } from '@x/wire';
import { MAGIC_COOKIE } from '../header.js';

const FAMILY_IPV4 = 0x01;
const FAMILY_IPV6 = 0x02;

const COOKIE = Uint8Array.of(
  MAGIC_COOKIE >>> 24,
  (MAGIC_COOKIE >>> 16) & 0xff,
  (MAGIC_COOKIE >>> 8) & 0xff,
  MAGIC_COOKIE & 0xff,
);

/** The 4 or 16 address bytes of an IP literal; a zone suffix ("%eth0") is dropped. */
export function ipBytes(address: string): Uint8Array {
  const zone = address.indexOf('%');
  const bytes = parseIpAddress(zone >= 0 ? address.slice(0, zone) : address);
  if (!bytes) throw new RangeError(`not an IP address: ${address}`);
  return bytes;
}

function decode(value: Uint8Array, mask: Uint8Array | undefined): SocketAddress {
  if (value.length < 4) {
    throw new DecodeError(
      'address attribute',
      value.length,
      'an address attribute is at least 4 bytes',
    );
  }
  // RFC 8489 §14.1: the first byte MUST be ignored by receivers.
  const family = value[1]!;
  const size = family === FAMILY_IPV4 ? 4 : family === FAMILY_IPV6 ? 16 : 0;
  if (size === 0) throw new DecodeError('address family', 1, `unknown address family ${family}`);
  if (value.length !== 4 + size) {
    throw new DecodeError(
      'address attribute',
      value.length,
      `a ${family === 1 ? 'IPv4' : 'IPv6'} address attribute is ${4 + size} bytes, not ${value.length}`,
    );
  }
  let port = (value[2]! << 8) | value[3]!;
  const ip = value.slice(4, 4 + size);
  if (mask) {
    port ^= MAGIC_COOKIE >>> 16;
    for (let i = 0; i < size; i++) ip[i]! ^= mask[i]!;
  }
  return { address: formatIpAddress(ip), port, family: size === 4 ? 'IPv4' : 'IPv6' };
}

function encode(address: SocketAddress, mask: Uint8Array | undefined): Uint8Array {
  const ip = ipBytes(address.address);
  if (!Number.isInteger(address.port) || address.port < 0 || address.port > 0xffff) {
    throw new RangeError(`port must be 0..65535, not ${address.port}`);
  }
  const out = new Uint8Array(4 + ip.length);
  out[1] = ip.length === 4 ? FAMILY_IPV4 : FAMILY_IPV6;
  const port = mask ? address.port ^ (MAGIC_COOKIE >>> 16) : address.port;
  out[2] = port >>> 8;
  out[3] = port & 0xff;
  for (let i = 0; i < ip.length; i++) out[4 + i] = mask ? ip[i]! ^ mask[i]! : ip[i]!;
  return out;
}

/** RFC 8489 §14.2: magic cookie, then (for IPv6) the transaction ID. */
function xorMask(transactionId: Uint8Array): Uint8Array {
  const mask = new Uint8Array(16);
  mask.set(COOKIE, 0);
  mask.set(transactionId.subarray(0, 12), 4);
  return mask;
}

/** MAPPED-ADDRESS or ALTERNATE-SERVER value. */
export function decodeAddress(value: Uint8Array): SocketAddress {
  return decode(value, undefined);
}

export function encodeAddress(address: SocketAddress): Uint8Array {
  return encode(address, undefined);
}

/** XOR-MAPPED-ADDRESS value; the transaction ID is the message's. */
export function decodeXorAddress(value: Uint8Array, transactionId: Uint8Array): SocketAddress {
  return decode(value, xorMask(transactionId));
}

export function encodeXorAddress(address: SocketAddress, transactionId: Uint8Array): Uint8Array {
  return encode(address, xorMask(transactionId));
}
