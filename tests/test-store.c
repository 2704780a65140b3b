/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "sesame-credentials-private.h"
#include "sesame.h"
#include "sesame-accounts-private.h"
#include "sesame-error.h"
#include "sesame-store.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

/* Row keys are UUIDs of version 7: well formed, distinct, and each one
 * sorting after the one made before it, even many in a millisecond. */
/* A statement prepared from SQL built at run time, then freed, is found
 * again by equal SQL in another buffer: the store's cache keeps its own
 * copy of the text (it kept the caller's pointer, read after free). */
static void
test_store_built_sql (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *first;
  sqlite3_stmt *again;
  SesameStore *store;
  char *sql;
  char *built;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);

  sql = g_strdup_printf ("SELECT %s FROM persons WHERE key = ?", "count (*)");
  first = _sesame_store_prepare (store, sql, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  /* The caller reuses its buffer, as a freed block would be reused. */
  memset (sql, 'x', strlen (sql));

  built = g_strdup_printf ("SELECT %s FROM persons WHERE key = ?", "count (*)");
  again = _sesame_store_prepare (store, built, &error);
  g_assert_no_error (error);
  g_assert_true (again == first);
  g_assert_cmpint (sqlite3_step (again), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (again, 0), ==, 0);
  sqlite3_reset (again);
  g_free (built);
  g_free (sql);

  g_assert_finalize_object (store);
  sesame_test_remove_tree (dir);
}

static void
test_store_new_ids (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *previous = NULL;
  gint64 before = g_get_real_time () / 1000;
  guint64 ms = 0;

  for (guint i = 0; i < 20000; i++)
    {
      char *id = _sesame_new_id ();

      g_assert_true (g_uuid_string_is_valid (id));
      g_assert_cmpint (id[14], ==, '7');
      g_assert_nonnull (strchr ("89ab", id[19]));
      if (previous != NULL)
        g_assert_cmpstr (previous, <, id);
      g_assert_true (g_hash_table_add (seen, g_strdup (id)));
      g_free (previous);
      previous = id;
    }

  /* The first 48 bits are the time in milliseconds. */
  for (guint i = 0; i < 13; i++)
    if (previous[i] != '-')
      ms = ms * 16 + g_ascii_xdigit_value (previous[i]);
  g_assert_cmpuint (ms, >=, (guint64) before);
  g_assert_cmpuint (ms, <=, (guint64) (g_get_real_time () / 1000) + 20000 / 2048 + 1);
}

static void
test_store_create_private (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sub", "store.db", NULL);
  g_autoptr(GError) error = NULL;
  SesameStore *store;
  struct stat st;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpuint (sesame_store_get_schema_version (store), >=, 1);
  g_assert_nonnull (sesame_store_get_id (store));
  g_assert_true (sesame_store_is_empty (store));
  g_assert_true (sesame_store_operator_is_admin (store));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_finalize_object (store);

  sesame_test_remove_tree (dir);
}

static void
test_store_reopen_keeps_id (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  SesameStore *store;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  id = g_strdup (sesame_store_get_id (store));
  g_assert_finalize_object (store);

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_store_get_id (store), ==, id);
  g_assert_finalize_object (store);

  sesame_test_remove_tree (dir);
}

static void
test_store_refuses_newer (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  SesameStore *store;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = sesame_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_STORE_VERSION);

  sesame_test_remove_tree (dir);
}

static void
test_store_not_a_store (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  SesameStore *store;

  g_assert_true (g_file_set_contents (path, "this is a letter, not a database, and it is long enough to be read", -1, NULL));
  store = sesame_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_FAILED);

  sesame_test_remove_tree (dir);
}

static void
test_store_unknown_operator (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = NULL;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (_sesame_store_set_operator_trusted (store, "nobody.here", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_assert_null (sesame_store_operator_get_login (store));

  sesame_test_remove_tree (dir);
}

static void
test_store_settings (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autofree char *url = NULL;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_store_settings_get_int (store, SESAME_SETTING_PASSWORD_LENGTH, 8), ==, 8);
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_PASSWORD_LENGTH, "10", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sesame_store_settings_get_int (store, SESAME_SETTING_PASSWORD_LENGTH, 8), ==, 10);
  url = sesame_store_settings_dup (store, SESAME_SETTING_ENT_URL, "https://ent.example.org");
  g_assert_cmpstr (url, ==, "https://ent.example.org");

  sesame_test_remove_tree (dir);
}

