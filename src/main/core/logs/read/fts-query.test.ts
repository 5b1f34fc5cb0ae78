import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../../../shared/errors';
import { ftsMatchExpression, isSimpleSearch, searchSyntaxError } from './fts-query';

/** What FTS5 itself makes of an expression, on a table like logs_fts. */
function matches(expression: string, lines: string[]): string[] {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE f USING fts5 (message, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')");
  const insert = db.prepare('INSERT INTO f (rowid, message) VALUES (?, ?)');
  lines.forEach((line, i) => insert.run(i + 1, line));
  const ids = db.prepare('SELECT rowid FROM f WHERE f MATCH ? ORDER BY rowid').pluck().all(expression) as number[];
  db.close();
  return ids.map((id) => lines[id - 1]!);
}

describe('isSimpleSearch', () => {
  it('treats plain words, with punctuation inside them, as a simple search', () => {
    for (const q of ['timeout', 'status=500', 'job-123 failed', '/api/v1/users', '10:00', 'user@example.com', 'a-b and c or d']) {
      expect(isSimpleSearch(q), q).toBe(true);
    }
  });

  it('treats quotes, parentheses, stars, carets and uppercase operators as FTS5 syntax', () => {
    for (const q of ['"exact phrase"', 'NEAR(a b)', 'time*', '^start', 'error OR warn', 'error AND disk', 'NOT x', 'a NEAR b']) {
      expect(isSimpleSearch(q), q).toBe(false);
    }
  });
});

describe('ftsMatchExpression', () => {
  it('quotes each word and requires all of them', () => {
    expect(ftsMatchExpression('status=500 /api/v1/users')).toBe('"status=500" AND "/api/v1/users"');
  });

  it('finds words with punctuation in them as FTS5 phrases, whatever their case', () => {
    const lines = ['GET /api/v1/users 200', 'status=500 on /api/v2/items', 'Status 500 at 10:00', 'job-123 done', 'job 124 done'];
    expect(matches(ftsMatchExpression('status=500'), lines)).toEqual(['status=500 on /api/v2/items', 'Status 500 at 10:00']);
    expect(matches(ftsMatchExpression('/API/V1/users'), lines)).toEqual(['GET /api/v1/users 200']);
    expect(matches(ftsMatchExpression('10:00'), lines)).toEqual(['Status 500 at 10:00']);
    expect(matches(ftsMatchExpression('job-123'), lines)).toEqual(['job-123 done']);
    expect(matches(ftsMatchExpression('done job'), lines)).toEqual(['job-123 done', 'job 124 done']);
  });

  it('matches words regardless of accents', () => {
    expect(matches(ftsMatchExpression('cafe'), ['Café ouvert', 'tea'])).toEqual(['Café ouvert']);
  });

  it('passes FTS5 syntax through as written', () => {
    expect(ftsMatchExpression('"disk full" OR timeout*')).toBe('"disk full" OR timeout*');
    expect(matches(ftsMatchExpression('"disk full" OR timeout*'), ['disk is full', 'the disk full again', 'timeouts'])).toEqual([
      'the disk full again',
      'timeouts',
    ]);
  });

  it('leaves out words without letters or digits rather than finding nothing', () => {
    expect(ftsMatchExpression('error --- ->')).toBe('"error"');
  });

  it('rejects a search with nothing to look for', () => {
    expect(() => ftsMatchExpression('--- ->')).toThrow(BerthError);
    expect(() => ftsMatchExpression('--- ->')).toThrow(/no letters or digits/);
  });
});

describe('searchSyntaxError', () => {
  const sqliteError = (expression: string): unknown => {
    try {
      matches(expression, ['x']);
    } catch (err) {
      return err;
    }
    throw new Error(`FTS5 accepted ${expression}`);
  };

  it('explains an FTS5 syntax error as a bad request about q', () => {
    const err = searchSyntaxError(sqliteError('error OR'), 'error OR');
    expect(err?.code).toBe('bad_request');
    expect(err?.message).toMatch(/^q: the search ends where more was expected/);
    expect(searchSyntaxError(sqliteError('a ) b'), 'a ) b')?.message).toMatch(/^q: syntax error near "\)"/);
    expect(searchSyntaxError(sqliteError('"unclosed'), '"unclosed')?.message).toMatch(/^q: a double quote is not closed/);
  });

  it('explains a leading star and an unknown column', () => {
    expect(searchSyntaxError(sqliteError('*foo'), '*foo')?.message).toMatch(/^q: "\*foo" is not a search: \* can only end a word, as in foo\*/);
    expect(searchSyntaxError(sqliteError('host:web'), 'host:web')?.message).toMatch(/^q: "host:" would search a column named host/);
  });

  it('ignores errors that are not about the search', () => {
    expect(searchSyntaxError(new Error('disk I/O error'), 'x')).toBeNull();
  });
});
