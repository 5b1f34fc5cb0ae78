import { describe, expect, it } from 'vitest';
import { parseCommandArgs, parseOptions, UsageError, valueOf, type OptionSpec } from './args';

const specs: OptionSpec[] = [
  { name: 'follow', short: 'f' },
  { name: 'timestamps', short: 't' },
  { name: 'tail', short: 'n', takesValue: true },
  { name: 'level', takesValue: true, repeatable: true },
  { name: 'port', takesValue: true },
];

describe('parseOptions', () => {
  it('reads long options with a separate or an inline value, flags and positionals', () => {
    const p = parseOptions(['--tail', '5', '7', '--port=7421', '--follow'], specs);
    expect(valueOf(p, 'tail')).toBe('5');
    expect(valueOf(p, 'port')).toBe('7421');
    expect(p.flags.has('follow')).toBe(true);
    expect(p.positionals).toEqual(['7']);
  });

  it('reads short options the way the Docker CLI does', () => {
    for (const argv of [['-n', '10'], ['-n10'], ['-n=10'], ['-ftn', '10'], ['-ftn10']]) {
      expect(valueOf(parseOptions(argv, specs), 'tail'), argv.join(' ')).toBe('10');
    }
    const grouped = parseOptions(['-ft', 'web'], specs);
    expect([...grouped.flags].sort()).toEqual(['follow', 'timestamps']);
    expect(grouped.positionals).toEqual(['web']);
  });

  it('keeps every value of a repeatable option and the last of any other', () => {
    const p = parseOptions(['--level', 'warn', '--level=error', '--tail', '1', '--tail', '2'], specs);
    expect(p.values.get('level')).toEqual(['warn', 'error']);
    expect(valueOf(p, 'tail')).toBe('2');
  });

  it('takes the next argument as a value even if it starts with a dash', () => {
    expect(valueOf(parseOptions(['--tail', '-1'], specs), 'tail')).toBe('-1');
  });

  it('stops at -- and treats a lone - as an argument', () => {
    const p = parseOptions(['-f', '--', '--tail', '-'], specs);
    expect(p.positionals).toEqual(['--tail', '-']);
    expect(parseOptions(['-'], specs).positionals).toEqual(['-']);
  });

  it('refuses unknown options, missing values and values for flags', () => {
    expect(() => parseOptions(['--nope'], specs)).toThrow(/unknown option --nope/);
    expect(() => parseOptions(['-fx'], specs)).toThrow(/unknown option -x \(in -fx\)/);
    expect(() => parseOptions(['--tail'], specs)).toThrow(/--tail needs a value/);
    expect(() => parseOptions(['-n'], specs)).toThrow(/-n needs a value/);
    expect(() => parseOptions(['--follow=yes'], specs)).toThrow(/--follow does not take a value/);
    expect(() => parseOptions(['-f=1'], specs)).toThrow(UsageError);
  });
});

describe('parseCommandArgs', () => {
  it('answers help, and puts the usage text on its errors', () => {
    expect(parseCommandArgs(['-h'], specs, 'USAGE')).toBe('help');
    try {
      parseCommandArgs(['extra'], specs, 'USAGE');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toMatch(/unexpected argument 'extra'/);
      expect((err as UsageError).usage).toBe('USAGE');
    }
    expect(() => parseCommandArgs(['--bad'], specs, 'USAGE')).toThrow(expect.objectContaining({ usage: 'USAGE' }));
  });
});
