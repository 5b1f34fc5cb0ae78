import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ftsMatchExpression } from './fts-query';
import type { Row } from './log-sql';
import { SearchVerifier, asciiTokens } from './search-verifier';

const lines = [
  'GET /api/v1/users 200',
  'status=500 on /API/v2/items',
  'Status 500 at 10:00',
  'job-123 done',
  'job 124 done',
  '\x1b[31mERROR\x1b[0m disk_full on sda1',
  'user@example.com logged in',
  'Café ouvert à 10h',
  'naïve ÜBER-config 東京 api',
  'emoji 🚀 launched api',
  '',
  'a_b c-d e.f',
  'retrying 3 times; retried twice',
];

/** What the search index finds among the lines (rowid = position + 1). */
function indexFinds(q: string): number[] {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE f USING fts5 (message, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')");
  const insert = db.prepare('INSERT INTO f (rowid, message) VALUES (?, ?)');
  lines.forEach((line, i) => insert.run(i + 1, line.replace(/\x1b\[[0-9;]*m/g, '')));
  const ids = db.prepare('SELECT rowid FROM f WHERE f MATCH ? ORDER BY rowid').pluck().all(ftsMatchExpression(q)) as number[];
  db.close();
  return ids;
}

const rows: Row[] = lines.map((message, i) => [i + 1, 0, 1, 0, 1, 1, message]);

describe('SearchVerifier', () => {
  it('tokenizes ASCII as FTS5 does: runs of letters and digits, lower-cased', () => {
    expect(asciiTokens('status=500 on /API/v2/items')).toEqual(['status', '500', 'on', 'api', 'v2', 'items']);
    expect(asciiTokens('a_b c-d e.f')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('finds exactly the lines the search index finds, simple or not, ASCII or not', () => {
    const searches = [
      'api',
      'status=500',
      '/api/v1/users',
      '10:00',
      'job-123',
      'done job',
      'disk_full',
      'error',
      'user@example.com',
      'cafe',
      'Café',
      'uber',
      'über-config',
      '東京',
      '🚀 launched',
      'a_b',
      '"status 500"',
      'retr*',
      'error OR launched',
      'NEAR(status 500, 1)',
      'api NOT users',
    ];
    for (const q of searches) {
      const verifier = new SearchVerifier({ q, match: ftsMatchExpression(q), indexedUpTo: 1000 });
      expect(
        verifier.filter(rows).map((r) => r[0]),
        q,
      ).toEqual(indexFinds(q));
      verifier.close();
    }
  });

  it('does not find lines the search index has not reached yet', () => {
    const verifier = new SearchVerifier({ q: 'api', match: '"api"', indexedUpTo: 1 });
    expect(verifier.filter(rows).map((r) => r[0])).toEqual([1]);
    verifier.close();
  });
});
