import { useState, type FormEvent } from 'react';
import { unsentSalesText } from '../../state/session-slice';
import { useTill } from '../store-context';
import { useT } from '../use-format';

export function PairingScreen() {
  const hqUrl = useTill((s) => s.hqUrl);
  const suggestedToken = useTill((s) => s.suggestedToken);
  const error = useTill((s) => s.pairingError);
  const pair = useTill((s) => s.pair);
  const unsent = useTill((s) => s.unsentElsewhere);
  const t = useT();
  const [url, setUrl] = useState(hqUrl || 'http://127.0.0.1:8080');
  const [token, setToken] = useState(suggestedToken);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void pair(url, token);
  };
  return (
    <main className="centered">
      <form className="card pairing" onSubmit={submit} aria-labelledby="pair-title">
        <h1 id="pair-title">{t('Connect this till to head office')}</h1>
        <p>{t('Head office gives each till a token, or a short pairing code such as K7QM-3XHD that stays valid for a few minutes (the back office\'s Tills page shows it as text and as a QR code to scan). The till then loads every voucher so it can keep selling without a connection.')}</p>
        <label>
          {t('Head office address')}
          <input name="hq" type="url" value={url} onChange={(e) => setUrl(e.target.value)} autoFocus required />
        </label>
        <label>
          {t('Till token or pairing code')}
          <input name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
        </label>
        {unsent.length > 0 && !error && (
          <p className="warning" data-testid="unsent-elsewhere">
            {unsentSalesText(unsent, t)}
          </p>
        )}
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" className="primary">{t('Connect and load (Enter)')}</button>
      </form>
    </main>
  );
}
