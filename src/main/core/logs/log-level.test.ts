import { describe, expect, it } from 'vitest';
import type { LogLevel } from '../../../shared/model';
import { detectLevel } from './log-level';

/** The level found on each stream; a level stated by the line is the same on both. */
const onBoth = (line: string) => [detectLevel(line, false), detectLevel(line, true)];
/** The line keeps the stream's default: info on stdout, error on stderr. */
const keepsDefault = (line: string) => expect(onBoth(line), JSON.stringify(line)).toEqual(['info', 'error']);
const finds = (line: string, level: LogLevel) => expect(onBoth(line), JSON.stringify(line)).toEqual([level, level]);

describe('detectLevel: stream defaults', () => {
  it('makes stdout lines info and stderr lines error when they state no level', () => {
    keepsDefault('plain text');
    keepsDefault('00000001 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    keepsDefault('GET /api/users 200 12ms');
    keepsDefault('GET /api/users?level=warn&page=2 200 12ms');
  });

  it('keeps the default for an empty line or one of only blanks', () => {
    keepsDefault('');
    keepsDefault(' ');
    keepsDefault('\t  \t');
  });

  it('keeps the default for lines that are too short to hold a marker', () => {
    keepsDefault('{');
    keepsDefault('[');
    keepsDefault('E');
    keepsDefault('E123');
    keepsDefault('=');
  });
});

describe('detectLevel: JSON lines', () => {
  it("lets a JSON line's own level win over the stream, in both directions", () => {
    expect(detectLevel('{"level":"info","msg":"x"}', true)).toBe('info');
    expect(detectLevel('{"level":"error","msg":"x"}', false)).toBe('error');
    finds('{"level":"warn","msg":"x"}', 'warn');
    finds('{"level":"debug"}', 'debug');
  });

  it('reads the level, lvl, severity and dotted log.level keys', () => {
    finds('{"lvl":"debug"}', 'debug');
    finds('{"severity":"ERROR"}', 'error');
    finds('{"log.level":"warning"}', 'warn');
    finds('{"@timestamp":"2026-11-23T10:00:00Z","log.level":"info","message":"x"}', 'info');
  });

  it('reads a level nested as {"log":{"level":…}}', () => {
    finds('{"log":{"level":"trace","logger":"app"}}', 'debug');
    finds('{"msg":"x","log":{"logger":"app","level":"WARN"}}', 'warn');
  });

  it('matches level names in any case', () => {
    finds('{"level":"INFO"}', 'info');
    finds('{"level":"Warning"}', 'warn');
    finds('{"level":"eRRoR"}', 'error');
  });

  it('maps every name in the table', () => {
    const table: [string, LogLevel][] = [
      ['trace', 'debug'],
      ['trce', 'debug'],
      ['debug', 'debug'],
      ['dbug', 'debug'],
      ['verbose', 'debug'],
      ['silly', 'debug'],
      ['info', 'info'],
      ['information', 'info'],
      ['notice', 'info'],
      ['note', 'info'],
      ['log', 'info'],
      ['warn', 'warn'],
      ['warning', 'warn'],
      ['error', 'error'],
      ['err', 'error'],
      ['fail', 'error'],
      ['fatal', 'error'],
      ['critical', 'error'],
      ['crit', 'error'],
      ['panic', 'error'],
      ['dpanic', 'error'],
      ['alert', 'error'],
      ['emerg', 'error'],
      ['emergency', 'error'],
    ];
    for (const [name, level] of table) finds(`{"level":"${name}"}`, level);
  });

  it('maps pino/bunyan numeric levels, 10 trace up to 60 fatal', () => {
    const cases: [number, LogLevel][] = [
      [10, 'debug'],
      [20, 'debug'],
      [25, 'debug'],
      [30, 'info'],
      [35, 'info'],
      [40, 'warn'],
      [50, 'error'],
      [60, 'error'],
      [100, 'error'],
    ];
    for (const [n, level] of cases) finds(`{"level":${n},"msg":"m"}`, level);
  });

  it('ignores numbers below 10, negative numbers and numbers written as strings', () => {
    keepsDefault('{"level":0}');
    keepsDefault('{"level":5}');
    keepsDefault('{"level":9.9}');
    keepsDefault('{"level":-40}');
    keepsDefault('{"level":"30"}');
  });

  it('finds the level of a JSON line that starts with whitespace', () => {
    finds(' {"level":"warn"}', 'warn');
    finds('\t  {"level":50}', 'error');
    finds('{"level":"warn"}   ', 'warn');
  });

  it('prefers level over lvl over severity over log.level over a nested log.level', () => {
    finds('{"severity":"error","lvl":"debug","level":"warn"}', 'warn');
    finds('{"severity":"error","lvl":"debug"}', 'debug');
    finds('{"log.level":"debug","severity":"warn"}', 'warn');
    finds('{"log":{"level":"debug"},"log.level":"warn"}', 'warn');
  });

  it('moves on to the next key when a key holds no usable level', () => {
    finds('{"level":"loud","severity":"warning"}', 'warn');
    finds('{"level":null,"lvl":"debug"}', 'debug');
  });

  it('keeps the default when the JSON carries no usable level', () => {
    keepsDefault('{"level":"loud"}');
    keepsDefault('{"level":"unknown"}');
    keepsDefault('{"level":null}');
    keepsDefault('{"level":true}');
    keepsDefault('{"level":""}');
    keepsDefault('{"level":["warn"]}');
    keepsDefault('{"level":{"name":"warn"}}');
    keepsDefault('{"log":"warn"}');
    keepsDefault('{"log":{"lvl":"warn"}}');
    keepsDefault('{}');
  });

  it('does not take names inherited by every object for levels', () => {
    keepsDefault('{"level":"constructor"}');
    keepsDefault('{"level":"toString"}');
    keepsDefault('{"level":"__proto__"}');
    keepsDefault('{"level":"hasOwnProperty"}');
  });

  it('reads only top-level keys, not a level deeper in the object', () => {
    keepsDefault('{"req":{"level":"warn"},"msg":"x"}');
    keepsDefault('{"data":{"log":{"level":"warn"}}}');
  });

  it('does not mistake a level inside a string value for the level key', () => {
    keepsDefault('{"msg":"level"}');
    keepsDefault('{"msg":"level=warn"}');
    keepsDefault('{"msg":"retry with level=error"}');
    keepsDefault('{"msg":"\\"level\\":\\"warn\\""}');
    keepsDefault('{"msg":"ERROR something broke"}');
    finds('{"msg":"\\"level\\":\\"warn\\"","level":"debug"}', 'debug');
  });

  it('judges a line that starts with { only as JSON, never by prefixes or logfmt', () => {
    keepsDefault('{"msg":"x"} level=warn');
    keepsDefault('{main} level=warn');
    keepsDefault('{ERROR} boom');
  });

  it('keeps the default for invalid JSON, even when it names a level', () => {
    keepsDefault('{"level":"warn"');
    keepsDefault('{"level": "warn"} trailing');
    keepsDefault("{'level':'warn'}");
    keepsDefault('{level:"warn"}');
    keepsDefault('{"level":"warn",}');
  });

  it('does not read arrays, even ones that hold level-like values', () => {
    keepsDefault('["level","warn"]');
    keepsDefault('[{"level":"warn"}]');
  });

  it('does not parse huge lines, even valid JSON with a level', () => {
    const huge = JSON.stringify({ level: 'warn', pad: 'x'.repeat(100_000) });
    expect(JSON.parse(huge).level).toBe('warn');
    keepsDefault(huge);
    // The same object, small, is recognised: the size is what made the difference.
    finds(JSON.stringify({ level: 'warn', pad: 'x' }), 'warn');
  });

  it('parses JSON up to 16 KiB and not one character more', () => {
    const sized = (length: number) => {
      const line = `{"level":"warn","pad":"${'x'.repeat(length - 25)}"}`;
      expect(line.length).toBe(length);
      return line;
    };
    finds(sized(16 * 1024), 'warn');
    keepsDefault(sized(16 * 1024 + 1));
  });
});

describe('detectLevel: logfmt', () => {
  it('reads level=, lvl= and severity= keys', () => {
    finds('level=warn msg=x', 'warn');
    finds('lvl=error msg=x', 'error');
    finds('severity=info msg=x', 'info');
    finds('level=debug', 'debug');
  });

  it('finds the key anywhere in the line, after a blank', () => {
    finds('time=2026-11-23T10:00:00Z level=warn msg="slow request"', 'warn');
    finds('time="2026-11-23T10:00:00Z" level=error msg="db down"', 'error');
    finds('ts=1 caller=main.go:12\tlvl=debug msg=x', 'debug');
    finds('msg="started" id=3 level=INFO', 'info');
  });

  it('reads quoted values', () => {
    finds('level="warning" msg=x', 'warn');
    finds('time="x" level="ERROR" msg="y"', 'error');
  });

  it('matches level names in any case', () => {
    finds('level=WARN', 'warn');
    finds('level=Info', 'info');
  });

  it('does not count keys that only end with level (loglevel=, log_level=, log.level=)', () => {
    keepsDefault('starting with loglevel=debug');
    keepsDefault('loglevel=debug');
    keepsDefault('config log_level=error');
    keepsDefault('log.level=warn');
    keepsDefault('minlvl=error');
    keepsDefault('ansi_severity=warn');
  });

  it('does not count level= inside a URL or another value', () => {
    keepsDefault('GET /logs?level=error 200 3ms');
    keepsDefault('url=http://x/?level=warn status=200');
    keepsDefault('msg="x"level=warn');
  });

  it('does not count keys in another case', () => {
    keepsDefault('LEVEL=debug');
    keepsDefault('Level=warn');
  });

  it('ignores unknown, empty, numeric and unterminated values, and moves on to the next key', () => {
    keepsDefault('level=loud msg=x');
    keepsDefault('level= msg=x');
    keepsDefault('level=');
    keepsDefault('severity=3 msg=x');
    keepsDefault('level=30 msg=x');
    keepsDefault('level="warn msg=x');
    keepsDefault('level=warning! msg=x');
    finds('level=loud lvl=warn', 'warn');
    finds('level=30 severity=warning', 'warn');
  });

  it('takes the first usable key in the line when several name a level', () => {
    finds('level=warn lvl=error', 'warn');
    finds('lvl=error level=warn', 'error');
    finds('severity=debug level=warn lvl=error', 'debug');
    finds('level=loud severity=debug lvl=error', 'debug');
  });

  it('ends a bare value at a tab as well as a space', () => {
    finds('level=warn\tmsg=x', 'warn');
  });

  it('keeps the default for lines full of = that hold no level key', () => {
    keepsDefault('='.repeat(80));
    keepsDefault('a=1 b=2 c=3 d=4 e=5');
    keepsDefault('x == y');
    keepsDefault('=level=warn');
    keepsDefault('level==warn');
    finds('==== level=warn', 'warn');
  });
});

describe('detectLevel: prefixes', () => {
  it('reads an upper-case level word at the start of the line, with or without a colon', () => {
    const cases: [string, LogLevel][] = [
      ['WARN disk almost full', 'warn'],
      ['WARNING: disk almost full', 'warn'],
      ['ERROR could not connect', 'error'],
      ['ERR could not connect', 'error'],
      ['INFO starting', 'info'],
      ['INFO: starting', 'info'],
      ['DEBUG cache hit', 'debug'],
      ['TRACE enter f()', 'debug'],
      ['FATAL out of memory', 'error'],
      ['CRITICAL: out of memory', 'error'],
      ['PANIC: runtime error', 'error'],
      ['NOTICE config reloaded', 'info'],
      ['WARNING:root:deprecated call', 'warn'],
      ['INFO:     Started server process [1]', 'info'],
      ['ERROR', 'error'],
      ['WARN\ttabbed', 'warn'],
    ];
    for (const [line, level] of cases) finds(line, level);
  });

  it("lets the line's own prefix win over the stream, in both directions", () => {
    expect(detectLevel('INFO starting', true)).toBe('info');
    expect(detectLevel('DEBUG x', true)).toBe('debug');
    expect(detectLevel('ERROR x', false)).toBe('error');
    expect(detectLevel('WARN x', false)).toBe('warn');
  });

  it('reads a level word in any case when a colon follows it', () => {
    finds('error: pathspec did not match', 'error');
    finds('warning: LF will be replaced by CRLF', 'warn');
    finds('Warning: apt-key is deprecated', 'warn');
    finds('info: server listening on 3000', 'info');
    finds('Trace: at main (/app/index.js:3:9)', 'debug');
    finds('fail: Microsoft.AspNetCore.Server[1]', 'error');
  });

  it('reads logrus coloured output, where the level is followed by [0000]', () => {
    finds('INFO[0000] starting', 'info');
    finds('\x1b[33mWARN\x1b[0m[0003] slow', 'warn');
  });

  it('does not make prose that mentions an error into an error', () => {
    keepsDefault('0 errors found');
    keepsDefault('no error');
    keepsDefault('Processed 10 records, 0 errors found');
    keepsDefault('Error handling improved in this release');
    keepsDefault('Warning signs were ignored');
    keepsDefault('error handling is on');
    keepsDefault('the ERROR count is 0');
    keepsDefault('retrying after ERROR: timeout');
    keepsDefault('errors: 0');
    keepsDefault('ERRORS 0');
  });

  it('needs the level word to be a whole word', () => {
    keepsDefault('ERROR_CODE=3');
    keepsDefault('ERRORS found');
    keepsDefault('INFOS');
    keepsDefault('WARN-ing');
    keepsDefault('ERROR.');
    keepsDefault('INFO1 x');
    keepsDefault('INFORMATIONAL x');
  });

  it('does not read unknown upper-case words as levels', () => {
    keepsDefault('GET /api/users 200 12ms');
    keepsDefault('POST /login 302');
    keepsDefault('PASS src/app.test.ts');
    keepsDefault('OK');
    keepsDefault('SUCCESS: done');
  });

  it('reads a bracketed level in any case', () => {
    finds('[ERROR] could not connect', 'error');
    finds('[warn] slow', 'warn');
    finds('[Info] started', 'info');
    finds('[DEBUG]cache hit', 'debug');
    finds('[ INFO ] padded', 'info');
    finds('[WARN ] padded', 'warn');
    finds('[ERROR]', 'error');
  });

  it('reads a level in angle brackets', () => {
    finds('<error> boom', 'error');
    finds('<Warning> careful', 'warn');
  });

  it('does not read brackets that hold something other than exactly a level', () => {
    keepsDefault('[ERROR something] x');
    keepsDefault('[main] starting');
    keepsDefault('[nodemon] restarting');
    keepsDefault('[error x');
    keepsDefault('[] ERROR');
    keepsDefault('<error');
    keepsDefault('<3>boom');
  });

  it('finds a prefix after leading blanks', () => {
    finds('  ERROR indented', 'error');
    finds('\t[warn] indented', 'warn');
  });

  it('finds a prefix after a leading timestamp', () => {
    const cases: [string, LogLevel][] = [
      ['2026-11-23T10:00:00Z WARN slow', 'warn'],
      ['2026-11-23T10:00:00.123456789Z ERROR boom', 'error'],
      ['2026-11-23T10:00:00+01:00 INFO x', 'info'],
      ['2026-11-23 10:00:00,123 INFO spawned: web', 'info'],
      ['2026-11-23 10:00:00.123 DEBUG x', 'debug'],
      ['10:00:00.123 WARN x', 'warn'],
      ['10:00:00 ERROR: x', 'error'],
      ['2026/11/23 10:00:00 [error] 12#12: open() failed', 'error'],
      ['2026/11/23 10:00:00 [notice] 1#1: start worker processes', 'info'],
      ['[2026-11-23 10:00:00 +0000] [1] [INFO] Starting gunicorn 21.2.0', 'info'],
      ['[10:00:00.123] WARN x', 'warn'],
      ['2026-11-23T10:00:00.123Z  INFO 1 --- [main] c.e.App : Started', 'info'],
      ['2026-11-23 10:00:00.123 UTC [1] LOG:  database system is ready', 'info'],
      ['2026-11-23 10:00:00.123 UTC [1] FATAL:  password authentication failed', 'error'],
      ['2026-11-23T10:00:00.123456Z 0 [Warning] [MY-011070] [Server] deprecated', 'warn'],
      ['2026-11-23 10:00:00 0 [Note] mariadbd: ready for connections', 'info'],
      ['10:00:00.123 [main] INFO  c.e.App - started', 'info'],
      ['10:00:00.123 [http-nio-8080-exec-1] ERROR c.e.Api - failed', 'error'],
      ['2026-11-23 10:00:00 +0000 WARN x', 'warn'],
      ['2026-11-23 10:00:00 GMT error: x', 'error'],
    ];
    for (const [line, level] of cases) {
      expect(detectLevel(line, false), line).toBe(level);
      expect(detectLevel(line, true), line).toBe(level);
    }
  });

  it('keeps the default when what follows the timestamp is not a level', () => {
    keepsDefault('2026-11-23T10:00:00Z starting server');
    keepsDefault('2026-11-23T10:00:00Z Error handling enabled');
    keepsDefault('2026/11/23 10:00:00 0 errors');
    keepsDefault('2026-11-23 10:00:00 [main] [worker] [pool] [x] [y] ERROR too far');
    keepsDefault('2026-11-23T10:00:00Z');
    keepsDefault('2026-11-23T10:00:00Z ');
  });

  it('needs a real timestamp before the level, not just any number or word', () => {
    keepsDefault('3 ERROR lines');
    keepsDefault('12345 WARN x');
    keepsDefault('app ERROR x');
    keepsDefault('[main] ERROR x');
    keepsDefault('UTC ERROR x');
    keepsDefault('2026-11-23T10:00:00ZERROR x');
    keepsDefault('[2026-11-23 10:00:00 ERROR x');
  });

  it('does not look for prefixes beyond the first 16 KiB', () => {
    keepsDefault(`${' '.repeat(16 * 1024)}ERROR late`);
  });
});

describe('detectLevel: klog/glog headers', () => {
  it('reads the level letter of a klog header', () => {
    finds('E1122 10:00:00.123456   12345 file.go:12] message', 'error');
    finds('W1122 10:00:00.123456   12345 file.go:12] message', 'warn');
    finds('I1122 10:00:00.123456   12345 file.go:12] message', 'info');
    finds('F1122 10:00:00.123456   12345 file.go:12] message', 'error');
  });

  it('wants the letter, exactly four digits and a space', () => {
    keepsDefault('D1122 10:00:00.123456 1 f.go:1] x');
    keepsDefault('E112 10:00:00 x');
    keepsDefault('E11223 10:00:00 x');
    keepsDefault('E1122:10:00:00 x');
    keepsDefault('e1122 10:00:00 x');
    keepsDefault('E1122');
  });
});

describe('detectLevel: ANSI colours', () => {
  it('finds a level hidden in colour codes', () => {
    finds('\x1b[31mERROR\x1b[0m something', 'error');
    finds('\x1b[33m[WARN]\x1b[0m retrying', 'warn');
    finds('\x1b[1;31mERROR:\x1b[0m boom', 'error');
    finds('\x1b[2m2026-11-23T10:00:00Z\x1b[0m \x1b[32mINFO\x1b[0m ready', 'info');
    finds('\x1b[90mtime=x\x1b[0m \x1b[33mlevel\x1b[0m=\x1b[33mwarn\x1b[0m', 'warn');
    finds('\x1b[1;39m{\x1b[0m"level":"warn"\x1b[1;39m}\x1b[0m', 'warn');
  });

  it('keeps the default for coloured lines without a level', () => {
    keepsDefault('\x1b[32mall good\x1b[0m');
    keepsDefault('\x1b[2K\x1b[1Gprogress 50%');
    keepsDefault('\x1b[31m0 errors\x1b[0m');
  });
});

describe('detectLevel: precedence between the rules', () => {
  it('prefers a prefix to a logfmt key later in the line', () => {
    finds('INFO retry with level=error', 'info');
    finds('[warn] level=debug', 'warn');
  });

  it('falls through to logfmt when the start of the line is no prefix', () => {
    finds('starting level=warn', 'warn');
    finds('2026-11-23T10:00:00Z level=error msg=x', 'error');
  });

  it('prefers a klog header to anything after it', () => {
    finds('I1122 10:00:00.1 1 f.go:1] ERROR level=error', 'info');
  });

  it('only looks at the first 16 KiB of a long line', () => {
    finds(`level=warn ${'x'.repeat(1_000_000)}`, 'warn');
    finds(`ERROR ${'x'.repeat(1_000_000)}`, 'error');
    keepsDefault(`${'x'.repeat(20_000)} level=warn`);
    finds(`\x1b[31mERROR\x1b[0m ${'x'.repeat(100_000)}\x1b[0m`, 'error');
  });
});
