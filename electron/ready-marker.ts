// Printed by main.ts on stderr once the till window is shown; launch.ts watches for it to know the
// app started (instead of only waiting out a grace period).
export const READY_MARKER = 'till-shell: window ready';
