/* sesame-store-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's schema, one migration per version. Every table that will be
 * merged between desks has an explicit global primary key (a directory key,
 * a UAI or a UUID), specific timestamps instead of a catch-all one, and
 * tombstones (deleted_at) instead of DELETE. Facts that two desks may record
 * at once (credentials, role changes, audit entries) are insert-only rows.
 */
#include "config.h"

#include "sesame-store-private.h"

static const char migration_1[] =
  /* Store-wide facts: its UUID, when and by whom it was set up. */
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT"
  ");"
  /* Policy settings shared by every desk of the store. */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL,"
  "  changed_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE establishments ("
  "  jointure TEXT PRIMARY KEY NOT NULL,"
  "  uai TEXT NOT NULL,"
  "  name TEXT NOT NULL DEFAULT '',"
  "  street TEXT NOT NULL DEFAULT '',"
  "  postal_code TEXT NOT NULL DEFAULT '',"
  "  city TEXT NOT NULL DEFAULT '',"
  "  academy TEXT NOT NULL DEFAULT '',"
  "  phone TEXT NOT NULL DEFAULT '',"
  "  first_seen_at INTEGER NOT NULL,"
  "  deleted_at INTEGER"
  ");"
  "CREATE INDEX establishments_uai ON establishments (uai);"
  "CREATE TABLE subjects ("
  "  code TEXT PRIMARY KEY NOT NULL,"
  "  label TEXT NOT NULL DEFAULT '',"
  "  deleted_at INTEGER"
  ");"
  /* kind is the directory category (Eleve, PersRelEleve, PersEducNat);
   * profile is a SesameProfile. structure is the jointure of the
   * establishment the person belongs to (ENTPersonStructRattach). */
  "CREATE TABLE persons ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  profile INTEGER NOT NULL,"
  "  title TEXT NOT NULL DEFAULT '',"
  "  last_name TEXT NOT NULL DEFAULT '',"
  "  first_name TEXT NOT NULL DEFAULT '',"
  "  birth_name TEXT NOT NULL DEFAULT '',"
  "  birth_date TEXT NOT NULL DEFAULT '',"
  "  ine TEXT NOT NULL DEFAULT '',"
  "  structure TEXT NOT NULL DEFAULT '',"
  "  address TEXT NOT NULL DEFAULT '',"
  "  postal_code TEXT NOT NULL DEFAULT '',"
  "  city TEXT NOT NULL DEFAULT '',"
  "  country TEXT NOT NULL DEFAULT '',"
  "  email TEXT NOT NULL DEFAULT '',"
  "  home_phone TEXT NOT NULL DEFAULT '',"
  "  work_phone TEXT NOT NULL DEFAULT '',"
  "  mobile TEXT NOT NULL DEFAULT '',"
  "  is_head INTEGER NOT NULL DEFAULT 0,"
  "  first_seen_at INTEGER NOT NULL,"
  "  last_import TEXT,"
  "  left_at INTEGER,"
  "  deleted_at INTEGER"
  ");"
  "CREATE INDEX persons_structure ON persons (structure, profile);"
  "CREATE INDEX persons_names ON persons (last_name COLLATE NOCASE, first_name COLLATE NOCASE);"
  /* Heads of establishment are administrators: found without a scan. */
  "CREATE INDEX persons_heads ON persons (is_head) WHERE is_head = 1;"
  /* Classes and groups of pupils (kind 'class' or 'group'). */
  "CREATE TABLE memberships ("
  "  person_key TEXT NOT NULL,"
  "  structure TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  deleted_at INTEGER,"
  "  PRIMARY KEY (person_key, structure, kind, code)"
  ") WITHOUT ROWID;"
  "CREATE INDEX memberships_code ON memberships (code, structure);"
  /* Searches by class ignore case: "6a" finds 6A. */
  "CREATE INDEX memberships_code_nocase ON memberships (code COLLATE NOCASE);"
  /* Pupil–guardian links from ENTElevePersRelEleve and the older attributes. */
  "CREATE TABLE guardians ("
  "  pupil_key TEXT NOT NULL,"
  "  parent_key TEXT NOT NULL,"
  "  relationship INTEGER NOT NULL DEFAULT 0,"
  "  legal INTEGER NOT NULL DEFAULT 0,"
  "  financial INTEGER NOT NULL DEFAULT 0,"
  "  contact INTEGER NOT NULL DEFAULT 0,"
  "  deleted_at INTEGER,"
  "  PRIMARY KEY (pupil_key, parent_key)"
  ") WITHOUT ROWID;"
  "CREATE INDEX guardians_parent ON guardians (parent_key);"
  /* Staff functions: ENTPersonFonctions (struct$code$label$discipline$label). */
  "CREATE TABLE functions ("
  "  person_key TEXT NOT NULL,"
  "  structure TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  label TEXT NOT NULL DEFAULT '',"
  "  discipline TEXT NOT NULL DEFAULT '',"
  "  discipline_label TEXT NOT NULL DEFAULT '',"
  "  deleted_at INTEGER,"
  "  PRIMARY KEY (person_key, structure, code, discipline)"
  ") WITHOUT ROWID;"
  /* Classes and groups a staff member teaches (kind 'class', 'group') or
   * leads as main teacher (kind 'principal'). */
  "CREATE TABLE teachings ("
  "  person_key TEXT NOT NULL,"
  "  structure TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  deleted_at INTEGER,"
  "  PRIMARY KEY (person_key, structure, kind, code)"
  ") WITHOUT ROWID;"
  "CREATE INDEX teachings_code ON teachings (code, structure);"
  "CREATE INDEX teachings_code_nocase ON teachings (code COLLATE NOCASE);"
  /* Subjects taught in an establishment (ENTAuxEnsMatiereEnseignEtab). */
  "CREATE TABLE staff_subjects ("
  "  person_key TEXT NOT NULL,"
  "  structure TEXT NOT NULL,"
  "  label TEXT NOT NULL,"
  "  deleted_at INTEGER,"
  "  PRIMARY KEY (person_key, structure, label)"
  ") WITHOUT ROWID;"
  /* One ENT account per person. A password hash exists only once the
   * person chose a password; first passwords live in credentials. */
  "CREATE TABLE accounts ("
  "  person_key TEXT PRIMARY KEY NOT NULL,"
  "  login TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  created_by_import TEXT,"
  "  login_changed_at INTEGER,"
  "  password_hash TEXT,"
  "  password_changed_at INTEGER,"
  "  first_sign_in_at INTEGER,"
  "  last_sign_in_at INTEGER,"
  "  disabled_at INTEGER,"
  "  deleted_at INTEGER"
  ");"
  "CREATE UNIQUE INDEX accounts_login ON accounts (login);"
  "CREATE INDEX accounts_created ON accounts (created_at);"
  /* First passwords, insert-only: an account's first password is its newest
   * credential not revoked, used or expired. The password itself is purged
   * (set to NULL) after the first sign-in, a change, or expiry. */
  "CREATE TABLE credentials ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  password TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  created_by TEXT NOT NULL DEFAULT '',"
  "  used_at INTEGER,"
  "  revoked_at INTEGER,"
  "  purged_at INTEGER"
  ");"
  "CREATE INDEX credentials_person ON credentials (person_key, created_at);"
  /* Expired first passwords are purged each time a store is opened. */
  "CREATE INDEX credentials_live ON credentials (expires_at) WHERE password IS NOT NULL;"
  /* Role grants and revocations, insert-only: the newest row for a person
   * and role tells whether it is held. */
  "CREATE TABLE role_events ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  role TEXT NOT NULL,"
  "  scope TEXT NOT NULL DEFAULT 'establishment',"
  "  granted INTEGER NOT NULL,"
  "  operator TEXT NOT NULL,"
  "  at INTEGER NOT NULL"
  ");"
  "CREATE INDEX role_events_person ON role_events (person_key, role, at);"
  "CREATE TABLE imports ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  finished_at INTEGER,"
  "  operator TEXT NOT NULL,"
  "  files TEXT NOT NULL DEFAULT '',"
  "  complete INTEGER NOT NULL DEFAULT 0,"
  "  summary TEXT NOT NULL DEFAULT ''"
  ");"
  /* Identifier files record which accounts they list; the CSV is rendered
   * on export so that it never shows a password that no longer works. */
  "CREATE TABLE identifier_files ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  establishment TEXT NOT NULL,"
  "  generated_at INTEGER NOT NULL,"
  "  since INTEGER,"
  "  import_id TEXT,"
  "  operator TEXT NOT NULL,"
  "  size INTEGER NOT NULL DEFAULT 0,"
  "  accounts INTEGER NOT NULL DEFAULT 0,"
  "  deleted_at INTEGER"
  ");"
  "CREATE TABLE identifier_file_accounts ("
  "  file_id TEXT NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  PRIMARY KEY (file_id, person_key)"
  ") WITHOUT ROWID;"
  /* The audit trail, insert-only. Never holds a password. */
  "CREATE TABLE audit ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  operator TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  target TEXT NOT NULL DEFAULT '',"
  "  detail TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX audit_at ON audit (at);"
  "CREATE INDEX audit_operator ON audit (operator, at);"
  /* Free-text search over names, accents and case folded. A local index,
   * never synced: its rowid is the persons row's rowid, and the core keeps
   * it in step with persons. Logins are searched through accounts_login. */
  "CREATE VIRTUAL TABLE persons_fts USING fts5 ("
  "  first_name, last_name, other_names,"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4'"
  ");";

