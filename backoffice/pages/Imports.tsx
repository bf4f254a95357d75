// Imports: a JSON array (seed 004's import format) or a CSV file (backoffice/import-csv.ts) goes to
// POST /v1/vouchers/import; the async action is followed with a progress bar until it is done; each row
// HQ refused is listed with its reason, and the list can be downloaded as CSV to fix and import again.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { AsyncActionSchema, type AsyncAction } from '../../sync/protocol';
import { api } from '../api';
import { errorsCsv, vouchersFromCsv } from '../import-csv';
import { ErrorNote } from '../ui/common';
import { downloadText } from '../ui/download';
import { msg } from '../../core/words/i18n';
import { useWords } from '../words/words';

const StartedSchema = z.object({ async_action_id: z.string() });
const POLL_MS = 500;
/** The header of a CSV file: field names, the same in every language. */
const CSV_HEADER = 'code,type,currency,discount.type,discount.amount_off,gift.amount,start_date,…';

type Upload = { name: string; csv: boolean; rows: number; actionId: string };

export function Imports(): ReactNode {
  const { t } = useWords();
  const [error, setError] = useState<unknown>(null);
  const [fileErrors, setFileErrors] = useState<{ row: number; message: string }[]>([]);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [action, setAction] = useState<AsyncAction | null>(null);
  const busy = useRef(false);

  // Follow the import until HQ says it is done (or failed); stop when the page goes away.
  useEffect(() => {
    if (!upload) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current = true;
    const poll = async () => {
      try {
        const next = await api('GET', `/v1/async-actions/${encodeURIComponent(upload.actionId)}`, AsyncActionSchema);
        if (!current) return;
        setAction(next);
        if (next.status === 'IN_PROGRESS') timer = setTimeout(poll, POLL_MS);
      } catch (e) {
        if (current) setError(e);
      }
    };
    void poll();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [upload]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.current) return;
    const file = new FormData(event.currentTarget).get('file');
    if (!(file instanceof File) || file.size === 0) return setError(new Error(msg('Choose a .json or .csv file first.')));
    busy.current = true;
    setError(null);
    setFileErrors([]);
    setAction(null);
    try {
      const text = await file.text();
      const csv = /\.csv$/i.test(file.name) || file.type === 'text/csv';
      let rows: unknown;
      if (csv) {
        const parsed = vouchersFromCsv(text, t);
        if (parsed.errors.length) return setFileErrors(parsed.errors);
        rows = parsed.rows;
      } else {
        try {
          rows = JSON.parse(text);
        } catch (e) {
          return setError(new Error(t('The file is not JSON: {{error}}', { error: (e as Error).message })));
        }
      }
      if (!Array.isArray(rows) || rows.length === 0) return setError(new Error(msg('The file holds no vouchers: a JSON array of vouchers, or a CSV file with a header row and one voucher per row.')));
      const started = await api('POST', '/v1/vouchers/import', StartedSchema, rows);
      setUpload({ name: file.name, csv, rows: rows.length, actionId: started.async_action_id });
    } catch (e) {
      setError(e);
    } finally {
      busy.current = false;
    }
  };

  const download = () => {
    if (!action || !upload) return;
    downloadText(`${upload.name.replace(/\.[^.]+$/, '')}-errors.csv`, errorsCsv(action.result.errors, upload.csv));
  };

  const progress = action?.progress;
  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">{t('Import vouchers')}</h1>
      <form onSubmit={submit} aria-labelledby="upload-title" className="card">
        <h2 id="upload-title">{t('Upload a file')}</h2>
        <p>{t('A JSON array of vouchers as the API takes them, or a CSV file whose header names the fields:')}</p>
        <p>
          <code>{CSV_HEADER}</code>
        </p>
        <p>{t('Dates as YYYY-MM-DD, YYYY-MM-DDTHH:mm or full ISO 8601; money in cents.')}</p>
        <label>
          {t('File')}
          <input name="file" type="file" accept=".json,.csv,application/json,text/csv" required />
        </label>
        <button type="submit">{t('Import')}</button>
      </form>
      <ErrorNote error={error} />
      {fileErrors.length ? (
        <div role="alert" className="error">
          <p>{t('The CSV file could not be read; nothing was imported:')}</p>
          <ul>
            {fileErrors.map((e) => (
              <li key={`${e.row}-${e.message}`}>{t('Row {{row}}: {{message}}', { row: e.row, message: e.message })}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {upload ? (
        <section aria-labelledby="progress-title" className="card">
          <h2 id="progress-title">{t('{{name}}: {{count}} vouchers', { name: upload.name, count: upload.rows })}</h2>
          <label>
            {action?.status === 'DONE' ? t('Done') : action?.status === 'FAILED' ? t('Failed') : t('Importing…')}
            <progress max={progress?.total ?? upload.rows} value={action?.status === 'IN_PROGRESS' ? (progress?.processed ?? 0) : (progress?.total ?? upload.rows)} />
          </label>
          {action && action.status !== 'IN_PROGRESS' ? (
            <p role="status">{t('{{imported}} imported, {{refused}} refused.', { imported: action.result.imported, refused: action.result.failed })}</p>
          ) : null}
        </section>
      ) : null}
      {action && action.result.errors.length ? (
        <>
          <table>
            <caption>{t('Refused rows (row numbers as in the file)')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Row')}</th>
                <th scope="col">{t('Code')}</th>
                <th scope="col">{t('Why')}</th>
              </tr>
            </thead>
            <tbody>
              {action.result.errors.map((e) => (
                <tr key={e.index}>
                  <td>{upload?.csv ? e.index + 2 : e.index + 1}</td>
                  <td>{e.code ?? ''}</td>
                  <td lang="en">{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={download}>
            {t('Download the refused rows (CSV)')}
          </button>
        </>
      ) : null}
    </section>
  );
}
