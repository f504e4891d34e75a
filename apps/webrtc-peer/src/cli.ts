#!/usr/bin/env node
/**
 * webrtc-peer serve [--host 127.0.0.1] [--port 8080] [--udp-port N] [--record DIR] [--trace]
 * webrtc-peer call --url http://host:port/whip [--duration S] [--trace]
 */
import { runClientCall } from './client/run.js';
import { startPeerServer } from './server/peer-server.js';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    'usage:\n  webrtc-peer serve [--host 127.0.0.1] [--port 8080] [--udp-port N] [--record DIR] [--trace] [--consent-timeout MS] [--echo-drop-every N]\n' +
      '  webrtc-peer call --url http://host:port/whip [--duration S] [--trace]\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { command: string; flags: Map<string, string | true> } {
  const [command, ...rest] = argv;
  if (command === undefined) usage();
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) usage(`unexpected argument ${a}`);
    const name = a.slice(2);
    if (name === 'trace') flags.set(name, true);
    else {
      const v = rest[++i];
      if (v === undefined) usage(`--${name} needs a value`);
      flags.set(name, v);
    }
  }
  return { command, flags };
}

function num(flags: Map<string, string | true>, name: string, fallback: number): number {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < 0) usage(`--${name} must be a number`);
  return n;
}

async function main(): Promise<void> {
  const { command, flags } = parseArgs(process.argv.slice(2));
  const trace = flags.has('trace')
    ? (line: string) => process.stdout.write(`${line}\n`)
    : undefined;
  if (command === 'serve') {
    const known = [
      'host',
      'port',
      'udp-port',
      'record',
      'trace',
      'consent-timeout',
      'echo-drop-every',
    ];
    for (const k of flags.keys()) if (!known.includes(k)) usage(`unknown flag --${k}`);
    const record = flags.get('record');
    const server = await startPeerServer({
      host: (flags.get('host') as string | undefined) ?? '127.0.0.1',
      port: num(flags, 'port', 8080),
      udpPort: num(flags, 'udp-port', 0),
      record: typeof record === 'string' ? record : undefined,
      echoDropEvery: flags.has('echo-drop-every') ? num(flags, 'echo-drop-every', 0) : undefined,
      consentTimeoutMs: flags.has('consent-timeout')
        ? num(flags, 'consent-timeout', 30000)
        : undefined,
      trace,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(
      `listening ${server.url} udp ${server.udp.local.address}:${server.udp.local.port}\n`,
    );
    process.stdout.write(`fingerprint ${server.fingerprint}\n`);
    const stop = () => {
      server.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  if (command === 'call') {
    for (const k of flags.keys())
      if (!['url', 'duration', 'trace'].includes(k)) usage(`unknown flag --${k}`);
    const url = flags.get('url');
    if (typeof url !== 'string') usage('call needs --url');
    const result = await runClientCall({
      url,
      durationMs: num(flags, 'duration', 3) * 1000,
      trace,
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(result.ok ? 0 : 1);
  }
  usage(`unknown command ${command}`);
}

main().catch((e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
