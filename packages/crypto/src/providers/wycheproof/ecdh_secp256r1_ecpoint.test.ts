import { ecdhSuite } from './ecdh.js';

ecdhSuite('ecdh_secp256r1_ecpoint_test.json', 'P-256', 32, 355);