/* Diffusion des identifiants: email campaigns, their recipients, every
 * attempt to send, and the one-time activation tokens the messages carry. */
static const char migration_2[] =
  /* A campaign is recorded with its recipients before anything is sent. One
   * desk runs it at a time: run_id names the run holding it (a process on
   * run_host with run_pid), run_heartbeat_at says it is alive. state is
   * ready, sending, paused, interrupted, cancelled or finished. */
  "CREATE TABLE campaigns ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  subject TEXT NOT NULL,"
  "  free_text TEXT NOT NULL DEFAULT '',"
  "  profiles TEXT NOT NULL,"
  "  classes TEXT NOT NULL DEFAULT '',"
  "  establishment TEXT NOT NULL DEFAULT '',"
  "  operator TEXT NOT NULL,"
  "  operator_key TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'ready',"
  "  state_changed_at INTEGER NOT NULL,"
  "  started_at INTEGER,"
  "  finished_at INTEGER,"
  "  last_error TEXT NOT NULL DEFAULT '',"
  "  run_id TEXT,"
  "  run_host TEXT,"
  "  run_pid INTEGER,"
  "  run_heartbeat_at INTEGER,"
  "  report_sent_at INTEGER,"
  "  deleted_at INTEGER"
  ");"
  "CREATE INDEX campaigns_created ON campaigns (created_at);"
  /* One row per person targeted, written before and after each send by the
   * run holding the campaign. state is waiting, sending, sent, failed,
   * no-address, uncertain (the run stopped after the whole message was
   * handed to the server, before its answer) or skipped (the account was
   * activated or disabled before its turn). data_sent_at tells, for a row
   * left in 'sending', whether the server may have the message;
   * next_attempt_ms (milliseconds) delays a retry after a 4xx reply. */
  "CREATE TABLE campaign_recipients ("
  "  campaign_id TEXT NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  login TEXT NOT NULL DEFAULT '',"
  "  last_name TEXT NOT NULL DEFAULT '',"
  "  first_name TEXT NOT NULL DEFAULT '',"
  "  profile INTEGER NOT NULL,"
  "  address TEXT NOT NULL DEFAULT '',"
  "  structure TEXT NOT NULL DEFAULT '',"
  "  position INTEGER NOT NULL,"
  "  state TEXT NOT NULL,"
  "  state_changed_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_ms INTEGER,"
  "  data_sent_at INTEGER,"
  "  reply TEXT NOT NULL DEFAULT '',"
  "  message_id TEXT NOT NULL DEFAULT '',"
  "  sent_at INTEGER,"
  "  PRIMARY KEY (campaign_id, person_key)"
  ") WITHOUT ROWID;"
  "CREATE INDEX campaign_recipients_state ON campaign_recipients (campaign_id, state, position);"
  /* The send log, insert-only but for its own run closing it: every
   * attempt, with the server's reply. */
  "CREATE TABLE campaign_attempts ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  campaign_id TEXT NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  run_id TEXT NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  data_sent_at INTEGER,"
  "  finished_at INTEGER,"
  "  result TEXT NOT NULL DEFAULT '',"
  "  reply TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX campaign_attempts_recipient ON campaign_attempts (campaign_id, person_key, started_at);"
  /* The link of a diffusion message carries a random token, valid 60 days
   * and usable once. Only its BLAKE2b hash is kept. */
  "CREATE TABLE activation_tokens ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  campaign_id TEXT,"
  "  token_hash TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER,"
  "  revoked_at INTEGER"
  ");"
  "CREATE UNIQUE INDEX activation_tokens_hash ON activation_tokens (token_hash);"
  "CREATE INDEX activation_tokens_person ON activation_tokens (person_key);";

