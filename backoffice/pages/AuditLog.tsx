// The audit log (admins only): every change by a person, the admin token or an API key, newest first.
import { useState, type ReactNode } from 'react';
import { AuditLogSchema, type AuditEntry } from '../../sync/protocol';
import { api, query } from '../api';
import { ErrorNote, Pager, useLoad } from '../ui/common';
import type { Translate } from '../../core/words/i18n';
import { useWords } from '../words/words';

const LIMIT = 50;

/**
 * Who made a change, in words. HQ keeps a label written in English when it logs the change: a person's
 * e-mail (shown as it is), "admin token", or "API key " and the key's name (that name is the key's own).
 */
function actorText(t: Translate, actor: AuditEntry['actor']): string {
  if (actor.kind === 'admin_token') return t('admin token');
  if (actor.kind === 'api_key' && actor.label.startsWith('API key ')) return t('API key {{name}}', { name: actor.label.slice('API key '.length) });
  return actor.label;
}

export function AuditLog({ timeZone }: { timeZone: string }): ReactNode {
  const { t, when } = useWords();
  const [offset, setOffset] = useState(0);
  const q = query({ limit: LIMIT, offset });
  const log = useLoad(() => api('GET', `/v1/audit-log${q}`, AuditLogSchema), q);
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('Audit log')}</h1>
      <ErrorNote error={log.error} />
      {log.data ? (
        <>
          <table>
            <caption>{t('Every change, newest first')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('When')}</th>
                <th scope="col">{t('Who')}</th>
                <th scope="col">{t('What')}</th>
                <th scope="col">{t('On')}</th>
                <th scope="col">{t('Before and after')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.result.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at, timeZone)}</td>
                  <td>{actorText(t, e.actor)}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target ?? ''}</td>
                  <td>
                    {e.before !== null || e.after !== null ? (
                      <details>
                        <summary>{t('Show')}</summary>
                        <pre>{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} limit={LIMIT} total={log.data.total} onOffset={setOffset} label={t('Audit log pages')} />
        </>
      ) : null}
    </section>
  );
}
