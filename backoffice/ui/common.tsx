// Small pieces every screen uses: an error in the person's language, a pager, an async-data hook.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { problemText } from '../../sync/protocol/problem-text';
import { pushReasonText } from '../../sync/protocol/push-reason-text';
import { languageOf } from '../../core/words/i18n';
import { ApiError } from '../api';
import { useWords } from '../words/words';

/**
 * A refusal in the person's language. From HQ: in English, its `detail`, which names the specifics
 * (which code, which amount); in another language, the sentence for its problem code with the detail
 * beneath, marked `lang="en"` (and the detail alone, marked so, for a code this build does not know).
 * Field errors name the field as HQ does. The console's own refusals (marked with msg) are translated.
 */
export function ErrorNote({ error }: { error: unknown }): ReactNode {
  const { t, locale } = useWords();
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const hq = error instanceof ApiError && error.fromHq ? error.problem : null;
  const sentence = hq ? problemText(hq.code) : null;
  const english = languageOf(locale) === 'en';
  return (
    <div role="alert" className="error">
      {hq && english ? (
        <p>{hq.detail}</p>
      ) : hq ? (
        <>
          {sentence ? <p>{t(sentence)}</p> : null}
          <p className="detail">
            {t('HQ:')} <span lang="en">{hq.detail}</span>
          </p>
        </>
      ) : (
        <p>{t(problem ? problem.detail : String((error as Error).message ?? error))}</p>
      )}
      {problem?.errors?.length ? (
        <ul lang="en">
          {problem.errors.map((e) => (
            <li key={e.path}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Why HQ did not apply an op as sent: its reason in words, then the code (for IT, and for a reason this build does not know). */
export function PushReason({ code }: { code: string }): ReactNode {
  const { t } = useWords();
  const sentence = pushReasonText(code);
  return (
    <>
      {sentence ? `${t(sentence)} ` : null}
      <code>{code}</code>
    </>
  );
}

/** "21–40 of 135" with previous and next. */
export function Pager({ offset, limit, total, onOffset, label }: { offset: number; limit: number; total: number; onOffset: (offset: number) => void; label: string }): ReactNode {
  const { t } = useWords();
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        {t('Previous')}
      </button>
      <span aria-live="polite">{t('{{from}}–{{to}} of {{total}}', { from, to, total })}</span>
      <button type="button" disabled={to >= total} onClick={() => onOffset(offset + limit)}>
        {t('Next')}
      </button>
    </nav>
  );
}

export type Loaded<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/** Load with `load` whenever `key` changes; reload() asks again (after a change the screen made). */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure each render; `key` says when what it loads changed.
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
