// The field types every body is built from live beside the case modules (cases/fields.ts), which declare their actions' bodies.
export * from '../../cases/fields.js';
