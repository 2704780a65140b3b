/* sesame-test-trials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trials of the sync (test-sync-processes, test-sync-forged) run the
 * real programs: a sesame-server process
 * and desks that are sesamectl processes on stores of their own. This
 * starts the server (again on the same port after a stop or a kill, as
 * an administrator restarts it: the desks know its address), joins desks
 * to it, and reads any store's synced tables as sorted rows, so that a
 * desk and the server can be compared row for row while no store is held
 * open by the test itself.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "sesame-store-capture-private.h"
#include "sesame-store-private.h"
#include "sesame-test-ctl.h"
#include "sesame-test-trials.h"

/* A test that fails must not leave its server running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/**
 * sesame_trial_server_start:
 * @server: a server whose store_path is set
 *
 * Starts sesame-server on 127.0.0.1, on a free port the first time and
 * on the same one afterwards, and reads the address and the fingerprint
 * it prints.
 */
void
sesame_trial_server_start (SesameTrialServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *listen = NULL;

  g_assert_null (server->process);
  /* A port just freed by a killed server may take a moment to bind. */
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_autofree char *first = NULL;

      g_clear_pointer (&listen, g_free);
      listen = g_strdup_printf ("127.0.0.1:%u", server->port);
      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      server->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SESAME_SERVER"),
                                                     "--store", server->store_path, "--listen", listen, NULL);
      g_assert_no_error (error);
      g_clear_object (&lines);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
      first = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      g_assert_no_error (error);
      if (first != NULL && g_str_has_prefix (first, "Listening on https://127.0.0.1:"))
        {
          g_free (server->url);
          server->url = g_strdup (first + strlen ("Listening on "));
          if (g_str_has_suffix (server->url, "/"))
            server->url[strlen (server->url) - 1] = '\0';
          break;
        }
      /* It could not listen: try again shortly. */
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
      g_assert_cmpuint (server->port, !=, 0);
      g_usleep (100 * 1000);
    }
  g_assert_nonnull (server->process);
  /* A sentence, then the fingerprint on a line of its own. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (i == 1)
        {
          g_free (server->fingerprint);
          server->fingerprint = g_steal_pointer (&line);
        }
    }
  if (server->port == 0)
    server->port = (guint16) atoi (strrchr (server->url, ':') + 1);
}

static void
wait_gone (SesameTrialServer *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->process);
}

/**
 * sesame_trial_server_stop:
 * @server: a running server
 *
 * Stops the server as its service manager would (SIGTERM), and checks
 * that it ended cleanly.
 */
void
sesame_trial_server_stop (SesameTrialServer *server)
{
  GSubprocess *process = server->process;

  g_assert_nonnull (process);
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  wait_gone (server);
}

/**
 * sesame_trial_server_kill:
 * @server: a running server
 *
 * Kills the server with SIGKILL, wherever it is.
 */
void
sesame_trial_server_kill (SesameTrialServer *server)
{
  g_assert_nonnull (server->process);
  g_subprocess_force_exit (server->process);
  wait_gone (server);
}

/**
 * sesame_trial_server_clear:
 * @server: a server
 *
 * Kills it if it runs, and frees what it holds.
 */
void
sesame_trial_server_clear (SesameTrialServer *server)
{
  if (server->process != NULL)
    sesame_trial_server_kill (server);
  g_clear_pointer (&server->store_path, g_free);
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->fingerprint, g_free);
}

/**
 * sesame_trial_server_join:
 * @server: a running server
 * @dir: where the desk's store goes
 * @name: the desk's name
 *
 * Enrols a desk on the server's store (sesamectl desks add) and joins a
 * new store to it (sesamectl join), pinning the server's fingerprint.
 *
 * Returns: (transfer full): the desk store's path
 */
char *
sesame_trial_server_join (SesameTrialServer *server,
                         const char       *dir,
                         const char       *name)
{
  g_auto(SesameTestRun) add = { 0 };
  g_auto(SesameTestRun) join = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *file = g_strdup_printf ("%s.db", name);
  char *path = g_build_filename (dir, file, NULL);
  const char *code;

  sesame_test_ctl_run_on (server->store_path, NULL, NULL, &add, "desks", "add", name, "--json", NULL);
  g_assert_cmpint (add.status, ==, 0);
  root = sesame_test_parse_json (add.out);
  code = json_object_get_string_member (json_node_get_object (root), "code");
  sesame_test_ctl_run_on (path, NULL, NULL, &join, "join", server->url, "--code", code,
                          "--fingerprint", server->fingerprint, NULL);
  g_assert_cmpstr (join.err, ==, "");
  g_assert_cmpint (join.status, ==, 0);
  return path;
}

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
