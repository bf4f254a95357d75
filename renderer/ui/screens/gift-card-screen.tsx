// Sell a gift card: amount → a code from the block leased to this till → printed card. Works offline.
import { useState, type FormEvent } from 'react';
import { parseMoneyInput } from '../../../core/words/money-format';
import { useTill } from '../store-context';
import { useCodes } from '../use-codes';
import { useDisplayContext, useMoney, useT } from '../use-format';
import { usePrint } from '../use-print';
import { VoucherDocument } from '../widgets/voucher-document';

export function GiftCardScreen() {
  const sell = useTill((s) => s.sellGiftCard);
  const card = useTill((s) => s.issuedCard);
  const left = useTill((s) => s.giftCodesLeft);
  const currency = useTill((s) => s.settings.currency);
  const say = useTill((s) => s.say);
  const d = useDisplayContext();
  const money = useMoney();
  const t = useT();
  const print = usePrint();
  const codes = useCodes(card?.code ?? null, card?.code ?? null);
  const [text, setText] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const amount = parseMoneyInput(text, currency);
    if (amount === null || amount <= 0) return say('error', t('“{{text}}” is not an amount. Type the card\'s value, e.g. 25 or 25.00.', { text }));
    if (await sell(amount)) setText('');
  };
  return (
    <section aria-labelledby="gift-title" className="desk">
      <h1 id="gift-title">{t('Sell a gift card')}</h1>
      <form onSubmit={(e) => void submit(e)} className="entry">
        <label>
          {t('Amount ({{currency}})', { currency })}
          <input data-testid="gift-amount" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} autoFocus autoComplete="off" />
        </label>
        <button type="submit" className="primary">{t('Issue card (Enter)')}</button>
      </form>
      <p className="muted" data-testid="gift-codes-left">{left === null ? '' : t('{{count}} gift-card numbers left at this till.', { count: left })}</p>
      {card && card.type === 'GIFT_VOUCHER' && (
        <div className="card" data-testid="issued-card">
          <h2>{t('Gift card {{code}}', { code: card.code })}</h2>
          <p>{t('Value {{amount}}. Take payment for it as a normal sale.', { amount: money(card.gift.amount) })}</p>
          <button type="button" className="primary" disabled={!codes} onClick={() => codes && void print(t('Gift card {{code}}', { code: card.code }), <VoucherDocument voucher={card} d={d} barcode={codes.barcode} qr={codes.qr} />)}>{t('Print gift card')}</button>
          {codes && <div className="paper"><VoucherDocument voucher={card} d={d} barcode={codes.barcode} qr={codes.qr} /></div>}
        </div>
      )}
    </section>
  );
}
