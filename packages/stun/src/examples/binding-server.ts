/**
 * A STUN Binding server (RFC 8489): answers Binding requests with
 * XOR-MAPPED-ADDRESS and FINGERPRINT until SIGINT/SIGTERM.
 *
 *   node packages/stun/dist/examples/binding-server.js --host 127.0.0.1 --port 3478
 *   listening 127.0.0.1:3478
 */
import { startBindingServer } from '../node.js';
import { flag } from './args.js';

const host = flag('host', '127.0.0.1');
const port = Number(flag('port', '3478'));

const handle = await startBindingServer({
  address: host,
  port,
  software: '@x/stun binding-server',
});
const { address, port: bound, family } = handle.local;
console.log(`listening ${family === 'IPv6' ? `[${address}]` : address}:${bound}`);

const stop = () => {
  void handle.close().then(() => {
    const { success, error, ignored } = handle.server.stats;
    console.log(`stopped: ${success} answered, ${error} errors, ${ignored} ignored`);
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
