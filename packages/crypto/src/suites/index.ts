export { type AeadFactory, providerAead } from './aead-factory.js';
export {
  type CipherSuite,
  findCipherSuite,
  getCipherSuite,
  listCipherSuites,
  registerCipherSuite,
  type SrtpProfile,
  type SuiteFamily,
  type Tls12Suite,
  type Tls13Suite,
  unregisterCipherSuite,
} from './registry.js';
