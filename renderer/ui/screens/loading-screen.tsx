import { useTill } from '../store-context';

export function LoadingScreen() {
  const p = useTill((s) => s.loadProgress);
  const hqUrl = useTill((s) => s.hqUrl);
  const percent = p?.fraction != null ? Math.round(p.fraction * 100) : null;
  return (
    <main className="centered">
      <section className="card" aria-labelledby="load-title">
        <h1 id="load-title">Loading from head office</h1>
        <p>{hqUrl}</p>
        <progress aria-label="Initial load" max={100} {...(percent === null ? {} : { value: percent })} />
        <p data-testid="load-counts" aria-live="polite">
          {percent === null ? 'Starting…' : `${percent} %`} — {(p?.vouchers ?? 0).toLocaleString()} vouchers, {(p?.products ?? 0).toLocaleString()} products, {(p?.customers ?? 0).toLocaleString()} customers
        </p>
        <p>The till can sell as soon as this finishes, with or without a connection.</p>
      </section>
    </main>
  );
}
