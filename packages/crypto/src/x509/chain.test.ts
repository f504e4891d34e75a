import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { testProviders } from '../providers/test-providers.js';
import { type Certificate, parseCertificate, parseCertificatesPem } from './certificate.js';
import { verifyChain } from './chain.js';
import { createSelfSignedCertificate } from './self-signed.js';
import {
  CA_EXTENSIONS,
  generateKey,
  issue,
  opensslStatus,
  selfSign,
  Workdir,
} from './testing/openssl.js';

const dir = new Workdir();
afterAll(() => dir.dispose());

const LEAF_EXTENSIONS = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=serverAuth',
  'subjectAltName=DNS:example.test,DNS:*.wild.example.test,IP:127.0.0.1,IP:::1',
];

// root (P-384, SHA-384) -> intermediate (RSA-2048, pathlen 0) -> leaf (P-256),
// so every path mixes the signature algorithms a real chain has.
generateKey(dir, 'root', 'P-384');
selfSign(dir, 'root', {
  subject: '/O=X509 Test/CN=Test Root',
  days: 3650,
  digest: 'sha384',
  extensions: CA_EXTENSIONS,
});
generateKey(dir, 'inter', 'rsa2048');
issue(dir, 'inter', 'root', {
  subject: '/O=X509 Test/CN=Test Intermediate',
  days: 3650,
  extensions: [
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    'keyUsage=critical,keyCertSign,cRLSign',
  ],
});
generateKey(dir, 'leaf', 'P-256');
issue(dir, 'leaf', 'inter', { subject: '/CN=example.test', extensions: LEAF_EXTENSIONS });

// An intermediate below the pathlen:0 one, and a leaf under it.
generateKey(dir, 'inter2', 'P-256');
issue(dir, 'inter2', 'inter', { subject: '/CN=Second Intermediate', extensions: CA_EXTENSIONS });
generateKey(dir, 'leaf2', 'P-256');
issue(dir, 'leaf2', 'inter2', { subject: '/CN=deep.example.test', extensions: LEAF_EXTENSIONS });

// A leaf whose key signs another "leaf": CA:FALSE must stop it.
generateKey(dir, 'byleaf', 'P-256');
issue(dir, 'byleaf', 'leaf', { subject: '/CN=by-leaf.example.test', extensions: LEAF_EXTENSIONS });

// A CA whose keyUsage lacks keyCertSign.
generateKey(dir, 'nosign', 'P-256');
issue(dir, 'nosign', 'root', {
  subject: '/CN=No CertSign CA',
  extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature'],
});
generateKey(dir, 'nosignleaf', 'P-256');
issue(dir, 'nosignleaf', 'nosign', { subject: '/CN=example.test', extensions: LEAF_EXTENSIONS });

// An intermediate valid for one day with a 30-day leaf under it.
generateKey(dir, 'short', 'P-256');
issue(dir, 'short', 'root', {
  subject: '/CN=Short Intermediate',
  days: 1,
  extensions: CA_EXTENSIONS,
});
generateKey(dir, 'shortleaf', 'P-256');
issue(dir, 'shortleaf', 'short', { subject: '/CN=example.test', extensions: LEAF_EXTENSIONS });

// A root with the same name as "root" but another key, and an unrelated root.
generateKey(dir, 'impostor', 'P-384');
selfSign(dir, 'impostor', {
  subject: '/O=X509 Test/CN=Test Root',
  days: 3650,
  extensions: CA_EXTENSIONS,
});
generateKey(dir, 'other', 'P-256');
selfSign(dir, 'other', { subject: '/CN=Other Root', days: 3650, extensions: CA_EXTENSIONS });

// A leaf with an extension we do not understand, marked critical.
generateKey(dir, 'critical', 'P-256');
issue(dir, 'critical', 'inter', {
  subject: '/CN=example.test',
  extensions: [...LEAF_EXTENSIONS, '1.2.3.4=critical,DER:0500'],
});

