// Create or edit a voucher of any kind with every validity rule, the rules said back in words as they
// are typed (core/words, the till's own sentences) — and, for an offer, generate N codes at once and
// download them as CSV (POST /v1/offers/{offer}/vouchers, seed 000).
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import Papa from 'papaparse';
import { VoucherSchema, type Voucher } from '../../core/voucher';
import { conditionLines, effectText } from '../../core/words/voucher-text';
import { api } from '../api';
import { href } from '../route';
import { ErrorNote, useLoad } from '../ui/common';
import { downloadText } from '../ui/download';
import { useWords } from '../words/words';
import { msg } from '../../core/words/i18n';
import { weekdayNames } from '../../core/words/date-format';
import { draftOf, draftToBody, emptyDraft, previewVoucher, type FieldError, type VoucherDraft } from '../voucher-draft';

const DAYS = [1, 2, 3, 4, 5, 6, 0] as const;
/** Codes typed as they are in any language: an ISO 8601 duration, JSON. */
const DURATION_EXAMPLE = 'PT2H';
const METADATA_EXAMPLE = '{"source": "flyer"}';

type Mode = { kind: 'create' } | { kind: 'edit'; code: string } | { kind: 'generate' };

export function VoucherEditor({ code, timeZone }: { code: string; timeZone: string }): ReactNode {
  const { t } = useWords();
  const voucher = useLoad(() => api('GET', `/v1/vouchers/${encodeURIComponent(code)}`, VoucherSchema), code);
  if (voucher.error) return <ErrorNote error={voucher.error} />;
  return voucher.data ? <VoucherForm mode={{ kind: 'edit', code }} initial={draftOf(voucher.data)} timeZone={timeZone} /> : <p role="status">{t('Loading…')}</p>;
}

