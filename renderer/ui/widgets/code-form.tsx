// A one-field form for a code, used by the voucher check and refund screens (scanning works too).
import { useState, type FormEvent } from 'react';

export function CodeForm({ label, onSubmit, testId, autoFocus = true }: { label: string; onSubmit: (value: string) => void; testId: string; autoFocus?: boolean }) {
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) onSubmit(text.trim());
    setText('');
  };
  return (
    <form onSubmit={submit} className="entry">
      <label>
        {label}
        <input data-testid={testId} value={text} onChange={(e) => setText(e.target.value)} autoFocus={autoFocus} autoComplete="off" />
      </label>
    </form>
  );
}
