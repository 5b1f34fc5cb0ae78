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
  {
    version: 2,
    name: 'log sources, counters, blocks, full-text search, settings',
    sql: `
      -- Where lines come from. A job has one source (its container, and Berth's lines about it);
      -- a container followed without being a job (an attachment) has one, for as long as it exists.
      -- Berth's lines about nothing in particular have no source (NULL source_id on the line).
      CREATE TABLE log_sources (
        id             INTEGER PRIMARY KEY,
        job_id         INTEGER UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
        host_id        INTEGER REFERENCES hosts (id) ON DELETE SET NULL,
        container_id   TEXT,     -- full id, once known
        container_name TEXT,
        service_id     INTEGER,  -- a job's template id; the serviceId given when attaching
        service_name   TEXT,     -- a job's template name; the name given when attaching, else the container's
        -- Attachments only: why it is followed ('api' | 'label' | 'host'; NULL once detached), since
        -- when, and how following it goes ('following' | 'waiting' | 'gone').
        attach_reason  TEXT,
        attached_at    INTEGER,
        state          TEXT,
        error          TEXT,
        created_at     INTEGER NOT NULL,
        -- Resume cursor, one per stream (out = stdout, err = stderr), written in the same
        -- transaction as the lines it covers:
        --   units: lines (and pieces of over-long lines) stored from that stream, counted the same
        --          way whether they came through attach or the logs API;
        --   ts:    Docker's timestamp (RFC 3339, nanoseconds) of the last log entry that went into a
        --          stored unit, when it came through the logs API; NULL while only attach was read;
        --   at_ts: how many entries with exactly that timestamp were consumed.
        out_units      INTEGER NOT NULL DEFAULT 0,
        out_ts         TEXT,
        out_at_ts      INTEGER NOT NULL DEFAULT 0,
        err_units      INTEGER NOT NULL DEFAULT 0,
        err_ts         TEXT,
        err_at_ts      INTEGER NOT NULL DEFAULT 0,
        -- Counters of stored lines, kept by ingest and retention so nothing needs a scan.
        lines          INTEGER NOT NULL DEFAULT 0,
        bytes          INTEGER NOT NULL DEFAULT 0,  -- UTF-8 bytes of the stored messages
        first_id       INTEGER,                     -- oldest stored line, NULL when none
        last_id        INTEGER,                     -- newest line ever stored (kept when retention empties it)
        last_ts        INTEGER
      );
      CREATE INDEX log_sources_by_container ON log_sources (container_id);
      CREATE INDEX log_sources_by_service_id ON log_sources (service_id);
      CREATE INDEX log_sources_by_service_name ON log_sources (service_name);
      CREATE INDEX log_sources_attached ON log_sources (host_id) WHERE attach_reason IS NOT NULL;

      -- Stored lines per source, kind and level (codes as on logs). source_id 0 stands for lines
      -- without a source. Counts by level or source type are sums of a few of these rows.
      CREATE TABLE log_counts (
        source_id INTEGER NOT NULL,
        kind      INTEGER NOT NULL,
        level     INTEGER NOT NULL,
        lines     INTEGER NOT NULL,
        PRIMARY KEY (source_id, kind, level)
      ) WITHOUT ROWID;

      -- Time map of each source's lines, instead of an index on every line's time: a block covers
      -- consecutive lines of one source (ids first_id..last_id, of that source only) and the range
      -- of their times. A block is closed at 8192 lines or 60 s, so a time window reads whole
      -- blocks plus at most two partial ones. Times within a block need not be in order.
      CREATE TABLE log_blocks (
        source_id INTEGER NOT NULL,  -- 0 for lines without a source
        first_id  INTEGER NOT NULL,
        last_id   INTEGER NOT NULL,
        min_ts    INTEGER NOT NULL,
        max_ts    INTEGER NOT NULL,
        lines     INTEGER NOT NULL,
        PRIMARY KEY (source_id, first_id)
      ) WITHOUT ROWID;
      CREATE INDEX log_blocks_by_time ON log_blocks (max_ts);

      -- AUTOINCREMENT: ids never go back, even after retention deleted the newest lines, so a
      -- client that saw id n can always ask for what came after it.
      --   kind:   0 container output, 1 system (Berth about a job), 2 manager (Berth's decisions)
      --   stream: 0 none (Berth's own line), 1 stdout, 2 stderr
      --   level:  0 debug, 1 info, 2 warn, 3 error
      CREATE TABLE logs_v2 (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        ts        INTEGER NOT NULL,
        source_id INTEGER,
        kind      INTEGER NOT NULL,
        stream    INTEGER NOT NULL,
        level     INTEGER NOT NULL,
        message   TEXT NOT NULL
      );

      INSERT INTO log_sources (job_id, host_id, container_id, service_id, service_name, created_at)
        SELECT j.id, j.host_id, j.container_id, j.template_id, t.name, j.created_at
        FROM jobs j JOIN templates t ON t.id = j.template_id;
      INSERT INTO logs_v2 (id, ts, source_id, kind, stream, level, message)
        SELECT l.id, l.ts, s.id, l.source, l.stream, l.level, l.message
        FROM logs l LEFT JOIN log_sources s ON s.job_id = l.job_id
        ORDER BY l.id;
      DROP TABLE logs;
      ALTER TABLE logs_v2 RENAME TO logs;

      -- Every line is in its source's index; only the few notable lines (warnings and errors,
      -- Berth's own lines) are in the others, so storing an ordinary line updates one index.
      CREATE INDEX logs_by_source ON logs (source_id, id);
      CREATE INDEX logs_notable_by_source ON logs (source_id, level, id) WHERE level >= 2;
      CREATE INDEX logs_notable ON logs (level, id) WHERE level >= 2;
      CREATE INDEX logs_berth_by_source ON logs (source_id, id) WHERE kind != 0;

      UPDATE log_sources SET
        lines = (SELECT count(*) FROM logs WHERE logs.source_id = log_sources.id),
        bytes = coalesce((SELECT sum(length(CAST(message AS BLOB))) FROM logs WHERE logs.source_id = log_sources.id), 0),
        first_id = (SELECT min(id) FROM logs WHERE logs.source_id = log_sources.id),
        last_id = (SELECT max(id) FROM logs WHERE logs.source_id = log_sources.id),
        last_ts = (SELECT max(ts) FROM logs WHERE logs.source_id = log_sources.id);
      INSERT INTO log_counts (source_id, kind, level, lines)
        SELECT coalesce(source_id, 0), kind, level, count(*) FROM logs GROUP BY 1, 2, 3;
      INSERT INTO log_blocks (source_id, first_id, last_id, min_ts, max_ts, lines)
        SELECT coalesce(source_id, 0), min(id), max(id), min(ts), max(ts), count(*) FROM logs GROUP BY 1;

      -- Full-text index of every line's message (ANSI codes stripped), without a copy of the text,
      -- in segments by id range (see store/search-segments.ts): retention drops whole segments.
      -- Filled per batch behind the insert; meta 'fts_indexed_id' is the id up to which it is
      -- complete. Lines above it are not searchable yet.
      CREATE TABLE log_search_segments (
        id       INTEGER PRIMARY KEY,
        first_id INTEGER NOT NULL,
        last_id  INTEGER NOT NULL,
        lines    INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO meta (key, value) VALUES ('fts_indexed_id', '0');

      -- One JSON value per key; defaults live in the code.
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      ALTER TABLE hosts ADD COLUMN attach_all INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE templates ADD COLUMN log_retention TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 3,
    name: 'job runner: full templates and secrets, queue, retries, schedules, hosts managed',
    // Rebuilds templates, hosts and jobs (SQLite cannot drop a UNIQUE or NOT NULL in place);
    // migrate() runs it with foreign keys off and checks them after, as SQLite documents.
    sql: `
      -- Deleted templates and removed hosts keep their row (their jobs' history points at it),
      -- so names are unique only among the live ones.
      CREATE TABLE templates_v3 (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        image         TEXT NOT NULL,
        command       TEXT NOT NULL,              -- JSON array of argv words; [] means the image's CMD
        env           TEXT NOT NULL,              -- JSON object, values in clear
        -- Everything else a run needs (entrypoint, limits, volumes, retry, schedule…), as JSON
        -- in the contract's names: new optional fields need no migration.
        spec          TEXT NOT NULL DEFAULT '{}',
        host_id       INTEGER REFERENCES hosts (id),
        log_retention TEXT NOT NULL DEFAULT '{}',
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        deleted_at    INTEGER
      );
      INSERT INTO templates_v3 (id, name, image, command, env, log_retention, created_at, updated_at)
        SELECT id, name, image, command, env, log_retention, created_at, created_at FROM templates;
      DROP TABLE templates;
      ALTER TABLE templates_v3 RENAME TO templates;
      CREATE UNIQUE INDEX templates_live_name ON templates (name) WHERE deleted_at IS NULL;

      -- Secret values live apart from the template: read only to start a container, never
      -- returned by any query that feeds the API.
      CREATE TABLE template_secrets (
        template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
        key         TEXT NOT NULL,
        value       TEXT NOT NULL,
        PRIMARY KEY (template_id, key)
      ) WITHOUT ROWID;

      -- When a template's schedule last fired (or was enabled): what catch-up compares with.
      CREATE TABLE schedule_state (
        template_id INTEGER PRIMARY KEY REFERENCES templates (id) ON DELETE CASCADE,
        last_run_at INTEGER NOT NULL
      );

      CREATE TABLE hosts_v3 (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('local', 'socket', 'tcp', 'ssh')),
        address     TEXT NOT NULL DEFAULT '',
        tls_ca      TEXT,
        tls_cert    TEXT,
        tls_key     TEXT,
        is_default  INTEGER NOT NULL DEFAULT 0,
        enabled     INTEGER NOT NULL DEFAULT 1,
        attach_all  INTEGER NOT NULL DEFAULT 0,
        concurrency INTEGER,                      -- NULL: the engine's CPU count
        created_at  INTEGER NOT NULL,
        deleted_at  INTEGER
      );
      INSERT INTO hosts_v3 (id, name, kind, address, tls_ca, tls_cert, tls_key, is_default, enabled, attach_all, created_at)
        SELECT id, name, kind, address, tls_ca, tls_cert, tls_key, is_default, enabled, attach_all, created_at FROM hosts;
      DROP TABLE hosts;
      ALTER TABLE hosts_v3 RENAME TO hosts;
      CREATE UNIQUE INDEX hosts_live_name ON hosts (name) WHERE deleted_at IS NULL;

      -- A job keeps what it runs with (spec: the template resolved with the run's overrides,
      -- secret keys without values), so editing or deleting its template changes nothing of it.
      --   host_id:      where it runs; NULL while it waits for any host
      --   want_host_id: the host asked for (by the run or the template), NULL for any
      --   not_before:   a retry waits for its backoff until then
      --   retry_of:     the attempt this one retries
      CREATE TABLE jobs_v3 (
        id              INTEGER PRIMARY KEY,
        template_id     INTEGER NOT NULL REFERENCES templates (id),
        host_id         INTEGER REFERENCES hosts (id),
        want_host_id    INTEGER REFERENCES hosts (id),
        status          TEXT NOT NULL,
        trigger         TEXT NOT NULL DEFAULT 'manual',
        attempt         INTEGER NOT NULL DEFAULT 1,
        retry_of        INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
        spec            TEXT NOT NULL DEFAULT '{}',
        not_before      INTEGER,
        container_id    TEXT,
        exit_code       INTEGER,
        error           TEXT,
        created_at      INTEGER NOT NULL,
        started_at      INTEGER,
        finished_at     INTEGER
      );
      INSERT INTO jobs_v3 (id, template_id, host_id, want_host_id, status, attempt, container_id, exit_code, error, created_at, started_at, finished_at)
        SELECT id, template_id, host_id, host_id, status, attempt, container_id, exit_code, error, created_at, started_at, finished_at FROM jobs;
      DROP TABLE jobs;
      ALTER TABLE jobs_v3 RENAME TO jobs;
      CREATE INDEX jobs_by_status ON jobs (status, id);
      CREATE INDEX jobs_by_template ON jobs (template_id, id);
      CREATE INDEX jobs_by_host ON jobs (host_id, id);
      CREATE INDEX jobs_by_container ON jobs (container_id);
      CREATE INDEX jobs_by_started ON jobs (coalesce(started_at, 0), id);
      CREATE INDEX jobs_by_finished ON jobs (finished_at, id);
      CREATE INDEX jobs_by_duration ON jobs (coalesce(finished_at - started_at, -1), id);
      CREATE INDEX jobs_by_retry_of ON jobs (retry_of);
      -- The queue: pending jobs in the order they may start.
      CREATE INDEX jobs_queue ON jobs (coalesce(not_before, 0), id) WHERE status = 'pending';
    `,
  },
  {
    version: 4,
    name: 'jobs list: indexes for the trigger and created-time filters',
    sql: `
      CREATE INDEX jobs_by_trigger ON jobs (trigger, id);
      CREATE INDEX jobs_by_created ON jobs (created_at, id);
      -- The status chips with a sort by duration (the slowest failures, say).
      CREATE INDEX jobs_by_status_duration ON jobs (status, coalesce(finished_at - started_at, -1), id);
    `,
  },
];
