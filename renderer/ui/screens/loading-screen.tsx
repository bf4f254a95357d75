import { useTill } from '../store-context';
import { useT } from '../use-format';

export function LoadingScreen() {
  const p = useTill((s) => s.loadProgress);
  const locale = useTill((s) => s.settings.locale);
  const hqUrl = useTill((s) => s.hqUrl);
  const t = useT();
  const n = (x: number | undefined) => (x ?? 0).toLocaleString(locale);
  const percent = p?.fraction != null ? Math.round(p.fraction * 100) : null;
  return (
    <main className="centered">
      <section className="card" aria-labelledby="load-title">
        <h1 id="load-title">{t('Loading from head office')}</h1>
        <p>{hqUrl}</p>
        <progress aria-label={t('Initial load')} max={100} {...(percent === null ? {} : { value: percent })} />
        <p data-testid="load-counts" aria-live="polite">
          {percent === null ? t('Starting…') : `${percent} %`} — {t('{{n}} vouchers', { count: p?.vouchers ?? 0, n: n(p?.vouchers) })}, {t('{{n}} products', { count: p?.products ?? 0, n: n(p?.products) })}, {t('{{n}} customers', { count: p?.customers ?? 0, n: n(p?.customers) })}
        </p>
        <p>{t('The till can sell as soon as this finishes, with or without a connection.')}</p>
      </section>
    </main>
  );
}