/* Leaner indexes for the import, which writes them all, and one for the
 * history of a person. Names are searched through the free-text index,
 * never through persons_names. One index on class codes, case aside,
 * serves both the searches ("6a" finds 6A) and the exact matches, which
 * add their own comparison. */
static const char migration_3[] =
  "DROP INDEX persons_names;"
  "DROP INDEX memberships_code_nocase;"
  "DROP INDEX memberships_code;"
  "CREATE INDEX memberships_code ON memberships (code COLLATE NOCASE, structure);"
  /* A person's history, however old: the audit entries naming them. */
  "CREATE INDEX audit_target ON audit (target, at);";

/* Operators who sign in (issue 12). Every operator keeps a passphrase of
 * their own, hashed with Argon2id: insert-only rows, the newest for a
 * person is the one that works. An enrolment code lets a new operator set
 * theirs: only a hash is kept, it is valid 7 days and used once. Every
 * attempt to sign in, right or wrong, is a row of its own keyed by the
 * login as typed (which need not exist): wrong passphrases are throttled
 * from these rows, so that starting the program again resets nothing. */
static const char migration_4[] =
  "CREATE TABLE operator_passphrases ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  set_at INTEGER NOT NULL,"
  "  set_by TEXT NOT NULL,"
  "  via TEXT NOT NULL"
  ");"
  "CREATE INDEX operator_passphrases_person ON operator_passphrases (person_key, set_at);"
  "CREATE TABLE enrolment_codes ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  code_hash TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER,"
  "  revoked_at INTEGER"
  ");"
  "CREATE INDEX enrolment_codes_person ON enrolment_codes (person_key, created_at);"
  "CREATE TABLE operator_sign_ins ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  login TEXT NOT NULL,"
  "  person_key TEXT,"
  "  at INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  succeeded INTEGER NOT NULL"
  ");"
  "CREATE INDEX operator_sign_ins_login ON operator_sign_ins (login, at);"
  "CREATE INDEX operator_sign_ins_person ON operator_sign_ins (person_key, at) WHERE succeeded = 1;";

