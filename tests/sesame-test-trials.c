/* sesame-test-trials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trials of the sync (test-sync-processes, test-sync-forged) run the
 * real programs: a sesame-server process (started, stopped, killed and
 * joined by sesame-test-server) and desks that are sesamectl processes on
 * stores of their own. This reads any store's synced tables as sorted
 * rows, so that a desk and the server can be compared row for row while
 * no store is held open by the test itself.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "sesame-store-capture-private.h"
#include "sesame-store-private.h"
#include "sesame-test-trials.h"

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static sqlite3 *
open_read_only (const char *store_path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

/**
 * sesame_trial_dump_synced:
 * @store_path: a store, not necessarily open elsewhere
 *
 * The rows of every synced table, each table sorted by its rows' text,
 * every column but one: the local order of role changes
 * (role_events.seq), which each store numbers as changes reach it.
 *
 * Returns: (transfer full): the dump, one row a line
 */
char *
sesame_trial_dump_synced (const char *store_path)
{
  const char * const *tables = _sesame_store_synced_tables ();
  GString *out = g_string_new (NULL);
  sqlite3 *db = open_read_only (store_path);

  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint t = 0; tables[t] != NULL; t++)
    {
      g_autoptr(GString) sql = g_string_new ("SELECT ");
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *columns_sql = g_strdup_printf ("SELECT name FROM pragma_table_info('%s') ORDER BY cid", tables[t]);
      sqlite3_stmt *stmt = NULL;
      guint n = 0;

      g_assert_cmpint (sqlite3_prepare_v2 (db, columns_sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *name = (const char *) sqlite3_column_text (stmt, 0);

          if (g_str_equal (tables[t], "role_events") && g_str_equal (name, "seq"))
            continue;
          g_string_append_printf (sql, "%s quote(\"%s\")", n++ > 0 ? " || '|' ||" : "", name);
        }
      sqlite3_finalize (stmt);
      g_assert_cmpuint (n, >, 0);
      g_string_append_printf (sql, " FROM \"%s\"", tables[t]);

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
      g_ptr_array_sort (rows, compare_rows);
      for (guint i = 0; i < rows->len; i++)
        g_string_append_printf (out, "%s: %s\n", tables[t], (const char *) g_ptr_array_index (rows, i));
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/**
 * sesame_trial_count_rows:
 * @store_path: a store
 * @sql: a query whose first column of its first row is a number
 *
 * Returns: that number
 */
int
sesame_trial_count_rows (const char *store_path,
                        const char *sql)
{
  sqlite3 *db = open_read_only (store_path);
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}
