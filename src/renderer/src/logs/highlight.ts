import { regexParts } from './log-search';

/** [start, end) spans of a message to mark as matches. */
export type Span = [number, number];

interface Term {
  text: string;
  /** `word*`: matches words starting with it. */
  prefix: boolean;
}

const operators = new Set(['AND', 'OR', 'NOT', 'NEAR']);
const wordChar = /[\p{L}\p{N}_]/u;

/**
 * The words a full-text query looks for, to mark them in results: plain words, the words of
 * "phrases" and prefix* terms; operators, column filters and anything after NOT are left out.
 */
export function queryTerms(query: string): Term[] {
  const terms: Term[] = [];
  const tokens = query.match(/"[^"]*"?|[^\s()"]+/g) ?? [];
  let negate = false;
  for (const raw of tokens) {
    if (operators.has(raw)) {
      negate = raw === 'NOT';
      continue;
    }
    if (negate) {
      negate = false;
      continue;
    }
    const phrase = raw.startsWith('"');
    let body = phrase ? raw.replace(/^"|"$/g, '') : raw.replace(/^[\^+-]/, '').replace(/^[\p{L}\p{N}_]+:(?=.)/u, '');
    const prefix = body.endsWith('*');
    body = body.replace(/\*+$/, '');
    const words = body.split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
    words.forEach((word, i) => terms.push({ text: word.toLowerCase(), prefix: prefix && i === words.length - 1 }));
  }
  return terms;
}

/** Where the terms occur in a message, as whole words (or word starts for prefix terms); merged and sorted. */
export function termSpans(message: string, terms: readonly Term[]): Span[] {
  if (terms.length === 0) return [];
  const lower = message.toLowerCase();
  const spans: Span[] = [];
  for (const term of terms) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(term.text, from);
      if (at < 0) break;
      const end = at + term.text.length;
      const startsWord = at === 0 || !wordChar.test(lower[at - 1]!);
      const endsWord = term.prefix || end >= lower.length || !wordChar.test(lower[end]!);
      if (startsWord && endsWord) spans.push([at, end]);
      from = at + 1;
    }
  }
  return mergeSpans(spans);
}

/** Where a regular expression matches (at most 100 spans, and none if it does not compile). */
export function regexSpans(message: string, source: string): Span[] {
  let re: RegExp;
  try {
    const { pattern, flags } = regexParts(source);
    re = new RegExp(pattern, `${flags}g`);
  } catch {
    return [];
  }
  const spans: Span[] = [];
  for (const match of message.matchAll(re)) {
    if (match[0].length === 0) continue;
    spans.push([match.index, match.index + match[0].length]);
    if (spans.length >= 100) break;
  }
  return mergeSpans(spans);
}

export function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else out.push([span[0], span[1]]);
  }
  return out;
}

/** A message cut into plain and marked parts, for rendering. */
export function splitBySpans(message: string, spans: readonly Span[]): Array<{ text: string; mark: boolean }> {
  const parts: Array<{ text: string; mark: boolean }> = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start > at) parts.push({ text: message.slice(at, start), mark: false });
    parts.push({ text: message.slice(start, end), mark: true });
    at = end;
  }
  if (at < message.length) parts.push({ text: message.slice(at), mark: false });
  return parts;
}