export function VoucherForm({ mode, initial = emptyDraft(), timeZone }: { mode: Mode; initial?: VoucherDraft; timeZone: string }): ReactNode {
  const { t, locale, displayContext } = useWords();
  const dayName = (day: number) => weekdayNames([day], locale);
  const [d, setD] = useState<VoucherDraft>(initial);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [saved, setSaved] = useState<Voucher | null>(null);
  const [generated, setGenerated] = useState<{ offer: string; vouchers: Voucher[]; wanted: number } | null>(null);
  const [count, setCount] = useState('10');
  const busy = useRef(false);
  const set = <K extends keyof VoucherDraft>(key: K, value: VoucherDraft[K]) => setD((x) => ({ ...x, [key]: value }));
  const text = (key: keyof VoucherDraft) => ({ value: String(d[key]), onChange: (e: { target: { value: string } }) => set(key, e.target.value as never) });
  const fieldError = (key: keyof VoucherDraft) => fieldErrors.filter((e) => e.field === key).map((e) => e.message).join('; ') || null;
  const editing = mode.kind === 'edit';
  const preview = previewVoucher(d, new Date().toISOString());
  const context = displayContext(timeZone, preview?.currency ?? 'EUR');

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.current) return;
    const { body, errors } = draftToBody(d, editing ? 'update' : 'create', t);
    setFieldErrors(errors);
    setError(null);
    if (errors.length) return;
    busy.current = true;
    try {
      if (mode.kind === 'create') setSaved(await api('POST', '/v1/vouchers', VoucherSchema, body));
      else if (mode.kind === 'edit') setSaved(await api('PUT', `/v1/vouchers/${encodeURIComponent(mode.code)}`, VoucherSchema, body));
      else await generate(body);
    } catch (e) {
      setError(e);
    } finally {
      busy.current = false;
    }
  };

  // N codes against an offer, four requests at a time; each gets its own generated code.
  const generate = async (body: Record<string, unknown>) => {
    const offer = d.campaign.trim();
    const wanted = Number(count);
    if (!offer) return setFieldErrors([{ field: 'campaign', message: t('name the offer the codes are for') }]);
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > 1000) return setError(new Error(msg('Generate between 1 and 1,000 codes at a time.')));
    const { code: _code, campaign: _campaign, ...template } = body;
    const vouchers: Voucher[] = [];
    setGenerated({ offer, vouchers: [], wanted });
    let next = 0;
    const worker = async () => {
      while (next < wanted) {
        next++;
        vouchers.push(await api('POST', `/v1/offers/${encodeURIComponent(offer)}/vouchers`, VoucherSchema, template));
        setGenerated({ offer, vouchers: [...vouchers], wanted });
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, wanted) }, worker));
  };

  const downloadCodes = () => {
    if (!generated) return;
    const csv = Papa.unparse({ fields: ['code', 'campaign', 'label', 'start_date', 'expiration_date'], data: generated.vouchers.map((v) => [v.code, v.campaign ?? '', v.label, v.start_date ?? '', v.expiration_date ?? '']) });
    downloadText(`${generated.offer}-codes.csv`, csv);
  };

  if (saved) {
    return (
      <section aria-labelledby="saved-title">
        <h1 id="saved-title">{editing ? t('Saved: {{code}}', { code: saved.code }) : t('Created: {{code}}', { code: saved.code })}</h1>
        <p role="status">
          {t('{{effect}}. Tills learn it at their next sync.', { effect: effectText(saved, context) })} <a href={href({ page: 'voucher', code: saved.code })}>{t('Open {{code}}', { code: saved.code })}</a>
        </p>
      </section>
    );
  }
  const title = mode.kind === 'create' ? t('New voucher') : mode.kind === 'edit' ? t('Edit {{code}}', { code: mode.code }) : t('Generate codes for an offer');
  const err = (key: keyof VoucherDraft) => {
    const message = fieldError(key);
    return message ? (
      <span className="field-error" id={`${key}-error`}>
        {message}
      </span>
    ) : null;
  };
  const described = (key: keyof VoucherDraft) => (fieldError(key) ? { 'aria-invalid': true as const, 'aria-describedby': `${key}-error` } : {});
  return (
    <section aria-labelledby="form-title">
      <h1 id="form-title">{title}</h1>
      <form onSubmit={submit} aria-labelledby="form-title" className="voucher-form">
        <fieldset>
          <legend>{t('Kind')}</legend>
          <label>
            {t('Type')}
            <select value={d.type} onChange={(e) => set('type', e.target.value as VoucherDraft['type'])} disabled={editing}>
              <option value="DISCOUNT_VOUCHER">{t('Discount voucher')}</option>
              <option value="GIFT_VOUCHER">{t('Gift card')}</option>
              <option value="LOYALTY_CARD">{t('Loyalty card')}</option>
            </select>
          </label>
          {mode.kind === 'create' ? (
            <label>
              {t('Code (empty: HQ makes one)')}
              <input {...text('code')} maxLength={32} autoComplete="off" />
            </label>
          ) : null}
          {mode.kind === 'generate' ? (
            <label>
              {t('How many codes')}
              <input type="number" min={1} max={1000} value={count} onChange={(e) => setCount(e.target.value)} required />
            </label>
          ) : null}
          <label>
            {t('Label (what the cashier and the customer read)')}
            <input {...text('label')} maxLength={255} />
          </label>
          <label>
            {d.type === 'LOYALTY_CARD' ? t('Loyalty program') : mode.kind === 'generate' ? t('Offer (the campaign of the codes)') : t('Campaign')}
            <input {...text('campaign')} maxLength={255} required={d.type === 'LOYALTY_CARD' || mode.kind === 'generate'} {...described('campaign')} />
            {err('campaign')}
          </label>
          <label>
            {t('Category')}
            <input {...text('category')} maxLength={255} />
          </label>
          <label>
            {t('Currency')}
            <input {...text('currency')} maxLength={3} required />
          </label>
        </fieldset>

        <fieldset>
          <legend>{t('What it gives')}</legend>
          {d.type === 'DISCOUNT_VOUCHER' ? (
            <>
              <label>
                {t('Discount')}
                <select value={d.discountKind} onChange={(e) => set('discountKind', e.target.value as VoucherDraft['discountKind'])}>
                  <option value="AMOUNT">{t('An amount off')}</option>
                  <option value="PERCENT">{t('A percentage off')}</option>
                  <option value="FIXED">{t('A fixed price for the eligible items')}</option>
                  <option value="UNIT">{t('Units of a product free')}</option>
                  <option value="UNIT_MULTIPLE">{t('Units of several products free')}</option>
                </select>
              </label>
              {d.discountKind === 'PERCENT' ? (
                <label>
                  {t('Percent off')}
                  <input {...text('percent')} inputMode="decimal" required {...described('percent')} />
                  {err('percent')}
                </label>
              ) : null}
              {d.discountKind === 'AMOUNT' || d.discountKind === 'PERCENT' || d.discountKind === 'FIXED' ? (
                <label>
                  {d.discountKind === 'AMOUNT'
                    ? t('Amount off ({{currency}})', { currency: d.currency })
                    : d.discountKind === 'PERCENT'
                      ? t('At most (optional) ({{currency}})', { currency: d.currency })
                      : t('Fixed price ({{currency}})', { currency: d.currency })}
                  <input {...text('amount')} inputMode="decimal" required={d.discountKind !== 'PERCENT'} {...described('amount')} />
                  {err('amount')}
                </label>
              ) : null}
              {d.discountKind === 'UNIT' ? (
                <>
                  <label>
                    {t('Units free')}
                    <input {...text('units')} inputMode="numeric" required {...described('units')} />
                    {err('units')}
                  </label>
                  <label>
                    {t('Product id')}
                    <input {...text('unitProduct')} required />
                  </label>
                </>
              ) : null}
              {d.discountKind === 'UNIT_MULTIPLE' ? (
                <label>
                  {t('Units free, one product a line (“2 croissant”)')}
                  <textarea {...text('unitLines')} rows={3} required {...described('unitLines')} />
                  {err('unitLines')}
                </label>
              ) : null}
            </>
          ) : null}
          {d.type === 'GIFT_VOUCHER' ? (
            <label>
              {editing ? t('Value ({{currency}}) — change it with a top-up', { currency: d.currency }) : t('Value ({{currency}})', { currency: d.currency })}
              <input {...text('giftAmount')} inputMode="decimal" required disabled={editing} {...described('giftAmount')} />
              {err('giftAmount')}
            </label>
          ) : null}
          {d.type === 'LOYALTY_CARD' ? (
            <label>
              {editing ? t('Opening points — points change with sales') : t('Opening points')}
              <input {...text('loyaltyBalance')} inputMode="numeric" disabled={editing} {...described('loyaltyBalance')} />
              {err('loyaltyBalance')}
            </label>
          ) : null}
          {d.type !== 'LOYALTY_CARD' ? (
            <label>
              {t('Uses (empty: unlimited)')}
              <input {...text('quantity')} inputMode="numeric" {...described('quantity')} />
              {err('quantity')}
            </label>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>{t('When (in {{timeZone}}, or a till\'s own zone)', { timeZone })}</legend>
          <label>
            {t('Valid from (YYYY-MM-DD or YYYY-MM-DDTHH:mm)')}
            <input {...text('startDate')} placeholder="2026-12-24" />
          </label>
          <label>
            {t('Valid until (inclusive)')}
            <input {...text('expirationDate')} placeholder="2026-12-31" />
          </label>
          <fieldset>
            <legend>{t('Only on these days (none ticked: every day)')}</legend>
            {DAYS.map((day) => (
              <label key={day} className="check">
                <input type="checkbox" checked={d.days.includes(day)} onChange={(e) => set('days', e.target.checked ? [...d.days, day] : d.days.filter((x) => x !== day))} /> {dayName(day)}
              </label>
            ))}
          </fieldset>
          {d.hours.map((h, i) => (
            <fieldset key={i}>
              <legend>{t('Opening hours {{n}}', { n: i + 1 })}</legend>
              <label>
                {t('From')}
                <input type="time" value={h.start} onChange={(e) => set('hours', d.hours.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))} required />
              </label>
              <label>
                {t('Until')}
                <input type="time" value={h.end} onChange={(e) => set('hours', d.hours.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)))} required />
              </label>
              {DAYS.map((day) => (
                <label key={day} className="check">
                  <input
                    type="checkbox"
                    checked={h.days.includes(day)}
                    onChange={(e) => set('hours', d.hours.map((x, j) => (j === i ? { ...x, days: e.target.checked ? [...x.days, day] : x.days.filter((y) => y !== day) } : x)))}
                  />{' '}
                  {dayName(day)}
                </label>
              ))}
              <button type="button" onClick={() => set('hours', d.hours.filter((_, j) => j !== i))}>
                {t('Remove these hours')}
              </button>
            </fieldset>
          ))}
          <button type="button" onClick={() => set('hours', [...d.hours, { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }])}>
            {t('Add opening hours')}
          </button>
          <label>
            {t('Repeating window: every (ISO 8601, e.g. P7D)')}
            <input {...text('timeframeInterval')} placeholder="P7D" />
          </label>
          <label>
            {t('… open for (e.g. PT2H; needs a start date)')}
            <input {...text('timeframeDuration')} placeholder={DURATION_EXAMPLE} />
          </label>
        </fieldset>

        <fieldset>
          <legend>{t('Who and what')}</legend>
          <label>
            {t('Only for customer (id)')}
            <input {...text('customerId')} />
          </label>
          <label>
            {t('Only for product (id)')}
            <input {...text('productId')} />
          </label>
          <label>
            {t('Minimum ticket ({{currency}})', { currency: d.currency })}
            <input {...text('minOrder')} inputMode="decimal" {...described('minOrder')} />
            {err('minOrder')}
          </label>
          <label className="check">
            <input type="checkbox" checked={d.active} onChange={(e) => set('active', e.target.checked)} /> {t('Switched on')}
          </label>
          <label className="check">
            <input type="checkbox" checked={d.offlineRedeemable} onChange={(e) => set('offlineRedeemable', e.target.checked)} /> {t('Tills may honour it without a connection')}
          </label>
          <label>
            {t('Metadata (JSON)')}
            <textarea {...text('metadata')} rows={3} placeholder={METADATA_EXAMPLE} {...described('metadata')} />
            {err('metadata')}
          </label>
        </fieldset>

        <section aria-labelledby="preview-title" className="card preview" aria-live="polite">
          <h2 id="preview-title">{t('In words')}</h2>
          {preview ? (
            <>
              <p className="effect">{effectText(preview, context)}</p>
              <ul>
                {conditionLines(preview, context).map((line) => (
                  <li key={line}>{line}</li>
                ))}
                {!preview.active ? <li>{t('Switched off: tills refuse it')}</li> : null}
              </ul>
            </>
          ) : (
            <p>{t('Fill in what it gives (and dates HQ can read) to see it in words.')}</p>
          )}
        </section>
        <button type="submit">{mode.kind === 'create' ? t('Create voucher') : mode.kind === 'edit' ? t('Save changes') : t('Generate {{count}} codes', { count: Number(count) || 0 })}</button>
      </form>
      <ErrorNote error={error} />
      {generated ? (
        <section aria-labelledby="generated-title" className="card">
          <h2 id="generated-title">{t('Codes for {{offer}}', { offer: generated.offer })}</h2>
          <label>
            {t('{{made}} of {{wanted}} made', { made: generated.vouchers.length, wanted: generated.wanted })}
            <progress max={generated.wanted} value={generated.vouchers.length} />
          </label>
          {generated.vouchers.length === generated.wanted ? (
            <button type="button" onClick={downloadCodes}>
              {t('Download the {{count}} codes (CSV)', { count: generated.wanted })}
            </button>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}
