import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { callNames, calls, events, type CallOutput, type Handlers } from '../shared/contract';
import { dispatchCall, unwrap } from '../shared/dispatch';
import { createEngine } from '../electron/core/api/engine';
import { isTrustedSender } from '../electron/main/sender';

describe('the contract', () => {
  it('gives every call an input and an output schema, and every event a schema', () => {
    for (const name of callNames) {
      expect(typeof calls[name].input.safeParse).toBe('function');
      expect(typeof calls[name].output.safeParse).toBe('function');
    }
    for (const schema of Object.values(events)) expect(typeof schema.safeParse).toBe('function');
  });

  it('types the handler table from the schemas', () => {
    expectTypeOf<CallOutput<'app.info'>>().toEqualTypeOf<{ version: string; transport: 'ipc' | 'http'; keepAwake: boolean }>();
    expectTypeOf<Handlers['pg.unwatch']>().parameter(0).toEqualTypeOf<{ targetId: string }>();
  });
});

describe('dispatchCall (the choke point every transport uses)', () => {
  const engine = createEngine({ transport: 'http', version: '9.9.9' });

  it('answers a known call with a result envelope', async () => {
    expect(await dispatchCall(engine.handlers, 'app.info', {})).toEqual({ result: { version: '9.9.9', transport: 'http', keepAwake: false } });
  });

  it('refuses a name that is not in the contract', async () => {
    const env = await dispatchCall(engine.handlers, 'fs.writeFile', { path: '/etc/passwd' });
    expect(env).toMatchObject({ error: { code: 'unknown_call' } });
  });

  it('rejects bad input with a message naming the field, before the handler runs', async () => {
    const env = await dispatchCall(engine.handlers, 'pg.watch', { url: 'mysql://x', intervalMs: 10 });
    expect('error' in env && env.error.code).toBe('bad_input');
    expect('error' in env && env.error.message).toMatch(/url: must start with postgres/);
    expect('error' in env && env.error.message).toMatch(/intervalMs/);
    expect(unwrap(await dispatchCall(engine.handlers, 'pg.targets', {}))).toEqual([]);
  });

  it('turns a handler failure into an error envelope with a readable message', async () => {
    const env = await dispatchCall(engine.handlers, 'pg.sessions', { targetId: 'nope' });
    expect(env).toMatchObject({ error: { code: 'not_found', message: expect.stringMatching(/No watched database/) } });
  });

  it('refuses a launch watch that asks to keep the machine awake where no power-save blocker exists (serve, CLI)', async () => {
    const env = await dispatchCall(engine.handlers, 'launch.start', { profile: 'any', environment: 'local', keepAwake: true });
    expect(env).toMatchObject({ error: { code: 'bad_input', message: expect.stringMatching(/needs the desktop app/) } });
  });
});

describe('isTrustedSender', () => {
  const index = pathToFileURL(join(tmpdir(), 'Preflight App', 'dist', 'renderer', 'index.html')).href;
  const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });
  it('accepts the top-level renderer index, whatever its #route or ?query', () => {
    expect(isTrustedSender(frame(index), index)).toBe(true);
    expect(isTrustedSender(frame(`${index}#/postgres`), index)).toBe(true);
    expect(isTrustedSender(frame(`${index}?x=1#/overview`), index)).toBe(true);
  });
  it('rejects any other file:// page, remote pages, subframes and missing frames', () => {
    expect(isTrustedSender(frame(pathToFileURL(join(tmpdir(), 'Downloads', 'evil.html')).href), index)).toBe(false);
    expect(isTrustedSender(frame(index.replace('index.html', 'other.html')), index)).toBe(false);
    expect(isTrustedSender(frame('file:///etc/passwd'), index)).toBe(false);
    expect(isTrustedSender(frame('https://evil.example/'), index)).toBe(false);
    expect(isTrustedSender(frame(index, {}), index)).toBe(false);
    expect(isTrustedSender({ senderFrame: null }, index)).toBe(false);
    expect(isTrustedSender(frame('not a url'), index)).toBe(false);
  });
});