// SHA-1: a root that signs itself with it (fine: anchors are trusted as given)
// and a leaf signed with it (refused).
generateKey(dir, 'sha1root', 'P-256');
selfSign(dir, 'sha1root', {
  subject: '/CN=SHA-1 Root',
  days: 3650,
  digest: 'sha1',
  extensions: CA_EXTENSIONS,
});
generateKey(dir, 'sha1leaf', 'P-256');
issue(dir, 'sha1leaf', 'sha1root', {
  subject: '/CN=example.test',
  digest: 'sha1',
  extensions: LEAF_EXTENSIONS,
});
generateKey(dir, 'sha256leaf', 'P-256');
issue(dir, 'sha256leaf', 'sha1root', { subject: '/CN=example.test', extensions: LEAF_EXTENSIONS });

const cert = (name: string): Certificate => parseCertificatesPem(dir.read(`${name}.pem`))[0]!;
const root = cert('root');
const inter = cert('inter');
const leaf = cert('leaf');
const now = leaf.notBefore + 60_000;

/** OpenSSL's own verdict on the same files at the same time. */
function opensslVerifies(leafName: string, untrusted: string[], anchor: string, at = now): boolean {
  const args = ['verify', '-attime', String(Math.floor(at / 1000)), '-CAfile', `${anchor}.pem`];
  if (untrusted.length > 0) {
    dir.write('untrusted.pem', untrusted.map((n) => dir.read(`${n}.pem`)).join(''));
    args.push('-untrusted', 'untrusted.pem');
  }
  return opensslStatus([...args, `${leafName}.pem`], dir.path).ok;
}

const rejection = (pattern: RegExp) =>
  expect.objectContaining({
    name: 'CryptoError',
    code: 'bad_certificate',
    message: expect.stringMatching(pattern),
  });

