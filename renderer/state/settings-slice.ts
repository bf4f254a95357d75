// The Settings screen's state. Saving reopens the till so the sync engine and validation use the new
// values at once.
import { DEFAULT_UI_SETTINGS, UiSettingsSchema, settingsErrors, type UiSettings } from './settings-schema';
import type { SettingsSlice, SliceArgs, StoreDeps } from './types';
import { translatorFor } from '../../core/words/i18n';

export const SETTINGS_KEY = 'voucher-till:settings';

export function loadSettings(storage: StoreDeps['storage']): UiSettings {
  const raw = storage.getItem(SETTINGS_KEY);
  if (!raw) return DEFAULT_UI_SETTINGS;
  try {
    const parsed = UiSettingsSchema.safeParse({ ...DEFAULT_UI_SETTINGS, ...JSON.parse(raw) });
    return parsed.success ? parsed.data : DEFAULT_UI_SETTINGS;
  } catch {
    return DEFAULT_UI_SETTINGS;
  }
}

export function createSettingsSlice(...[set, get, deps]: SliceArgs): SettingsSlice {
  return {
    settings: loadSettings(deps.storage),
    async saveSettings(input) {
      const parsed = UiSettingsSchema.safeParse(input);
      // Refusals in the language the cashier reads now, not the one just typed in.
      if (!parsed.success) return { ok: false, errors: settingsErrors(parsed.error, translatorFor(get().settings.locale)) };
      deps.storage.setItem(SETTINGS_KEY, JSON.stringify(parsed.data));
      set({ settings: parsed.data });
      await get().reopenTill();
      const t = translatorFor(parsed.data.locale);
      get().say('success', t('Settings saved.'));
      return { ok: true };
    },
  };
}
