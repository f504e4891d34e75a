#!/usr/bin/env node
// The README's demo: a quic-echo server (forcing a Retry) and a client that
// pins its certificate by fingerprint and traces every packet, on loopback.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../apps/quic-echo/dist/cli.js', import.meta.url));

async function freeUdpPort() {
  const s = createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

const port = String(await freeUdpPort());
const server = spawn(process.execPath, [cli, 'server', '--port', port, '--retry'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const stop = () => server.exitCode === null && server.kill('SIGTERM');
process.on('exit', stop);
const deadline = setTimeout(() => {
  console.error('demo: the server did not start within 10 s');
  process.exit(1);
}, 10_000);

let banner = '';
const fingerprint = await new Promise((resolve) => {
  server.stdout.on('data', (d) => {
    banner += d.toString();
    process.stdout.write(`[server] ${d}`);
    const m = /fingerprint ([0-9A-F:]+)/.exec(banner);
    if (m && banner.includes('listening')) resolve(m[1]);
  });
});
clearTimeout(deadline);

const client = spawn(
  process.execPath,
  [
    cli,
    'client',
    '--port',
    port,
    '--fingerprint',
    fingerprint,
    '--trace',
    '--message',
    'Hello world',
  ],
  { stdio: 'inherit' },
);
const [code] = await once(client, 'exit');
stop();
process.exit(code ?? 1);
