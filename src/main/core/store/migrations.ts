/**
 * Numbered schema migrations, applied in order at start; `PRAGMA user_version` records the last one.
 * Never edit a migration that has shipped: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE hosts (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL CHECK (kind IN ('local', 'socket', 'tcp', 'ssh')),
        address    TEXT NOT NULL DEFAULT '',
        tls_ca     TEXT,
        tls_cert   TEXT,
        tls_key    TEXT,
        is_default INTEGER NOT NULL DEFAULT 0,
        enabled    INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      );
      -- The local engine (DOCKER_HOST, else the platform socket) is always there.
      INSERT INTO hosts (name, kind, is_default, created_at)
        VALUES ('local', 'local', 1, CAST(unixepoch('subsec') * 1000 AS INTEGER));

      -- One row per change of a host's state, for history and dashboards.
      CREATE TABLE host_status (
        host_id    INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
        checked_at INTEGER NOT NULL,
        state      TEXT NOT NULL,
        version    TEXT,
        error      TEXT,
        latency_ms INTEGER
      );
      CREATE INDEX host_status_by_host ON host_status (host_id, checked_at);

      CREATE TABLE templates (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        image      TEXT NOT NULL,
        command    TEXT NOT NULL,  -- JSON array of argv words; [] means the image's CMD
        env        TEXT NOT NULL,  -- JSON object
        created_at INTEGER NOT NULL
      );

      CREATE TABLE jobs (
        id           INTEGER PRIMARY KEY,
        template_id  INTEGER NOT NULL REFERENCES templates (id),
        host_id      INTEGER NOT NULL REFERENCES hosts (id),
        status       TEXT NOT NULL,
        attempt      INTEGER NOT NULL DEFAULT 1,
        container_id TEXT,
        exit_code    INTEGER,
        error        TEXT,
        created_at   INTEGER NOT NULL,
        started_at   INTEGER,
        finished_at  INTEGER
      );
      CREATE INDEX jobs_by_status ON jobs (status, id);
      CREATE INDEX jobs_by_template ON jobs (template_id, id);
      CREATE INDEX jobs_by_container ON jobs (container_id);

      -- Lines are the bulk of the file, so rows stay narrow: small integer codes, and the
      -- container id lives on the job rather than on every line.
      --   stream: 0 none (Berth's own line), 1 stdout, 2 stderr
      --   level:  0 debug, 1 info, 2 warn, 3 error
      --   source: 0 container, 1 system, 2 manager
      CREATE TABLE logs (
        id      INTEGER PRIMARY KEY,
        ts      INTEGER NOT NULL,
        job_id  INTEGER,
        stream  INTEGER NOT NULL,
        level   INTEGER NOT NULL,
        source  INTEGER NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX logs_by_job ON logs (job_id, id);
      CREATE INDEX logs_by_ts ON logs (ts);
    `,
  },
];