/* Scope that holds. Role grants and revocations are ordered by the
 * store's own sequence, never by a clock: seq is given at insertion, in
 * the order rows reach this store, whatever their at says (a desk whose
 * clock is behind still revokes what it granted). Rows already written
 * take their insertion order. Administrators are now of some
 * establishments or of all: until now the only administrators recorded
 * were those who set up their store, who administer all of it. */
static const char migration_5[] =
  "ALTER TABLE role_events ADD COLUMN seq INTEGER;"
  "UPDATE role_events SET seq = rowid;"
  "DROP INDEX role_events_person;"
  "CREATE INDEX role_events_person ON role_events (person_key, role, seq);"
  "CREATE INDEX role_events_seq ON role_events (seq);"
  "CREATE TRIGGER role_events_sequence AFTER INSERT ON role_events WHEN NEW.seq IS NULL BEGIN"
  "  UPDATE role_events SET seq = (SELECT COALESCE (MAX (seq), 0) + 1 FROM role_events)"
  "  WHERE rowid = NEW.rowid;"
  "END;"
  "UPDATE role_events SET scope = 'all' WHERE role = 'admin';";

/* The operator's copy of a regenerated password (issue 13): a preference
 * of each operator's own, and the notices mailed to them, each try an
 * insert-only row of its own. */
