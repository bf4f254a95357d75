// Hash routes (#/vouchers/CODE): the console is static files under /admin/, so every screen has an
// address a person can bookmark or send, without HQ knowing the console's paths.
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'reconciliation' }
  | { page: 'vouchers' }
  | { page: 'voucher'; code: string }
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
      return parts[1] ? { page: 'voucher', code: parts[1] } : { page: 'vouchers' };
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
  return route.page === 'voucher' ? `#/vouchers/${encodeURIComponent(route.code)}` : `#/${route.page}`;
}

const subscribe = (callback: () => void) => {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
