// API keys for integrations (admins only): a web shop or kiosk redeems online with one. The key is
// shown once, when made; HQ keeps only its hash. Revoking stops it at once.
import { useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { API_SCOPES_TEXT } from '../ui/scopes';
import { ApiKeyCreatedSchema, ApiKeySchema } from '../../sync/protocol';
import { api, apiVoid } from '../api';
import { ErrorNote, useLoad } from '../ui/common';
import { useWords } from '../words/words';

export function ApiKeys({ timeZone }: { timeZone: string }): ReactNode {
  const { t, when } = useWords();
  const keys = useLoad(() => api('GET', '/v1/api-keys', z.object({ result: z.array(ApiKeySchema) })), 'keys');
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<z.infer<typeof ApiKeyCreatedSchema> | null>(null);
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    try {
      setCreated(await api('POST', '/v1/api-keys', ApiKeyCreatedSchema, { name: data.get('name'), scopes: data.getAll('scopes') }));
      form.reset();
      keys.reload();
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async (id: string, name: string) => {
    if (!window.confirm(t('Revoke the key "{{name}}"? Whatever uses it stops working at once.', { name }))) return;
    setError(null);
    try {
      await apiVoid('DELETE', `/v1/api-keys/${id}`);
    } catch (e) {
      setError(e);
    }
    keys.reload();
  };
  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{t('API keys')}</h1>
      <ErrorNote error={keys.error ?? error} />
      {created ? (
        <section className="card" role="region" aria-labelledby="new-key-title">
          <h2 id="new-key-title">{t('Key for {{name}}', { name: created.name })}</h2>
          <p>{t('Copy it now: it is shown only this once.')}</p>
          <p>
            <code data-testid="new-key">{created.key}</code>
          </p>
          <button type="button" onClick={() => setCreated(null)}>
            {t('I have copied it')}
          </button>
        </section>
      ) : null}
      {keys.data ? (
        <table>
          <caption>{t('Keys in force')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('Name')}</th>
              <th scope="col">{t('May')}</th>
              <th scope="col">{t('Made')}</th>
              <th scope="col">{t('Actions')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.result.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.name}</th>
                <td>{k.scopes.map((s) => t(API_SCOPES_TEXT[s])).join('; ')}</td>
                <td>{when(k.created_at, timeZone)}</td>
                <td>
                  <button type="button" className="danger" onClick={() => revoke(k.id, k.name)}>
                    {t('Revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={create} aria-labelledby="create-key-title" className="card">
        <h2 id="create-key-title">{t('Make a key')}</h2>
        <label>
          {t('Name (the channel: web shop, kiosk …)')}
          <input name="name" required maxLength={255} />
        </label>
        <fieldset>
          <legend>{t('It may')}</legend>
          {Object.entries(API_SCOPES_TEXT).map(([scope, text]) => (
            <label key={scope} className="check">
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === 'redeem'} /> {t(text)}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t('Make key')}</button>
      </form>
    </section>
  );
}
