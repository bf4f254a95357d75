// The wire protocol between till and HQ: zod schemas are the single source of truth for both sides.
export * from './problem';
export * from './catalog';
export * from './push';
export * from './changes';
export * from './validation';
export * from './admin';
export * from './pairing';
export * from './online';
export * from './people';
export * from './reconciliation';
