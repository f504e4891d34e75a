import { DecodeError } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCertificate, encodeCertificate } from './certificate.js';
import { decodeCertificateRequest, encodeCertificateRequest } from './certificate-request.js';
import { decodeCertificateVerify, encodeCertificateVerify } from './certificate-verify.js';
import { type ClientHello, decodeClientHello, encodeClientHello } from './client-hello.js';
import { decodeClientKeyExchange, encodeClientKeyExchange } from './client-key-exchange.js';
import { decodeEcPointFormats, ecPointFormatsExtension } from './extensions/ec-point-formats.js';
import { decodeExtendedMasterSecret } from './extensions/extended-master-secret.js';
import {
  decodeRenegotiationInfo,
  renegotiationInfoExtension,
} from './extensions/renegotiation-info.js';
import {
  decodeSignatureAlgorithms,
  signatureAlgorithmsExtension,
} from './extensions/signature-algorithms.js';
import { decodeSupportedGroups, supportedGroupsExtension } from './extensions/supported-groups.js';
import { decodeSupportedVersions } from './extensions/supported-versions.js';
import { decodeUseSrtp, useSrtpExtension } from './extensions/use-srtp.js';
import { decodeFinished, encodeFinished } from './finished.js';
import { decodeHandshakeFragments, encodeHandshakeMessage } from './handshake-header.js';
import { decodeHelloVerifyRequest, encodeHelloVerifyRequest } from './hello-verify-request.js';
import { decodeNewSessionTicket, encodeNewSessionTicket } from './new-session-ticket.js';
import { decodeServerHello, encodeServerHello } from './server-hello.js';
import { decodeServerHelloDone } from './server-hello-done.js';
import { decodeServerKeyExchange, encodeServerKeyExchange } from './server-key-exchange.js';

const bytes = (max: number, min = 0) => fc.uint8Array({ minLength: min, maxLength: max });
const u16 = fc.integer({ min: 0, max: 0xffff });
const ext = fc.record({ type: u16, data: bytes(20) });
const extList = fc.uniqueArray(ext, { selector: (e) => e.type, maxLength: 5 });

/** Each decoder with an arbitrary of valid values, its encoder, and the decoded form to compare. */
const codecs: {
  name: string;
  decode: (b: Uint8Array) => unknown;
  valid: fc.Arbitrary<Uint8Array>;
}[] = [
  {
    name: 'ClientHello',
    decode: decodeClientHello,
    valid: fc
      .record({
        clientVersion: u16,
        random: bytes(32, 32),
        sessionId: bytes(32),
        cookie: bytes(255),
        cipherSuites: fc.array(u16, { minLength: 1, maxLength: 10 }),
        compressionMethods: bytes(3, 1),
        extensions: extList,
      })
      .map((m) => encodeClientHello(m)),
  },
  {
    name: 'HelloVerifyRequest',
    decode: decodeHelloVerifyRequest,
    valid: fc.record({ serverVersion: u16, cookie: bytes(255) }).map(encodeHelloVerifyRequest),
  },
  {
    name: 'ServerHello',
    decode: decodeServerHello,
    valid: fc
      .record({
        serverVersion: u16,
        random: bytes(32, 32),
        sessionId: bytes(32),
        cipherSuite: u16,
        compressionMethod: fc.constant(0),
        extensions: extList,
      })
      .map(encodeServerHello),
  },
  {
    name: 'Certificate',
    decode: decodeCertificate,
    valid: fc.array(bytes(50, 1), { maxLength: 4 }).map(encodeCertificate),
  },
  {
    name: 'ServerKeyExchange',
    decode: decodeServerKeyExchange,
    valid: fc
      .record({
        namedCurve: u16,
        publicKey: bytes(97, 1),
        signatureScheme: u16,
        signature: bytes(80),
      })
      .map(encodeServerKeyExchange),
  },
  {
    name: 'CertificateRequest',
    decode: decodeCertificateRequest,
    valid: fc
      .record({
        certificateTypes: bytes(4, 1),
        signatureSchemes: fc.array(u16, { minLength: 1, maxLength: 8 }),
        certificateAuthorities: fc.array(bytes(20, 1), { maxLength: 3 }),
      })
      .map(encodeCertificateRequest),
  },
  {
    name: 'ClientKeyExchange',
    decode: decodeClientKeyExchange,
    valid: bytes(97, 1).map(encodeClientKeyExchange),
  },
  {
    name: 'CertificateVerify',
    decode: decodeCertificateVerify,
    valid: fc.record({ signatureScheme: u16, signature: bytes(80) }).map(encodeCertificateVerify),
  },
  { name: 'Finished', decode: decodeFinished, valid: bytes(12, 12).map(encodeFinished) },
  {
    name: 'NewSessionTicket',
    decode: decodeNewSessionTicket,
    valid: fc.record({ lifetimeHint: fc.nat(), ticket: bytes(60) }).map(encodeNewSessionTicket),
  },
  { name: 'ServerHelloDone', decode: decodeServerHelloDone, valid: fc.constant(new Uint8Array(0)) },
  {
    name: 'handshake fragments',
    decode: decodeHandshakeFragments,
    valid: fc
      .tuple(fc.integer({ min: 0, max: 255 }), u16, bytes(40))
      .map(([t, s, b]) => encodeHandshakeMessage(t, s, b)),
  },
  {
    name: 'supported_groups',
    decode: decodeSupportedGroups,
    valid: fc
      .array(u16, { minLength: 1, maxLength: 6 })
      .map((l) => supportedGroupsExtension(l).data),
  },
  {
    name: 'ec_point_formats',
    decode: decodeEcPointFormats,
    valid: fc.constant(ecPointFormatsExtension().data),
  },
  {
    name: 'signature_algorithms',
    decode: decodeSignatureAlgorithms,
    valid: fc
      .array(u16, { minLength: 1, maxLength: 6 })
      .map((l) => signatureAlgorithmsExtension(l).data),
  },
  {
    name: 'use_srtp',
    decode: decodeUseSrtp,
    valid: fc
      .record({ profiles: fc.array(u16, { minLength: 1, maxLength: 4 }), mki: bytes(10) })
      .map((d) => useSrtpExtension(d).data),
  },
  {
    name: 'renegotiation_info',
    decode: decodeRenegotiationInfo,
    valid: fc.constant(renegotiationInfoExtension().data),
  },
  {
    name: 'extended_master_secret',
    decode: decodeExtendedMasterSecret,
    valid: fc.constant(new Uint8Array(0)),
  },
  {
    name: 'supported_versions',
    decode: decodeSupportedVersions,
    valid: fc.constant(Uint8Array.of(4, 0xfe, 0xfc, 0xfe, 0xfd)),
  },
];

