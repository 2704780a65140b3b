/* bench-join.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long a desk takes to join sesame-server on an academy-sized store,
 * and how many bytes it downloads: the fixture school grown to 240,000
 * persons (--persons N, copies of its people made with SQL), served by the real sesame-server on 127.0.0.1,
 * joined once by a desk of every establishment and once by a desk of
 * one establishment (its snapshot cut down on the server). Target: under
 * 30 s on 2 cores. Needs a keyring (run through tests/run-with-keyring.sh),
 * where the desks keep their keys.
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

static int opt_persons = 240000;

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    {
      g_printerr ("bench-join: %s\n", error != NULL ? error->message : "failed");
      exit (1);
    }
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gint64
count_persons (SesameStore *store)
{
  sqlite3_stmt *stmt = _sesame_store_prepare (store, "SELECT count(*) FROM persons", NULL);
  gint64 n = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

/* The columns of @table, each as @table's alias p.NAME or as given. */
static char *
columns (sqlite3     *db,
         const char  *table,
         gboolean     values,
         const char  *key_column,
         const char  *key_expression,
         const char  *name_column,
         const char  *name_expression)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (%s)", table);
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 1);

      if (out->len > 0)
        g_string_append (out, ", ");
      if (!values)
        g_string_append (out, name);
      else if (g_str_equal (name, key_column))
        g_string_append (out, key_expression);
      else if (name_column != NULL && g_str_equal (name, name_column))
        g_string_append (out, name_expression);
      else
        g_string_append_printf (out, "p.%s", name);
    }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

/* Copies the fixture's people until the store holds @target persons, with
 * their accounts, classes and search index. */
static gboolean
grow (SesameStore  *store,
      guint         target,
      GError      **error)
{
  static const char *const tables[][5] = {
    { "persons", "key", "first_name", "p.first_name || ' ' || s.i", "p.key" },
    { "accounts", "person_key", "login", "p.login || '.' || s.i", "p.person_key" },
    { "memberships", "person_key", NULL, NULL, "p.person_key" },
  };
  sqlite3 *db = _sesame_store_get_db (store);
  g_autofree char *copies = NULL;

  if (!_sesame_store_begin (store, error))
    return FALSE;
  if (!_sesame_store_exec (store,
                           "CREATE TEMP TABLE template AS"
                           " SELECT row_number () OVER (ORDER BY key) - 1 AS n, key FROM persons;",
                           error))
    goto failed;
  copies = g_strdup_printf ("WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %u"
                            " - (SELECT count (*) FROM persons))", target);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *names = columns (db, tables[t][0], FALSE, tables[t][1], NULL, NULL, NULL);
      g_autofree char *values = columns (db, tables[t][0], TRUE, tables[t][1], "printf ('B%07d', s.i)",
                                         tables[t][2], tables[t][3]);
      g_autofree char *sql = g_strdup_printf ("INSERT INTO %s (%s) %s SELECT %s FROM s"
                                              " JOIN temp.template t ON t.n = s.i %% (SELECT count (*) FROM temp.template)"
                                              " JOIN %s p ON %s = t.key",
                                              tables[t][0], names, copies, values, tables[t][0], tables[t][4]);

      if (!_sesame_store_exec (store, sql, error))
        goto failed;
    }
  if (!_sesame_store_exec (store,
                           "INSERT INTO persons_fts (rowid, first_name, last_name, other_names)"
                           " SELECT rowid, first_name, last_name, '' FROM persons WHERE key LIKE 'B%';"
                           "DROP TABLE temp.template;",
                           error))
    goto failed;
  return _sesame_store_commit_large (store, error);

failed:
  _sesame_store_rollback (store);
  return FALSE;
}

static void
join (const char         *dir,
      SesameStore        *server_store,
      const char         *url,
      const char         *fingerprint,
      const char         *name,
      const char * const *establishments)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autofree char *code = NULL;
  g_autofree char *file = g_strdup_printf ("%s.db", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_auto(SesameSyncJoinReport) report = { 0 };

  desk = sesame_sync_desks_add (server_store, name, establishments, &code, &error);
  check (desk != NULL, error);
  store = sesame_sync_client_join (path, url, code, fingerprint, &report, &error);
  check (store != NULL, error);
  g_print ("  %-32s %7.2f s  %8.1f MB  %8" G_GINT64_FORMAT " persons\n", name,
           report.seconds, report.snapshot_bytes / 1e6, count_persons (store));
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "persons", 0, 0, G_OPTION_ARG_INT, &opt_persons, "Persons in the server's store (default 240000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("SESAME-SERVER");
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *url = NULL;
  g_autofree char *fingerprint = NULL;
  const char *uais[] = { "0740017S", NULL };
  gint64 started;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  check (g_option_context_parse (context, &argc, &argv, &error), error);
  if (argc != 2)
    {
      g_printerr ("Usage: bench-join [--persons N] PATH-OF-SESAME-SERVER\n");
      return 2;
    }

  dir = g_dir_make_tmp ("sesame-bench-join-XXXXXX", &error);
  check (dir != NULL, error);
  store = sesame_test_fixture_store (dir);
  started = g_get_monotonic_time ();
  check (grow (store, (guint) opt_persons, &error), error);
  g_print ("Server store of %" G_GINT64_FORMAT " persons (grown in %.1f s)\n", count_persons (store),
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, argv[1], "--store", sesame_store_get_path (store),
                                        "--listen", "127.0.0.1:0", NULL);
  check (server != NULL, error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      check (line != NULL, error);
      if (g_str_has_prefix (line, "Listening on "))
        {
          url = g_strdup (line + strlen ("Listening on "));
          if (g_str_has_suffix (url, "/"))
            url[strlen (url) - 1] = '\0';
        }
      if (i == 2)
        fingerprint = g_strdup (line);
    }
  check (url != NULL && fingerprint != NULL, NULL);

  g_print ("Joining sesame-server on loopback (time, snapshot downloaded, persons on the desk):\n");
  join (dir, store, url, fingerprint, "every establishment", NULL);
  join (dir, store, url, fingerprint, "one establishment (0740017S)", uais);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&store);
  sesame_test_remove_tree (dir);
  return 0;
}
