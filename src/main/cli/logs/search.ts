/**
 * `--grep` on lines as they arrive. Stored lines are searched by the server (`q`, its full-text
 * index), but the index is filled behind the insert, so a line that has just arrived may not be
 * searchable yet; with -f, new lines are matched here instead, with the same meaning for plain
 * words: every word must appear, in any order; case and diacritics do not matter; a word with
 * punctuation in it (`status=500`, `10:00`) is the phrase of its parts ("status 500"); escape
 * sequences (colours) are not part of the text. Search syntax (phrases in quotes, OR, NOT, NEAR,
 * prefix*) is left to the server.
 */
import { stripAnsi } from '../../core/logs/ansi';

const syntaxChars = /["()*^]/;
const operatorWord = /^(?:AND|OR|NOT|NEAR)$/;
const token = /[\p{L}\p{N}\p{Co}]+/gu;
const hasTokenChar = /[\p{L}\p{N}\p{Co}]/u;
const marks = /\p{M}+/gu;

/** Plain words, without any full-text search syntax. */
export function isPlainSearch(q: string): boolean {
  return !syntaxChars.test(q) && !q.trim().split(/\s+/).some((word) => operatorWord.test(word));
}

/** The words of a plain search that have something to look for (letters or digits). */
export function searchWords(q: string): string[] {
  return q
    .trim()
    .split(/\s+/)
    .filter((word) => hasTokenChar.test(word));
}

/** Lower case, without diacritics; what the tokens of the full-text index are made of. */
function tokens(text: string): string[] {
  return text.normalize('NFD').replace(marks, '').toLowerCase().match(token) ?? [];
}

/** A test for messages: true when every word of the plain search `q` appears. */
export function plainMatcher(q: string): (message: string) => boolean {
  const phrases = searchWords(q).map(tokens).filter((p) => p.length > 0);
  return (message) => {
    const words = tokens(stripAnsi(message));
    return phrases.every((phrase) => containsRun(words, phrase));
  };
}

function containsRun(words: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}
