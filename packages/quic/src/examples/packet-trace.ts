/**
 * Opens the RFC 9001 Appendix A client Initial the way a server does, with
 * nothing but @x/quic: parse the header, derive the Initial keys from its
 * Destination Connection ID, remove header and packet protection, and print
 * the frames. Then answer it with a Retry and check the Retry's integrity tag.
 *
 *   node packages/quic/dist/examples/packet-trace.js
 */
import { nodeProvider } from '@x/crypto';
import { fromHex, toHex, Writer } from '@x/wire';
import {
  decodePacketPayload,
  decodeTransportParameters,
  encodeRetry,
  initialProtection,
  QUIC_V1,
  splitDatagram,
  verifyRetryIntegrity,
  writeLongHeader,
} from '../index.js';

// RFC 9001 A.2: the client Initial, sealed from its ClientHello CRYPTO frame as a client would.
const dcid = fromHex('8394c8f03e515708');
const clientHelloCrypto = fromHex(
  '060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e86804fe3a47f06a2b69484c' +
    '00000413011302010000c000000010000e00000b6578616d706c652e636f6dff01000100000a00080006' +
    '001d0017001800100007000504616c706e000500050100000000003300260024001d00209370b2c9caa4' +
    '7fbabaf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b0003020304000d0010000e040305' +
    '0306030203080408050806002d00020101001c00024001003900320408ffffffffffffffff05048000ff' +
    'ff07048000ffff0801100104800075300901100f088394c8f03e51570806048000ffff',
);
const payload = new Uint8Array(1162);
payload.set(clientHelloCrypto);
const w = new Writer(64);
const pnOffset = writeLongHeader(
  w,
  { type: 'initial', version: QUIC_V1, dcid, scid: new Uint8Array(0) },
  2,
  4,
  payload.length + 16,
);
const datagram = initialProtection(nodeProvider, dcid).client.protect(
  w.finish(),
  pnOffset,
  2,
  payload,
);
console.log(
  `client Initial    ${datagram.length} bytes, starts ${toHex(datagram.subarray(0, 22))}`,
);

// --- the server's side ---
const [header] = splitDatagram(datagram, 8);
if (!header) throw new Error('no packet');
console.log(
  `header            ${header.type} v${header.version} dcid=${toHex(header.dcid)} scid=${toHex(header.scid)}`,
);
const keys = initialProtection(nodeProvider, header.dcid);
const opened = keys.client.unprotect(
  datagram.subarray(header.start, header.end),
  header.pnOffset - header.start,
  -1,
);
if (!opened) throw new Error('Initial did not authenticate');
console.log(`packet number     ${opened.packetNumber}`);
decodePacketPayload(opened.payload, 'initial', 'server', (frame) => {
  if (frame.type === 'crypto') {
    console.log(
      `  CRYPTO          offset=${frame.offset} length=${frame.data.length} (ClientHello)`,
    );
    // The quic_transport_parameters extension closes this ClientHello.
    const tp = frame.data.subarray(frame.data.length - 0x32);
    const params = decodeTransportParameters(tp, 'client');
    console.log(
      `  transport params max_idle_timeout=${params.maxIdleTimeout} initial_max_streams_bidi=${params.initialMaxStreamsBidi}`,
    );
  } else if (frame.type === 'padding') {
    console.log(`  PADDING         ${frame.length} bytes`);
  } else {
    console.log(`  ${frame.type}`);
  }
});

const retry = encodeRetry(nodeProvider, {
  dcid: header.scid,
  scid: fromHex('f067a5502a4262b5'),
  token: new TextEncoder().encode('token'),
  originalDcid: header.dcid,
  unusedBits: 0xf,
});
console.log(`Retry             ${toHex(retry)}`);
console.log(
  `Retry tag valid   ${verifyRetryIntegrity(nodeProvider, retry, dcid)} (RFC 9001 A.4: ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba)`,
);