/* A store left at every earlier schema version, holding a person, opens at
 * the latest version with its data intact. */
static void
test_store_migrate (void)
{
  guint latest = _sesame_store_schema_version ();

  for (guint from = 1; from < latest + 1; from++)
    {
      g_autofree char *dir = sesame_test_make_tmpdir ();
      g_autofree char *path = g_build_filename (dir, "store.db", NULL);
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u", from);
      g_autoptr(GError) error = NULL;
      SesameStore *store;
      sqlite3_stmt *stmt;
      sqlite3 *db;

      g_test_message ("migrating from schema %u to %u", from, latest);
      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      for (guint v = 1; v <= from; v++)
        g_assert_cmpint (sqlite3_exec (db, _sesame_store_schema_migration (v), NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db,
                                     "INSERT INTO meta (key, value) VALUES ('store-id', 'old-store');"
                                     "INSERT INTO persons (key, kind, profile, last_name, first_name, first_seen_at)"
                                     " VALUES ('2605692', 'Eleve', 1, 'Long', 'Kù', 0);"
                                     "INSERT INTO accounts (person_key, login, created_at) VALUES ('2605692', 'ku.long', 0);",
                                     NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);

      store = sesame_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sesame_store_get_schema_version (store), ==, latest);
      g_assert_cmpstr (sesame_store_get_id (store), ==, "old-store");
      g_assert_false (sesame_store_is_empty (store));
      stmt = _sesame_store_prepare (store, "SELECT login FROM accounts WHERE person_key = '2605692'", &error);
      g_assert_no_error (error);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ku.long");
      sqlite3_reset (stmt);
      g_assert_finalize_object (store);

      sesame_test_remove_tree (dir);
    }
}

/* A store that others could read (an old copy, a restore from a backup)
 * is made private when opened, its log and shared memory too, and by path:
 * the store never holds a descriptor of the file besides SQLite's. */
static void
test_store_fixes_mode (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  SesameStore *store;
  SesameStore *second;
  GStatBuf st;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  second = sesame_store_dup (store, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_store_settings_set (second, SESAME_SETTING_ENT_NAME, "ENT", &error));
  g_assert_no_error (error);
  /* SQLite gives the log and shared memory the file's permissions. */
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (shm, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_cmpint (g_chmod (wal, 0664), ==, 0);
  g_assert_finalize_object (second);
  second = sesame_store_dup (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_finalize_object (second);
  g_assert_finalize_object (store);

  sesame_test_remove_tree (dir);
}

/* A mistyped path is not a new, empty store: only a caller that asks for
 * creation (an import, the welcome page), or the default store, makes one. */
static void
test_store_missing (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "typo", "store.db", NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *default_path = sesame_store_default_path ();
  g_autoptr(GError) error = NULL;
  SesameStore *store;

  for (guint i = 0; i < 2; i++)
    {
      SesameStoreOpenFlags flags = i == 0 ? SESAME_STORE_OPEN_NONE : SESAME_STORE_OPEN_READ;

      store = sesame_store_open_full (path, flags, &error);
      g_assert_null (store);
      g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NO_STORE);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);
      g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
    }

  store = sesame_store_open_full (path, SESAME_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);
  store = sesame_store_open_full (path, SESAME_STORE_OPEN_READ, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_store_is_read_only (store));
  g_assert_finalize_object (store);

  /* A folder is not a store. */
  store = sesame_store_open_full (folder, SESAME_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  /* The default store is created even when only read. */
  g_assert_true (sesame_store_is_default_path (NULL));
  g_assert_true (sesame_store_is_default_path (default_path));
  g_assert_false (sesame_store_is_default_path (path));
  g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));
  store = sesame_store_open_full (NULL, SESAME_STORE_OPEN_READ, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_store_get_path (store), ==, default_path);
  g_assert_true (g_file_test (default_path, G_FILE_TEST_IS_REGULAR));
  g_assert_finalize_object (store);

  sesame_test_remove_tree (dir);
}

