import { describe, expect, it } from 'vitest';
import { maskBody } from '../../electron/core/probes/http/mask';
import { maskSecretsInText, maskUrl, scrubMessage } from '../../electron/core/util/redact';

/** Each shape: the raw text, the secret that must vanish, and what must survive. */
const SHAPES = [
  { name: 'plain user:password', raw: 'postgres://app:Canary1@db.example:5432/prod', secret: 'Canary1', keep: ['app', 'db.example'] },
  { name: 'empty user', raw: 'redis://:s3cretCanary@cache:6379', secret: 's3cretCanary', keep: ['cache:6379'] },
  { name: 'slash in the password', raw: 'postgres://u:ab/cdCanary@h/db', secret: 'cdCanary', keep: ['@h/db'] },
  { name: 'slash after digits (parses as a port)', raw: 'postgres://u:12/cdCanary@h/db', secret: 'cdCanary', keep: ['@h/db'] },
  { name: '@ in the password', raw: 'postgres://u:p@ssCanary@h/db', secret: 'ssCanary', keep: ['@h/db'] },
  { name: 'password query parameter', raw: 'postgres://h/db?sslmode=require&password=abcCanary', secret: 'abcCanary', keep: ['sslmode=require'] },
  { name: 'token query parameter first', raw: 'https://api.example/v1?token=tokCanary&page=2', secret: 'tokCanary', keep: ['page=2'] },
  // `?` does not end a parameter value: the secret sits inside the value of `page`.
  { name: 'token parameter after a second `?`', raw: 'https://api.example/v1?page=2?token=tokCanary', secret: 'tokCanary', keep: ['page=2'] },
] as const;

describe('scrubMessage', () => {
  for (const s of SHAPES) {
    it(`hides the secret of a ${s.name} inside a sentence`, () => {
      const out = scrubMessage(`connect to ${s.raw} failed: ECONNREFUSED`);
      expect(out).not.toContain(s.secret);
      expect(out).toContain('*****');
      expect(out).toMatch(/^connect to .* failed: ECONNREFUSED$/);
      for (const k of s.keep) expect(out).toContain(k);
    });
  }

  it('hides a URL quoted by commander', () => {
    const out = scrubMessage("error: option '--url <url>' argument 'postgresx://app:Sup3rS3cret@db.example/prod' is invalid.");
    expect(out).not.toContain('Sup3rS3cret');
    expect(out).toContain("'postgresx://app:*****@db.example/prod'");
  });

  it('leaves text without secrets alone', () => {
    const text = 'GET https://api.example/v1/items?page=2 answered 503 at 12:30 (mail a@b.example)';
    expect(scrubMessage(text)).toBe(text);
  });
});

describe('maskUrl', () => {
  for (const s of SHAPES) {
    it(`hides the secret of a ${s.name}`, () => {
      const out = maskUrl(s.raw);
      expect(out).not.toContain(s.secret);
      expect(out).toContain('*****');
      for (const k of s.keep) expect(out).toContain(k);
    });
  }

  it('keeps a URL without secrets readable and hides an unparseable one', () => {
    expect(maskUrl('postgres://app@db.example:5432/prod')).toBe('postgres://app@db.example:5432/prod');
    expect(maskUrl('not a url Canary')).not.toContain('Canary');
  });
});

/**
 * A token scanner (`token X`, `Bearer X`, `sk_live_X`) reads its token up to the next space, so
 * the token can swallow the NAME of the next `name: value` pair; the pair's value must be masked
 * all the same (fast-check found `password:token client_secret: X`).
 */
const SWALLOWED_NAMES = [
  'password:token client_secret: Zq7Canary ',
  'password=token api_key=Zq7Canary',
  'Authorization: Bearer client_secret: Zq7Canary',
  'authorization: basic password=Zq7Canary',
  '"auth": "x", password: Token api_key: Zq7Canary',
  'Bearer client_secret: Zq7Canary',
  'Bearer api_key=Zq7Canary',
  'sk_live_abcdefgh:password: Zq7Canary',
  'eyJhbGciOiJIUzI1NiJ9.x:secret= Zq7Canary',
];

describe('maskSecretsInText and maskBody: a name swallowed by a token still has its value masked', () => {
  for (const text of SWALLOWED_NAMES) {
    it(JSON.stringify(text), () => {
      for (const mask of [maskSecretsInText, maskBody]) {
        const out = mask(text);
        expect(out, mask.name).not.toContain('Zq7Canary');
        expect(mask(out), `${mask.name} twice`).toBe(out);
      }
    });
  }

  it('a value that merely starts with the mask is still a secret', () => {
    expect(maskSecretsInText('password=*****Zq7Canary')).toBe('password=*****');
    expect(maskSecretsInText('password=***** and more')).toBe('password=***** and more');
  });

  it('keeps text around the secrets readable', () => {
    expect(maskSecretsInText('login password:token client_secret: Zq7Canary done')).toBe('login password:token ***** ***** done');
    expect(maskSecretsInText('Bearer secret: Zq7Canary')).toBe('Bearer secret: *****');
  });
});