static const char migration_6[] =
  "CREATE TABLE operator_preferences ("
  "  operator TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  set_at INTEGER NOT NULL,"
  "  PRIMARY KEY (operator, key)"
  ");"
  "CREATE TABLE operator_notices ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  operator TEXT NOT NULL,"
  "  login TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX operator_notices_operator ON operator_notices (operator, created_at);"
  "CREATE TABLE operator_notice_attempts ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  notice_id TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  reply TEXT NOT NULL"
  ");"
  "CREATE INDEX operator_notice_attempts_notice ON operator_notice_attempts (notice_id, at);";

/* Former logins (issue 14): a person stays findable at the desk by a login
 * they had before a change. Insert-only facts, keyed by the person and the
 * login so that two desks recording the same change agree. The changes
 * made before this table existed are read back from the audit trail, each
 * "old → new" followed to the login held today. */
static const char migration_7[] =
  "CREATE TABLE former_logins ("
  "  person_key TEXT NOT NULL,"
  "  login TEXT NOT NULL,"
  "  replaced_at INTEGER NOT NULL,"
  "  PRIMARY KEY (person_key, login)"
  ") WITHOUT ROWID;"
  "CREATE INDEX former_logins_login ON former_logins (login);"
  "WITH RECURSIVE changes (old, new, at) AS ("
  "  SELECT substr (detail, 1, instr (detail, ' → ') - 1), target, at FROM audit"
  "  WHERE action = 'set-login' AND instr (detail, ' → ') > 1),"
  " chain (old, current, replaced_at, at, depth) AS ("
  "  SELECT old, new, at, at, 0 FROM changes"
  "  UNION ALL"
  "  SELECT chain.old, c.new, chain.replaced_at, c.at, chain.depth + 1"
  "  FROM chain JOIN changes c ON c.old = chain.current AND c.at >= chain.at"
  "  WHERE chain.depth < 32)"
  "INSERT OR IGNORE INTO former_logins (person_key, login, replaced_at)"
  " SELECT a.person_key, chain.old, chain.replaced_at FROM chain"
  " JOIN accounts a ON a.login = chain.current AND a.deleted_at IS NULL"
  " WHERE chain.old <> a.login;";

/* Desks and the server (issue 16). sync_state says whether this store is
 * a desk joined to a server (key 'server') and where it stands; a
 * standalone store has no row there and records nothing. A desk keeps
 * each of its write transactions as an SQLite session changeset in
 * sync_outbox, in the same transaction, until the server's feed brings it
 * back; changes the server refused or that could not be replayed over its
 * newer state wait in sync_conflicts for the operator. The server keeps
 * what it applied in sync_feed, ordered by seq, and its verdict on every
 * entry in sync_verdicts, so that a replayed entry gets its first answer;
 * sync_feed_roles lists the role changes of the feed, for "a revoke wins
 * over a grant made without knowing it". The audit trail says which desk
 * made a change and when the server took it. These tables are the sync's
 * own: none of them is synced. */
