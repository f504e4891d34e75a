/**
 * Sends one STUN Binding request (RFC 8489) and prints the reflexive address:
 *
 *   node packages/stun/dist/examples/binding-client.js --host 127.0.0.1 --port 3478
 *   mapped 127.0.0.1:50123
 *
 * Exits 1 with the reason when the transaction fails (after 39.5 s without an answer).
 */
import { bindingRequest } from '../node.js';
import { flag } from './args.js';

const host = flag('host', '127.0.0.1');
const port = Number(flag('port', '3478'));

try {
  const result = await bindingRequest(
    { address: host, port },
    { software: '@x/stun binding-client' },
  );
  const { address, port: mappedPort, family } = result.mapped;
  console.log(`mapped ${family === 'IPv6' ? `[${address}]` : address}:${mappedPort}`);
  if (result.rtt !== undefined) console.error(`rtt ${result.rtt.toFixed(1)} ms`);
} catch (e) {
  console.error(`binding failed: ${(e as Error).message}`);
  process.exitCode = 1;
}
