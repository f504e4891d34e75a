export * from './ec-point-formats.js';
export * from './extended-master-secret.js';
export * from './extension.js';
export * from './renegotiation-info.js';
export * from './signature-algorithms.js';
export * from './supported-groups.js';
export * from './supported-versions.js';
export * from './use-srtp.js';