static const char migration_8[] =
  "CREATE TABLE sync_state ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE sync_outbox ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  operator TEXT NOT NULL,"
  "  action TEXT NOT NULL DEFAULT '',"
  "  desk_time INTEGER NOT NULL,"
  "  base_seq INTEGER NOT NULL DEFAULT 0,"
  "  changeset BLOB NOT NULL,"
  "  verdict TEXT,"
  "  seq INTEGER"
  ");"
  "CREATE TABLE sync_conflicts ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  entry_id TEXT NOT NULL,"
  "  operator TEXT NOT NULL,"
  "  action TEXT NOT NULL DEFAULT '',"
  "  desk_time INTEGER NOT NULL,"
  "  recorded_at INTEGER NOT NULL,"
  "  target TEXT NOT NULL DEFAULT '',"
  "  message TEXT NOT NULL,"
  "  dismissed_at INTEGER"
  ");"
  "CREATE INDEX sync_conflicts_open ON sync_conflicts (recorded_at) WHERE dismissed_at IS NULL;"
  "CREATE TABLE sync_feed ("
  "  seq INTEGER PRIMARY KEY,"
  "  entry_id TEXT NOT NULL UNIQUE,"
  "  scope TEXT NOT NULL DEFAULT '',"
  "  operator TEXT NOT NULL,"
  "  action TEXT NOT NULL DEFAULT '',"
  "  desk TEXT NOT NULL,"
  "  desk_time INTEGER NOT NULL,"
  "  base_seq INTEGER NOT NULL DEFAULT 0,"
  "  server_time INTEGER NOT NULL,"
  "  changeset BLOB NOT NULL"
  ");"
  "CREATE INDEX sync_feed_scope ON sync_feed (scope, seq);"
  "CREATE TABLE sync_verdicts ("
  "  entry_id TEXT PRIMARY KEY NOT NULL,"
  "  desk TEXT NOT NULL,"
  "  digest TEXT NOT NULL,"
  "  verdict TEXT NOT NULL,"
  "  seq INTEGER,"
  "  reason TEXT NOT NULL DEFAULT '',"
  "  at INTEGER NOT NULL"
  ");"
  "CREATE TABLE sync_feed_roles ("
  "  seq INTEGER NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  role TEXT NOT NULL,"
  "  granted INTEGER NOT NULL,"
  "  PRIMARY KEY (person_key, role, seq)"
  ") WITHOUT ROWID;"
  "ALTER TABLE audit ADD COLUMN desk TEXT;"
  "ALTER TABLE audit ADD COLUMN server_at INTEGER;";

/* Several desks, one server (issue 16). On the server: the desks it
 * knows, each enrolled once with a one-time code (only a BLAKE2b hash is
 * kept) and holding an Ed25519 public key from then on; a revoked desk
 * keeps its row, with revoked_at, so that the audit trail can still name
 * it. The nonces of the desks' signed requests are kept as long as their
 * time is within the window a request is accepted in, so that none is
 * played twice. On a desk: the server it joined, its pinned certificate,
 * the outcome of its last attempt to reach it, and the tickets the server signed for the
 * operators who signed in online. The desk's private key lives in the
 * keyring, never here. None of these tables sync. */
static const char migration_9[] =
  "CREATE TABLE IF NOT EXISTS sync_desks ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  establishments TEXT NOT NULL DEFAULT '',"
  "  code_hash TEXT NOT NULL,"
  "  code_expires_at INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  public_key TEXT,"
  "  enrolled_at INTEGER,"
  "  revoked_at INTEGER,"
  "  revoked_by TEXT"
  ");"
  "CREATE UNIQUE INDEX IF NOT EXISTS sync_desks_name ON sync_desks (name) WHERE revoked_at IS NULL;"
  "CREATE UNIQUE INDEX IF NOT EXISTS sync_desks_code ON sync_desks (code_hash);"
  "CREATE TABLE IF NOT EXISTS sync_nonces ("
  "  desk_id TEXT NOT NULL,"
  "  nonce TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  PRIMARY KEY (desk_id, nonce)"
  ") WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS sync_nonces_at ON sync_nonces (at);"
  "CREATE TABLE IF NOT EXISTS sync_server ("
  "  url TEXT PRIMARY KEY NOT NULL,"
  "  fingerprint TEXT NOT NULL,"
  "  public_key_pin TEXT NOT NULL,"
  "  desk_id TEXT NOT NULL,"
  "  desk_name TEXT NOT NULL,"
  "  establishments TEXT NOT NULL DEFAULT '',"
  "  joined_at INTEGER NOT NULL,"
  "  last_attempt_at INTEGER,"
  "  last_error TEXT"
  ");"
  "CREATE TABLE IF NOT EXISTS sync_tickets ("
  "  login TEXT PRIMARY KEY NOT NULL,"
  "  ticket TEXT NOT NULL,"
  "  expires_at INTEGER NOT NULL"
  ");";

