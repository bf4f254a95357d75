// A role in words: its name (beside who is signed in) and what it may do (where people choose one).
// Translated where shown: t(ROLE_NAME[role]).
import { msg } from '../../core/words/i18n';
import type { Role } from '../../sync/protocol';

export const ROLE_NAME: Readonly<Record<Role, string>> = { viewer: msg('viewer'), manager: msg('manager'), admin: msg('admin') };

export const ROLE_TEXT: Readonly<Record<Role, string>> = {
  viewer: msg('Viewer (reads)'),
  manager: msg('Manager (vouchers, tills, reconciliation)'),
  admin: msg('Admin (also people and API keys)'),
};
