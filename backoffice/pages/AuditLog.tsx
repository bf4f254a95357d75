// The audit log (admins only): every change by a person, the admin token or an API key, newest first.
import { useState, type ReactNode } from 'react';
import { AuditLogSchema } from '../../sync/protocol';
import { api, query } from '../api';
import { ErrorNote, Pager, useLoad } from '../ui/common';
import { when } from '../ui/format';

const LIMIT = 50;

export function AuditLog({ timeZone }: { timeZone: string }): ReactNode {
  const [offset, setOffset] = useState(0);
  const q = query({ limit: LIMIT, offset });
  const log = useLoad(() => api('GET', `/v1/audit-log${q}`, AuditLogSchema), q);
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <ErrorNote error={log.error} />
      {log.data ? (
        <>
          <table>
            <caption>Every change, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">On</th>
                <th scope="col">Before and after</th>
              </tr>
            </thead>
            <tbody>
              {log.data.result.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at, timeZone)}</td>
                  <td>{e.actor.label}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target ?? ''}</td>
                  <td>
                    {e.before !== null || e.after !== null ? (
                      <details>
                        <summary>Show</summary>
                        <pre>{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} limit={LIMIT} total={log.data.total} onOffset={setOffset} label="Audit log pages" />
        </>
      ) : null}
    </section>
  );
}
