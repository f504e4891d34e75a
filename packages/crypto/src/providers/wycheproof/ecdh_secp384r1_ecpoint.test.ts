import { ecdhSuite } from './ecdh.js';

ecdhSuite('ecdh_secp384r1_ecpoint_test.json', 'P-384', 48, 790);
