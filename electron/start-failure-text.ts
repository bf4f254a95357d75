// The two boxes the shell may show before any window exists, in the language of the machine
// (app.getLocale(): the till's own locale setting lives in the window, which has not loaded yet). What
// is wrong stays as the settings check wrote it: a field and a value, for whoever edits the file.
import { translatorFor } from '../core/words/i18n';

export type ErrorBox = { title: string; content: string };

export function badSettingsBox(locale: string, errors: readonly string[], settingsFile: string): ErrorBox {
  const t = translatorFor(locale);
  return { title: t('Voucher Till cannot start: bad settings'), content: `${errors.join('\n')}\n\n${t('Fix {{file}} and start again.', { file: settingsFile })}` };
}

export function startFailedBox(locale: string, message: string): ErrorBox {
  const t = translatorFor(locale);
  return { title: t('Voucher Till failed to start'), content: message };
}
