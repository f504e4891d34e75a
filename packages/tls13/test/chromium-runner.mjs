// Runs inside a network namespace that has only loopback (chromium.test.ts starts it as
// `unshare -n --fork --kill-child sh -c 'ip link set lo up && exec node chromium-runner.mjs ...'`):
// starts our server example (BUILD/examples/server.js, a tsc build of this package) in --http
// mode, loads https://127.0.0.1:PORT/ in headless Chromium (Debian package, driven by
// playwright-core, never a downloaded browser), and prints one JSON line with what the page and
// the server said. Chromium reaches the server through a byte-for-byte TCP relay that decodes
// the plaintext ClientHellos with our own codec (BUILD/messages/...), so the result also shows
// the groups, key shares and suites the browser offered.
//
//   node chromium-runner.mjs --build DIR --cert c.pem --key k.pem
//     [--groups g1:g2] [--ciphersuites A:B] [--chromium-flag F]... [--timeout-ms 40000]
//
// The certificate is trusted by its SPKI hash (--ignore-certificate-errors-spki-list), which
// Chromium honours only with a non-default user-data-dir; each run uses a fresh one.
import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getCipherSuite } from '@x/crypto';
import { chromium } from 'playwright-core';

const { values: o } = parseArgs({
  options: {
    build: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    groups: { type: 'string' },
    ciphersuites: { type: 'string' },
    'chromium-flag': { type: 'string', multiple: true },
    'timeout-ms': { type: 'string' },
  },
  strict: true,
});

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The launch flags ../shared/interop/chromium-common.mjs found to work here: no GPU, no
// sandbox (we run as root in a namespace), and nothing that would reach for the network.
const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
];

const deadline = Date.now() + Number(o['timeout-ms'] ?? 40000);
const result = { ok: false, serverOutput: '' };
let server;
let context;
let userDataDir;
let relayServer;

function remaining() {
  return Math.max(1000, deadline - Date.now());
}

function spkiHash(certFile) {
  const spki = new X509Certificate(readFileSync(certFile)).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  return createHash('sha256').update(spki).digest('base64');
}

/** Starts the server example and resolves with its port once it prints `listening <host> <port>`. */
function startServer() {
  const args = [
    join(o.build, 'examples', 'server.js'),
    '--port',
    '0',
    '--cert',
    o.cert,
    '--key',
    o.key,
    '--http',
  ];
  if (o.groups) args.push('--groups', o.groups);
  if (o.ciphersuites) args.push('--ciphersuites', o.ciphersuites);
  server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => (result.serverOutput += d.toString()));
  server.stderr.on('data', (d) => (result.serverOutput += d.toString()));
  return waitFor(
    () => /listening \S+ (\d+)/.exec(result.serverOutput)?.[1],
    'server listening',
  ).then(Number);
}

