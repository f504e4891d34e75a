/**
 * Demo: protect and unprotect a QUIC v1 Initial packet with nothing but
 * @x/wire and @x/crypto, following RFC 9001 §5 and its Appendix A.
 *
 *   node packages/crypto/dist/examples/quic-initial.js [--provider noble|node]
 */
import { fromHex, Reader, toHex, Writer } from '@x/wire';
import {
  type CryptoProvider,
  createRecordProtector,
  getCipherSuite,
  hkdfExpandLabel,
  hkdfExtract,
  nobleProvider,
  nodeProvider,
} from '../index.js';

// RFC 9001 §5.2: the QUIC v1 Initial salt, and the Destination Connection ID of Appendix A.
const INITIAL_SALT = fromHex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
const DCID = fromHex('8394c8f03e515708');
const none = new Uint8Array(0);

const provider: CryptoProvider = process.argv.includes('noble') ? nobleProvider : nodeProvider;
const suite = getCipherSuite('tls13', 0x1301)!; // TLS_AES_128_GCM_SHA256 protects every Initial

function initialKeys(label: 'client in' | 'server in') {
  const initialSecret = hkdfExtract(provider, 'SHA-256', INITIAL_SALT, DCID);
  const secret = hkdfExpandLabel(provider, 'SHA-256', initialSecret, label, none, 32);
  return {
    key: hkdfExpandLabel(provider, 'SHA-256', secret, 'quic key', none, 16),
    iv: hkdfExpandLabel(provider, 'SHA-256', secret, 'quic iv', none, 12),
    hp: hkdfExpandLabel(provider, 'SHA-256', secret, 'quic hp', none, 16),
  };
}

const client = initialKeys('client in');
console.log(`provider          ${provider.name}`);
console.log(
  `client key        ${toHex(client.key)}   (RFC 9001 A.1: 1f369613dd76d5467730efcbe3b1a22d)`,
);
console.log(
  `client iv         ${toHex(client.iv)}           (RFC 9001 A.1: fa044b2f42a3fd3b46fb255c)`,
);
console.log(
  `client hp         ${toHex(client.hp)}   (RFC 9001 A.1: 9f50449e04a0e810283a1e9933adedd2)`,
);

// A client Initial carrying a PING frame, padded to the 1200-byte minimum (RFC 9000 §14.1).
const packetNumber = 2;
// 22-byte header + 1162-byte payload + 16-byte tag = 1200, as in RFC 9001 A.2.
const payload = new Uint8Array(1200 - 22 - 16);
payload[0] = 0x01; // PING; the rest are PADDING frames (0x00)
const header = new Writer(32)
  .u8(0xc3) // long header, fixed bit, Initial, 4-byte packet number
  .u32(0x00000001) // version 1
  .vector8(DCID)
  .vector8(none) // empty Source Connection ID
  .varint(0) // no token
  .varint(4 + payload.length + suite.aead.tagLength, 2)
  .u32(packetNumber)
  .finish()
  .slice();
const pnOffset = header.length - 4;

const sealer = createRecordProtector(provider, suite.aead, client.key, client.iv);
const body = sealer.seal(packetNumber, header, payload);
// RFC 9001 §5.4.2: the sample starts 4 bytes after the start of the packet number
// field; with a 4-byte packet number that is the first byte of the sealed body.
const mask = provider.aesBlock(client.hp).encryptBlock(body.subarray(0, 16));
const packet = new Uint8Array(header.length + body.length);
packet.set(header);
packet.set(body, header.length);
packet[0]! ^= mask[0]! & 0x0f;
for (let i = 0; i < 4; i++) packet[pnOffset + i]! ^= mask[1 + i]!;
console.log(`protected packet  ${packet.length} bytes: ${toHex(packet.subarray(0, 32))}...`);

// The server's side: parse the header, remove header protection, open the payload.
const r = new Reader(packet);
const first = r.u8();
const version = r.u32();
const dcid = r.vector8();
r.vector8(); // SCID
r.bytesView(r.varint()); // token
const length = r.varint();
const pnStart = r.offset;
const sample = packet.subarray(pnStart + 4, pnStart + 20);
const unmask = provider.aesBlock(initialKeys('client in').hp).encryptBlock(sample);
const plainFirst = first ^ (unmask[0]! & 0x0f);
const pnLength = (plainFirst & 0x03) + 1;
const plainHeader = packet.slice(0, pnStart + pnLength);
plainHeader[0] = plainFirst;
let pn = 0;
for (let i = 0; i < pnLength; i++) {
  plainHeader[pnStart + i]! ^= unmask[1 + i]!;
  pn = pn * 256 + plainHeader[pnStart + i]!;
}
const opener = createRecordProtector(provider, suite.aead, client.key, client.iv);
const opened = opener.open(pn, plainHeader, packet.subarray(pnStart + pnLength, pnStart + length));
console.log(`server parsed     version=${version.toString(16)} dcid=${toHex(dcid)} pn=${pn}`);
if (opened === null || opened[0] !== 0x01 || opened.length !== payload.length) {
  console.error('FAILED: the packet did not open to the PING + PADDING payload');
  process.exit(1);
}
console.log(
  `opened payload    ${opened.length} bytes, first frame 0x${opened[0]!.toString(16).padStart(2, '0')} (PING): OK`,
);
