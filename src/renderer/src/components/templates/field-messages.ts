/**
 * The server answers a bad template with one message, "field: problem; other.path: problem"
 * (contract.ts describeIssues, and the template service's own checks). The editor shows each
 * problem beside its field and whatever names no field at the top.
 */
export interface FieldMessages {
  /** By top-level field name (`volumes`, `retry`…), in the order they came. */
  byField: Record<string, string[]>;
  /** Messages that name no known field. */
  general: string[];
}

const prefixed = /^([A-Za-z][A-Za-z0-9]*)((?:\.[^:\s]+)*): (.+)$/s;

/** `fields`: the names the form shows; a message about any other name goes to `general`. */
export function splitFieldMessages(message: string, fields: ReadonlySet<string>): FieldMessages {
  const out: FieldMessages = { byField: {}, general: [] };
  for (const part of message.split('; ')) {
    const text = part.trim();
    if (!text) continue;
    const m = prefixed.exec(text);
    if (!m || !fields.has(m[1]!)) {
      out.general.push(text);
      continue;
    }
    const rest = m[2]!.slice(1);
    (out.byField[m[1]!] ??= []).push(describeWithin(m[1]!, rest, m[3]!));
  }
  return out;
}

/** The part of the path below the field, in the words the form uses ("line 2", "KEY"). */
function describeWithin(field: string, rest: string, problem: string): string {
  if (!rest) return problem;
  // Lists are edited one item per line.
  if (/^\d+$/.test(rest) && (field === 'volumes' || field === 'env')) return `line ${Number(rest) + 1}: ${problem}`;
  return `${rest}: ${problem}`;
}
