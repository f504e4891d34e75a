import { getCipherSuite, nodeProvider } from '@x/crypto';
import { rfcSlice, rfcText, rfcValue, toHex } from '@x/test-helpers';
import { Writer } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { writeShortHeader } from '../packet/header.js';
import { PacketProtection } from '../packet/protection.js';
import { KeyGenerations, nextTrafficSecret } from './key-update.js';

const a5 = rfcSlice(rfcText(9001), 'A.5.  ChaCha20-Poly1305 Short Header Packet', 'Appendix B.');

describe('key update (RFC 9001 §6)', () => {
  const suite = getCipherSuite('tls13', 0x1303)!;
  const secret = rfcValue(a5, 'secret');

  it('derives the next secret with "quic ku" (A.5 value)', () => {
    expect(toHex(nextTrafficSecret(nodeProvider, suite, secret))).toBe(toHex(rfcValue(a5, 'ku')));
  });

  it('moves sender and receiver to the next generation together, flipping Key Phase', () => {
    const tx = new KeyGenerations(
      nodeProvider,
      secret,
      PacketProtection.fromSecret(nodeProvider, suite, secret),
    );
    const rx = new KeyGenerations(
      nodeProvider,
      secret,
      PacketProtection.fromSecret(nodeProvider, suite, secret),
    );
    const seal = (pn: number) => {
      const w = new Writer(8);
      const pnOffset = writeShortHeader(w, new Uint8Array(0), pn, 2, tx.keyPhase);
      return tx.current.protect(w.finish(), pnOffset, pn, new Uint8Array([1, 0, 0]));
    };
    const p0 = seal(1);
    expect(rx.current.unprotect(p0, 1, 0)!.keyPhase).toBe(0);
    tx.update();
    expect(tx.keyPhase).toBe(1);
    const p1 = seal(2);
    // The receiver sees the flipped bit, tries the next generation, then updates.
    const unmasked = rx.current.removeHeaderProtection(p1, 1, 1)!;
    expect(unmasked.keyPhase).toBe(1);
    expect(rx.current.openPayload(p1, unmasked)).toBeNull();
    expect(rx.next.openPayload(p1, unmasked)).not.toBeNull();
    rx.update();
    // A second update uses secret_2 = ku(ku(secret)).
    tx.update();
    rx.update();
    const s2 = nextTrafficSecret(
      nodeProvider,
      suite,
      nextTrafficSecret(nodeProvider, suite, secret),
    );
    const p2 = seal(3);
    // Packet keys from secret_2, header protection still from the first secret.
    const base = PacketProtection.fromSecret(nodeProvider, suite, secret);
    expect(base.withUpdatedKeys(s2).unprotect(p2, 1, 2)).not.toBeNull();
    expect(PacketProtection.fromSecret(nodeProvider, suite, s2).unprotect(p2, 1, 2)).toBeNull();
    expect(rx.current.unprotect(p2, 1, 2)!.keyPhase).toBe(0);
  });
});
