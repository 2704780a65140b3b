/* test-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync core in one process: a server store and desks made from its
 * snapshot, in a temporary folder, exchanging entries by function calls
 * as sesame-server would carry them. Each conflict rule of issue 16 and
 * each forged entry the server must refuse has a test; every test ends
 * with the desks agreeing with the server row for row. First passwords
 * are sealed on the server and on the desks: neither a desk's file nor
 * what it sends holds one in clear. Runs in a keyring of its own
 * (run-with-keyring.sh), where desks keep the establishment's key.
 */
#include "config.h"

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

#include "sesame.h"
#include "sesame-credentials-private.h"
#include "sesame-search-index-private.h"
#include "sesame-seal-private.h"
#include "sesame-store-private.h"
#include "sesame-test-permissions.h"
#include "sesame-test-util.h"

typedef struct
{
  char        *dir;
  SesameStore *server;
  SesameStore *desk1;
  SesameStore *desk2;
} Fixture;

/* What an online sign-in does: the server seals the establishment's key
 * to the desk's key pair, the desk opens it and keeps it in the keyring. */
static void
give_key (Fixture     *fixture,
          SesameStore *desk)
{
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
  char hex[crypto_sign_PUBLICKEYBYTES * 2 + 1];
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;

  crypto_sign_keypair (public_key, secret_key);
  sodium_bin2hex (hex, sizeof hex, public_key, sizeof public_key);
  sealed = sesame_seal_dup_key_for_desk (fixture->server, hex, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_seal_receive_key (desk, secret_key, sealed, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_seal_has_key (desk));
}

static SesameStore *
make_desk (Fixture    *fixture,
           const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.db", fixture->dir, name);
  g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) desk = NULL;
  gint64 head;

  head = sesame_sync_server_get_head (fixture->server, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_exec (fixture->server, sql, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  desk = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (sesame_sync_desk_is_joined (desk));
  g_assert_true (sesame_sync_desk_join (desk, "https://server.example:8443", name, head, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_sync_desk_is_joined (desk));
  g_assert_true (_sesame_store_set_operator_trusted (desk, "alice.noel", &error));
  g_assert_no_error (error);
  give_key (fixture, desk);
  return g_steal_pointer (&desk);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = sesame_test_make_tmpdir ();
  g_autoptr(GError) error = NULL;

  fixture->server = perm_fixture_store (fixture->dir, NULL, NULL);
  g_assert_true (sesame_sync_server_enable (fixture->server, &error));
  g_assert_no_error (error);
  fixture->desk1 = make_desk (fixture, "desk1");
  fixture->desk2 = make_desk (fixture, "desk2");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->desk1);
  g_clear_object (&fixture->desk2);
  g_clear_object (&fixture->server);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static const char *
desk_name (Fixture     *fixture,
           SesameStore *desk)
{
  return desk == fixture->desk1 ? "desk1" : "desk2";
}

static void
pull (Fixture     *fixture,
      SesameStore *desk)
{
  g_auto(SesameSyncStatus) status = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) feed = NULL;

  g_assert_true (sesame_sync_desk_get_status (desk, &status, &error));
  g_assert_no_error (error);
  feed = sesame_sync_server_read_feed (fixture->server, NULL, status.cursor, 0, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_sync_desk_apply_feed (desk, feed, &error));
  g_assert_no_error (error);
}

/* Pushes every pending entry; returns the verdict of the last one and
 * its reason. */
static SesameSyncVerdict
push (Fixture      *fixture,
      SesameStore  *desk,
      char        **reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  SesameSyncVerdict verdict = SESAME_SYNC_VERDICT_ACCEPTED;

  pending = sesame_sync_desk_list_pending (desk, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < pending->len; i++)
    {
      SesameSyncEntry *entry = g_ptr_array_index (pending, i);
      g_autofree char *why = NULL;
      gint64 seq = 0;

      verdict = sesame_sync_server_apply (fixture->server, entry, desk_name (fixture, desk), &seq, &why, &error);
      g_assert_no_error (error);
      if (verdict == SESAME_SYNC_VERDICT_ACCEPTED)
        g_assert_cmpint (seq, >, 0);
      g_assert_true (sesame_sync_desk_record_verdict (desk, entry->id, verdict, seq, why, &error));
      g_assert_no_error (error);
      if (reason != NULL)
        {
          g_free (*reason);
          *reason = g_steal_pointer (&why);
        }
    }
  return verdict;
}

static void
sync_round (Fixture     *fixture,
            SesameStore *desk)
{
  pull (fixture, desk);
  push (fixture, desk, NULL);
  pull (fixture, desk);
}

/* The synced tables, row by row, but for the local order of role changes. */
static char *
dump (SesameStore *store)
{
  static const char * const queries[] = {
    "SELECT person_key, login, login_changed_at, password_hash, password_changed_at, first_sign_in_at,"
    " last_sign_in_at, disabled_at FROM accounts ORDER BY person_key",
    "SELECT id, person_key, password, created_at, expires_at, created_by, used_at, revoked_at, purged_at"
    " FROM credentials ORDER BY id",
    "SELECT person_key, login, replaced_at FROM former_logins ORDER BY person_key, login",
    "SELECT id, person_key, role, scope, granted, operator, at FROM role_events ORDER BY id",
    "SELECT id, at, operator, action, target, detail, desk, server_at FROM audit ORDER BY id",
  };
  GString *out = g_string_new (NULL);
  sqlite3 *db = _sesame_store_get_db (store);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c) ? (const char *) sqlite3_column_text (stmt, c) : "∅");
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

static void
assert_agree (Fixture *fixture)
{
  g_autofree char *server = dump (fixture->server);
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_auto(SesameSyncStatus) status1 = { 0, };
  g_auto(SesameSyncStatus) status2 = { 0, };

  sync_round (fixture, fixture->desk1);
  sync_round (fixture, fixture->desk2);
  pull (fixture, fixture->desk1);
  g_assert_true (sesame_sync_desk_get_status (fixture->desk1, &status1, NULL));
  g_assert_true (sesame_sync_desk_get_status (fixture->desk2, &status2, NULL));
  g_assert_cmpuint (status1.pending, ==, 0);
  g_assert_cmpuint (status2.pending, ==, 0);
  g_clear_pointer (&server, g_free);
  server = dump (fixture->server);
  one = dump (fixture->desk1);
  two = dump (fixture->desk2);
  g_assert_cmpstr (one, ==, server);
  g_assert_cmpstr (two, ==, server);
}

static int
count_rows (SesameStore *store,
            const char  *sql)
{
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static char *
login_of (SesameStore *store,
          const char  *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT login FROM accounts WHERE person_key = '%s'", key);
  sqlite3_stmt *stmt = NULL;
  char *login = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return login;
}

static GPtrArray *
conflicts_of (SesameStore *desk)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *conflicts = sesame_sync_desk_list_conflicts (desk, &error);

  g_assert_no_error (error);
  return conflicts;
}

/* A standalone store records nothing; a desk records each write
 * transaction once, with its operator and action, and nothing of one
 * that rolled back. */
static void
test_capture (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autoptr(SesameStore) store = perm_fixture_store (dir, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  SesameSyncEntry *entry;

  g_assert_true (_sesame_store_set_operator_trusted (store, "alice.noel", &error));
  password = sesame_accounts_reset_password (store, PERM_PUPIL_A, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM sync_outbox"), ==, 0);

  g_assert_true (sesame_sync_desk_join (store, "https://server.example", "desk", 0, &error));
  /* A desk makes first passwords with the establishment's key only. */
  {
    guint8 key[32];
    char hex[sizeof key * 2 + 1];

    randombytes_buf (key, sizeof key);
    sodium_bin2hex (hex, sizeof hex, key, sizeof key);
    g_assert_true (sesame_secrets_store_seal_key (sesame_store_get_id (store), "desk", hex, NULL, &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&password, g_free);
  password = sesame_accounts_reset_password (store, PERM_PUPIL_A, &error);
  g_assert_no_error (error);
  pending = sesame_sync_desk_list_pending (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  entry = g_ptr_array_index (pending, 0);
  g_assert_cmpstr (entry->operator, ==, "alice.noel");
  g_assert_cmpstr (entry->action, ==, "reset-password");
  g_assert_cmpstr (entry->desk, ==, "desk");
  g_assert_cmpuint (g_bytes_get_size (entry->changeset), >, 0);

  /* A transaction that rolls back leaves no entry. */
  g_assert_true (_sesame_store_begin (store, &error));
  g_assert_true (_sesame_store_exec (store, "UPDATE accounts SET login = 'x.y' WHERE person_key = 'P2'", &error));
  _sesame_store_rollback (store);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM sync_outbox"), ==, 1);
  sesame_test_remove_tree (dir);
}

/* Two desks change one login: the first to reach the server wins; the
 * other desk shows the conflict with the winner's value. */
static void
test_login_first_wins (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *login = NULL;
  SesameSyncConflict *conflict;

  g_assert_true (sesame_accounts_set_login (fixture->desk1, PERM_PUPIL_A, "jean.premier", &error));
  g_assert_true (sesame_accounts_set_login (fixture->desk2, PERM_PUPIL_A, "jean.second", &error));
  g_assert_no_error (error);

  g_assert_cmpint (push (fixture, fixture->desk1, NULL), ==, SESAME_SYNC_VERDICT_ACCEPTED);
  g_assert_cmpint (push (fixture, fixture->desk2, NULL), ==, SESAME_SYNC_VERDICT_STALE);
  sync_round (fixture, fixture->desk2);

  login = login_of (fixture->desk2, "P2");
  g_assert_cmpstr (login, ==, "jean.premier");
  conflicts = conflicts_of (fixture->desk2);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->operator, ==, "alice.noel");
  g_assert_cmpstr (conflict->action, ==, "set-login");
  g_assert_nonnull (strstr (conflict->message, "jean.premier"));
  g_assert_nonnull (strstr (conflict->message, "jean.second"));
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = conflicts_of (fixture->desk1);
  g_assert_cmpuint (conflicts->len, ==, 0);

  assert_agree (fixture);
  g_clear_pointer (&login, g_free);
  login = login_of (fixture->server, "P2");
  g_assert_cmpstr (login, ==, "jean.premier");
  /* The audit trail keeps who, on which desk, and when it arrived. */
  g_assert_cmpint (count_rows (fixture->server,
                               "SELECT count(*) FROM audit WHERE action = 'set-login' AND target = 'jean.premier'"
                               " AND operator = 'alice.noel' AND desk = 'desk1' AND server_at IS NOT NULL"), ==, 1);
  g_assert_cmpint (count_rows (fixture->server, "SELECT count(*) FROM audit WHERE target = 'jean.second'"), ==, 0);
}

/* A desk takes a login another desk gave someone else first. */
static void
test_login_taken (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  g_assert_true (sesame_accounts_set_login (fixture->desk1, PERM_PUPIL_A, "dupont.j", &error));
  g_assert_true (sesame_accounts_set_login (fixture->desk2, "eloise.dupont", "dupont.j", &error));
  g_assert_no_error (error);
  sync_round (fixture, fixture->desk1);
  sync_round (fixture, fixture->desk2);

  conflicts = conflicts_of (fixture->desk2);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_nonnull (strstr (((SesameSyncConflict *) g_ptr_array_index (conflicts, 0))->message, "dupont.j"));
  assert_agree (fixture);
  g_assert_cmpint (count_rows (fixture->server, "SELECT count(*) FROM accounts WHERE login = 'eloise.dupont'"), ==, 1);
}

static int
live_credentials (SesameStore *store)
{
  return count_rows (store,
                     "SELECT count(*) FROM credentials WHERE person_key = 'P2' AND password IS NOT NULL"
                     " AND revoked_at IS NULL AND used_at IS NULL");
}

/* Two regenerations of one account while offline: both first passwords
 * stay valid until the first sign-in, both operators are told. */
static void
test_concurrent_regenerations (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) conflicts1 = NULL;
  g_autoptr(GPtrArray) conflicts2 = NULL;

  g_assert_true (_sesame_store_set_operator_trusted (fixture->desk2, PERM_MANAGER_A, &error));
  first = sesame_accounts_reset_password (fixture->desk1, PERM_PUPIL_A, &error);
  g_assert_no_error (error);
  second = sesame_accounts_reset_password (fixture->desk2, PERM_PUPIL_A, &error);
  g_assert_no_error (error);

  sync_round (fixture, fixture->desk1);
  pull (fixture, fixture->desk2);
  g_assert_cmpint (push (fixture, fixture->desk2, &reason), ==, SESAME_SYNC_VERDICT_ACCEPTED);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "alice.noel"));
  assert_agree (fixture);

  g_assert_cmpint (live_credentials (fixture->server), ==, 2);
  g_assert_cmpint (live_credentials (fixture->desk1), ==, 2);
  g_assert_cmpint (count_rows (fixture->server,
                               "SELECT count(*) FROM credentials WHERE person_key = 'P2' AND revoked_at IS NULL"
                               " AND created_by IN ('alice.noel', 'sophie.garnier')"), ==, 2);

  /* Both passwords open the account; the first sign-in ends the other. */
  g_assert_cmpint (sesame_passwords_authenticate (fixture->desk1, PERM_PUPIL_A, first, &error), ==, SESAME_AUTH_MUST_CHANGE);
  g_assert_cmpint (sesame_passwords_authenticate (fixture->server, PERM_PUPIL_A, second, &error), ==, SESAME_AUTH_MUST_CHANGE);
  g_assert_cmpint (sesame_passwords_authenticate (fixture->server, PERM_PUPIL_A, first, &error), ==, SESAME_AUTH_REFUSED);
  g_assert_no_error (error);
  g_assert_cmpint (live_credentials (fixture->server), ==, 0);

  /* Each desk tells its operator about the other's. */
  conflicts1 = conflicts_of (fixture->desk1);
  g_assert_cmpuint (conflicts1->len, ==, 1);
  g_assert_cmpstr (((SesameSyncConflict *) g_ptr_array_index (conflicts1, 0))->operator, ==, "alice.noel");
  g_assert_nonnull (strstr (((SesameSyncConflict *) g_ptr_array_index (conflicts1, 0))->message, PERM_MANAGER_A));
  conflicts2 = conflicts_of (fixture->desk2);
  g_assert_cmpuint (conflicts2->len, ==, 1);
  g_assert_cmpstr (((SesameSyncConflict *) g_ptr_array_index (conflicts2, 0))->operator, ==, PERM_MANAGER_A);
  g_assert_nonnull (strstr (((SesameSyncConflict *) g_ptr_array_index (conflicts2, 0))->message, "alice.noel"));
}

static gboolean
holds_manager (SesameStore *store,
               const char  *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT granted FROM role_events WHERE person_key = '%s' AND role = 'manager'"
                                          " ORDER BY seq DESC LIMIT 1", key);
  return count_rows (store, sql) == 1;
}

/* A grant against a revoke: the revoke wins, whichever arrives first. */
static void
test_grant_revoke (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  /* The revoke arrives first: the grant made without knowing it is refused. */
  g_assert_true (sesame_roles_revoke (fixture->desk1, PERM_MANAGER_A, &error));
  g_assert_true (sesame_roles_grant (fixture->desk2, PERM_MANAGER_A, SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);
  sync_round (fixture, fixture->desk1);
  g_assert_cmpint (push (fixture, fixture->desk2, NULL), ==, SESAME_SYNC_VERDICT_REJECTED);
  assert_agree (fixture);
  g_assert_false (holds_manager (fixture->server, "S3"));
  g_assert_false (holds_manager (fixture->desk2, "S3"));
  conflicts = conflicts_of (fixture->desk2);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_nonnull (strstr (((SesameSyncConflict *) g_ptr_array_index (conflicts, 0))->message, "revoked"));

  /* The grant arrives first: the revoke applies after it. */
  g_assert_true (sesame_roles_grant (fixture->desk1, PERM_MANAGER_B, SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_true (sesame_roles_revoke (fixture->desk2, PERM_MANAGER_B, &error));
  g_assert_no_error (error);
  sync_round (fixture, fixture->desk1);
  sync_round (fixture, fixture->desk2);
  assert_agree (fixture);
  g_assert_false (holds_manager (fixture->server, "S12"));
  g_assert_false (holds_manager (fixture->desk1, "S12"));
}

/* A regeneration for a person who left in a server import is refused
 * with the reason, and undone on the desk. */
static void
test_left_person (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  g_assert_true (_sesame_store_exec (fixture->server,
                                     "UPDATE persons SET left_at = 1780000000 WHERE key = 'P2';"
                                     "UPDATE accounts SET disabled_at = 1780000000 WHERE person_key = 'P2';",
                                     &error));
  before = dump (fixture->desk1);
  password = sesame_accounts_reset_password (fixture->desk1, PERM_PUPIL_A, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->desk1, "SELECT count(*) FROM credentials WHERE created_by = 'alice.noel'"), ==, 1);

  g_assert_cmpint (push (fixture, fixture->desk1, &reason), ==, SESAME_SYNC_VERDICT_REJECTED);
  g_assert_nonnull (strstr (reason, "left"));
  /* Undone: the desk holds what it held before. */
  after = dump (fixture->desk1);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (count_rows (fixture->desk1, "SELECT count(*) FROM sync_outbox"), ==, 0);
  conflicts = conflicts_of (fixture->desk1);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpstr (((SesameSyncConflict *) g_ptr_array_index (conflicts, 0))->message, ==, reason);
  g_assert_true (sesame_sync_desk_dismiss_conflict (fixture->desk1,
                                                    ((SesameSyncConflict *) g_ptr_array_index (conflicts, 0))->id,
                                                    &error));
  g_assert_no_error (error);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = conflicts_of (fixture->desk1);
  g_assert_cmpuint (conflicts->len, ==, 0);
}

/* A changeset made by hand on a copy of the server's store, as a forger
 * with a desk's data would: @sql run under a session of every table. */
static GBytes *
forge (Fixture    *fixture,
       const char *sql)
{
  g_autofree char *path = g_strdup_printf ("%s/forge.db", fixture->dir);
  g_autofree char *vacuum = g_strdup_printf ("VACUUM INTO '%s'", path);
  sqlite3 *db = NULL;
  sqlite3_session *session = NULL;
  void *changeset = NULL;
  int size = 0;
  GBytes *bytes;

  g_remove (path);
  g_assert_true (_sesame_store_exec (fixture->server, vacuum, NULL));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3session_create (db, "main", &session), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3session_attach (session, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3session_changeset (session, &size, &changeset), ==, SQLITE_OK);
  g_assert_cmpint (size, >, 0);
  bytes = g_bytes_new (changeset, size);
  sqlite3_free (changeset);
  sqlite3session_delete (session);
  sqlite3_close (db);
  g_remove (path);
  return bytes;
}

static void
assert_refused (Fixture    *fixture,
                const char *operator,
                const char *sql,
                const char *expected)
{
  g_autoptr(GBytes) changeset = forge (fixture, sql);
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(SesameSyncEntry) entry = sesame_sync_entry_new (id, operator, "forged", 1780000000, 0, changeset);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *before = dump (fixture->server);
  g_autofree char *after = NULL;
  gint64 seq = -1;

  g_assert_cmpint (sesame_sync_server_apply (fixture->server, entry, "desk1", &seq, &reason, &error),
                   ==, SESAME_SYNC_VERDICT_REJECTED);
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, 0);
  g_assert_nonnull (reason);
  if (strstr (reason, expected) == NULL)
    g_error ("“%s” refused as “%s”, not “%s”", sql, reason, expected);
  after = dump (fixture->server);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (sesame_sync_server_get_head (fixture->server, NULL), ==, 0);
}

static void
test_forged (Fixture       *fixture,
             gconstpointer  data)
{
  /* A manager granting a role. */
  assert_refused (fixture, PERM_MANAGER_A,
                  "INSERT INTO role_events (id, person_key, role, scope, granted, operator, at, seq)"
                  " VALUES ('r1', 'S4', 'manager', 'establishment', 1, 'sophie.garnier', 1780000000, 99)",
                  "administrator");
  /* A change in another establishment. */
  assert_refused (fixture, PERM_MANAGER_A,
                  "UPDATE accounts SET login = 'jd2', login_changed_at = 1780000000 WHERE person_key = 'P8'",
                  "outside");
  /* A password for academy staff. */
  assert_refused (fixture, "alice.noel",
                  "INSERT INTO credentials (id, person_key, password, created_at, expires_at, created_by)"
                  " VALUES ('c1', 'S4', 'abcdefgh', 1780000000, 1790000000, 'alice.noel')",
                  "academy staff");
  /* A first password in clear, or sealed with another key. */
  assert_refused (fixture, "alice.noel",
                  "INSERT INTO credentials (id, person_key, password, created_at, expires_at, created_by)"
                  " VALUES ('c2', 'P2', 'abcdefgh', 1780000000, 1790000000, 'alice.noel')",
                  "sealed with the establishment's key");
  assert_refused (fixture, "alice.noel",
                  "INSERT INTO credentials (id, person_key, password, created_at, expires_at, created_by)"
                  " VALUES ('c3', 'P2', 's1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',"
                  " 1780000000, 1790000000, 'alice.noel')",
                  "sealed with the establishment's key");
  /* A change to a person's name. */
  assert_refused (fixture, "alice.noel",
                  "UPDATE persons SET last_name = 'Durand' WHERE key = 'P2'",
                  "imports");
  /* Someone else's name in the audit trail. */
  assert_refused (fixture, PERM_MANAGER_A,
                  "INSERT INTO audit (id, at, operator, action, target, detail)"
                  " VALUES ('a1', 1780000000, 'alice.noel', 'reset-password', 'jean.dupont', '')",
                  "operator");
  /* An operator the server does not know. */
  assert_refused (fixture, "nobody.here",
                  "UPDATE accounts SET login = 'jd3' WHERE person_key = 'P2'",
                  "operator");
  /* A deletion. */
  assert_refused (fixture, "alice.noel", "DELETE FROM audit", "deleted");
  /* A wrong column count: a desk whose audit table lacks two columns. */
  assert_refused (fixture, "alice.noel",
                  "ALTER TABLE audit RENAME TO audit_full;"
                  "CREATE TABLE audit (id TEXT PRIMARY KEY NOT NULL, at INTEGER NOT NULL, operator TEXT NOT NULL,"
                  " action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
                  "INSERT INTO audit VALUES ('a2', 1780000000, 'alice.noel', 'reset-password', 'jean.dupont', '')",
                  "columns");
}

/* An entry pushed twice is applied once and answered the same; its key
 * with another content is refused. */
static void
test_replay (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *password = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(SesameSyncEntry) forged = NULL;
  SesameSyncEntry *entry;
  gint64 seq1 = 0, seq2 = 0, seq3 = -1;
  int credentials;

  password = sesame_accounts_reset_password (fixture->desk1, PERM_PUPIL_A, &error);
  g_assert_no_error (error);
  pending = sesame_sync_desk_list_pending (fixture->desk1, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  entry = g_ptr_array_index (pending, 0);

  g_assert_cmpint (sesame_sync_server_apply (fixture->server, entry, "desk1", &seq1, NULL, &error),
                   ==, SESAME_SYNC_VERDICT_ACCEPTED);
  credentials = count_rows (fixture->server, "SELECT count(*) FROM credentials");
  g_assert_cmpint (sesame_sync_server_apply (fixture->server, entry, "desk1", &seq2, NULL, &error),
                   ==, SESAME_SYNC_VERDICT_ACCEPTED);
  g_assert_no_error (error);
  g_assert_cmpint (seq2, ==, seq1);
  g_assert_cmpint (count_rows (fixture->server, "SELECT count(*) FROM credentials"), ==, credentials);
  g_assert_cmpint (sesame_sync_server_get_head (fixture->server, NULL), ==, seq1);

  /* The same key from another desk, or with another change. */
  g_assert_cmpint (sesame_sync_server_apply (fixture->server, entry, "desk2", &seq3, &reason, &error),
                   ==, SESAME_SYNC_VERDICT_REJECTED);
  g_assert_cmpint (seq3, ==, 0);
  other = forge (fixture, "UPDATE accounts SET login = 'jd9' WHERE person_key = 'P2'");
  forged = sesame_sync_entry_new (entry->id, "alice.noel", "", 0, 0, other);
  g_clear_pointer (&reason, g_free);
  g_assert_cmpint (sesame_sync_server_apply (fixture->server, forged, "desk1", &seq3, &reason, &error),
                   ==, SESAME_SYNC_VERDICT_REJECTED);
  g_assert_nonnull (reason);
  g_assert_cmpint (count_rows (fixture->server, "SELECT count(*) FROM accounts WHERE login = 'jd9'"), ==, 0);

  /* A feed page applied twice changes nothing. */
  g_assert_true (sesame_sync_desk_record_verdict (fixture->desk1, entry->id, SESAME_SYNC_VERDICT_ACCEPTED, seq1, NULL, &error));
  pull (fixture, fixture->desk1);
  {
    g_autoptr(GPtrArray) feed = sesame_sync_server_read_feed (fixture->server, NULL, 0, 0, &error);
    g_autofree char *before = dump (fixture->desk1);
    g_autofree char *after = NULL;

    g_assert_cmpuint (feed->len, ==, 1);
    g_assert_true (sesame_sync_desk_apply_feed (fixture->desk1, feed, &error));
    after = dump (fixture->desk1);
    g_assert_cmpstr (after, ==, before);
  }
  assert_agree (fixture);
}

/* The feed is read by establishment: a desk of B gets nothing of A. */
static void
test_feed_scopes (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  const char * const only_a[] = { PERM_UAI_A, NULL };
  const char * const only_b[] = { PERM_UAI_B, NULL };
  g_autoptr(GPtrArray) feed_a = NULL;
  g_autoptr(GPtrArray) feed_b = NULL;
  g_auto(SesameSyncStatus) status = { 0, };

  a = sesame_accounts_reset_password (fixture->desk1, PERM_PUPIL_A, &error);
  b = sesame_accounts_reset_password (fixture->desk1, PERM_PUPIL_B, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_sync_desk_get_status (fixture->desk1, &status, &error));
  g_assert_cmpuint (status.pending, ==, 2);
  g_assert_cmpstr (status.server, ==, "https://server.example:8443");
  push (fixture, fixture->desk1, NULL);

  feed_a = sesame_sync_server_read_feed (fixture->server, only_a, 0, 0, &error);
  feed_b = sesame_sync_server_read_feed (fixture->server, only_b, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (feed_a->len, ==, 1);
  g_assert_cmpuint (feed_b->len, ==, 1);
  g_assert_cmpstr (((SesameSyncEntry *) g_ptr_array_index (feed_a, 0))->scope, ==, PERM_UAI_A);
  g_assert_cmpstr (((SesameSyncEntry *) g_ptr_array_index (feed_b, 0))->scope, ==, PERM_UAI_B);
  g_assert_cmpstr (((SesameSyncEntry *) g_ptr_array_index (feed_b, 0))->desk, ==, "desk1");
  assert_agree (fixture);
}

/* The server's own changes (an import there) reach every desk, the
 * desk's search included; a desk's entry reaches the feed once. */
static void
test_server_changes (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gint64 head;

  g_assert_true (_sesame_store_begin (fixture->server, &error));
  g_assert_true (_sesame_store_exec (fixture->server,
                                     "UPDATE persons SET last_name = 'Durand-Vidal' WHERE key = 'P2'", &error));
  g_assert_true (_sesame_search_index_person (fixture->server, "P2", &error));
  g_assert_true (_sesame_store_commit (fixture->server, &error));
  g_assert_no_error (error);
  head = sesame_sync_server_get_head (fixture->server, &error);
  g_assert_cmpint (head, ==, 1);

  password = sesame_accounts_reset_password (fixture->desk1, PERM_PUPIL_A, &error);
  g_assert_no_error (error);
  sync_round (fixture, fixture->desk1);
  g_assert_cmpint (sesame_sync_server_get_head (fixture->server, &error), ==, head + 1);
  pull (fixture, fixture->desk2);

  g_assert_cmpint (count_rows (fixture->desk1, "SELECT count(*) FROM persons WHERE last_name = 'Durand-Vidal'"), ==, 1);
  g_assert_cmpint (count_rows (fixture->desk2, "SELECT count(*) FROM persons WHERE last_name = 'Durand-Vidal'"), ==, 1);
  g_assert_cmpint (count_rows (fixture->desk2,
                               "SELECT count(*) FROM persons_fts WHERE persons_fts MATCH 'durand'"), ==, 1);
  assert_agree (fixture);
}

/* A desk killed in the middle of a change: the change and its outbox
 * entry are both there, or neither. The child process changes a login
 * and is killed with SIGKILL, before or after its commit. */
static void
kill_child (gboolean commit)
{
  const char *path = g_getenv ("SESAME_SYNC_KILL_STORE");
  g_autoptr(SesameStore) desk = NULL;
  g_autoptr(GError) error = NULL;

  desk = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (desk, "alice.noel", &error));
  if (!commit)
    g_assert_true (_sesame_store_begin (desk, &error));
  g_assert_true (sesame_accounts_set_login (desk, PERM_PUPIL_A, "jean.tue", &error));
  g_assert_no_error (error);
  raise (SIGKILL);
}

static void
test_kill_before_commit (void)
{
  if (g_test_subprocess ())
    kill_child (FALSE);
}

static void
test_kill_after_commit (void)
{
  if (g_test_subprocess ())
    kill_child (TRUE);
}

static void
test_kill (void)
{
  static const struct { const char *child; int outbox; const char *login; } cases[] = {
    { "/sesame/sync/kill/before-commit", 0, "jean.dupont" },
    { "/sesame/sync/kill/after-commit", 1, "jean.tue" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = sesame_test_make_tmpdir ();
      g_autoptr(SesameStore) store = perm_fixture_store (dir, NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SesameStore) again = NULL;
      g_autofree char *login = NULL;

      g_assert_true (sesame_sync_desk_join (store, "https://server.example", "desk", 0, &error));
      g_assert_no_error (error);
      g_setenv ("SESAME_SYNC_KILL_STORE", sesame_store_get_path (store), TRUE);
      g_test_trap_subprocess (cases[i].child, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_failed ();

      again = sesame_store_open (sesame_store_get_path (store), &error);
      g_assert_no_error (error);
      login = login_of (again, "P2");
      g_assert_cmpstr (login, ==, cases[i].login);
      g_assert_cmpint (count_rows (again, "SELECT count(*) FROM sync_outbox"), ==, cases[i].outbox);
      g_clear_object (&again);
      g_clear_object (&store);
      sesame_test_remove_tree (dir);
    }
}

/* Whether @length bytes at @data hold @text anywhere. */
static gboolean
bytes_hold (gconstpointer  data,
            gsize          length,
            const char    *text)
{
  const guint8 *bytes = data;
  gsize n = strlen (text);

  for (gsize i = 0; n > 0 && i + n <= length; i++)
    if (memcmp (bytes + i, text, n) == 0)
      return TRUE;
  return FALSE;
}

/* The bytes of a store's file and its write-ahead log. */
static GByteArray *
file_bytes (SesameStore *store)
{
  const char *suffixes[] = { "", "-wal" };
  GByteArray *bytes = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (sesame_store_get_path (store), suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL))
        g_byte_array_append (bytes, (const guint8 *) contents, length);
    }
  return bytes;
}

static gboolean
holds_text (GByteArray *bytes,
            const char *text)
{
  return bytes_hold (bytes->data, bytes->len, text);
}

/* Whether any changeset of the desk's outbox holds @text. */
static gboolean
outbox_holds (SesameStore *desk,
              const char  *text)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (desk), "SELECT changeset FROM sync_outbox",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      n++;
      found |= bytes_hold (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0), text);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, >, 0);
  return found;
}

