/**
 * Command-line options, parsed the way the Docker CLI (pflag) does it: `--name value`,
 * `--name=value`, `-n value`, `-n=value`, `-n10`, grouped short flags (`-ft`, `-fn 10`), a
 * repeatable option collecting every value, and `--` ending the options.
 */

/** Wrong use of the command: the caller prints the message and the usage text, and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The usage text to print after the message; the command's own, else `berth`'s. */
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** The long name, without the dashes. */
  name: string;
  /** One letter, without the dash. */
  short?: string;
  /** Takes a value (`--port 7420`); otherwise it is a flag (`--follow`). */
  takesValue?: boolean;
  /** May be given more than once; every value is kept, in order. Otherwise the last one wins. */
  repeatable?: boolean;
}

export interface ParsedArgs {
  /** Flags that were given. */
  flags: Set<string>;
  /** Values of the options that take one, by long name. */
  values: Map<string, string[]>;
  positionals: string[];
}

export function parseOptions(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const parsed: ParsedArgs = { flags: new Set(), values: new Map(), positionals: [] };

  const set = (spec: OptionSpec, value: string | undefined, shown: string) => {
    if (!spec.takesValue) {
      if (value !== undefined) throw new UsageError(`${shown} does not take a value`);
      parsed.flags.add(spec.name);
      return;
    }
    if (value === undefined) throw new UsageError(`${shown} needs a value`);
    if (spec.repeatable) parsed.values.set(spec.name, [...(parsed.values.get(spec.name) ?? []), value]);
    else parsed.values.set(spec.name, [value]);
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown option --${name}`);
      const inline = eq === -1 ? undefined : arg.slice(eq + 1);
      set(spec, spec.takesValue && inline === undefined ? argv[++i] : inline, `--${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A group of short options: flags, the last of which may take the rest as its value.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const spec = byShort.get(letter);
        if (!spec) throw new UsageError(`unknown option -${letter}${arg.length > 2 ? ` (in ${arg})` : ''}`);
        if (!spec.takesValue) {
          if (arg[j + 1] === '=') throw new UsageError(`-${letter} does not take a value`);
          set(spec, undefined, `-${letter}`);
          continue;
        }
        let rest = arg.slice(j + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        set(spec, rest !== '' ? rest : argv[++i], `-${letter}`);
        break;
      }
      continue;
    }
    parsed.positionals.push(arg);
  }
  return parsed;
}

/** The value of a single-valued option, if given. */
export function valueOf(parsed: ParsedArgs, name: string): string | undefined {
  return parsed.values.get(name)?.at(-1);
}

/**
 * A command's options plus `-h/--help`: 'help' when asked for it. A usage error carries the
 * command's usage text; `maxPositionals` arguments are allowed besides the options.
 */
export function parseCommandArgs(argv: readonly string[], specs: readonly OptionSpec[], usage: string, maxPositionals = 0): ParsedArgs | 'help' {
  let parsed: ParsedArgs;
  try {
    parsed = parseOptions(argv, [...specs, { name: 'help', short: 'h' }]);
  } catch (err) {
    throw err instanceof UsageError ? new UsageError(err.message, usage) : err;
  }
  if (parsed.flags.has('help')) return 'help';
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument '${parsed.positionals[maxPositionals]}'`, usage);
  return parsed;
}
