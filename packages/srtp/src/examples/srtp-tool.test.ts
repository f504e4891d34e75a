import { Readable } from 'node:stream';
import { getCipherSuite } from '@x/crypto';
import { rfcHexBlockAfter, rfcLabeled, rfcSlice, rfcText } from '@x/test-helpers';
import { fromHex, toHex } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { serializeRtpPacket } from '../rtp/header.js';
import { runLibsrtp } from '../test-support/libsrtp.js';
import { runSrtpTool } from './srtp-tool.js';

async function tool(argv: string[], lines: string[]) {
  let out = '';
  let err = '';
  const code = await runSrtpTool(
    argv,
    Readable.from([`${lines.join('\n')}\n`]),
    (s) => {
      out += s;
    },
    (s) => {
      err += s;
    },
  );
  return { code, lines: out.split('\n').filter((l) => l !== ''), err };
}

const key = '000102030405060708090a0b0c0d0e0f';
const salt = '0f0e0d0c0b0a09080706050403020100ffee';

describe('srtp-tool (the runnable example)', () => {
  it('protects like libsrtp and unprotects its own output, keeping ROC state across lines', async () => {
    const packets = [65534, 65535, 0, 1].map((seq) =>
      toHex(
        serializeRtpPacket(
          {
            padding: false,
            marker: false,
            payloadType: 111,
            sequenceNumber: seq,
            timestamp: seq * 960,
            ssrc: 0x01020304,
            csrcs: [],
          },
          new Uint8Array(40).fill(seq & 0xff),
        ),
      ),
    );
    const args = [
      '--profile',
      'SRTP_AES128_CM_HMAC_SHA1_80',
      '--key',
      key,
      '--salt',
      salt.slice(0, 28),
    ];
    const p = await tool(['protect', ...args], packets);
    expect(p.code).toBe(0);
    // Packets after the wrap are only right if the tool carried the ROC across lines.
    expect(p.lines).toEqual(runLibsrtp('protect', 1, key, salt.slice(0, 28), packets));
    const u = await tool(['unprotect', ...args], [...p.lines, p.lines[1]!, 'zz']);
    expect(u.lines).toEqual([...packets, 'error replay', 'error malformed']);
  });

  it('reports a packet that does not authenticate as `error auth`', async () => {
    // The §17 vectors give session keys; used as master keys they derive other keys, so the tag fails.
    const s = rfcSlice(rfcText(7714), '17.2.  SRTCP', '17.3.  SRTCP');
    const packet = toHex(rfcHexBlockAfter(s, 'Decrypting the following packet'));
    const r = await tool(
      [
        'unprotect',
        '--profile',
        'srtp_aead_aes_256_gcm',
        '--key',
        toHex(rfcLabeled(s, 'Key:')),
        '--salt',
        toHex(rfcLabeled(rfcText(7714), 'salt:')),
        '--rtcp',
      ],
      [packet],
    );
    expect(r.lines).toEqual(['error auth']);
  });

  it('round-trips SRTCP with the GCM profile by code point', async () => {
    const rtcp = '81c8000d4d6172734e5450314e54503252545020000004' + '2a0000e9304c756e61deadbeef';
    const p = getCipherSuite('srtp', 7)!;
    const k = toHex(new Uint8Array(p.masterKeyLength).fill(9));
    const s = toHex(new Uint8Array(p.masterSaltLength).fill(3));
    const args = ['--profile', '7', '--key', k, '--salt', s, '--rtcp'];
    const prot = await tool(['protect', ...args], [rtcp, rtcp]);
    expect(prot.lines).toHaveLength(2);
    expect(prot.lines[0]).not.toBe(prot.lines[1]); // a new SRTCP index per packet
    expect(fromHex(prot.lines[0]!).length).toBe(rtcp.length / 2 + 20);
    const back = await tool(['unprotect', ...args], prot.lines);
    expect(back.lines).toEqual([rtcp, rtcp]);
  });

  it('refuses bad arguments with the usage text and exit code 2', async () => {
    const r = await tool(['protect', '--profile', 'NOPE', '--key', key, '--salt', salt], []);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/NOPE/);
    expect(r.err).toMatch(/usage: srtp-tool/);
    const r2 = await tool(['encrypt'], []);
    expect(r2.code).toBe(2);
  });
});