static char *
key_of (SesameStore *store,
        const char  *login)
{
  g_autofree char *sql = g_strdup_printf ("SELECT person_key FROM accounts WHERE login = '%s'", login);
  sqlite3_stmt *stmt = NULL;
  char *key = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_nonnull (key);
  return key;
}

/* Prints the slips of one login to a PDF; returns the error, if any. */
static GError *
print_slip (SesameStore *store,
            const char  *dir,
            const char  *login)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autofree char *pdf = g_build_filename (dir, "slips.pdf", NULL);
  const char *logins[] = { login, NULL };
  GError *error = NULL;

  query->logins = g_strdupv ((char **) logins);
  batch = sesame_letter_batch_new (store, query, NULL, &error);
  if (batch == NULL)
    return error;
  g_assert_true (sesame_letter_batch_export_pdf (batch, pdf, NULL, &error));
  g_assert_no_error (error);
  return NULL;
}

/* The server's store seals what it held in clear when it becomes one,
 * with a key in a file of its own beside it; a desk's file, copied after
 * join and after a regeneration, and its outbox hold no first password in
 * clear; the desk shows and prints it with the key; the server
 * authenticates it. */
static void
test_sealed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = sesame_seal_dup_key_path (sesame_store_get_path (fixture->server));
  g_autoptr(GByteArray) joined = file_bytes (fixture->desk1);
  g_autoptr(GByteArray) regenerated = NULL;
  g_autoptr(GPtrArray) clear = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = key_of (fixture->desk1, PERM_PUPIL_A);
  g_autofree char *password = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GBytes) csv = NULL;
  GStatBuf st;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (count_rows (fixture->server, "SELECT count(*) FROM credentials WHERE password IS NOT NULL"
                                                " AND password NOT LIKE 's1:%'"), ==, 0);
  g_assert_cmpint (count_rows (fixture->server, "SELECT count(*) FROM credentials WHERE password LIKE 's1:%'"), >, 0);
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Every first password the desk received at join, in clear through the
   * server's key, is nowhere in the desk's file. */
  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (fixture->server),
                                       "SELECT DISTINCT person_key FROM credentials WHERE password IS NOT NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *first = _sesame_credentials_read_first_password (fixture->server,
                                                             (const char *) sqlite3_column_text (stmt, 0), &error);
      g_assert_no_error (error);
      if (first != NULL)
        g_ptr_array_add (clear, first);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (clear->len, >, 0);
  for (guint i = 0; i < clear->len; i++)
    g_assert_false (holds_text (joined, g_ptr_array_index (clear, i)));

  password = sesame_accounts_reset_password (fixture->desk1, PERM_PUPIL_A, &error);
  g_assert_no_error (error);
  regenerated = file_bytes (fixture->desk1);
  g_assert_false (holds_text (regenerated, password));
  g_assert_false (outbox_holds (fixture->desk1, password));

  /* With the key, the desk shows and prints it. */
  shown = _sesame_credentials_read_first_password (fixture->desk1, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (shown, ==, password);
  error = print_slip (fixture->desk1, fixture->dir, PERM_PUPIL_A);
  g_assert_no_error (error);

  /* An identifier file made on the desk lists it in clear, never sealed. */
  file = sesame_identifier_files_generate (fixture->desk1, PERM_UAI_A, 0, &error);
  g_assert_no_error (error);
  csv = sesame_identifier_files_render (fixture->desk1, file->id, &error);
  g_assert_no_error (error);
  g_assert_true (bytes_hold (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), password));
  g_assert_false (bytes_hold (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), SESAME_SEAL_PREFIX));

  /* The server takes it sealed, and authenticates it. */
  assert_agree (fixture);
  g_assert_cmpint (count_rows (fixture->server, "SELECT count(*) FROM credentials WHERE password IS NOT NULL"
                                                " AND password NOT LIKE 's1:%'"), ==, 0);
  g_assert_cmpint (sesame_passwords_authenticate (fixture->server, PERM_PUPIL_A, password, &error), ==,
                   SESAME_AUTH_MUST_CHANGE);
  g_assert_no_error (error);
}