describe.each(testProviders().map((p) => [p.name, p] as const))(
  'verifyChain with the %s provider',
  (_n, provider) => {
    const verify = (
      chain: Certificate[],
      anchors: Certificate[],
      extra: { now?: number; hostname?: string } = {},
    ) =>
      verifyChain(provider, {
        chain,
        trustAnchors: anchors,
        now: extra.now ?? now,
        hostname: extra.hostname,
      });

    describe('accepts', () => {
      it('leaf -> intermediate with the root only in the trust anchors (as OpenSSL does)', () => {
        expect(opensslVerifies('leaf', ['inter'], 'root')).toBe(true);
        const path = verify([leaf, inter], [root], { hostname: 'example.test' });
        expect(path.map((c) => c.subject.text)).toEqual([
          'CN=example.test',
          'CN=Test Intermediate, O=X509 Test',
          'CN=Test Root, O=X509 Test',
        ]);
        expect(path[2]).toBe(root);
      });

      it('the same chain with the root sent as its last element', () => {
        const path = verify([leaf, inter, cert('root')], [root]);
        expect(path).toHaveLength(3);
        expect(path[2]).toBe(root);
      });

      it('a path ending at an intermediate that is itself trusted', () => {
        expect(verify([leaf], [inter]).map((c) => c.subject.text)).toEqual([
          'CN=example.test',
          'CN=Test Intermediate, O=X509 Test',
        ]);
      });

      it('a pinned self-signed certificate trusted as its own anchor', () => {
        const self = createSelfSignedCertificate(provider, {
          commonName: 'pinned',
          dnsNames: ['pinned.test'],
          notBefore: now - 1000,
          notAfter: now + 1000,
        });
        expect(verify([self.certificate], [self.certificate], { hostname: 'pinned.test' })).toEqual(
          [self.certificate],
        );
      });

      it('at both validity bounds, which are inclusive', () => {
        expect(verify([leaf, inter], [root], { now: leaf.notBefore })).toHaveLength(3);
        expect(verify([leaf, inter], [root], { now: leaf.notAfter })).toHaveLength(3);
      });

      it('a trust anchor whose own self-signature uses SHA-1', () => {
        expect(cert('sha1root').signatureAlgorithm).toEqual({ name: 'ecdsa', hash: 'SHA-1' });
        expect(verify([cert('sha256leaf')], [cert('sha1root')])).toHaveLength(2);
      });

      it('the anchor with the right key when two anchors share the name', () => {
        expect(verify([leaf, inter], [cert('impostor'), root])[2]).toBe(root);
      });
    });

    describe('rejects with CryptoError(bad_certificate)', () => {
      it('an expired leaf', () => {
        const at = leaf.notAfter + 1000;
        expect(opensslVerifies('leaf', ['inter'], 'root', at)).toBe(false);
        expect(() => verify([leaf, inter], [root], { now: at })).toThrow(
          rejection(/"CN=example.test" expired at/),
        );
      });

      it('one millisecond outside either validity bound', () => {
        expect(() => verify([leaf, inter], [root], { now: leaf.notAfter + 1 })).toThrow(
          rejection(/expired/),
        );
        expect(() => verify([leaf, inter], [root], { now: leaf.notBefore - 1 })).toThrow(
          rejection(/not valid until/),
        );
      });

      it('a leaf that is not yet valid', () => {
        expect(() => verify([leaf, inter], [root], { now: leaf.notBefore - 1000 })).toThrow(
          rejection(/not valid until/),
        );
      });

      it('an intermediate that expired before the leaf', () => {
        const short = cert('short');
        const at = short.notAfter + 3_600_000;
        expect(cert('shortleaf').notAfter).toBeGreaterThan(at);
        expect(opensslVerifies('shortleaf', ['short'], 'root', at)).toBe(false);
        expect(() => verify([cert('shortleaf'), short], [root], { now: at })).toThrow(
          rejection(/"CN=Short Intermediate" expired/),
        );
      });

      it('a wrong hostname, listing the names the certificate has', () => {
        expect(() => verify([leaf, inter], [root], { hostname: 'other.test' })).toThrow(
          rejection(
            /not valid for "other.test" \(names: example.test, \*.wild.example.test, 127.0.0.1, ::1\)/,
          ),
        );
      });

      it('a broken signature (one byte of the leaf signature flipped)', () => {
        const der = leaf.der.slice();
        der[der.length - 1]! ^= 0x01;
        const broken = parseCertificate(der);
        expect(() => verify([broken, inter], [root])).toThrow(
          rejection(/signature on "CN=example.test" does not verify/),
        );
        // Signed directly by an anchor: the error names the anchor.
        const interDer = inter.der.slice();
        interDer[interDer.length - 1]! ^= 0x01;
        expect(() => verify([parseCertificate(interDer)], [root])).toThrow(
          rejection(/does not verify with the key of trust anchor "CN=Test Root/),
        );
      });

      it('a certificate signed with SHA-1', () => {
        expect(() => verify([cert('sha1leaf')], [cert('sha1root')])).toThrow(
          rejection(/signed with SHA-1/),
        );
      });

      it('a root with the right name but the wrong key', () => {
        expect(() => verify([leaf, inter], [cert('impostor')])).toThrow(
          rejection(/does not verify/),
        );
      });

      it('a missing intermediate', () => {
        expect(opensslVerifies('leaf', [], 'root')).toBe(false);
        expect(() => verify([leaf], [root])).toThrow(
          rejection(/no trusted issuer "CN=Test Intermediate, O=X509 Test" .*missing intermediate/),
        );
      });

      it('an untrusted root at the end of the chain', () => {
        expect(() => verify([leaf, inter, root], [cert('other')])).toThrow(
          rejection(/"CN=Test Root, O=X509 Test" is self-signed and not a trust anchor/),
        );
        const self = createSelfSignedCertificate(provider, {
          commonName: 'stranger',
          notBefore: now - 1000,
          notAfter: now + 1000,
        });
        expect(() => verify([self.certificate], [root])).toThrow(rejection(/untrusted root/));
      });

      it('an intermediate sent in the wrong place', () => {
        expect(() => verify([leaf, root], [root])).toThrow(
          rejection(/is not the issuer of "CN=example.test"/),
        );
      });

      it('a leaf used as a CA', () => {
        expect(opensslVerifies('byleaf', ['leaf', 'inter'], 'root')).toBe(false);
        expect(() => verify([cert('byleaf'), leaf, inter], [root])).toThrow(
          rejection(
            /"CN=example.test" is not a CA certificate but issued "CN=by-leaf.example.test"/,
          ),
        );
      });

      it('a CA whose keyUsage does not allow keyCertSign', () => {
        expect(opensslVerifies('nosignleaf', ['nosign'], 'root')).toBe(false);
        expect(() => verify([cert('nosignleaf'), cert('nosign')], [root])).toThrow(
          rejection(/keyUsage does not allow certificate signing/),
        );
      });

      it('a pathLen violation (an intermediate below a pathlen:0 intermediate)', () => {
        expect(opensslVerifies('leaf2', ['inter2', 'inter'], 'root')).toBe(false);
        expect(() => verify([cert('leaf2'), cert('inter2'), inter], [root])).toThrow(
          rejection(
            /"CN=Test Intermediate, O=X509 Test" allows 0 intermediate\(s\) below it but the path has 1/,
          ),
        );
        // The same intermediate is fine as the only one.
        expect(verify([leaf, inter], [root])).toHaveLength(3);
      });

      it('a pathLen violation by a trust anchor', () => {
        expect(() => verify([cert('leaf2'), cert('inter2')], [inter])).toThrow(
          rejection(/allows 0 intermediate/),
        );
      });

      it('an unknown critical extension (RFC 5280 §4.2)', () => {
        expect(opensslVerifies('critical', ['inter'], 'root')).toBe(false);
        expect(() => verify([cert('critical'), inter], [root])).toThrow(
          rejection(/unsupported critical extension 1.2.3.4/),
        );
      });

      it('a leaf without the requested extKeyUsage purpose', () => {
        expect(
          verifyChain(provider, {
            chain: [leaf, inter],
            trustAnchors: [root],
            now,
            purpose: 'serverAuth',
          }),
        ).toHaveLength(3);
        expect(() =>
          verifyChain(provider, {
            chain: [leaf, inter],
            trustAnchors: [root],
            now,
            purpose: 'clientAuth',
          }),
        ).toThrow(rejection(/extKeyUsage does not allow clientAuth/));
      });

      it('an empty chain and an over-long path', () => {
        expect(() => verify([], [root])).toThrow(CryptoError);
        expect(() =>
          verifyChain(provider, {
            chain: [leaf, inter],
            trustAnchors: [root],
            now,
            maxPathLength: 2,
          }),
        ).toThrow(rejection(/longer than 2/));
      });
    });

    describe('checks the leaf hostname (RFC 6125)', () => {
      const accepts = (hostname: string) => verify([leaf, inter], [root], { hostname });
      const rejects = (hostname: string) =>
        expect(() => accepts(hostname)).toThrow(rejection(/not valid for/));

      it('matches DNS names case-insensitively and ignores a final dot', () => {
        for (const h of ['example.test', 'EXAMPLE.Test', 'example.test.'])
          expect(accepts(h)).toHaveLength(3);
      });

      it('matches a wildcard against exactly one left-most label', () => {
        expect(accepts('a.wild.example.test')).toHaveLength(3);
        expect(accepts('A-1.WILD.example.test')).toHaveLength(3);
        rejects('a.b.wild.example.test');
        rejects('wild.example.test');
        rejects('.wild.example.test');
        rejects('sub.example.test');
      });

      it('matches IP addresses only against iPAddress SANs, as bytes', () => {
        expect(accepts('127.0.0.1')).toHaveLength(3);
        expect(accepts('::1')).toHaveLength(3);
        expect(accepts('[0:0:0:0:0:0:0:1]')).toHaveLength(3);
        rejects('127.0.0.2');
        rejects('::2');
        rejects('::ffff:127.0.0.1');
      });
    });
  },
);
