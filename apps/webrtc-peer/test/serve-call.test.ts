/**
 * Two instances of the CLI: `serve` in one process, `call` in another
 * (offerer, ICE controlling, DTLS client), over loopback UDP with WHIP
 * signalling over HTTP.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { run, start, TSX_NODE_ARGS } from './run-child.js';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('serve + call between two instances', () => {
  it('connects, gets every generated packet back identical, hangs up cleanly, and leaves no state', async () => {
    const server = await start(
      process.execPath,
      [...TSX_NODE_ARGS, 'src/cli.ts', 'serve', '--host', '127.0.0.1', '--port', '0', '--trace'],
      /listening (http:\/\/127\.0\.0\.1:\d+\/)/,
      20_000,
    );
    children.push(server.child);
    const url = server.match[1]!;
    const call = await run(
      process.execPath,
      [...TSX_NODE_ARGS, 'src/cli.ts', 'call', '--url', `${url}whip`, '--duration', '2'],
      30_000,
    );
    expect(call.code, call.stderr).toBe(0);
    const report = JSON.parse(call.stdout.trim().split('\n').pop()!);
    expect(report).toMatchObject({
      ok: true,
      iceConnected: true,
      dtlsConnected: true,
      mismatched: 0,
      authFailures: 0,
      pliRelayed: true,
      hangUpStatus: 200,
    });
    expect(report.echoed).toBeGreaterThan(100);
    expect(report.echoed).toBe(report.sent);

    const stats = (await (await fetch(`${url}stats`)).json()) as {
      tables: unknown;
      endpoint: { callsCreated: number; callsClosed: number };
      closed: { reason: string; authFailures: number; rtpDecrypted: number; rtpEchoed: number }[];
    };
    expect(stats.tables).toEqual({ calls: 0, ufrags: 0, addresses: 0 });
    expect(stats.endpoint.callsCreated).toBe(1);
    expect(stats.endpoint.callsClosed).toBe(1);
    const closed = stats.closed[0]!;
    expect(closed.reason).toBe('hung up');
    expect(closed.authFailures).toBe(0);
    expect(closed.rtpDecrypted).toBe(report.sent);
    expect(closed.rtpEchoed).toBe(report.sent);
    // --trace printed the STUN, DTLS and SRTP events of the call.
    const log = server.output();
    expect(log).toMatch(/STUN check from 127\.0\.0\.1:\d+ authenticated/);
    expect(log).toMatch(/DTLS connected: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 .* SRTP_/);
    server.child.kill('SIGTERM');
  });

  it('answers a garbage offer with 400 and a reason, and OPTIONS with CORS headers', async () => {
    const server = await start(
      process.execPath,
      [...TSX_NODE_ARGS, 'src/cli.ts', 'serve', '--port', '0'],
      /listening (http:\/\/127\.0\.0\.1:\d+\/)/,
      20_000,
    );
    children.push(server.child);
    const url = server.match[1]!;
    const bad = await fetch(`${url}whip`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: 'garbage',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/bad offer \(malformed\): line 1/);
    const wrongType = await fetch(`${url}whip`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'v=0',
    });
    expect(wrongType.status).toBe(415);
    const options = await fetch(`${url}whip`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-origin')).toBe('*');
    expect(options.headers.get('access-control-allow-methods')).toContain('POST');
    expect((await fetch(`${url}whip/0123`, { method: 'DELETE' })).status).toBe(404);
    const page = await fetch(url);
    expect(await page.text()).toContain('/whip');
    server.child.kill('SIGTERM');
  });
});
