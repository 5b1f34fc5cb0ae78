/**
 * Turns the `q` of a log filter into an FTS5 MATCH expression for `logs_fts`.
 *
 * Most searches are a few words, often with punctuation in them (`status=500`, `job-123`,
 * `/api/v1/users`, `10:00`), which FTS5's own syntax would reject or misread. So text without
 * any FTS5 syntax is "simple": each whitespace-separated word becomes an FTS5 string (FTS5 turns
 * a string into the phrase of its tokens, so `status=500` finds "status=500" and "status 500")
 * and all of them must appear. Text with syntax (`"`, `(`, `)`, `*`, `^`, or a standalone
 * uppercase AND, OR, NOT or NEAR) is passed to FTS5 as written. Case never matters: the
 * tokenizer folds it (and diacritics).
 */
import { BerthError } from '../../../../shared/errors';

const syntaxChars = /["()*^]/;
const operatorWord = /^(?:AND|OR|NOT|NEAR)$/;
/** What unicode61 keeps as part of a token: letters, digits, private-use characters. */
const tokenChar = /[\p{L}\p{N}\p{Co}]/u;

/** Whether `q` is a list of plain words rather than FTS5 syntax. */
export function isSimpleSearch(q: string): boolean {
  if (syntaxChars.test(q)) return false;
  return !q.split(/\s+/).some((word) => operatorWord.test(word));
}

/** The MATCH expression for `q`; a `bad_request` if a simple search has no word to look for. */
export function ftsMatchExpression(q: string): string {
  const text = q.trim();
  if (!isSimpleSearch(text)) return text;
  // A word without a letter or digit has no token: as a phrase it would match nothing at all,
  // so it is left out rather than making the whole search come back empty.
  const words = text.split(/\s+/).filter((word) => tokenChar.test(word));
  if (words.length === 0) {
    throw new BerthError('bad_request', `q: "${text}" has no letters or digits to search for; use regex to match punctuation`);
  }
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' AND ');
}

/**
 * A `bad_request` saying what is wrong with an advanced search, from the error SQLite raised
 * while parsing it; null if the error is not about the search expression.
 */
export function searchSyntaxError(err: unknown, q: string): BerthError | null {
  const message = err instanceof Error ? err.message : '';
  const hint = 'search syntax: words, "quoted phrases", AND, OR, NOT, NEAR(a b), prefix*; put text in double quotes to find it as written';
  let what: string | null = null;
  let m: RegExpExecArray | null;
  if ((m = /^fts5: syntax error near "(.*)"$/s.exec(message))) {
    what = m[1] === '' ? 'the search ends where more was expected' : `syntax error near "${m[1]}"`;
  } else if ((m = /^unknown special query: (.*)$/s.exec(message))) {
    what = `"*${m[1]}" is not a search: * can only end a word, as in ${m[1] || 'word'}*`;
  } else if (message === 'unterminated string') {
    what = 'a double quote is not closed';
  } else if ((m = /^no such column: (.*)$/s.exec(message))) {
    what = `"${m[1]}:" would search a column named ${m[1]}, and lines have only "message"`;
  } else if (/^fts5: /.test(message)) {
    what = message.slice('fts5: '.length);
  }
  return what === null ? null : new BerthError('bad_request', `q: ${what} (in ${JSON.stringify(q)}); ${hint}`);
}
