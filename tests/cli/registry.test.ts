/**
 * The CLI's lazy command registry (electron/cli/main.ts): a run builds only the commands it
 * names; the general help and unknown commands get every command. In-process, nothing started.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, COMMAND_NAMES } from '../../electron/cli/main';

const names = async (argv: string[] | 'all') => (await buildProgram(argv)).commands.map((c) => c.name());

describe('the lazy command registry', () => {
  it('loads no command for --version; the general help, an unknown command or no arguments list every command without loading one', async () => {
    expect(await names(['--version'])).toEqual([]);
    expect(await names(['-V'])).toEqual([]);
    for (const argv of [['--help'], ['help'], [], ['nope'], ['--version', '--help']]) {
      const program = await buildProgram(argv);
      expect(program.commands.map((c) => c.name()), argv.join(' ')).toEqual(COMMAND_NAMES);
      // Summaries only: no loaded command's options or subcommands (pg, migrate, checklist have some).
      expect(program.commands.filter((c) => c.commands.length > 0 || c.options.length > 0).map((c) => c.name()), argv.join(' ')).toEqual([]);
    }
    expect(await names('all')).toEqual(COMMAND_NAMES);
  });

  it('the general help built from the summaries reads exactly as the help of every loaded command', async () => {
    const all = (await buildProgram('all')).helpInformation();
    expect(all).toContain('  mark [options] <label>  record a marker');
    expect((await buildProgram(['--help'])).helpInformation()).toEqual(all);
  });

  it('loads only the module of the command a run names (also after help, and with options first)', async () => {
    expect(await names(['pg', 'activity', '--url', 'postgres://u@h/d'])).toEqual(['pg']);
    expect(await names(['help', 'redis'])).toEqual(['redis']);
    expect(await names(['--json', 'check', '--list'])).toEqual(['check']);
    // Two commands live in one module: both come, in help order.
    expect(await names(['sse', '--help'])).toEqual(['ratelimit', 'sse']);
    expect(await names(['mark'])).toEqual(['mark', 'report']);
  });

  it('every registry name is defined by the module it loads', async () => {
    expect(COMMAND_NAMES.length).toBeGreaterThanOrEqual(14);
    for (const name of COMMAND_NAMES) expect(await names([name]), name).toContain(name);
  });
});