/* Without the key (keyring empty or locked), a desk works on but shows,
 * prints and makes no first password, and says why; a later process
 * finds the key in the keyring, as an offline sign-in does. */
static void
test_sealed_without_key (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *message = "Sign in once while the server is reachable to see first passwords.";
  g_autoptr(GError) error = NULL;
  g_autofree char *key = key_of (fixture->desk1, PERM_PUPIL_A);
  g_autofree char *shown = NULL;
  g_autofree char *password = NULL;
  g_autofree char *login = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;

  /* What a new process finds: the keyring's copy. */
  _sesame_seal_forget_key (fixture->desk1);
  shown = _sesame_credentials_read_first_password (fixture->desk1, key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (shown);
  g_clear_pointer (&shown, g_free);

  g_assert_true (sesame_secrets_clear_seal_key (sesame_store_get_id (fixture->desk1), "desk1", NULL, &error));
  g_assert_no_error (error);
  _sesame_seal_forget_key (fixture->desk1);
  g_assert_false (_sesame_seal_has_key (fixture->desk1));

  shown = _sesame_credentials_read_first_password (fixture->desk1, key, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (shown);
  g_clear_error (&error);

  error = print_slip (fixture->desk1, fixture->dir, PERM_PUPIL_A);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  file = sesame_identifier_files_generate (fixture->desk1, PERM_UAI_A, 0, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (file);
  g_clear_error (&error);

  password = sesame_accounts_reset_password (fixture->desk1, PERM_PUPIL_A, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "sign in once while the server is reachable"));
  g_assert_null (password);
  g_clear_error (&error);

  /* Everything else works. */
  g_assert_true (sesame_accounts_set_login (fixture->desk1, PERM_PUPIL_A, "jean.dupont.7", &error));
  g_assert_no_error (error);
  login = login_of (fixture->desk1, key);
  g_assert_cmpstr (login, ==, "jean.dupont.7");
  assert_agree (fixture);
}

/* A key that is not the establishment's opens nothing: an error, never
 * garbage. */
static void
test_sealed_wrong_key (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = key_of (fixture->desk1, PERM_PUPIL_A);
  g_autofree char *shown = NULL;
  guint8 wrong[32];
  char hex[sizeof wrong * 2 + 1];

  randombytes_buf (wrong, sizeof wrong);
  sodium_bin2hex (hex, sizeof hex, wrong, sizeof wrong);
  g_assert_true (sesame_secrets_store_seal_key (sesame_store_get_id (fixture->desk1), "desk1", hex, NULL, &error));
  g_assert_no_error (error);
  _sesame_seal_forget_key (fixture->desk1);

  shown = _sesame_credentials_read_first_password (fixture->desk1, key, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "does not open"));
  g_assert_null (shown);
  g_clear_error (&error);
  g_assert_null (_sesame_credentials_dup_first_password (fixture->desk1, key));
  error = print_slip (fixture->desk1, fixture->dir, PERM_PUPIL_A);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
}

/* A server's store whose key file was lost refuses to make a new one:
 * that would lock its sealed first passwords away for good. A standalone
 * store keeps them as before. */
static void
test_sealed_key_file (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = sesame_seal_dup_key_path (sesame_store_get_path (fixture->server));
  g_autofree char *standalone_dir = g_build_filename (fixture->dir, "standalone", NULL);
  g_autoptr(SesameStore) standalone = NULL;

  g_assert_cmpint (g_unlink (key_path), ==, 0);
  _sesame_seal_forget_key (fixture->server);
  g_assert_false (sesame_sync_server_enable (fixture->server, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, key_path));
  g_assert_nonnull (strstr (error->message, "restore it"));
  g_assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (standalone_dir, 0700), ==, 0);
  standalone = perm_fixture_store (standalone_dir, NULL, NULL);
  g_assert_cmpint (count_rows (standalone, "SELECT count(*) FROM credentials WHERE password LIKE 's1:%'"), ==, 0);
  g_assert_cmpint (count_rows (standalone, "SELECT count(*) FROM credentials WHERE password IS NOT NULL"), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add_func ("/sesame/sync/capture", test_capture);
  g_test_add_func ("/sesame/sync/kill", test_kill);
  g_test_add_func ("/sesame/sync/kill/before-commit", test_kill_before_commit);
  g_test_add_func ("/sesame/sync/kill/after-commit", test_kill_after_commit);
#define ADD(path, func) g_test_add ("/sesame/sync/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("sealed", test_sealed);
  ADD ("sealed/without-key", test_sealed_without_key);
  ADD ("sealed/wrong-key", test_sealed_wrong_key);
  ADD ("sealed/key-file", test_sealed_key_file);
  ADD ("login-first-wins", test_login_first_wins);
  ADD ("login-taken", test_login_taken);
  ADD ("concurrent-regenerations", test_concurrent_regenerations);
  ADD ("grant-revoke", test_grant_revoke);
  ADD ("left-person", test_left_person);
  ADD ("forged", test_forged);
  ADD ("replay", test_replay);
  ADD ("feed-scopes", test_feed_scopes);
  ADD ("server-changes", test_server_changes);
#undef ADD
  return g_test_run ();
}
