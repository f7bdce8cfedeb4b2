/**
 * Property tests of the one masker over random and adversarial text (long runs of `a`, `:`,
 * `@`, quotes, `%`, nested schemes): masking is idempotent, it never leaves a planted secret, and
 * it finishes on inputs that used to take seconds (super-linear regexes). Timing is not asserted
 * here — bench/redaction.ts prints MB/s and the 64 KB → 1 MB ratio.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLeaks } from '../../electron/core/checks/http-leaks';
import { maskBody } from '../../electron/core/probes/http/mask';
import { maskSecretsInText, maskUrl, scrubMessage } from '../../electron/core/util/redact';

/** FUZZ_RUNS=100000 for a longer hunt; the default keeps `npm test` quick. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const CANARY = 'Zq7Canary';
/** Characters the old regexes choked on, plus the ones that build URLs, pairs and quotes. */
const ADVERSARIAL = ['a', 'Z', '0', ':', '/', '@', '?', '&', '=', ';', '%', "'", '"', ' ', '\n', '.', '-', '_', '://', 'a://', 'token', 'password', 'Bearer ', '\\', '#', '(', ')', '*****', 'api_key', 'Basic ', 'sk_live_'];
const adversarialText = fc.string({ unit: fc.constantFrom(...ADVERSARIAL), maxLength: 300 });
const anyText = fc.oneof(adversarialText, fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }));

/** Ways a secret is written in messages, bodies and notes, each with the canary as the secret. */
const PLANTS: ((s: string) => string)[] = [
  (s) => `postgres://app:${s}@db.example:5432/prod`,
  (s) => `redis://:${s}@cache:6379`,
  (s) => `postgres://u:ab/${s}@h/db`,
  (s) => `postgres://u:p@${s}@h/db`,
  (s) => `https://api.example/v1?page=2&access_token=${s}`,
  (s) => `https://api.example/v1?page=2?token=${s}`,
  (s) => `postgres://h/db?sslmode=require&password=${s}`,
  (s) => `"api_key": "${s}"`,
  (s) => `password=${s}`,
  (s) => `client_secret: ${s}`,
  (s) => `Authorization: Bearer ${s}`,
  (s) => `Bearer eyJhbGciOiJIUzI1NiJ9.${s}.sig`,
  (s) => `whsec_${s}`,
  (s) => `sk_live_${s}`,
];
const plant = fc.constantFrom(...PLANTS.keys());

/** Random text, a space, the planted secret, a space, random text. */
const withPlant = fc.tuple(anyText, plant, anyText).map(([before, which, after]) => `${before} ${PLANTS[which]!(CANARY)} ${after}`);

const maskers: [string, (s: string) => string][] = [
  ['maskSecretsInText', maskSecretsInText],
  ['maskBody', maskBody],
];

describe('the masker over random and adversarial text', () => {
  for (const [name, mask] of maskers) {
    it(`${name} leaves no planted secret`, () => {
      fc.assert(
        fc.property(withPlant, (text) => {
          expect(mask(text)).not.toContain(CANARY);
        }),
        { numRuns: RUNS },
      );
    });
  }

  for (const [name, mask] of [...maskers, ['scrubMessage', scrubMessage] as const]) {
    it(`${name} is idempotent`, () => {
      fc.assert(
        fc.property(fc.oneof(anyText, withPlant), (text) => {
          const once = mask(text);
          expect(mask(once)).toBe(once);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('scrubMessage hides every URL password and secret parameter planted in random text', () => {
    const urlPlants = PLANTS.slice(0, 7);
    fc.assert(
      fc.property(anyText, fc.constantFrom(...urlPlants.keys()), anyText, (a, which, b) => {
        expect(scrubMessage(`${a} ${urlPlants[which]!(CANARY)} ${b}`)).not.toContain(CANARY);
      }),
      { numRuns: RUNS },
    );
  });

  it('maskUrl never returns a planted password, whatever characters the user and password hold', () => {
    const userChar = fc.constantFrom('a', '%', '.', '-', '?', '&', '=', '#');
    const passwordChar = fc.constantFrom('a', ':', '@', '/', '%', '?', '&', '=', '#');
    fc.assert(
      fc.property(fc.string({ unit: userChar, maxLength: 20 }), fc.string({ unit: passwordChar, maxLength: 30 }), fc.string({ unit: passwordChar, maxLength: 30 }), (user, pre, post) => {
        expect(maskUrl(`postgres://${user}:${pre}${CANARY}${post}@h/db`)).not.toContain(CANARY);
        expect(scrubMessage(`failed: redis://${user}:${pre}${CANARY}${post}@h:6379 refused`)).not.toContain(CANARY);
        expect(maskUrl(`https://h/p?x=${user}&token=${CANARY}`)).not.toContain(CANARY);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Inputs that took seconds to minutes with the regexes this masker replaced. */
const HUGE: [string, string][] = [
  ['64 KB of letters and digits', 'abcdefghij0123456789'.repeat(3277).slice(0, 65_536)],
  ['100 KB URL', `https://api.example/${'a'.repeat(100_000)}`],
  ['1 MB of `a://`', 'a://'.repeat(262_144)],
  ['1 MB of `:`', ':'.repeat(1 << 20)],
  ['1 MB of `@`', '@'.repeat(1 << 20)],
  ['1 MB of quotes', `"'`.repeat(1 << 19)],
  ['1 MB of `%`', '%'.repeat(1 << 20)],
  ['1 MB of `at `', 'at '.repeat(349_525)],
  ['1 MB of `password=`', 'password='.repeat(116_508)],
];

describe('huge adversarial inputs are masked completely', () => {
  for (const [what, text] of HUGE) {
    it(`${what}: the secret planted at its end is hidden`, () => {
      const url = `${text} postgres://app:${CANARY}@db/x`;
      const pair = `${url} password=${CANARY}`;
      // Short assertion messages: a failing 1 MB string must not be printed.
      for (const mask of [maskSecretsInText, maskBody]) expect(mask(pair).includes(CANARY), `${mask.name} left the secret`).toBe(false);
      expect(scrubMessage(url).includes(CANARY), 'scrubMessage left the URL password').toBe(false);
      expect(maskUrl(url).includes(CANARY), 'maskUrl left the URL password').toBe(false);
      expect(findLeaks(`${text}\n    at handler (/srv/app/server.js:10:15)`).map((f) => f.kind)).toContain('stack trace');
    });
  }
});

describe('the JavaScript stack-frame detector', () => {
  it('finds Node frames with and without a function name, and nothing in plain text', () => {
    expect(findLeaks('Error: boom\n    at Object.<anonymous> (/srv/app/server.js:10:15)').map((f) => f.kind)).toContain('stack trace');
    expect(findLeaks('Error\n  at async handler (node:internal/x:1:2)').map((f) => f.kind)).toContain('stack trace');
    expect(findLeaks('Error\n  at /opt/x.js:1:1').map((f) => f.kind)).toContain('stack trace');
    expect(findLeaks('we meet at noon; see you at the door: 12').map((f) => f.kind)).not.toContain('stack trace');
  });
});
