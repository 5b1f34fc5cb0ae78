import { describe, expect, it } from 'vitest';
import { mergeSpans, queryTerms, regexSpans, splitBySpans, termSpans } from './highlight';

describe('queryTerms', () => {
  it('takes plain words, phrase words and prefixes, and skips operators and negated terms', () => {
    expect(queryTerms('Timeout "connection reset" db* OR retry NOT healthy')).toEqual([
      { text: 'timeout', prefix: false },
      { text: 'connection', prefix: false },
      { text: 'reset', prefix: false },
      { text: 'db', prefix: true },
      { text: 'retry', prefix: false },
    ]);
  });

  it('drops column filters, initial-token marks and parentheses', () => {
    expect(queryTerms('message:boom AND (^start)')).toEqual([
      { text: 'boom', prefix: false },
      { text: 'start', prefix: false },
    ]);
  });
});

describe('termSpans', () => {
  it('marks whole words, case-insensitively', () => {
    expect(termSpans('Error: an error, errors', queryTerms('error'))).toEqual([
      [0, 5],
      [10, 15],
    ]);
  });

  it('marks word starts for prefix terms', () => {
    expect(termSpans('errors and terrors', queryTerms('err*'))).toEqual([[0, 3]]);
  });

  it('merges overlapping marks', () => {
    expect(mergeSpans([[5, 8], [0, 3], [2, 6]])).toEqual([[0, 8]]);
  });
});

describe('regexSpans', () => {
  it('marks matches, honouring (?i)', () => {
    expect(regexSpans('id=12 ID=7', '(?i)id=\\d+')).toEqual([
      [0, 5],
      [6, 10],
    ]);
    expect(regexSpans('abc', '(')).toEqual([]);
    expect(regexSpans('abc', 'x*')).toEqual([]);
  });
});

describe('splitBySpans', () => {
  it('cuts a message into plain and marked parts', () => {
    expect(splitBySpans('a needle here', [[2, 8]])).toEqual([
      { text: 'a ', mark: false },
      { text: 'needle', mark: true },
      { text: ' here', mark: false },
    ]);
  });
});
