// core/ — pure voucher rules shared by the till and HQ. No I/O, no DOM, no Node APIs.
export * from './money';
export * from './code';
export * from './date-spec';
export * from './duration';
export * from './local-time';
export * from './voucher';
export * from './ticket';
export * from './reasons';
export * from './validation-context';
export * from './validity-window';
export * from './discount';
export * from './evaluate-ticket';
export * from './validate';