function onlyDecodeError(decode: (b: Uint8Array) => unknown, input: Uint8Array): void {
  try {
    decode(input);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
}

describe('handshake message and extension decoders (fast-check)', () => {
  for (const c of codecs) {
    it(`${c.name}: arbitrary bytes and truncations raise only DecodeError; valid encodings decode`, () => {
      fc.assert(
        fc.property(bytes(300), (b) => onlyDecodeError(c.decode, b)),
        { numRuns: 300 },
      );
      fc.assert(
        fc.property(c.valid, fc.nat(), (valid, cut) => {
          c.decode(valid); // must not throw on a valid encoding
          if (valid.length > 0) {
            const t = valid.subarray(0, cut % valid.length);
            onlyDecodeError(c.decode, t);
          }
        }),
        { numRuns: 200 },
      );
    });
  }

  it('round-trips ClientHello, ServerHello and ServerKeyExchange field by field', () => {
    fc.assert(
      fc.property(
        fc.record({
          clientVersion: u16,
          random: bytes(32, 32),
          sessionId: bytes(32),
          cookie: bytes(255),
          cipherSuites: fc.array(u16, { minLength: 1, maxLength: 10 }),
          compressionMethods: bytes(3, 1),
          extensions: extList,
        }),
        (m: ClientHello) => {
          const d = decodeClientHello(encodeClientHello(m));
          expect({ ...d, random: Array.from(d.random) }).toEqual({
            ...m,
            random: Array.from(m.random),
          });
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.record({
          namedCurve: u16,
          publicKey: bytes(97, 1),
          signatureScheme: u16,
          signature: bytes(80),
        }),
        (m) => {
          expect(decodeServerKeyExchange(encodeServerKeyExchange(m))).toEqual(m);
        },
      ),
    );
  });

  it('use_srtp carries profiles and the MKI (RFC 5764 §4.1.1)', () => {
    // RFC 5764 §4.1.1 / §4.1.2: SRTP_AES128_CM_HMAC_SHA1_80 = {0x00,0x01}, SRTP_AEAD_AES_128_GCM = {0x00,0x07} (RFC 7714 §14.2).
    const data = useSrtpExtension({ profiles: [7, 1], mki: Uint8Array.of(0xaa, 0xbb) }).data;
    expect(Array.from(data)).toEqual([0, 4, 0, 7, 0, 1, 2, 0xaa, 0xbb]);
    expect(decodeUseSrtp(data)).toEqual({ profiles: [7, 1], mki: Uint8Array.of(0xaa, 0xbb) });
    expect(() => decodeUseSrtp(Uint8Array.of(0, 3, 0, 7, 0, 0))).toThrow(DecodeError); // odd list length
  });

  it('extension lists with a repeated type are refused (RFC 5246 §7.4.1.4)', () => {
    const hello = encodeClientHello({
      clientVersion: 0xfefd,
      random: new Uint8Array(32),
      sessionId: new Uint8Array(0),
      cookie: new Uint8Array(0),
      cipherSuites: [0xc02b],
      compressionMethods: Uint8Array.of(0),
      extensions: [
        { type: 23, data: new Uint8Array(0) },
        { type: 23, data: new Uint8Array(0) },
      ],
    });
    expect(() => decodeClientHello(hello)).toThrow(DecodeError);
  });
});
