// Keyboard-wedge scan detection: telling a barcode scanner that "types" from a person typing.
//
// A wedge scanner is a keyboard as far as the till can tell; the only difference is speed. This is
// a small deterministic state machine in the spirit of onscan.js, but pure: every key comes with
// its own timestamp (`at`, ms — e.g. KeyboardEvent.timeStamp) and nothing here reads a clock or sets
// a timer. Feed it keydown events; when `requireSuffix` is false, also call `idle(now)` from a timer
// after maxInterKeyMs so a scan without a suffix can end.
//
// Decision rules, applied to each key in order:
//  1. Modifier-only keys (Shift, Control, Alt, AltGraph, Meta, CapsLock, NumLock, …) are ignored:
//     they add nothing, break nothing and do not count as activity. Scanners send Shift around
//     capitals, so gaps are measured between the non-modifier keys only.
//  2. A key is *fast* when it arrives 0 ≤ gap ≤ maxInterKeyMs after the previous buffered key
//     (a negative or NaN gap counts as slow). When the buffer is non-empty and the key is slow, the
//     buffered burst is over: with requireSuffix = false it is reported as a scan (ended by 'gap') if
//     it qualifies, otherwise it is dropped. Then the key is handled against an empty buffer.
//  3. A GS key (default Ctrl+], or a key whose value is GS itself) appends GS (\u001d), the FNC1
//     separator GS1 data needs. It is a keystroke of the scan but types nothing into a text field.
//  4. A suffix key (default Enter or Tab, without Ctrl/Alt/Meta) ends the buffer. If it is fast and
//     the buffer qualifies, that is a scan (ended by 'suffix'); otherwise the buffer is dropped and
//     the key belongs to the UI.
//  5. A printable key (one character, not a control character) is appended; with Ctrl or Alt or
//     Meta held it is a shortcut instead — except Ctrl+Alt together, which is how Windows reports
//     AltGr, needed for characters such as @ on many European layouts.
//  6. Any other key (Backspace, arrows, F-keys, Ctrl+C, …) drops the buffer.
//  A buffer *qualifies* when, with `prefix` set, it starts with the prefix, and the value (the
//  buffer without the prefix) has at least minLength characters. While a prefix is set, leading
//  characters that cannot begin it are dropped as they arrive, so a stray keystroke just before the
//  scanner starts does not spoil the scan.
//
// Why a person is never mistaken for a scanner: with every gap > maxInterKeyMs each key starts a new
// buffer, which then holds one character, and minLength must be at least 2.
//
// When a text field had focus, the scan's characters were typed into it: `typedChars` says how many
// characters to remove from before the caret (the prefix included, GS and the suffix excluded).

import { GS } from './gs1';

export type KeyMatch = { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean };

export type WedgeOptions = {
  /** Longest gap between two keys of one scan. Default 30. */
  maxInterKeyMs: number;
  /** Fewest characters in a scan's value (prefix excluded); at least 2. Default 4. */
  minLength: number;
  /** KeyboardEvent.key values that end a scan. Default ['Enter', 'Tab']. */
  suffixKeys: readonly string[];
  /** When false a scan also ends at a gap > maxInterKeyMs, reported by idle(now) or the next key. Default true. */
  requireSuffix: boolean;
  /** If set, a scan must begin with it; it is stripped from the value. */
  prefix?: string;
  /** Key combinations that stand for GS (FNC1). Default Ctrl+]. */
  gsKeys: readonly KeyMatch[];
};

export type KeyInput = { key: string; at: number; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean; shiftKey?: boolean };

export type WedgeEvent =
  | {
      type: 'scan';
      value: string;
      startedAt: number;
      endedAt: number;
      /** Non-modifier keystrokes of the scan: characters, GS keys and the suffix. */
      keys: number;
      /** Characters a focused text field received and the UI should remove. */
      typedChars: number;
      /** 'suffix': the key just passed ended the scan (the UI should swallow it). 'gap': ended by time; the current key, if any, is not part of it. */
      endedBy: 'suffix' | 'gap';
    }
  | { type: 'none' };

export type WedgeDetector = {
  key(input: KeyInput): WedgeEvent;
  idle(now: number): WedgeEvent;
  reset(): void;
  readonly buffering: boolean;
};

export const DEFAULT_WEDGE_OPTIONS: Readonly<WedgeOptions> = {
  maxInterKeyMs: 30,
  minLength: 4,
  suffixKeys: ['Enter', 'Tab'],
  requireSuffix: true,
  gsKeys: [{ key: ']', ctrlKey: true }],
};

const MODIFIER_KEYS = new Set([
  'Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'Super', 'Hyper', 'Fn', 'FnLock',
  'CapsLock', 'NumLock', 'ScrollLock', 'Symbol', 'SymbolLock',
]);

const NONE: WedgeEvent = { type: 'none' };

