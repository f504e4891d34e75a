/**
 * Interop with coturn 4.6 on loopback: turnserver answers our binding client,
 * and turnutils_stunclient gets the right reflexive address from our server.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeProvider } from '@x/crypto';
import { requirePeer } from '@x/test-helpers';
import { bindEndpoint, type IncomingDatagram, type SocketAddress } from '@x/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAddress, decodeXorAddress } from './message/attributes/address.js';
import { decodeText } from './message/attributes/strings.js';
import { AttributeType as T } from './message/attributes/types.js';
import { checkFingerprint } from './message/fingerprint.js';
import { verifyIntegrity } from './message/integrity.js';
import { findAttribute } from './message/lookup.js';
import { bindingRequest } from './node.js';
import { BindingServer } from './server/binding-server.js';
import {
  COTURN_INSTALL,
  run,
  startTurnserver,
  stopChild,
  type Turnserver,
} from './test-support/coturn.js';
import { StunClient } from './transaction/client.js';
import { LongTermCredentials } from './transaction/long-term.js';
import type { TransactionOutcome } from './transaction/transaction.js';

const REFLEXIVE = /UDP reflexive addr: (\d+\.\d+\.\d+\.\d+):(\d+)/;

describe('coturn turnserver answers our binding client', () => {
  let turn: Turnserver;
  beforeAll(async () => {
    turn = await startTurnserver();
  }, 20_000);
  afterAll(async () => {
    await turn?.stop();
  }, 10_000);

  it('XOR-MAPPED-ADDRESS is our socket address on loopback', async () => {
    // Short RTO: turnserver may still be starting; the retransmissions cover it.
    const result = await bindingRequest(
      { address: '127.0.0.1', port: turn.port },
      { localAddress: '127.0.0.1', rto: 100, rc: 10 },
    );
    expect(result.local.address).toBe('127.0.0.1');
    expect(result.mapped).toEqual({
      address: '127.0.0.1',
      port: result.local.port,
      family: 'IPv4',
    });
    const r = result.response;
    // coturn adds MAPPED-ADDRESS too (RFC 3489 compatibility), the same address in clear.
    const mapped = findAttribute(r, T.MAPPED_ADDRESS);
    if (mapped) expect(decodeAddress(mapped.value)).toEqual(result.mapped);
    expect(checkFingerprint(r)).toBe('ok');
    expect(decodeText(findAttribute(r, T.SOFTWARE)!.value)).toMatch(/Coturn/i);
  }, 30_000);
});

describe('coturn verifies our long-term credentials (a TURN Allocate, RFC 8489 §9.2)', () => {
  const user = { username: 'alice', password: 'g00d-p4ss', realm: 'example.org' };
  let turn: Turnserver;
  beforeAll(async () => {
    turn = await startTurnserver({ longTerm: user });
  }, 20_000);
  afterAll(async () => {
    await turn?.stop();
  }, 10_000);

  // RFC 8656: Allocate is method 0x003, REQUESTED-TRANSPORT (0x0019) 17 = UDP; the success
  // response carries XOR-RELAYED-ADDRESS (0x0016) and LIFETIME (0x000D).
  const allocate = async (password: string) => {
    const client = new StunClient({ rto: 100, rc: 10 });
    const handle = await bindEndpoint(client, { address: '127.0.0.1' });
    const creds = new LongTermCredentials(nodeProvider, user.username, password);
    const remote: SocketAddress = { address: '127.0.0.1', port: turn.port, family: 'IPv4' };
    try {
      const outcome = await new Promise<TransactionOutcome>((resolve) => {
        client.request(remote, {
          method: 0x003,
          attributes: [{ type: 0x0019, value: Uint8Array.of(17, 0, 0, 0) }],
          credentials: creds,
          knownAttributes: new Set([0x0016, 0x000d, 0x0022]),
          onComplete: resolve,
        });
        handle.flush();
      });
      return { outcome, creds };
    } finally {
      await handle.close();
    }
  };

  it('challenge, MD5 key, MESSAGE-INTEGRITY accepted; its signed answer verifies with our key', async () => {
    const { outcome, creds } = await allocate(user.password);
    expect(outcome.kind).toBe('success');
    expect(creds.realm).toBe(user.realm);
    expect(creds.algorithm).toBe('MD5'); // coturn 4.6 sends no PASSWORD-ALGORITHMS
    if (outcome.kind !== 'success') return;
    expect(verifyIntegrity(outcome.response, creds.key!, nodeProvider, 'SHA-1')).toBe(true);
    const relayed = findAttribute(outcome.response, 0x0016)!;
    expect(decodeXorAddress(relayed.value, outcome.response.transactionId).address).toBe(
      '127.0.0.1',
    );
  }, 30_000);

  it('a wrong password ends in 401 from coturn', async () => {
    const { outcome } = await allocate('not-it');
    expect(outcome.kind === 'error-response' && outcome.code).toBe(401);
  }, 30_000);
});

describe('turnutils_stunclient against our BindingServer', () => {
  it('prints the reflexive address our server saw', async () => {
    requirePeer('turnutils_stunclient', COTURN_INSTALL);
    const seen: SocketAddress[] = [];
    const server = new BindingServer({ software: '@x/stun test' });
    const endpoint = {
      receive: (d: IncomingDatagram, now: number) => {
        seen.push(d.remote);
        server.receive(d, now);
      },
      poll: (now: number) => server.poll(now),
      nextDeadline: () => server.nextDeadline(),
      handleTimeout: (now: number) => server.handleTimeout(now),
    };
    const handle = await bindEndpoint(endpoint, { address: '127.0.0.1' });
    try {
      const out = await run(
        'turnutils_stunclient',
        ['-p', String(handle.local.port), '127.0.0.1'],
        15_000,
      );
      expect(out.code, out.stderr).toBe(0);
      const m = REFLEXIVE.exec(out.stdout);
      expect(m, out.stdout).not.toBeNull();
      expect(seen.length).toBeGreaterThan(0);
      expect({ address: m![1], port: Number(m![2]) }).toEqual({
        address: seen[0]!.address,
        port: seen[0]!.port,
      });
      expect(server.stats.success).toBeGreaterThan(0);
      expect(server.stats.error).toBe(0);
    } finally {
      await handle.close();
    }
  }, 30_000);
});

describe('the built examples (dist/examples/binding-{client,server}.js)', () => {
  const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
  // Compiled beside node_modules so @x/wire and @x/crypto resolve to their built dist.
  const out = join(pkg, 'node_modules', '.cache', 'x-stun-examples');
  let turn: Turnserver | undefined;

  beforeAll(async () => {
    for (const dep of ['wire', 'crypto']) {
      if (!existsSync(join(pkg, 'node_modules', '@x', dep, 'dist', 'index.js'))) {
        throw new Error(`@x/${dep} is not built: run \`pnpm build --filter @x/stun...\` first`);
      }
    }
    const tsc = join(pkg, '..', '..', 'node_modules', '.bin', 'tsc');
    const r = await run(
      tsc,
      [
        '-p',
        join(pkg, 'tsconfig.build.json'),
        '--outDir',
        out,
        '--declaration',
        'false',
        '--declarationMap',
        'false',
      ],
      60_000,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    turn = await startTurnserver();
  }, 90_000);
  afterAll(async () => {
    await turn?.stop();
  }, 10_000);

  it('binding-client prints "mapped 127.0.0.1:<port>" from turnserver', async () => {
    const r = await run(
      'node',
      [
        join(out, 'examples', 'binding-client.js'),
        '--host',
        '127.0.0.1',
        '--port',
        String(turn!.port),
      ],
      45_000,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mapped 127\.0\.0\.1:\d+\n$/);
  }, 50_000);

  it('binding-server answers turnutils_stunclient', async () => {
    const child = spawn(
      'node',
      [join(out, 'examples', 'binding-server.js'), '--host', '127.0.0.1', '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('binding-server did not start')), 10_000);
        let text = '';
        child.stdout!.on('data', (d: Buffer) => {
          text += d.toString();
          const m = /listening 127\.0\.0\.1:(\d+)/.exec(text);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        child.once('exit', () => reject(new Error(`binding-server exited: ${text}`)));
      });
      const out2 = await run('turnutils_stunclient', ['-p', String(port), '127.0.0.1'], 15_000);
      expect(out2.stdout).toMatch(REFLEXIVE);
      expect(REFLEXIVE.exec(out2.stdout)![1]).toBe('127.0.0.1');
    } finally {
      await stopChild(child);
    }
  }, 40_000);
});
