// Desktop settings: a JSON file in the user data directory (settings.json), optionally overridden by
// environment variables for `npm start` and tests. Validated with zod; a bad file is reported with
// the field and the reason, and the shell refuses to start rather than silently talking to the wrong
// HQ or printing to the wrong printer.
import { z } from 'zod';
import type { ShellConfig } from '../renderer/shell/till-shell-api';
import { checkHqUrl } from './trusted-url';

export const SETTINGS_FILE_NAME = 'settings.json';

const hqUrl = z.string().superRefine((value, ctx) => {
  const check = checkHqUrl(value);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: `${check.reason} (got '${value}')` });
});

const settingsFile = z.strictObject({
  hqUrl: hqUrl.nullable().default(null),
  printer: z.string().trim().min(1, 'must not be empty (use null for the system default printer)').max(256).nullable().default(null),
  kiosk: z.boolean().default(false),
  /** Linux without a keyring only: keep the till token with Chromium's "basic_text" obfuscation. */
  allowPlainTextToken: z.boolean().default(false),
});

export type ShellSettings = z.infer<typeof settingsFile> & { hqOrigin: string | null };

export type SettingsResult = { ok: true; settings: ShellSettings } | { ok: false; errors: string[] };

const ENV_BOOL: Record<string, boolean> = { '1': true, true: true, '0': false, false: false };

function describeIssues(error: z.ZodError, where: string): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `${where}: unknown setting(s) ${issue.keys.map((k) => `'${k}'`).join(', ')} (known: hqUrl, printer, kiosk, allowPlainTextToken)`;
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${where}: ${field}: ${issue.message}`;
  });
}

/**
 * Parse the settings file text (null when there is no file: all defaults) and apply the environment.
 * `filePath` is only used in messages.
 */
export function parseSettings(text: string | null, filePath: string, env: Record<string, string | undefined> = {}): SettingsResult {
  let raw: unknown = {};
  if (text !== null) {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return { ok: false, errors: [`${filePath}: not valid JSON — ${(e as Error).message}`] };
    }
  }
  const parsed = settingsFile.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error, filePath) };
  const settings = { ...parsed.data };
  const errors: string[] = [];

  const envHq = env.TILL_HQ_URL?.trim();
  if (envHq) {
    const check = hqUrl.safeParse(envHq);
    if (check.success) settings.hqUrl = envHq;
    else errors.push(...describeIssues(check.error, 'environment variable TILL_HQ_URL'));
  }
  const envKiosk = env.TILL_KIOSK?.trim().toLowerCase();
  if (envKiosk) {
    const kiosk = ENV_BOOL[envKiosk];
    if (kiosk === undefined) errors.push(`environment variable TILL_KIOSK: must be 1, 0, true or false (got '${env.TILL_KIOSK}')`);
    else settings.kiosk = kiosk;
  }
  if (errors.length > 0) return { ok: false, errors };

  const origin = settings.hqUrl === null ? null : checkHqUrl(settings.hqUrl);
  return { ok: true, settings: { ...settings, hqOrigin: origin?.ok ? origin.origin : null } };
}

/** Read and parse the file; a missing file means defaults, any other read error is reported. */
export async function loadSettings(
  filePath: string,
  readFile: (path: string) => Promise<string>,
  env: Record<string, string | undefined>,
): Promise<SettingsResult> {
  let text: string | null;
  try {
    text = await readFile(filePath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, errors: [`${filePath}: cannot be read — ${(e as Error).message}`] };
    text = null;
  }
  return parseSettings(text, filePath, env);
}

/** What the renderer may see (readConfig): no token policy, no origin internals. */
export function toShellConfig(settings: ShellSettings): ShellConfig {
  return { hqUrl: settings.hqUrl, printer: settings.printer, kiosk: settings.kiosk };
}
