/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "sesame-error.h"
#include "sesame-store.h"
#include "sesame-store-private.h"
#include "sesame-test-util.h"

/* Row keys are UUIDs of version 7: well formed, distinct, and each one
 * sorting after the one made before it, even many in a millisecond. */
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
  g_assert_null (sesame_store_get_operator (store));

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
  g_assert_cmpint (sesame_store_get_setting_int (store, SESAME_SETTING_PASSWORD_LENGTH, 8), ==, 8);
  g_assert_true (sesame_store_set_setting (store, SESAME_SETTING_PASSWORD_LENGTH, "10", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sesame_store_get_setting_int (store, SESAME_SETTING_PASSWORD_LENGTH, 8), ==, 10);
  url = sesame_store_dup_setting (store, SESAME_SETTING_ENT_URL, "https://ent.example.org");
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

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add_func ("/sesame/store/new-ids", test_store_new_ids);
  g_test_add_func ("/sesame/store/create-private", test_store_create_private);
  g_test_add_func ("/sesame/store/reopen-keeps-id", test_store_reopen_keeps_id);
  g_test_add_func ("/sesame/store/refuses-newer", test_store_refuses_newer);
  g_test_add_func ("/sesame/store/not-a-store", test_store_not_a_store);
  g_test_add_func ("/sesame/store/unknown-operator", test_store_unknown_operator);
  g_test_add_func ("/sesame/store/settings", test_store_settings);
  g_test_add_func ("/sesame/store/migrate", test_store_migrate);

  return g_test_run ();
}
