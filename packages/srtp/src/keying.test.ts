import { rfcSlice, rfcText } from '@x/test-helpers';
import { toHex } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { SrtpError } from './errors.js';
import {
  DTLS_SRTP_EXPORTER_LABEL,
  dtlsSrtpKeyingMaterialLength,
  dtlsSrtpLocalRemoteKeys,
  splitDtlsSrtpKeyingMaterial,
} from './keying.js';

describe('RFC 5764 §4.2 DTLS-SRTP keying material', () => {
  const s42 = rfcSlice(rfcText(5764), '4.2.  Key Derivation', '4.3.');

  it('uses the RFC label and layout', () => {
    expect(s42).toContain(`"${DTLS_SRTP_EXPORTER_LABEL}"`);
    // The RFC lists the four parts in this order.
    const order = [
      'client_write_SRTP_master_key',
      'server_write_SRTP_master_key',
      'client_write_SRTP_master_salt',
      'server_write_SRTP_master_salt',
    ].map((n) => s42.indexOf(`${n}[`));
    expect(order.every((v, i) => v > 0 && (i === 0 || v > order[i - 1]!))).toBe(true);
  });

  it('needs 60 bytes for AES-CM, 56 for AES-128-GCM and 88 for AES-256-GCM', () => {
    expect([1, 2, 7, 8].map(dtlsSrtpKeyingMaterialLength)).toEqual([60, 60, 56, 88]);
  });

  it('splits key | key | salt | salt for each profile and role', () => {
    for (const id of [1, 2, 7, 8]) {
      const n = dtlsSrtpKeyingMaterialLength(id);
      const m = Uint8Array.from({ length: n }, (_, i) => i);
      const k = id === 8 ? 32 : 16;
      const s = id >= 7 ? 12 : 14;
      const keys = splitDtlsSrtpKeyingMaterial(id, m);
      expect(toHex(keys.client.masterKey)).toBe(toHex(m.subarray(0, k)));
      expect(toHex(keys.server.masterKey)).toBe(toHex(m.subarray(k, 2 * k)));
      expect(toHex(keys.client.masterSalt)).toBe(toHex(m.subarray(2 * k, 2 * k + s)));
      expect(toHex(keys.server.masterSalt)).toBe(toHex(m.subarray(2 * k + s)));
      const server = dtlsSrtpLocalRemoteKeys(id, m, 'server');
      expect(server.local).toEqual(keys.server);
      expect(server.remote).toEqual(keys.client);
      expect(dtlsSrtpLocalRemoteKeys(id, m, 'client').local).toEqual(keys.client);
    }
  });

  it('refuses material of the wrong length', () => {
    expect(() => splitDtlsSrtpKeyingMaterial(7, new Uint8Array(60))).toThrow(SrtpError);
  });
});
