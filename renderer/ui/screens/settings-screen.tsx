// Settings: store time zone, currency and locale, offline limits, printer. Validated by the store's
// zod schema; errors are shown per field.
import { useEffect, useState, type FormEvent } from 'react';
import type { PrinterInfo } from '../../shell/till-shell-api';
import { asciiUpperCase } from '../../../core/text';
import { isCurrency } from '../../../core/money';
import { currencyDigits, parseMoneyInput } from '../../../core/words/money-format';
import { useShell } from '../shell-context';
import { useTill } from '../store-context';
import { useT } from '../use-format';
import { BRAND } from '../brand';
import { SETTING_LABELS as LABEL } from '../../state/settings-schema';

/** Locales with a full catalog (core/words/locales/), each named in its own language; any other tag works in English. */
const LOCALES = [
  ['en-GB', 'English (UK)'],
  ['en-US', 'English (US)'],
  ['de-DE', 'Deutsch (Deutschland)'],
  ['de-AT', 'Deutsch (Österreich)'],
  ['ar-EG', 'العربية (مصر)'],
] as const;

export function SettingsScreen() {
  const settings = useTill((s) => s.settings);
  const save = useTill((s) => s.saveSettings);
  const shell = useShell();
  const t = useT();
  const [printers, setPrinters] = useState<PrinterInfo[]>([]);
  const [version, setVersion] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [form, setForm] = useState({
    timeZone: settings.timeZone,
    currency: settings.currency,
    locale: settings.locale,
    maxGift: settings.maxOfflineGiftPerTicket === null ? '' : String(settings.maxOfflineGiftPerTicket / 10 ** currencyDigits(settings.currency)),
    maxPoints: settings.maxOfflinePointsPerTicket === null ? '' : String(settings.maxOfflinePointsPerTicket / 10 ** currencyDigits(settings.currency)),
    maxAge: settings.maxReplicaAgeHours === null ? '' : String(settings.maxReplicaAgeHours),
    maxCard: String(settings.maxGiftCardAmount / 10 ** currencyDigits(settings.currency)),
    printer: settings.printer ?? '',
  });
  useEffect(() => {
    void shell.listPrinters().then(setPrinters).catch(() => setPrinters([]));
    void shell.appVersion().then(setVersion);
  }, [shell]);
  const field = (name: keyof typeof form) => ({ value: form[name], onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }) });

  async function submit(e: FormEvent) {
    e.preventDefault();
    // ASCII only: "ſek" must not become SEK (core/text.ts).
    const currency = asciiUpperCase(form.currency.trim());
    // Amounts are read in the currency's digits; a currency that is no ISO code ("E1") has none, and the
    // schema below refuses it by name — so read them as euros meanwhile rather than throw.
    const digitsOf = isCurrency(currency) ? currency : 'EUR';
    const maxGift = form.maxGift.trim() === '' ? null : parseMoneyInput(form.maxGift, digitsOf);
    if (maxGift === undefined || (form.maxGift.trim() !== '' && maxGift === null)) return setErrors([t('{{field}}: “{{text}}” is not an amount', { field: t(LABEL.maxOfflineGiftPerTicket), text: form.maxGift })]);
    const maxPoints = form.maxPoints.trim() === '' ? null : parseMoneyInput(form.maxPoints, digitsOf);
    if (maxPoints === undefined || (form.maxPoints.trim() !== '' && maxPoints === null)) return setErrors([t('{{field}}: “{{text}}” is not an amount', { field: t(LABEL.maxOfflinePointsPerTicket), text: form.maxPoints })]);
    const maxAge = form.maxAge.trim() === '' ? null : Number(form.maxAge);
    const maxCard = parseMoneyInput(form.maxCard, digitsOf);
    if (maxCard === null) return setErrors([t('{{field}}: “{{text}}” is not an amount', { field: t(LABEL.maxGiftCardAmount), text: form.maxCard })]);
    const result = await save({
      timeZone: form.timeZone.trim(),
      currency,
      locale: form.locale.trim(),
      maxOfflineGiftPerTicket: maxGift,
      maxOfflinePointsPerTicket: maxPoints,
      maxReplicaAgeHours: maxAge,
      maxGiftCardAmount: maxCard,
      printer: form.printer || null,
    });
    setErrors(result.ok ? [] : result.errors);
  }

  return (
    <section aria-labelledby="settings-title" className="desk">
      <h1 id="settings-title">{t('Settings')}</h1>
      <form className="card settings" onSubmit={(e) => void submit(e)}>
        <label>{t(LABEL.timeZone)}<input {...field('timeZone')} /></label>
        <label>{t(LABEL.currency)}<input {...field('currency')} maxLength={3} /></label>
        <label>
          {t(LABEL.locale)}
          <input {...field('locale')} list="till-locales" />
          <datalist id="till-locales">
            {LOCALES.map(([tag, name]) => <option key={tag} value={tag}>{name}</option>)}
          </datalist>
        </label>
        <label>{t(LABEL.maxOfflineGiftPerTicket)}<input {...field('maxGift')} inputMode="decimal" /></label>
        <label>{t(LABEL.maxOfflinePointsPerTicket)}<input {...field('maxPoints')} inputMode="decimal" /></label>
        <label>{t(LABEL.maxGiftCardAmount)}<input {...field('maxCard')} inputMode="decimal" /></label>
        <label>{t(LABEL.maxReplicaAgeHours)}<input {...field('maxAge')} inputMode="decimal" /></label>
        <label>
          {t(LABEL.printer)}
          <select {...field('printer')}>
            <option value="">{shell.kind === 'browser' ? t('Browser print dialog') : t('System default')}</option>
            {printers.map((p) => <option key={p.name} value={p.name}>{p.displayName}{p.isDefault ? ` ${t('(default)')}` : ''}</option>)}
          </select>
        </label>
        {errors.length > 0 && <ul role="alert" className="error">{errors.map((m) => <li key={m}>{m}</li>)}</ul>}
        <button type="submit" className="primary">{t('Save settings')}</button>
      </form>
      <p className="muted">{BRAND} {version} ({shell.kind})</p>
    </section>
  );
}
