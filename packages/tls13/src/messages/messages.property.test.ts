/**
 * Every decoder on random bytes and on truncations of valid encodings raises
 * only DecodeError or TlsError; encoders round-trip.
 */
import { DecodeError } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TlsError } from '../alerts.js';
import { decodeAlert, encodeAlert } from './alert.js';
import { decodeCertificate, encodeCertificate } from './certificate.js';
import { decodeCertificateRequest, encodeCertificateRequest } from './certificate-request.js';
import { decodeCertificateVerify, encodeCertificateVerify } from './certificate-verify.js';
import { decodeClientHello, encodeClientHello } from './client-hello.js';
import { decodeEncryptedExtensions, encodeEncryptedExtensions } from './encrypted-extensions.js';
import { decodeEndOfEarlyData } from './end-of-early-data.js';
import { decodeAlpn, encodeAlpn } from './extensions/alpn.js';
import {
  decodeClientKeyShare,
  decodeHrrKeyShare,
  decodeServerKeyShare,
  encodeClientKeyShare,
} from './extensions/key-share.js';
import { decodeCookie, decodeMaxEarlyData, decodeRecordSizeLimit } from './extensions/misc.js';
import {
  decodeOfferedPsks,
  decodePskModes,
  decodeSelectedIdentity,
  encodeOfferedPsks,
} from './extensions/psk.js';
import { decodeServerName, encodeServerName } from './extensions/server-name.js';
import { decodeSignatureAlgorithms } from './extensions/signature-algorithms.js';
import { decodeSupportedGroups, encodeSupportedGroups } from './extensions/supported-groups.js';
import {
  decodeClientSupportedVersions,
  decodeServerSupportedVersion,
} from './extensions/supported-versions.js';
import type { Extension } from './extensions/types.js';
import { decodeHandshake, HandshakeJoiner } from './handshake-type.js';
import { decodeKeyUpdate } from './key-update.js';
import { decodeNewSessionTicket, encodeNewSessionTicket } from './new-session-ticket.js';
import {
  decodeServerHello,
  encodeServerHello,
  HELLO_RETRY_REQUEST_RANDOM,
  isHelloRetryRequest,
} from './server-hello.js';

const typed = (f: () => unknown): void => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DecodeError) && !(e instanceof TlsError)) throw e;
  }
};

const body = (m: Uint8Array): Uint8Array => decodeHandshake(m).body;

const decoders: [string, (b: Uint8Array) => unknown][] = [
  ['ClientHello', decodeClientHello],
  ['ServerHello', decodeServerHello],
  ['EncryptedExtensions', decodeEncryptedExtensions],
  ['Certificate', decodeCertificate],
  ['CertificateRequest', decodeCertificateRequest],
  ['CertificateVerify', decodeCertificateVerify],
  ['NewSessionTicket', decodeNewSessionTicket],
  ['KeyUpdate', decodeKeyUpdate],
  ['EndOfEarlyData', decodeEndOfEarlyData],
  ['Alert', decodeAlert],
  ['Handshake', decodeHandshake],
  ['server_name', decodeServerName],
  ['supported_groups', decodeSupportedGroups],
  ['signature_algorithms', decodeSignatureAlgorithms],
  ['supported_versions (client)', decodeClientSupportedVersions],
  ['supported_versions (server)', decodeServerSupportedVersion],
  ['key_share (client)', decodeClientKeyShare],
  ['key_share (server)', decodeServerKeyShare],
  ['key_share (HRR)', decodeHrrKeyShare],
  ['ALPN', decodeAlpn],
  ['psk_key_exchange_modes', decodePskModes],
  ['pre_shared_key (client)', decodeOfferedPsks],
  ['pre_shared_key (server)', decodeSelectedIdentity],
  ['cookie', decodeCookie],
  ['early_data', decodeMaxEarlyData],
  ['record_size_limit', decodeRecordSizeLimit],
];

const ext = fc.record({
  type: fc.integer({ min: 0, max: 0xffff }),
  data: fc.uint8Array({ maxLength: 40 }),
});
const uniqueExts = fc.uniqueArray(ext, { selector: (e) => e.type, maxLength: 6 }) as fc.Arbitrary<
  Extension[]
>;
const u16 = fc.integer({ min: 0, max: 0xffff });

describe('message decoders on arbitrary bytes', () => {
  for (const [name, decode] of decoders) {
    it(`${name}: only typed errors`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (b) => typed(() => decode(b))),
        { numRuns: 300 },
      );
    });
  }

  it('the handshake joiner reassembles any split and rejects oversized lengths with DecodeError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.array(fc.nat(104), { maxLength: 5 }),
        (payload, cuts) => {
          const msg = new Uint8Array(4 + payload.length);
          msg.set([20, 0, payload.length >> 8, payload.length & 0xff]);
          msg.set(payload, 4);
          const j = new HandshakeJoiner();
          const points = [...new Set(cuts.filter((c) => c < msg.length))].sort((a, b) => a - b);
          let prev = 0;
          for (const p of [...points, msg.length]) {
            j.push(msg.subarray(prev, p));
            prev = p;
          }
          const out = j.next();
          expect(out?.type).toBe(20);
          expect(out?.body).toEqual(payload);
        },
      ),
    );
    const j = new HandshakeJoiner();
    j.push(Uint8Array.of(1, 0xff, 0xff, 0xff));
    expect(() => j.next()).toThrow(DecodeError);
  });
});

