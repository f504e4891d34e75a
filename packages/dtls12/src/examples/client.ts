/**
 * DTLS 1.2 client example:
 *   node dist/examples/client.js --host 127.0.0.1 --port 4444 [--cert c.pem --key k.pem]
 *     [--ciphers TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] [--curves x25519] [--srtp-profiles SRTP_AEAD_AES_128_GCM]
 *     [--mtu 1200] [--keylog keys.txt] [--fingerprint AB:CD:...] [--message text]
 * Prints "negotiated <suite> <curve> <srtp-profile>" and "exporter <hex>", sends --message, prints the
 * reply (within 2 s), sends close_notify and exits 0; a failed handshake exits 1 naming the alert.
 */
import { alertName, DtlsError } from '../errors.js';
import { connect } from '../node.js';
import { parseExampleArgs } from './cli-options.js';
import { reportLines } from './report.js';

async function main(): Promise<number> {
  const args = parseExampleArgs(process.argv.slice(2), 'client');
  let socket: Awaited<ReturnType<typeof connect>>;
  try {
    socket = await connect({
      ...args.options,
      host: args.host,
      port: args.port,
      timeoutMs: 20_000,
    });
  } catch (e) {
    if (e instanceof DtlsError) {
      console.log(
        `handshake failed: alert ${alertName(e.alert)} (${e.alert}) ${e.remote ? 'from peer' : 'sent'}: ${e.message}`,
      );
    } else console.log(`handshake failed: ${(e as Error).message}`);
    return 1;
  }
  for (const line of reportLines(socket.connection)) console.log(line);
  const reply = new Promise<string | undefined>((resolve) => {
    const t = setTimeout(() => resolve(undefined), 2000);
    socket.connection.on('data', (d) => {
      clearTimeout(t);
      resolve(new TextDecoder().decode(d));
    });
  });
  socket.send(new TextEncoder().encode(args.message));
  const text = await reply;
  console.log(text === undefined ? 'no reply within 2 s' : `received ${text.replace(/\n$/, '')}`);
  await socket.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
