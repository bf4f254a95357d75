// Small pieces every screen uses: an error in HQ's own words, a pager, an async-data hook.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api';

/** HQ's sentence for a refusal (with field errors), or the message of anything else. */
export function ErrorNote({ error }: { error: unknown }): ReactNode {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <div role="alert" className="error">
      <p>{problem ? problem.detail : String((error as Error).message ?? error)}</p>
      {problem?.errors?.length ? (
        <ul>
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

/** "21–40 of 135" with previous and next. */
export function Pager({ offset, limit, total, onOffset, label }: { offset: number; limit: number; total: number; onOffset: (offset: number) => void; label: string }): ReactNode {
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous
      </button>
      <span aria-live="polite">
        {from}–{to} of {total}
      </span>
      <button type="button" disabled={to >= total} onClick={() => onOffset(offset + limit)}>
        Next
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
