/* test-import-view-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The import window on a desk joined to sesame-server, under a (virtual)
 * display, with a real server on loopback: the files go to the server,
 * the progress bar says so and then follows the server's import, the
 * summary comes once the desk has the result; Cancel stops the import on
 * the server, which keeps its store as it was; a server that restarts
 * meanwhile is waited for, then the window says the import was not
 * applied. Runs in a keyring of its
 * own (run-with-keyring.sh), where the desk keeps its key. Without a
 * display the tests are skipped.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sesame-import-view.h"
#include "sesame-import-window.h"
#include "sesame-store-private.h"
#include "sesame-test-permissions.h"
#include "sesame-test-server.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"

/* Enough pupils for the import to take a while, so that it can be
 * cancelled half-way; ten times slower under the sanitizers, so fewer
 * there and a longer wait. */
#ifdef SESAME_TEST_ASAN
# define PUPILS 4000
# define PUPILS_TEXT "4,000"
# define WAIT_SECONDS 600
#else
# define PUPILS 20000
# define PUPILS_TEXT "20,000"
# define WAIT_SECONDS 120
#endif

typedef struct
{
  char               *dir;
  SesameTestServer    server;
  SesameStore        *desk;
  SesameImportWindow *window;
  char               *big;
  GPtrArray          *texts;   /* what the progress bar said */
} Fixture;

/* A first name of its own for each pupil: homonyms would make each login
 * search longer than the last. */
static char *
letters (guint n)
{
  char text[8] = "";
  guint i = G_N_ELEMENTS (text) - 1;

  do
    {
      text[--i] = (char) ('a' + n % 26);
      n /= 26;
    }
  while (n > 0 && i > 0);
  return g_strdup (text + i);
}

static void
write_big_import (Fixture *fixture)
{
  g_autofree char *dir = g_build_filename (fixture->dir, "big", NULL);
  g_autoptr(GString) xml = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < PUPILS; i++)
    {
      g_autofree char *name = letters (i);

      g_string_append_printf (xml,
                            "<addRequest>\n"
                            "<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
                            "<identifier><id>8%06u</id></identifier>\n"
                            "<attributes>\n"
                            "<attr name=\"ENTPersonJointure\"><value>8%06u</value></attr>\n"
                            "<attr name=\"sn\"><value>Fenetrier</value></attr>\n"
                            "<attr name=\"givenName\"><value>Lou%s</value></attr>\n"
                            "<attr name=\"ENTPersonDateNaissance\"><value>03/04/2012</value></attr>\n"
                            "<attr name=\"ENTPersonStructRattach\"><value>52006</value></attr>\n"
                            "<attr name=\"ENTEleveClasses\"><value>52006$6A</value></attr>\n"
                            "</attributes>\n"
                            "</addRequest>\n",
                              i, i, name);
    }
  g_string_append (xml, "</ficAlimMENESR>\n");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  fixture->big = g_build_filename (dir, "FULL_TESTS_Delta_20260901_Eleve_0000.xml", NULL);
  g_file_set_contents (fixture->big, xml->str, (gssize) xml->len, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) server = NULL;
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autofree char *code = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *desk_path = NULL;
  gboolean offline = TRUE;

  fixture->dir = sesame_test_make_tmpdir ();
  fixture->texts = g_ptr_array_new_with_free_func (g_free);
  server = perm_fixture_store (fixture->dir, NULL, NULL);
  server_path = g_strdup (sesame_store_get_path (server));
  g_assert_true (_sesame_store_set_operator_trusted (server, NULL, &error));
  desk = sesame_sync_desks_add (server, "Secrétariat", NULL, &code, &error);
  g_assert_no_error (error);
  g_clear_object (&server);

  sesame_test_server_start (&fixture->server, server_path);

  desk_path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->desk = sesame_sync_client_join (desk_path, fixture->server.url, code, fixture->server.fingerprint, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_sync_client_sign_in (fixture->desk, "alice.noel", SESAME_TEST_PASSPHRASE, &offline, &error));
  g_assert_no_error (error);
  g_assert_false (offline);
  write_big_import (fixture);

  fixture->window = sesame_import_window_new (fixture->desk);
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->desk);
  sesame_test_server_clear (&fixture->server);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->big);
  g_ptr_array_unref (fixture->texts);
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = sesame_store_open (path, &error);
  sqlite3_stmt *stmt;
  gint64 count;

  g_assert_no_error (error);
  stmt = _sesame_store_prepare (store, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

static GtkProgressBar *
progress_bar (Fixture *fixture)
{
  return GTK_PROGRESS_BAR (sesame_test_find_descendant (GTK_WIDGET (fixture->window), GTK_TYPE_PROGRESS_BAR));
}

/* Notes each new text of the progress bar; TRUE once @data's state is
 * reached. */
typedef struct
{
  Fixture    *fixture;
  const char *state;
  const char *cancel_on;   /* cancels once a text has this in it */
  gboolean    cancelled;
  const char *kill_on;     /* kills the server once a text has this in it */
  gboolean    killed;
  gboolean    restarted;   /* once the desk said it waits for it */
} Watch;

static gboolean
watch_progress (gpointer data)
{
  Watch *watch = data;
  Fixture *fixture = watch->fixture;
  SesameImportView *view = sesame_import_window_get_view (fixture->window);
  GtkProgressBar *bar = progress_bar (fixture);
  const char *text = bar != NULL ? gtk_progress_bar_get_text (bar) : NULL;

  if (text != NULL && (fixture->texts->len == 0 ||
                       g_strcmp0 (g_ptr_array_index (fixture->texts, fixture->texts->len - 1), text) != 0))
    g_ptr_array_add (fixture->texts, g_strdup (text));
  if (watch->cancel_on != NULL && !watch->cancelled && text != NULL && strstr (text, watch->cancel_on) != NULL &&
      gtk_progress_bar_get_fraction (bar) > 0)
    {
      watch->cancelled = TRUE;
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "import.cancel", NULL));
    }
  if (watch->kill_on != NULL && !watch->killed && text != NULL && strstr (text, watch->kill_on) != NULL &&
      gtk_progress_bar_get_fraction (bar) > 0)
    {
      watch->killed = TRUE;
      sesame_test_server_kill (&fixture->server);
    }
  if (watch->killed && !watch->restarted && text != NULL && strstr (text, "The server does not answer") != NULL)
    {
      watch->restarted = TRUE;
      sesame_test_screenshot (GTK_WINDOW (fixture->window), 0, "import-server-waiting.png");
      sesame_test_server_restart (&fixture->server);
    }
  return g_strcmp0 (sesame_import_view_get_state (view), watch->state) == 0;
}

