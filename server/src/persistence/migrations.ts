/**
 * Each entry moves the database one version forward (PRAGMA user_version counts them).
 * Never edit an entry that has shipped; append a new one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    affiliation TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_by_user ON sessions(user_id);

  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE document_members (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (document_id, user_id)
  );
  CREATE INDEX document_members_by_user ON document_members(user_id);

  CREATE TABLE document_updates (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    data BLOB NOT NULL,
    user_id INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX document_updates_by_document ON document_updates(document_id, id);

  CREATE TABLE document_snapshots (
    document_id TEXT PRIMARY KEY REFERENCES documents(id),
    state BLOB NOT NULL,
    through_update_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,  `
  -- Which person writes under each Yjs client id: the first to use it owns it.
  CREATE TABLE document_clients (
    document_id TEXT NOT NULL REFERENCES documents(id),
    client_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (document_id, client_id)
  );

  -- Who inserted and who deleted each range of Yjs ids, kept apart from snapshots so that
  -- "who wrote this character, and when" can always be answered.
  CREATE TABLE document_changes (
    document_id TEXT NOT NULL REFERENCES documents(id),
    update_id INTEGER NOT NULL REFERENCES document_updates(id),
    user_id INTEGER REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('insert', 'delete')),
    client_id INTEGER NOT NULL,
    clock INTEGER NOT NULL,
    length INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX document_changes_by_id ON document_changes(document_id, client_id, clock);
  `,  `
  -- The clause library. A template's text is its current version; every version is kept so a
  -- clause inserted from an older one can show what changed since.
  CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    key TEXT UNIQUE,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    summary TEXT NOT NULL,
    source TEXT NOT NULL,
    version INTEGER NOT NULL,
    retired_at INTEGER,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE template_versions (
    template_id TEXT NOT NULL REFERENCES templates(id),
    version INTEGER NOT NULL,
    source TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (template_id, version)
  );
  `,
  `
  -- A snapshot's state vector, so a document can be served from its snapshot without decoding it.
  ALTER TABLE document_snapshots ADD COLUMN state_vector BLOB;
  `,
  `
  -- Each time a document was finalized: the frozen Yjs state, its fingerprint and the five
  -- exports generated once at that moment (later downloads serve these bytes), and, once an
  -- owner reopened it, who did and when. Rows are never deleted: they are the history.
  CREATE TABLE document_finals (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    version_label TEXT NOT NULL,
    title TEXT NOT NULL,
    state BLOB NOT NULL,
    fingerprint TEXT NOT NULL,
    docx BLOB NOT NULL,
    pdf BLOB NOT NULL,
    html BLOB NOT NULL,
    md BLOB NOT NULL,
    txt BLOB NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    reopened_by INTEGER REFERENCES users(id),
    reopened_at INTEGER
  );
  CREATE INDEX document_finals_by_document ON document_finals(document_id, id);
  `,
  `
  -- Comment threads. Anchors are Yjs relative positions the clients resolve; the server keeps
  -- them as given. A deleted comment keeps its row (body NULL): the record shows it existed.
  CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    quote TEXT NOT NULL,
    anchor_start TEXT NOT NULL,
    anchor_end TEXT NOT NULL,
    clause_id TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolved_by INTEGER REFERENCES users(id),
    resolved_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX threads_by_document ON threads(document_id, created_at);

  CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES threads(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    deleted_at INTEGER
  );
  CREATE INDEX comments_by_thread ON comments(thread_id, created_at);

  -- Every change to a thread, numbered: the event stream's ids, so a client that reconnects
  -- with Last-Event-ID is sent what changed since.
  CREATE TABLE thread_events (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    thread_id TEXT NOT NULL REFERENCES threads(id),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX thread_events_by_document ON thread_events(document_id, id);

  -- Mentions of a person and replies in their threads: their Inbox.
  CREATE TABLE inbox_items (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    thread_id TEXT NOT NULL REFERENCES threads(id),
    comment_id TEXT NOT NULL REFERENCES comments(id),
    kind TEXT NOT NULL CHECK (kind IN ('mention', 'reply')),
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    UNIQUE (user_id, comment_id)
  );
  CREATE INDEX inbox_items_by_user ON inbox_items(user_id, id);
  `,
  `
  -- Named versions and automatic checkpoints: the whole state, so a version never depends on
  -- what the live document (which runs with Yjs gc on) still keeps of deleted text.
  CREATE TABLE document_versions (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('named', 'automatic')),
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    state BLOB NOT NULL,
    state_vector BLOB NOT NULL
  );
  CREATE INDEX document_versions_by_document ON document_versions(document_id, id);

  -- What happened to a document that is not already recorded elsewhere (comments are in
  -- threads and comments): joins, edits per clause, versions, restores, exports, finals.
  CREATE TABLE document_activity (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    user_id INTEGER REFERENCES users(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX document_activity_by_document ON document_activity(document_id, id);
  `,
  `
  -- A snapshot's SHA-256, written with it: a load serves the snapshot's bytes without decoding
  -- them, so damage (a bad disk, a hand edit) is found here instead of in every browser.
  ALTER TABLE document_snapshots ADD COLUMN state_sha256 BLOB;
  `,
]
