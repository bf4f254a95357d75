// Passwords at rest: scrypt (memory-hard; in Node's crypto, so no native add-on to build). The stored
// text names its parameters, so they can be raised later and old hashes still verify:
// `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>`. N = 2^15, r = 8 uses 32 MiB and ~50–100 ms
// of one core per attempt on this machine's class of CPU: cheap for a person signing in, costly for a
// guesser with a stolen table. Sign-in failures are also throttled (hq/people/sign-in.ts).
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;

/**
 * At most this many scrypt runs at once per process (each holds 32 MiB and a thread of libuv's pool,
 * which compression and file reads share); the rest wait their turn. Sign-in attempts are counted
 * before they get here, so a flood of them is mostly refused without one.
 */
const MAX_RUNNING = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  // A finishing run hands its slot to the next waiter directly, so the count never exceeds the cap.
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r + 1024 * 1024 };
    return await new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, KEY_LEN, options, (error, key) => (error ? reject(error) : resolve(key))));
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, LOG_N, R, P);
  return ['scrypt', LOG_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`; false (never a throw) for a stored text this code does not read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const [n, rr, pp] = [Number(logN), Number(r), Number(p)];
  if (![n, rr, pp].every((x) => Number.isInteger(x) && x > 0 && x <= 20)) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), n, rr, pp);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of nothing anybody knows, verified against when the e-mail is unknown, so a wrong address
 * takes as long as a wrong password and the answer's timing does not tell which addresses exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