static gboolean
seen (Fixture    *fixture,
      const char *part)
{
  for (guint i = 0; i < fixture->texts->len; i++)
    if (strstr (g_ptr_array_index (fixture->texts, i), part) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_progress_from_server (Fixture       *fixture,
                           gconstpointer  data)
{
  SesameImportView *view = sesame_import_window_get_view (fixture->window);
  const char *paths[] = { fixture->big, NULL };
  Watch watch = { fixture, "summary", NULL, FALSE, NULL, FALSE, FALSE };
  GtkLabel *summary;

  sesame_import_view_import_paths (view, paths);
  g_assert_cmpstr (sesame_import_view_get_state (view), ==, "progress");
  sesame_test_wait_until_for (watch_progress, &watch, WAIT_SECONDS);

  /* The files went to the server, which imported them and said how far
   * it was; the desk brought the result back. */
  for (guint i = 0; i < fixture->texts->len; i++)
    g_test_message ("progress: %s", (const char *) g_ptr_array_index (fixture->texts, i));
  g_assert_true (seen (fixture, "Sending the files to the server"));
  g_assert_true (seen (fixture, "Importing on the server"));
  g_assert_true (seen (fixture, "records read"));
  summary = sesame_test_find_label (GTK_WIDGET (view), PUPILS_TEXT);
  if (summary == NULL)
    summary = sesame_test_find_label (GTK_WIDGET (view), G_STRINGIFY (PUPILS));
  g_assert_nonnull (summary);
  g_assert_cmpint (count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM persons WHERE key LIKE '8%'"), ==, PUPILS);
  g_assert_cmpint (count_rows (sesame_store_get_path (fixture->desk),
                               "SELECT COUNT (*) FROM persons WHERE key LIKE '8%'"), ==, PUPILS);
}

static void
test_cancel_on_server (Fixture       *fixture,
                       gconstpointer  data)
{
  SesameImportView *view = sesame_import_window_get_view (fixture->window);
  const char *paths[] = { fixture->big, NULL };
  Watch watch = { fixture, "choose", "Importing on the server", FALSE, NULL, FALSE, FALSE };
  gint64 persons = count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM persons");

  sesame_import_view_import_paths (view, paths);
  sesame_test_wait_until_for (watch_progress, &watch, WAIT_SECONDS);
  g_assert_true (watch.cancelled);
  g_assert_cmpint (count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM persons"), ==, persons);
  g_assert_cmpint (count_rows (sesame_store_get_path (fixture->desk),
                               "SELECT COUNT (*) FROM persons WHERE key LIKE '8%'"), ==, 0);
}

/* The server goes away during the import and comes back restarted: the
 * window says it waits for it, then that the import was not applied. */
static void
test_server_restarts (Fixture       *fixture,
                      gconstpointer  data)
{
  SesameImportView *view = sesame_import_window_get_view (fixture->window);
  const char *paths[] = { fixture->big, NULL };
  Watch watch = { fixture, "choose", NULL, FALSE, "Importing on the server", FALSE, FALSE };
  gint64 persons = count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM persons");
  AdwMessageDialog *dialog;

  sesame_import_view_import_paths (view, paths);
  sesame_test_wait_until_for (watch_progress, &watch, WAIT_SECONDS);
  g_assert_true (watch.killed);
  g_assert_true (watch.restarted);
  dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Directory Could Not Be Imported");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "The server restarted during the import"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM persons"), ==, persons);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

  sesame_test_add_ui ("/sesame/import-view-server/progress", Fixture, NULL,
                      fixture_set_up, test_progress_from_server, fixture_tear_down);
  sesame_test_add_ui ("/sesame/import-view-server/cancel", Fixture, NULL,
                      fixture_set_up, test_cancel_on_server, fixture_tear_down);
  sesame_test_add_ui ("/sesame/import-view-server/server-restarts", Fixture, NULL,
                      fixture_set_up, test_server_restarts, fixture_tear_down);

  return g_test_run ();
}
