// Tills: register one, see each device's health (last contact, last op, live stream, open items), issue
// a pairing code — as text and as a QR code the till's scanner reads into its pairing field — or revoke.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import QRCode from 'qrcode';
import { z } from 'zod';
import { PairingCodeIssuedSchema, TillCreatedSchema, TillSummarySchema, type TillSummary } from '../../sync/protocol';
import { api } from '../api';
import { can, useSession } from '../session';
import { ErrorNote, useLoad } from '../ui/common';
import { when } from '../ui/format';

const TillListSchema = z.object({ result: z.array(TillSummarySchema) });
type Issued = z.infer<typeof PairingCodeIssuedSchema> & { name: string };

export function Tills({ timeZone }: { timeZone: string }): ReactNode {
  const state = useSession((s) => s.state);
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
  const pair = (t: TillSummary) => act(async () => setIssued({ ...(await api('POST', `/v1/tills/${t.id}/pairing-code`, PairingCodeIssuedSchema, {})), name: t.name }));
  const revoke = (t: TillSummary) =>
    window.confirm(`Revoke ${t.name}? It stops syncing at once; sales it holds stay on it until it is paired again.`) &&
    act(async () => {
      await api('POST', `/v1/tills/${t.id}/revoke`, TillSummarySchema);
    });

  return (
    <section aria-labelledby="tills-title">
      <h1 id="tills-title">Tills</h1>
      <ErrorNote error={tills.error ?? error} />
      {issued ? <PairingCode issued={issued} timeZone={timeZone} onDone={() => setIssued(null)} /> : null}
      {tills.data ? (
        <table>
          <caption>{tills.data.result.length === 1 ? '1 till' : `${tills.data.result.length} tills`}</caption>
          <thead>
            <tr>
              <th scope="col">Till</th>
              <th scope="col">Store</th>
              <th scope="col">Last contact</th>
              <th scope="col">Last op</th>
              <th scope="col">Live stream</th>
              <th scope="col">Needs a person</th>
              {manage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {tills.data.result.map((t) => (
              <tr key={t.id}>
                <th scope="row">
                  {t.name}
                  {t.revoked ? ' (revoked)' : ''}
                </th>
                <td>{t.store ?? ''}</td>
                <td>{t.last_seen_at ? when(t.last_seen_at, timeZone) : 'never'}</td>
                <td>{t.last_seq}</td>
                <td>{t.stream.open ? `connected since ${when(t.stream.since!, timeZone)}` : 'not connected'}</td>
                <td>{t.open_items}</td>
                {manage ? (
                  <td className="actions">
                    <button type="button" onClick={() => pair(t)}>
                      Pairing code{t.pairing_expires_at ? ' (new)' : ''}
                    </button>
                    {!t.revoked ? (
                      <button type="button" className="danger" onClick={() => revoke(t)}>
                        Revoke
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
          <h2 id="register-title">Register a till</h2>
          <label>
            Name
            <input name="name" required maxLength={255} />
          </label>
          <label>
            Store (optional)
            <input name="store" maxLength={255} />
          </label>
          <button type="submit">Register and show its pairing code</button>
        </form>
      ) : null}
    </section>
  );
}

function PairingCode({ issued, timeZone, onDone }: { issued: Issued; timeZone: string; onDone: () => void }): ReactNode {
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
      <h2 id="pairing-title">Pairing code for {issued.name}</h2>
      <p>
        On the till's pairing screen, type or scan it into “Till token or pairing code”:{' '}
        <strong className="pairing-code" data-testid="pairing-code">
          {issued.pairing_code}
        </strong>
      </p>
      {qr ? <img src={qr} alt={`QR code of the pairing code ${issued.pairing_code}`} width={200} height={200} /> : null}
      <p>It works once, until {when(issued.expires_at, timeZone)}. A new code replaces it.</p>
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