describe('message round trips and truncations', () => {
  const clientHello = fc.record({
    legacyVersion: u16,
    random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    legacySessionId: fc.uint8Array({ maxLength: 32 }),
    cipherSuites: fc.array(u16, { minLength: 1, maxLength: 5 }),
    legacyCompressionMethods: fc.uint8Array({ minLength: 1, maxLength: 2 }),
    extensions: uniqueExts,
  });

  it('ClientHello', () => {
    fc.assert(
      fc.property(clientHello, fc.nat(), (ch, cut) => {
        const enc = encodeClientHello(ch);
        const dec = decodeClientHello(body(enc));
        expect(encodeClientHello(dec)).toEqual(enc);
        typed(() => decodeClientHello(body(enc).subarray(0, cut % body(enc).length)));
      }),
    );
  });

  it('ServerHello and HelloRetryRequest detection', () => {
    const sh = fc.record({
      legacyVersion: u16,
      random: fc.oneof(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constant(HELLO_RETRY_REQUEST_RANDOM),
      ),
      legacySessionIdEcho: fc.uint8Array({ maxLength: 32 }),
      cipherSuite: u16,
      legacyCompressionMethod: fc.integer({ min: 0, max: 255 }),
      extensions: uniqueExts,
    });
    fc.assert(
      fc.property(sh, fc.nat(), (m, cut) => {
        const enc = encodeServerHello(m);
        const dec = decodeServerHello(body(enc));
        expect(encodeServerHello(dec)).toEqual(enc);
        expect(isHelloRetryRequest(dec)).toBe(m.random === HELLO_RETRY_REQUEST_RANDOM);
        typed(() => decodeServerHello(body(enc).subarray(0, cut % body(enc).length)));
      }),
    );
  });

  it('EncryptedExtensions, CertificateRequest, CertificateVerify, Certificate, NewSessionTicket', () => {
    fc.assert(
      fc.property(
        uniqueExts,
        fc.uint8Array({ maxLength: 10 }),
        u16,
        fc.uint8Array({ maxLength: 100 }),
        fc.nat(),
        (exts, ctx, scheme, sig, cut) => {
          const ee = encodeEncryptedExtensions(exts);
          expect(encodeEncryptedExtensions(decodeEncryptedExtensions(body(ee)))).toEqual(ee);
          const cr = encodeCertificateRequest({ context: ctx, extensions: exts });
          expect(encodeCertificateRequest(decodeCertificateRequest(body(cr)))).toEqual(cr);
          const cv = encodeCertificateVerify({ scheme, signature: sig });
          expect(encodeCertificateVerify(decodeCertificateVerify(body(cv)))).toEqual(cv);
          const cert = encodeCertificate({
            context: ctx,
            entries: sig.length > 0 ? [{ certData: sig, extensions: exts }] : [],
          });
          expect(encodeCertificate(decodeCertificate(body(cert)))).toEqual(cert);
          const nst = encodeNewSessionTicket({
            ticketLifetime: 3600,
            ticketAgeAdd: scheme * 7,
            ticketNonce: ctx,
            ticket: Uint8Array.of(1, ...sig),
            extensions: exts,
          });
          expect(encodeNewSessionTicket(decodeNewSessionTicket(body(nst)))).toEqual(nst);
          for (const [m, d] of [
            [ee, decodeEncryptedExtensions],
            [cr, decodeCertificateRequest],
            [cv, decodeCertificateVerify],
            [cert, decodeCertificate],
            [nst, decodeNewSessionTicket],
          ] as const) {
            const b = body(m);
            if (b.length > 0)
              typed(() => (d as (x: Uint8Array) => unknown)(b.subarray(0, cut % b.length)));
          }
        },
      ),
    );
  });

  it('extensions: server_name, groups, key_share, ALPN, pre_shared_key, alert', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9.-]{1,40}$/),
        fc.array(u16, { minLength: 1, maxLength: 8 }),
        fc.uniqueArray(
          fc.record({ group: u16, keyExchange: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
          { selector: (e) => e.group, maxLength: 3 },
        ),
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }),
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        (host, groups, shares, alpn, identity) => {
          expect(decodeServerName(encodeServerName(host))).toBe(host);
          expect(decodeSupportedGroups(encodeSupportedGroups(groups))).toEqual(groups);
          expect(decodeClientKeyShare(encodeClientKeyShare(shares))).toEqual(shares);
          expect(decodeAlpn(encodeAlpn(alpn))).toEqual(alpn);
          const psks = {
            identities: [{ identity, obfuscatedTicketAge: 12345 }],
            binders: [new Uint8Array(32).fill(7)],
          };
          expect(decodeOfferedPsks(encodeOfferedPsks(psks))).toEqual(psks);
          expect(decodeAlert(encodeAlert({ level: 2, description: 40 }))).toEqual({
            level: 2,
            description: 40,
          });
        },
      ),
    );
  });
});
