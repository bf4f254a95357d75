// Hash routes (#/vouchers/CODE): the console is static files under /admin/, so every screen has an
// address a person can bookmark or send, without HQ knowing the console's paths.
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'reconciliation' }
  | { page: 'vouchers' }
  | { page: 'voucher'; code: string }
  | { page: 'edit'; code: string }
  | { page: 'new' }
  | { page: 'generate' }
  | { page: 'imports' }
  | { page: 'tills' }
  | { page: 'keys' }
  | { page: 'users' }
  | { page: 'audit' }
  | { page: 'account' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'vouchers':
      if (parts[1] && parts[2] === 'edit') return { page: 'edit', code: parts[1] };
      return parts[1] ? { page: 'voucher', code: parts[1] } : { page: 'vouchers' };
    case 'new':
      return { page: 'new' };
    case 'generate':
      return { page: 'generate' };
    case 'imports':
      return { page: 'imports' };
    case 'tills':
      return { page: 'tills' };
    case 'keys':
      return { page: 'keys' };
    case 'users':
      return { page: 'users' };
    case 'audit':
      return { page: 'audit' };
    case 'account':
      return { page: 'account' };
    default:
      return { page: 'reconciliation' };
  }
}

export function href(route: Route): string {
  if (route.page === 'voucher') return `#/vouchers/${encodeURIComponent(route.code)}`;
  if (route.page === 'edit') return `#/vouchers/${encodeURIComponent(route.code)}/edit`;
  return `#/${route.page}`;
}

const subscribe = (callback: () => void) => {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
