import { describe, expect, it } from 'vitest';
import { splitFieldMessages } from './field-messages';

const fields = new Set(['name', 'volumes', 'workingDir', 'retry', 'secretEnv', 'schedule']);

describe('splitFieldMessages', () => {
  it('puts each "field: problem" beside its field and the rest at the top', () => {
    const out = splitFieldMessages(
      "workingDir: workingDir must be an absolute path; volumes.1: a volume is 'name:/path'; a template named 'x' already exists",
      fields,
    );
    expect(out.byField).toEqual({
      workingDir: ['workingDir must be an absolute path'],
      volumes: ["line 2: a volume is 'name:/path'"],
    });
    expect(out.general).toEqual(["a template named 'x' already exists"]);
  });

  it('keeps the path below the field (a secret key, a schedule field)', () => {
    const out = splitFieldMessages('secretEnv.TOKEN: give the secret\'s value; schedule.cron: too short', fields);
    expect(out.byField.secretEnv).toEqual(["TOKEN: give the secret's value"]);
    expect(out.byField.schedule).toEqual(['cron: too short']);
  });

  it('sends unknown fields and "input:" to the top', () => {
    const out = splitFieldMessages('input: Unrecognized key; bogus: no', fields);
    expect(out.byField).toEqual({});
    expect(out.general).toEqual(['input: Unrecognized key', 'bogus: no']);
  });
});
