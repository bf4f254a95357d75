// Your own password: the current one, then the new one twice. HQ ends your other sessions.
import { useState, type FormEvent, type ReactNode } from 'react';
import { UserSchema } from '../../sync/protocol';
import { api } from '../api';
import { ErrorNote } from '../ui/common';
import { msg } from '../../core/words/i18n';
import { useWords } from '../words/words';

export function Account({ userId, email }: { userId: string; email: string }): ReactNode {
  const { t } = useWords();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    setDone(false);
    if (data.get('password') !== data.get('again')) return setError(new Error(msg('The new password and its repetition differ.')));
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
      <h1 id="account-title">{t('Your account')}</h1>
      <p>{t('Signed in as {{email}}.', { email })}</p>
      <form onSubmit={submit} aria-labelledby="password-title" className="card">
        <h2 id="password-title">{t('Change your password')}</h2>
        <label>
          {t('Current password')}
          <input name="current" type="password" required autoComplete="current-password" />
        </label>
        <label>
          {t('New password (at least 10 characters)')}
          <input name="password" type="password" required minLength={10} maxLength={200} autoComplete="new-password" />
        </label>
        <label>
          {t('New password again')}
          <input name="again" type="password" required minLength={10} maxLength={200} autoComplete="new-password" />
        </label>
        <button type="submit">{t('Change password')}</button>
        {done ? <p role="status">{t('Your password is changed. Your other sessions have ended.')}</p> : null}
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