/** Polls `probe` until it returns a value (or the deadline passes). */
async function waitFor(probe, what, ms = remaining()) {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== null) return v;
    if (server?.exitCode !== null && server?.exitCode !== undefined)
      throw new Error(`server exited (${server.exitCode}) before ${what}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const codec = async (file) => import(pathToFileURL(join(o.build, file)).href);
const { decodeClientHello } = await codec('messages/client-hello.js');
const { decodeClientKeyShare } = await codec('messages/extensions/key-share.js');
const { decodeSupportedGroups } = await codec('messages/extensions/supported-groups.js');
const { decodeAlpn } = await codec('messages/extensions/alpn.js');
const { isGrease } = await codec('messages/extensions/types.js');
const { groupName } = await codec('key-share/named-group.js');

const name = (id) => (isGrease(id) ? 'GREASE' : groupName(id));
const hex4 = (id) => `0x${id.toString(16).padStart(4, '0')}`;

/** What a ClientHello offered, in the client's order (RFC 8446 §4.2.7, §4.2.8, RFC 7301). */
function describeHello(body) {
  const ch = decodeClientHello(body);
  const ext = (type) => ch.extensions.find((e) => e.type === type)?.data;
  const groups = ext(10);
  const shares = ext(51);
  const alpn = ext(16);
  return {
    cipherSuites: ch.cipherSuites.map((s) =>
      isGrease(s) ? 'GREASE' : (getCipherSuite('tls13', s)?.name ?? hex4(s)),
    ),
    supportedGroups: groups ? decodeSupportedGroups(groups).map(name) : null,
    keyShares: shares
      ? decodeClientKeyShare(shares).map((k) => ({
          group: name(k.group),
          length: k.keyExchange.length,
        }))
      : null,
    alpn: alpn ? decodeAlpn(alpn).map((p) => Buffer.from(p).toString('latin1')) : null,
    bytes: body.length + 4,
  };
}

/**
 * Reads the client's plaintext records (RFC 8446 §5.1) until the first encrypted one and
 * decodes every ClientHello in them (two after a HelloRetryRequest).
 */
function helloWatcher(connectionIndex) {
  let records = Buffer.alloc(0);
  let handshake = Buffer.alloc(0);
  let done = false;
  return (chunk) => {
    if (done) return;
    records = Buffer.concat([records, chunk]);
    while (!done && records.length >= 5) {
      const type = records[0];
      const length = records.readUInt16BE(3);
      if (records.length < 5 + length) break;
      const fragment = records.subarray(5, 5 + length);
      records = records.subarray(5 + length);
      if (type === 20) continue; // middlebox-compatibility change_cipher_spec
      if (type !== 22) {
        done = true;
        break;
      }
      handshake = Buffer.concat([handshake, fragment]);
      while (handshake.length >= 4) {
        const len = handshake.readUIntBE(1, 3);
        if (handshake.length < 4 + len) break;
        const msgType = handshake[0];
        const body = new Uint8Array(handshake.subarray(4, 4 + len));
        handshake = handshake.subarray(4 + len);
        if (msgType !== 1) continue;
        try {
          result.clientHellos.push({ connection: connectionIndex, ...describeHello(body) });
        } catch (e) {
          result.clientHellos.push({ connection: connectionIndex, error: String(e) });
        }
      }
    }
  };
}

/** A loopback TCP relay in front of the server: every byte passes unchanged both ways. */
function startRelay(target) {
  let connections = 0;
  const relay = createServer((down) => {
    const watch = helloWatcher(connections++);
    const up = connect(target, '127.0.0.1');
    down.on('data', (d) => {
      watch(d);
      up.write(d);
    });
    up.on('data', (d) => down.write(d));
    down.on('end', () => up.end());
    up.on('end', () => down.end());
    down.on('error', () => up.destroy());
    up.on('error', () => down.destroy());
  });
  return new Promise((resolve) =>
    relay.listen(0, '127.0.0.1', () => resolve({ relay, port: relay.address().port })),
  );
}

async function main() {
  result.clientHellos = [];
  const serverPort = await startServer();
  const { relay, port } = await startRelay(serverPort);
  relayServer = relay;
  result.port = port;
  userDataDir = mkdtempSync(join(tmpdir(), 'tls13-chromium-'));
  const flags = [
    ...BASE_FLAGS,
    `--ignore-certificate-errors-spki-list=${spkiHash(o.cert)}`,
    ...(o['chromium-flag'] ?? []),
  ];
  result.flags = flags;
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: flags,
    ignoreDefaultArgs: ['--enable-automation'],
    timeout: remaining(),
  });
  result.browserVersion = context.browser()?.version() ?? null;
  const page = context.pages()[0] ?? (await context.newPage());
  const url = `https://127.0.0.1:${port}/`;
  const response = await page.goto(url, { timeout: remaining(), waitUntil: 'load' });
  result.url = url;
  result.status = response?.status() ?? null;
  const details = await response?.securityDetails();
  result.securityDetails = details ?? null;
  result.pageText = (await page.textContent('body', { timeout: remaining() }))?.trim() ?? '';
  result.page = await page.evaluate(() => ({
    suite: document.getElementById('suite')?.textContent ?? null,
    group: document.getElementById('group')?.textContent ?? null,
    alpn: document.getElementById('alpn')?.textContent ?? null,
  }));
  result.userAgent = await page.evaluate(() => navigator.userAgent);
  result.nextHopProtocol = await page.evaluate(
    () => performance.getEntriesByType('navigation')[0]?.nextHopProtocol ?? null,
  );
  // The server prints `connection <suite> <group> <alpn>` once the handshake completes.
  result.serverLine = await waitFor(
    () => /^connection .*$/m.exec(result.serverOutput)?.[0],
    'server connection line',
    5000,
  );
  result.ok = true;
}

async function cleanup() {
  await context?.close().catch(() => {});
  relayServer?.close();
  if (server && server.exitCode === null && server.pid !== undefined) server.kill('SIGKILL');
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
}

const hardStop = setTimeout(() => {
  result.error = 'runner deadline passed';
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (server?.pid !== undefined) server.kill('SIGKILL');
  process.exit(3);
}, remaining() + 5000);

try {
  await main();
} catch (e) {
  result.error = e instanceof Error ? e.message : String(e);
} finally {
  await cleanup();
  clearTimeout(hardStop);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.ok ? 0 : 1);
