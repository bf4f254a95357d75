// Sell a gift card: amount → a code from the block leased to this till → printed card. Works offline.
import { useState, type FormEvent } from 'react';
import { parseMoneyInput } from '../../../core/words/money-format';
import { useTill } from '../store-context';
import { useCodes } from '../use-codes';
import { useDisplayContext, useMoney } from '../use-format';
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
  const print = usePrint();
  const codes = useCodes(card?.code ?? null, card?.code ?? null);
  const [text, setText] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const amount = parseMoneyInput(text, currency);
    if (amount === null || amount <= 0) return say('error', `“${text}” is not an amount. Type the card's value, e.g. 25 or 25.00.`);
    if (await sell(amount)) setText('');
  };
  return (
    <section aria-labelledby="gift-title" className="desk">
      <h1 id="gift-title">Sell a gift card</h1>
      <form onSubmit={(e) => void submit(e)} className="entry">
        <label>
          Amount ({currency})
          <input data-testid="gift-amount" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} autoFocus autoComplete="off" />
        </label>
        <button type="submit" className="primary">Issue card (Enter)</button>
      </form>
      <p className="muted" data-testid="gift-codes-left">{left === null ? '' : `${left} gift-card numbers left at this till.`}</p>
      {card && card.type === 'GIFT_VOUCHER' && (
        <div className="card" data-testid="issued-card">
          <h2>Gift card {card.code}</h2>
          <p>Value {money(card.gift.amount)}. Take payment for it as a normal sale.</p>
          <button type="button" className="primary" disabled={!codes} onClick={() => codes && void print(`Gift card ${card.code}`, <VoucherDocument voucher={card} d={d} barcode={codes.barcode} qr={codes.qr} />)}>Print gift card</button>
          {codes && <div className="paper"><VoucherDocument voucher={card} d={d} barcode={codes.barcode} qr={codes.qr} /></div>}
        </div>
      )}
    </section>
  );
}
