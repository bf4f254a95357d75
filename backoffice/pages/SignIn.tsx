import { useState, type FormEvent, type ReactNode } from 'react';
import { useSession } from '../session';
import { ErrorNote } from '../ui/common';
import { useWords } from '../words/words';
import { LanguagePicker } from '../ui/language-picker';

export function SignIn({ notice }: { notice: string | undefined }): ReactNode {
  const signIn = useSession((s) => s.signIn);
  const { t } = useWords();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email')), String(form.get('password')));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>{t('voucher-till back office')}</h1>
      <LanguagePicker />
      {notice ? <p role="status">{t(notice)}</p> : null}
      <form onSubmit={submit} aria-label={t('Sign in')}>
        <label>
          {t('E-mail')}
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label>
          {t('Password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t('Signing in…') : t('Sign in')}
        </button>
      </form>
      <ErrorNote error={error} />
    </main>
  );
}
