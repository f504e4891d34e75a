import { Reader } from '@x/wire';
import { type Extension, ExtensionType } from './extension.js';

/** RFC 7627 §5.1: the extension_data is empty. */
export function decodeExtendedMasterSecret(data: Uint8Array): true {
  new Reader(data).expectEnd('empty extended_master_secret');
  return true;
}

export function extendedMasterSecretExtension(): Extension {
  return { type: ExtensionType.extended_master_secret, data: new Uint8Array(0) };
}