type Entry = { ch: string; at: number; typed: boolean };

function isPrintable(key: string): boolean {
  const chars = [...key];
  if (chars.length !== 1) return false;
  const code = key.codePointAt(0) ?? 0;
  return code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f);
}

function matches(match: KeyMatch, input: KeyInput): boolean {
  return (
    match.key === input.key &&
    Boolean(match.ctrlKey) === Boolean(input.ctrlKey) &&
    Boolean(match.altKey) === Boolean(input.altKey) &&
    Boolean(match.metaKey) === Boolean(input.metaKey)
  );
}

export function createWedgeDetector(options: Partial<WedgeOptions> = {}): WedgeDetector {
  // `??` rather than spreading, so an option passed as undefined falls back to its default.
  const maxInterKeyMs = options.maxInterKeyMs ?? DEFAULT_WEDGE_OPTIONS.maxInterKeyMs;
  const minLength = options.minLength ?? DEFAULT_WEDGE_OPTIONS.minLength;
  const suffixKeys = options.suffixKeys ?? DEFAULT_WEDGE_OPTIONS.suffixKeys;
  const requireSuffix = options.requireSuffix ?? DEFAULT_WEDGE_OPTIONS.requireSuffix;
  const gsKeys = options.gsKeys ?? DEFAULT_WEDGE_OPTIONS.gsKeys;
  const prefix = options.prefix ?? '';
  if (!Number.isFinite(maxInterKeyMs) || maxInterKeyMs < 0) throw new RangeError('maxInterKeyMs must be a finite number ≥ 0');
  // One keystroke has no gap to measure: a single character cannot be told apart from a person.
  if (!Number.isInteger(minLength) || minLength < 2) throw new RangeError('minLength must be an integer ≥ 2');
  if (requireSuffix && suffixKeys.length === 0) throw new RangeError('requireSuffix needs at least one suffix key');

  let buffer: Entry[] = [];

  const text = () => buffer.map((e) => e.ch).join('');
  const lastAt = () => buffer.at(-1)?.at ?? Number.NaN;
  const isFast = (at: number) => {
    const gap = at - lastAt();
    return gap >= 0 && gap <= maxInterKeyMs;
  };
  const qualifies = () => {
    const s = text();
    // Characters, not UTF-16 units: one keystroke of "😀" must not count as two.
    return s.startsWith(prefix) && [...s.slice(prefix.length)].length >= minLength;
  };

  function append(entry: Entry): void {
    buffer.push(entry);
    if (prefix === '') return;
    // Drop leading entries until what is left could still be, or already is, prefix + value.
    let s = text();
    while (buffer.length > 0 && !prefix.startsWith(s) && !s.startsWith(prefix)) {
      buffer = buffer.slice(1);
      s = text();
    }
  }

  function finish(endedBy: 'suffix' | 'gap', endedAt: number): WedgeEvent {
    const event: WedgeEvent = {
      type: 'scan',
      value: text().slice(prefix.length),
      startedAt: buffer[0]?.at ?? endedAt,
      endedAt,
      keys: buffer.length + (endedBy === 'suffix' ? 1 : 0),
      typedChars: buffer.filter((e) => e.typed).length,
      endedBy,
    };
    buffer = [];
    return event;
  }

  /** The buffered burst is over without a suffix: a scan only if suffixes are optional. */
  function settle(): WedgeEvent {
    if (!requireSuffix && qualifies()) return finish('gap', lastAt());
    buffer = [];
    return NONE;
  }

  function key(input: KeyInput): WedgeEvent {
    if (MODIFIER_KEYS.has(input.key)) return NONE;
    const pending = buffer.length > 0 && !isFast(input.at) ? settle() : NONE;

    if (input.key === GS || gsKeys.some((m) => matches(m, input))) {
      append({ ch: GS, at: input.at, typed: false });
      return pending;
    }
    const shortcut = Boolean(input.metaKey) || Boolean(input.ctrlKey) !== Boolean(input.altKey);
    if (suffixKeys.includes(input.key) && !input.ctrlKey && !input.altKey && !input.metaKey) {
      // A slow suffix already emptied the buffer above.
      if (buffer.length > 0 && qualifies()) return finish('suffix', input.at);
      buffer = [];
      return pending;
    }
    if (isPrintable(input.key) && !shortcut) {
      append({ ch: input.key, at: input.at, typed: true });
      return pending;
    }
    buffer = [];
    return pending;
  }

  function idle(now: number): WedgeEvent {
    // now < last key means a stale timer: the burst may still be going on.
    if (buffer.length === 0 || !(now - lastAt() > maxInterKeyMs)) return NONE;
    return settle();
  }

  return {
    key,
    idle,
    reset: () => {
      buffer = [];
    },
    get buffering() {
      return buffer.length > 0;
    },
  };
}
