import { describe, expect, it } from 'vitest';
import { seededPrng } from '../../test/support/prng';
import { joinShellWords, splitShellWords } from './shell-words';

describe('splitShellWords', () => {
  it('splits on runs of blanks and ignores leading and trailing ones', () => {
    expect(splitShellWords('  sh  -c\techo\n ')).toEqual(['sh', '-c', 'echo']);
    expect(splitShellWords('')).toEqual([]);
    expect(splitShellWords('   ')).toEqual([]);
  });

  it('keeps single-quoted text literally, backslashes and dollars included', () => {
    expect(splitShellWords(`sh -c 'echo "$HOME" \\n; exit 3'`)).toEqual(['sh', '-c', 'echo "$HOME" \\n; exit 3']);
  });

  it('honours the four escapes inside double quotes and keeps other backslashes', () => {
    expect(splitShellWords('"a \\"b\\" \\\\ \\$x \\`y\\` \\n"')).toEqual(['a "b" \\ $x `y` \\n']);
  });

  it('escapes the next character with a backslash outside quotes', () => {
    expect(splitShellWords('a\\ b c\\\'d \\"e')).toEqual(['a b', "c'd", '"e']);
  });

  it('treats backslash-newline as a line continuation', () => {
    expect(splitShellWords('echo one \\\n two')).toEqual(['echo', 'one', 'two']);
    expect(splitShellWords('"ab\\\ncd"')).toEqual(['abcd']);
  });

  it('joins adjacent quoted and unquoted parts into one word, and keeps empty quoted words', () => {
    expect(splitShellWords(`a'b c'"d e"f`)).toEqual(['ab cd ef']);
    expect(splitShellWords(`'' "" x`)).toEqual(['', '', 'x']);
  });

  it('rejects unterminated quotes and a trailing lone backslash with a clear message', () => {
    expect(() => splitShellWords(`echo 'oops`)).toThrow(/unterminated single quote/);
    expect(() => splitShellWords(`echo "oops`)).toThrow(/unterminated double quote/);
    expect(() => splitShellWords(`echo "oops\\"`)).toThrow(/unterminated double quote/);
    expect(() => splitShellWords('echo \\')).toThrow(/lone backslash/);
  });
});

describe('joinShellWords', () => {
  it('leaves plain words bare and quotes the others', () => {
    expect(joinShellWords(['ls', '-la', '/tmp/x.txt', 'a=b'])).toBe('ls -la /tmp/x.txt a=b');
    expect(joinShellWords(['echo', 'two words', ''])).toBe("echo 'two words' ''");
  });

  it('round-trips through splitShellWords for hand-picked nasty words', () => {
    const words = ["it's", '"', '\\', '$HOME', '`id`', 'a\nb', '\t', ' ', "''", 'ü€😀', '*', '#x', ';', '&&', ''];
    expect(splitShellWords(joinShellWords(words))).toEqual(words);
  });

  it('round-trips through splitShellWords for random words', () => {
    const alphabet = ['a', 'Z', '0', '-', '_', '/', '.', ' ', '\t', '\n', "'", '"', '\\', '$', '`', '*', '=', 'é', '😀', '#', ';'];
    for (let seed = 1; seed <= 500; seed++) {
      const rng = seededPrng(seed);
      const words = Array.from({ length: rng.int(0, 6) }, () =>
        Array.from({ length: rng.int(0, 8) }, () => rng.pick(alphabet)).join(''),
      );
      expect(splitShellWords(joinShellWords(words)), `seed ${seed}: ${JSON.stringify(words)}`).toEqual(words);
    }
  });
});
