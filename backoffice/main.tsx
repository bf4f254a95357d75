// The back-office console: sign-in, then a page per task with a navigation that shows what the person's
// role may do (HQ refuses the rest anyway: every rule is enforced at the API, tested there).
import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { can, useSession } from './session';
import { href, useRoute, type Route } from './route';
import { ErrorNote } from './ui/common';
import { SignIn } from './pages/SignIn';
import { Reconciliation } from './pages/Reconciliation';
import { Vouchers } from './pages/Vouchers';
import { VoucherPage } from './pages/VoucherPage';
import { Users } from './pages/Users';
import { AuditLog } from './pages/AuditLog';
import { Account } from './pages/Account';
import { Tills } from './pages/Tills';
import { Imports } from './pages/Imports';
import { VoucherEditor, VoucherForm } from './pages/VoucherForm';
import { ApiKeys } from './pages/ApiKeys';
import { msg } from '../core/words/i18n';
import { useDocumentLanguage, useWords } from './words/words';
import { ROLE_NAME } from './ui/roles';
import { LanguagePicker } from './ui/language-picker';
import './styles.css';

const NAV: { route: Route; text: string; needs: 'viewer' | 'manager' | 'admin' }[] = [
  { route: { page: 'reconciliation' }, text: msg('Needs a person'), needs: 'viewer' },
  { route: { page: 'vouchers' }, text: msg('Vouchers'), needs: 'viewer' },
  { route: { page: 'imports' }, text: msg('Import'), needs: 'manager' },
  { route: { page: 'tills' }, text: msg('Tills'), needs: 'viewer' },
  { route: { page: 'keys' }, text: msg('API keys'), needs: 'admin' },
  { route: { page: 'users' }, text: msg('People'), needs: 'admin' },
  { route: { page: 'audit' }, text: msg('Audit log'), needs: 'admin' },
  { route: { page: 'account' }, text: msg('Your account'), needs: 'viewer' },
];

function App(): ReactNode {
  const { state, load, signOut } = useSession();
  const route = useRoute();
  const { t } = useWords();
  useDocumentLanguage();
  useEffect(() => {
    load().catch(() => undefined);
  }, [load]);
  if (state.status === 'unknown') return <p role="status">{t('Loading…')}</p>;
  if (state.status === 'signed-out') return <SignIn notice={state.notice} />;
  const { person } = state;
  const timeZone = person.time_zone;
  const page = (): ReactNode => {
    switch (route.page) {
      case 'reconciliation':
        return <Reconciliation timeZone={timeZone} />;
      case 'vouchers':
        return <Vouchers timeZone={timeZone} />;
      case 'voucher':
        return <VoucherPage key={route.code} code={route.code} timeZone={timeZone} />;
      case 'imports':
        return can(state, 'manager') ? <Imports /> : <ErrorNote error={new Error(msg('Only managers and admins import vouchers.'))} />;
      case 'tills':
        return <Tills timeZone={timeZone} />;
      case 'keys':
        return can(state, 'admin') ? <ApiKeys timeZone={timeZone} /> : <ErrorNote error={new Error(msg('Only admins manage API keys.'))} />;
      case 'new':
      case 'generate':
      case 'edit':
        if (!can(state, 'manager')) return <ErrorNote error={new Error(msg('Only managers and admins change vouchers.'))} />;
        return route.page === 'edit' ? (
          <VoucherEditor key={route.code} code={route.code} timeZone={timeZone} />
        ) : (
          <VoucherForm key={route.page} mode={{ kind: route.page === 'new' ? 'create' : 'generate' }} timeZone={timeZone} />
        );
      case 'users':
        return can(state, 'admin') ? <Users timeZone={timeZone} me={person.email} /> : <ErrorNote error={new Error(msg('Only admins manage people.'))} />;
      case 'audit':
        return can(state, 'admin') ? <AuditLog timeZone={timeZone} /> : <ErrorNote error={new Error(msg('Only admins read the audit log.'))} />;
      case 'account':
        return <Account userId={person.user_id} email={person.email} />;
    }
  };
  return (
    <>
      <a className="skip" href="#main">
        {t('Skip to content')}
      </a>
      <header>
        <p className="brand">{t('voucher-till back office')}</p>
        <nav aria-label={t('Main')}>
          <ul>
            {NAV.filter((n) => can(state, n.needs)).map((n) => (
              <li key={n.route.page}>
                <a href={href(n.route)} aria-current={route.page === n.route.page || (['voucher', 'edit', 'new', 'generate'].includes(route.page) && n.route.page === 'vouchers') ? 'page' : undefined}>
                  {t(n.text)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className="who">
          {t('{{email}} ({{role}})', { email: person.email, role: t(ROLE_NAME[person.role]) })}{' '}
          <button type="button" onClick={() => signOut()}>
            {t('Sign out')}
          </button>
        </p>
        <LanguagePicker />
      </header>
      <main id="main" tabIndex={-1}>
        {page()}
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
