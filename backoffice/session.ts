// Who is signed in (zustand, testable without React): unknown while the first GET /v1/session is on its
// way, then signed out or the person with their role. Screens ask `can` rather than comparing roles.
import { create } from 'zustand';
import { roleAllows, SessionSchema, type Role } from '../sync/protocol';
import { msg } from '../core/words/i18n';
import { api, apiVoid, ApiError, whenSignedOut } from './api';

export type Person = { user_id: string; email: string; role: Role; time_zone: string };
export type SessionState =
  | { status: 'unknown' }
  | { status: 'signed-out'; /** a sentence kept as data (msg), translated where shown */ notice?: string }
  | { status: 'signed-in'; person: Person };

type SessionStore = {
  state: SessionState;
  load(): Promise<void>;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
};

export const useSession = create<SessionStore>((set) => {
  whenSignedOut(() => set({ state: { status: 'signed-out', notice: msg('Your session has ended. Sign in again.') } }));
  return {
    state: { status: 'unknown' },
    async load() {
      try {
        set({ state: { status: 'signed-in', person: await api('GET', '/v1/session', SessionSchema) } });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) set({ state: { status: 'signed-out' } });
        else throw error;
      }
    },
    async signIn(email, password) {
      set({ state: { status: 'signed-in', person: await api('POST', '/v1/session', SessionSchema, { email, password }) } });
    },
    async signOut() {
      await apiVoid('DELETE', '/v1/session').catch(() => undefined);
      set({ state: { status: 'signed-out', notice: msg('You are signed out.') } });
    },
  };
});

/** Whether the signed-in person's role allows what needs `needed`. */
export function can(state: SessionState, needed: Role): boolean {
  return state.status === 'signed-in' && roleAllows(state.person.role, needed);
}
