// People (admins only): who may use the back office, with which role; add, change role, disable.
import { useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { ROLES, UserSchema, type Role, type User } from '../../sync/protocol';
import { api } from '../api';
import { ErrorNote, useLoad } from '../ui/common';
import { ROLE_TEXT } from '../ui/roles';
import { useWords } from '../words/words';

export function Users({ timeZone, me }: { timeZone: string; me: string }): ReactNode {
  const { t, when } = useWords();
  const users = useLoad(() => api('GET', '/v1/users', z.object({ result: z.array(UserSchema) })), 'users');
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);
  const change = async (user: User, patch: { role?: Role; disabled?: boolean }) => {
    setError(null);
    try {
      await api('PUT', `/v1/users/${user.id}`, UserSchema, patch);
    } catch (e) {
      setError(e);
    }
    users.reload();
  };
  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    try {
      const user = await api('POST', '/v1/users', UserSchema, { email: data.get('email'), password: data.get('password'), role: data.get('role') });
      setAdded(user.email);
      form.reset();
      users.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('People')}</h1>
      <ErrorNote error={users.error ?? error} />
      {users.data ? (
        <table>
          <caption>{t('Who may sign in')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('E-mail')}</th>
              <th scope="col">{t('Role')}</th>
              <th scope="col">{t('Signs in')}</th>
              <th scope="col">{t('Since')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.result.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.email}</th>
                <td>
                  <select aria-label={t('Role of {{email}}', { email: u.email })} value={u.role} onChange={(e) => change(u, { role: e.target.value as Role })}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(ROLE_TEXT[r])}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <label>
                    <input type="checkbox" checked={!u.disabled} disabled={u.email === me} onChange={(e) => change(u, { disabled: !e.target.checked })} /> {u.disabled ? t('Disabled') : t('Enabled')}
                  </label>
                </td>
                <td>{when(u.created_at, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={add} aria-labelledby="add-user-title" className="card">
        <h2 id="add-user-title">{t('Add a person')}</h2>
        <label>
          {t('E-mail')}
          <input name="email" type="email" required autoComplete="off" />
        </label>
        <label>
          {t('First password (at least 10 characters; they change it)')}
          <input name="password" type="password" required minLength={10} maxLength={200} autoComplete="new-password" />
        </label>
        <label>
          {t('Role')}
          <select name="role" defaultValue="viewer">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(ROLE_TEXT[r])}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('Add')}</button>
        {added ? <p role="status">{t('{{email}} can sign in now.', { email: added })}</p> : null}
      </form>
    </section>
  );
}
