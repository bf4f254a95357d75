// The console's language, chosen from the ones it is complete in, each named in itself; on the sign-in
// page and in the header. Kept in this browser (backoffice/words/words.ts).
import type { ReactNode } from 'react';
import { languageOf } from '../../core/words/i18n';
import { LANGUAGES, useLanguage, useWords } from '../words/words';

export function LanguagePicker(): ReactNode {
  const { t } = useWords();
  const locale = useLanguage((s) => s.locale);
  const choose = useLanguage((s) => s.choose);
  // "de-AT" from the browser is German: the list shows Deutsch, and the region's dates stay until someone chooses.
  const current = LANGUAGES.find((l) => languageOf(l.locale) === languageOf(locale))?.locale ?? LANGUAGES[0]!.locale;
  return (
    <label className="language">
      {t('Language')}
      <select value={current} onChange={(event) => choose(event.target.value)}>
        {LANGUAGES.map((l) => (
          <option key={l.locale} value={l.locale} lang={l.locale}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