/* Opening to read writes nothing, so that it never waits for an import;
 * it still never shows an expired first password. */
static void
test_store_read_mode (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) writer = NULL;
  g_autoptr(SesamePerson) person = NULL;
  g_autofree char *path = NULL;
  g_autofree char *password = NULL;
  g_autofree char *shown = NULL;
  SesameStore *store;
  sqlite3_stmt *stmt;
  gint64 later;

  writer = sesame_test_fixture_store (dir);
  path = g_strdup (sesame_store_get_path (writer));
  password = sesame_accounts_reset_password (writer, "zoe.martin", &error);
  g_assert_no_error (error);
  /* The password expires in 60 days. */
  later = sesame_store_now (writer) + 61 * 24 * 3600;

  /* An import holds a long write transaction. */
  g_assert_true (_sesame_store_begin (writer, &error));
  g_assert_true (sesame_store_settings_set (writer, SESAME_SETTING_ENT_NAME, "ENT", &error));
  g_assert_no_error (error);

  store = sesame_store_open_full (path, SESAME_STORE_OPEN_READ, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_store_is_read_only (store));
  shown = _sesame_credentials_dup_first_password (store, "P3");
  g_assert_cmpstr (shown, ==, password);
  g_clear_pointer (&shown, g_free);
  g_assert_finalize_object (store);

  /* Sixty-one days later, the password is hidden, though still in the
   * file: nothing was purged. */
  store = sesame_store_open_full (path, SESAME_STORE_OPEN_READ, &error);
  g_assert_no_error (error);
  sesame_store_set_now (store, later);
  g_assert_null (_sesame_credentials_dup_first_password (store, "P3"));
  person = sesame_accounts_find (store, "zoe.martin", &error);
  g_assert_no_error (error);
  stmt = _sesame_store_prepare (store, "SELECT count(*) FROM credentials WHERE person_key = 'P3' AND password IS NOT NULL", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  /* Nothing can be written through it. */
  g_assert_false (sesame_store_settings_set (store, SESAME_SETTING_ENT_URL, "https://ent.example.org", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_finalize_object (store);

  g_assert_true (_sesame_store_commit (writer, &error));
  g_assert_no_error (error);

  /* The next opening to write purges it. */
  store = sesame_store_open_full (path, SESAME_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_false (sesame_store_is_read_only (store));
  g_assert_finalize_object (store);
  g_clear_object (&writer);
  {
    sqlite3 *db;

    /* Opening purges by the real clock: let the password expire. */
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE credentials SET expires_at = 1 WHERE person_key = 'P3'", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  store = sesame_store_open_full (path, SESAME_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  stmt = _sesame_store_prepare (store, "SELECT count(*) FROM credentials WHERE person_key = 'P3' AND password IS NOT NULL", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);
  g_assert_finalize_object (store);

  sesame_test_remove_tree (dir);
}

/* A store of an older schema opened to read is still brought up to date. */
static void
test_store_read_migrates (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  SesameStore *store;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, _sesame_store_schema_migration (1), NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO meta (key, value) VALUES ('store-id', 'old-store');"
                                     "PRAGMA user_version = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = sesame_store_open_full (path, SESAME_STORE_OPEN_READ, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sesame_store_get_schema_version (store), ==, _sesame_store_schema_version ());
  g_assert_cmpstr (sesame_store_get_id (store), ==, "old-store");
  g_assert_finalize_object (store);

  sesame_test_remove_tree (dir);
}

/* Zoé MARTIN's first passwords still in the file. */
static guint
count_live_passwords (SesameStore *store)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  guint n;

  stmt = _sesame_store_prepare (store, "SELECT count(*) FROM credentials WHERE person_key = 'P3' AND password IS NOT NULL", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* A store locked by a writer for longer than the wait says so with its own
 * code, so that the interfaces can tell the user to try again. Opening a
 * connection never waits for the writer: the window opens one per search
 * while an import runs. */
static void
test_store_busy (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) writer = NULL;
  g_autoptr(SesameStore) other = NULL;
  g_autofree char *password = NULL;
  SesameStore *store;
  gint64 start;

  writer = sesame_test_fixture_store (dir);
  password = sesame_accounts_reset_password (writer, "zoe.martin", &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_exec (writer, "UPDATE credentials SET expires_at = 1 WHERE person_key = 'P3'", &error));
  g_assert_cmpuint (count_live_passwords (writer), ==, 1);

  g_assert_true (_sesame_store_begin (writer, &error));
  g_assert_true (sesame_store_settings_set (writer, SESAME_SETTING_ENT_NAME, "ENT", &error));
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  other = sesame_store_dup (writer, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  /* Expired, so hidden, though left in the file until the next opening. */
  g_assert_null (_sesame_credentials_dup_first_password (other, "P3"));
  g_assert_cmpuint (count_live_passwords (other), ==, 1);

  sqlite3_busy_timeout (_sesame_store_get_db (other), 50);
  g_assert_false (sesame_store_settings_set (other, SESAME_SETTING_ENT_URL, "https://ent.example.org", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Try again in a moment"));
  g_clear_error (&error);

  g_assert_true (_sesame_store_commit (writer, &error));
  g_assert_true (sesame_store_settings_set (other, SESAME_SETTING_ENT_URL, "https://ent.example.org", &error));
  g_assert_no_error (error);

  store = sesame_store_dup (writer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_live_passwords (store), ==, 0);
  g_assert_finalize_object (store);

  sesame_test_remove_tree (dir);
}

/* Two desks writing one store on a share corrupt it: a store on a network
 * or FUSE filesystem is refused, with why and what to do. */
static void
test_store_network_filesystems (void)
{
  static const struct {
    guint32     magic;
    const char *name;
  } network[] = {
    { 0x6969, "NFS" }, { 0x517b, "SMB" }, { 0xff534d42, "CIFS" }, { 0xfe534d42, "SMB2" },
    { 0x65735546, "FUSE: sshfs, GlusterFS, rclone…" }, { 0x5346414f, "AFS" }, { 0x6b414653, "AFS" }, { 0x00c36400, "Ceph" },
    { 0x01021997, "9P" }, { 0x0bd00bd0, "Lustre" }, { 0x73757245, "Coda" }, { 0x564c, "NCP" },
    { 0x01161970, "GFS2" }, { 0x7461636f, "OCFS2" },
  };
  static const guint32 local[] = {
    0xef53,     /* ext2, ext3, ext4 */
    0x01021994, /* tmpfs */
    0x9123683e, /* btrfs */
    0x58465342, /* xfs */
    0x2fc12fc1, /* zfs */
    0xf15f,     /* ecryptfs */
    0x794c7630, /* overlayfs */
  };

  for (guint i = 0; i < G_N_ELEMENTS (network); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (_sesame_store_network_filesystem (network[i].magic), ==, network[i].name);
      g_assert_false (_sesame_store_check_filesystem ("/srv/share/sesame.db", network[i].magic, &error));
      g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
      g_assert_nonnull (strstr (error->message, "/srv/share/sesame.db"));
      g_assert_nonnull (strstr (error->message, network[i].name));
      g_assert_nonnull (strstr (error->message, "own disk"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (local); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (_sesame_store_network_filesystem (local[i]));
      g_assert_true (_sesame_store_check_filesystem ("/home/desk/sesame.db", local[i], &error));
      g_assert_no_error (error);
    }
}

/* Stores on the disks a desk really has open: the test folder's, and a
 * tmpfs when there is one. */
static void
test_store_local_filesystems (void)
{
  const char *candidates[] = { g_get_tmp_dir (), "/dev/shm", "/run/user" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *template = g_build_filename (candidates[i], "sesame-fs-XXXXXX", NULL);
      g_autofree char *dir = NULL;
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      SesameStore *store;
      struct statfs sfs;

      dir = g_mkdtemp (g_steal_pointer (&template));
      if (dir == NULL)
        continue;
      g_assert_cmpint (statfs (dir, &sfs), ==, 0);
      g_test_message ("%s: filesystem 0x%lx", dir, (unsigned long) sfs.f_type);
      if (_sesame_store_network_filesystem ((guint32) sfs.f_type) != NULL)
        {
          sesame_test_remove_tree (dir);
          continue;
        }
      path = g_build_filename (dir, "store.db", NULL);
      store = sesame_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_ENT_NAME, "ENT", &error));
      g_assert_no_error (error);
      g_assert_finalize_object (store);
      sesame_test_remove_tree (dir);
    }
}

/* A real FUSE mount (bindfs over a local folder), where the machine allows
 * one: the store is refused there, and nothing is created. */
static void
test_store_fuse (void)
{
  g_autofree char *bindfs = g_find_program_in_path ("bindfs");
  g_autofree char *fusermount = g_find_program_in_path ("fusermount3");
  g_autofree char *dir = NULL;
  g_autofree char *source = NULL;
  g_autofree char *mount = NULL;
  g_autofree char *path = NULL;
  g_autofree char *inside = NULL;
  g_autoptr(GError) error = NULL;
  const char *mount_argv[4];
  const char *umount_argv[4];
  SesameStore *store;
  struct statfs sfs;
  int status = -1;

  if (bindfs == NULL || fusermount == NULL || !g_file_test ("/dev/fuse", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("bindfs, fusermount3 or /dev/fuse missing");
      return;
    }

  dir = sesame_test_make_tmpdir ();
  source = g_build_filename (dir, "source", NULL);
  mount = g_build_filename (dir, "mount", NULL);
  g_assert_cmpint (g_mkdir (source, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (mount, 0700), ==, 0);
  mount_argv[0] = bindfs;
  mount_argv[1] = source;
  mount_argv[2] = mount;
  mount_argv[3] = NULL;
  if (!g_spawn_sync (NULL, (char **) mount_argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL) ||
      statfs (mount, &sfs) != 0 || (guint32) sfs.f_type != 0x65735546)
    {
      g_test_skip ("this machine does not let a test mount a FUSE filesystem");
      sesame_test_remove_tree (dir);
      return;
    }

  path = g_build_filename (mount, "store.db", NULL);
  inside = g_build_filename (mount, "sub", "store.db", NULL);
  store = sesame_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "FUSE"));
  g_clear_error (&error);
  store = sesame_store_open (inside, &error);
  g_assert_null (store);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));

  /* A store made on the disk, then reached through the mount. */
  {
    g_autofree char *real = g_build_filename (source, "store.db", NULL);

    store = sesame_store_open (real, &error);
    g_assert_no_error (error);
    g_assert_finalize_object (store);
    store = sesame_store_open_full (path, SESAME_STORE_OPEN_READ, &error);
    g_assert_null (store);
    g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
    g_clear_error (&error);
  }

  umount_argv[0] = fusermount;
  umount_argv[1] = "-u";
  umount_argv[2] = mount;
  umount_argv[3] = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) umount_argv, NULL, G_SPAWN_DEFAULT,
                               NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  sesame_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add_func ("/sesame/store/new-ids", test_store_new_ids);
  g_test_add_func ("/sesame/store/built-sql", test_store_built_sql);
  g_test_add_func ("/sesame/store/create-private", test_store_create_private);
  g_test_add_func ("/sesame/store/reopen-keeps-id", test_store_reopen_keeps_id);
  g_test_add_func ("/sesame/store/refuses-newer", test_store_refuses_newer);
  g_test_add_func ("/sesame/store/not-a-store", test_store_not_a_store);
  g_test_add_func ("/sesame/store/unknown-operator", test_store_unknown_operator);
  g_test_add_func ("/sesame/store/settings", test_store_settings);
  g_test_add_func ("/sesame/store/migrate", test_store_migrate);
  g_test_add_func ("/sesame/store/fixes-mode", test_store_fixes_mode);
  g_test_add_func ("/sesame/store/missing", test_store_missing);
  g_test_add_func ("/sesame/store/read-mode", test_store_read_mode);
  g_test_add_func ("/sesame/store/read-migrates", test_store_read_migrates);
  g_test_add_func ("/sesame/store/busy", test_store_busy);
  g_test_add_func ("/sesame/store/network-filesystems", test_store_network_filesystems);
  g_test_add_func ("/sesame/store/local-filesystems", test_store_local_filesystems);
  g_test_add_func ("/sesame/store/fuse", test_store_fuse);

  return g_test_run ();
}