/* The families' pages (issue 17), on the server only. A web session is
 * known by the BLAKE2b hash of its cookie, never the cookie itself; it
 * ends when idle too long, at its absolute expiry, or at sign-out
 * (ended_at). A reset token is kept as its hash, used once, valid one
 * hour. Every sign-in attempt and every reset request is a new row
 * (insert-only, like the operators' sign-ins), so that throttling
 * survives a restart. None of these tables sync: they belong to the
 * server that serves the pages. */
static const char migration_10[] =
  "CREATE TABLE web_sessions ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  cookie_hash TEXT NOT NULL UNIQUE,"
  "  person_key TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  last_seen_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  must_change INTEGER NOT NULL DEFAULT 0,"
  "  csrf_secret TEXT NOT NULL,"
  "  reauth_marker_hash TEXT,"
  "  ended_at INTEGER"
  ");"
  "CREATE INDEX web_sessions_person ON web_sessions (person_key);"
  "CREATE TABLE password_reset_tokens ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  token_hash TEXT NOT NULL UNIQUE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER,"
  "  revoked_at INTEGER"
  ");"
  "CREATE TABLE web_attempts ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  login TEXT NOT NULL,"
  "  client TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  succeeded INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX web_attempts_login ON web_attempts (kind, login, at);"
  "CREATE INDEX web_attempts_client ON web_attempts (kind, client, at);";

/* Sign-in for the ENT with CAS (issue 17): the web services an
 * administrator registered, one row per registration, a removal being a
 * tombstone (removed_at) so that the same address may be registered again
 * later as a new row; and the service tickets the server issued, of which
 * only a BLAKE2b hash is kept. A ticket lives a minute, is used once and
 * belongs to the server that issued it: neither table syncs, and tickets
 * long expired are purged. */
static const char migration_11[] =
  "CREATE TABLE IF NOT EXISTS cas_services ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  url TEXT NOT NULL,"
  "  added_at INTEGER NOT NULL,"
  "  added_by TEXT NOT NULL,"
  "  removed_at INTEGER,"
  "  removed_by TEXT"
  ");"
  "CREATE UNIQUE INDEX IF NOT EXISTS cas_services_url ON cas_services (url) WHERE removed_at IS NULL;"
  "CREATE TABLE IF NOT EXISTS cas_tickets ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  ticket_hash TEXT NOT NULL UNIQUE,"
  "  service TEXT NOT NULL,"
  "  person_key TEXT NOT NULL,"
  "  from_new_sign_in INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER"
  ");"
  "CREATE INDEX IF NOT EXISTS cas_tickets_expires_at ON cas_tickets (expires_at);";

/* Each entry brings a store from version N to N + 1. */
static const char * const migrations[] = {
  NULL, /* version 0: an empty file */
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_7,
  migration_8,
  migration_9,
  migration_10,
  migration_11,
};

guint
_sesame_store_schema_version (void)
{
  return G_N_ELEMENTS (migrations) - 1;
}

const char *
_sesame_store_schema_migration (guint to_version)
{
  g_assert (to_version >= 1 && to_version < G_N_ELEMENTS (migrations));
  return migrations[to_version];
}
