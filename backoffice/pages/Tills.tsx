// Tills: register one, see each device's health (last contact, last op, live stream, open items), issue
// a pairing code — as text and as a QR code the till's scanner reads into its pairing field — or revoke.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import QRCode from 'qrcode';
import { z } from 'zod';
import { PairingCodeIssuedSchema, TillCreatedSchema, TillSummarySchema, type TillSummary } from '../../sync/protocol';
import { api } from '../api';
import { can, useSession } from '../session';
import { ErrorNote, useLoad } from '../ui/common';
import { useWords } from '../words/words';

const TillListSchema = z.object({ result: z.array(TillSummarySchema) });
type Issued = z.infer<typeof PairingCodeIssuedSchema> & { name: string };

export function Tills({ timeZone }: { timeZone: string }): ReactNode {
  const state = useSession((s) => s.state);
  const { t, when } = useWords();
  const tills = useLoad(() => api('GET', '/v1/tills', TillListSchema), 'tills');
  const [error, setError] = useState<unknown>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const manage = can(state, 'manager');
  const act = async (what: () => Promise<void>) => {
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(e);
    }
    tills.reload();
  };
  const register = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const store = String(data.get('store')).trim();
    return act(async () => {
      const created = await api('POST', '/v1/tills', TillCreatedSchema, { name: data.get('name'), ...(store ? { store } : {}) });
      form.reset();
      // A new till is set up with a pairing code, never by copying its 48-character token.
      setIssued({ ...(await api('POST', `/v1/tills/${created.till_id}/pairing-code`, PairingCodeIssuedSchema, {})), name: String(data.get('name')) });
    });
  };
  const pair = (till: TillSummary) => act(async () => setIssued({ ...(await api('POST', `/v1/tills/${till.id}/pairing-code`, PairingCodeIssuedSchema, {})), name: till.name }));
  const revoke = (till: TillSummary) =>
    window.confirm(t('Revoke {{name}}? It stops syncing at once; sales it holds stay on it until it is paired again.', { name: till.name })) &&
    act(async () => {
      await api('POST', `/v1/tills/${till.id}/revoke`, TillSummarySchema);
    });

  return (
    <section aria-labelledby="tills-title">
      <h1 id="tills-title">{t('Tills')}</h1>
      <ErrorNote error={tills.error ?? error} />
      {issued ? <PairingCode issued={issued} timeZone={timeZone} onDone={() => setIssued(null)} /> : null}
      {tills.data ? (
        <table>
          <caption>{t('{{count}} tills', { count: tills.data.result.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('Till')}</th>
              <th scope="col">{t('Store')}</th>
              <th scope="col">{t('Last contact')}</th>
              <th scope="col">{t('Last op')}</th>
              <th scope="col">{t('Live stream')}</th>
              <th scope="col">{t('Needs a person')}</th>
              {manage ? <th scope="col">{t('Actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {tills.data.result.map((till) => (
              <tr key={till.id}>
                <th scope="row">{till.revoked ? t('{{name}} (revoked)', { name: till.name }) : till.name}</th>
                <td>{till.store ?? ''}</td>
                <td>{till.last_seen_at ? when(till.last_seen_at, timeZone) : t('never')}</td>
                <td>{till.last_seq}</td>
                <td>{till.stream.open ? t('connected since {{when}}', { when: when(till.stream.since!, timeZone) }) : t('not connected')}</td>
                <td>{till.open_items}</td>
                {manage ? (
                  <td className="actions">
                    <button type="button" onClick={() => pair(till)}>
                      {till.pairing_expires_at ? t('Pairing code (new)') : t('Pairing code')}
                    </button>
                    {!till.revoked ? (
                      <button type="button" className="danger" onClick={() => revoke(till)}>
                        {t('Revoke')}
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {manage ? (
        <form onSubmit={register} aria-labelledby="register-title" className="card">
          <h2 id="register-title">{t('Register a till')}</h2>
          <label>
            {t('Name')}
            <input name="name" required maxLength={255} />
          </label>
          <label>
            {t('Store (optional)')}
            <input name="store" maxLength={255} />
          </label>
          <button type="submit">{t('Register and show its pairing code')}</button>
        </form>
      ) : null}
    </section>
  );
}

function PairingCode({ issued, timeZone, onDone }: { issued: Issued; timeZone: string; onDone: () => void }): ReactNode {
  const { t, when } = useWords();
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(issued.pairing_code, { margin: 1, width: 200, errorCorrectionLevel: 'M' }).then((url) => current && setQr(url));
    return () => {
      current = false;
    };
  }, [issued.pairing_code]);
  return (
    <section className="card" aria-labelledby="pairing-title" role="region">
      <h2 id="pairing-title">{t('Pairing code for {{name}}', { name: issued.name })}</h2>
      <p>
        {t('On the till\'s pairing screen, type or scan it into “{{field}}”:', { field: t('Till token or pairing code') })}{' '}
        <strong className="pairing-code" data-testid="pairing-code">
          {issued.pairing_code}
        </strong>
      </p>
      {qr ? <img src={qr} alt={t('QR code of the pairing code {{code}}', { code: issued.pairing_code })} width={200} height={200} /> : null}
      <p>{t('It works once, until {{when}}. A new code replaces it.', { when: when(issued.expires_at, timeZone) })}</p>
      <button type="button" onClick={onDone}>
        {t('Done')}
      </button>
    </section>
  );
}
