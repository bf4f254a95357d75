// Your own password: the current one, then the new one twice. HQ ends your other sessions.
import { useState, type FormEvent, type ReactNode } from 'react';
import { UserSchema } from '../../sync/protocol';
import { api } from '../api';
import { ErrorNote } from '../ui/common';

export function Account({ userId, email }: { userId: string; email: string }): ReactNode {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    setDone(false);
    if (data.get('password') !== data.get('again')) return setError(new Error('The new password and its repetition differ.'));
    try {
      await api('PUT', `/v1/users/${userId}`, UserSchema, { current_password: data.get('current'), password: data.get('password') });
      form.reset();
      setDone(true);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <p>Signed in as {email}.</p>
      <form onSubmit={submit} aria-labelledby="password-title" className="card">
        <h2 id="password-title">Change your password</h2>
        <label>
          Current password
          <input name="current" type="password" required autoComplete="current-password" />
        </label>
        <label>
          New password (at least 10 characters)
          <input name="password" type="password" required minLength={10} maxLength={200} autoComplete="new-password" />
        </label>
        <label>
          New password again
          <input name="again" type="password" required minLength={10} maxLength={200} autoComplete="new-password" />
        </label>
        <button type="submit">Change password</button>
        {done ? <p role="status">Your password is changed. Your other sessions have ended.</p> : null}
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
