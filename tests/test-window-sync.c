/* test-window-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window on a desk joined to a real sesame-server on loopback: the
 * header bar says "Synchronised", then, with the server stopped, since
 * when the desk is offline and how many changes wait, and "Synchronised"
 * again once the server is back; conflicts show as a count that opens
 * their list, where each is dismissed; a standalone store shows none of
 * it. With SESAME_SCREENSHOT_DIR set, each state is photographed.
 */
#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "sesame-application.h"
#include "sesame-conflicts-window.h"
#include "sesame-store-private.h"
#include "sesame-sync-indicator.h"
#include "sesame-test-fixture.h"
#include "sesame-test-server.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef struct
{
  SesameTestDesk    desk;
  SesameTestServer  server;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *desk_path = NULL;
  gboolean offline = TRUE;

  sesame_test_desk_set_up (&fixture->desk, data);
  sesame_test_enrol_operator (fixture->desk.store, "helene.roche");
  server_path = g_strdup (sesame_store_get_path (fixture->desk.store));
  g_clear_object (&fixture->desk.store);
  sesame_test_server_start (&fixture->server, server_path);

  /* The window opens on the desk, helene.roche signed in there. */
  desk_path = sesame_test_server_join (&fixture->server, "Secrétariat", fixture->desk.dir);
  fixture->desk.store = sesame_store_open (desk_path, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_sync_client_sign_in (fixture->desk.store, "helene.roche", SESAME_TEST_PASSPHRASE,
                                             &offline, &error));
  g_assert_no_error (error);
  g_assert_false (offline);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sesame_test_desk_tear_down (&fixture->desk, data);
  sesame_test_server_clear (&fixture->server);
}

static SesameSyncIndicator *
indicator (Fixture *fixture)
{
  return SESAME_SYNC_INDICATOR (sesame_window_get_sync_indicator (fixture->desk.window));
}

static const char *wanted_text;

static gboolean
shows_wanted (gpointer data)
{
  return g_str_has_prefix (sesame_sync_indicator_get_text (data), wanted_text);
}

static void
wait_for_text (Fixture    *fixture,
               const char *text)
{
  wanted_text = text;
  sesame_test_wait_until (shows_wanted, indicator (fixture));
}

static void
set_login_elsewhere (SesameStore *store,
                     const char  *login,
                     const char  *new_login)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) job = sesame_store_dup (store, &error);

  g_assert_no_error (error);
  g_assert_true (sesame_accounts_set_login (job, login, new_login, &error));
  g_assert_no_error (error);
}

static void
test_standalone (SesameTestDesk *desk,
                 gconstpointer   data)
{
  GtkWidget *button;

  sesame_test_enrol_operator (desk->store, "helene.roche");
  sesame_test_desk_start (desk, "sync-standalone");
  button = sesame_window_get_sync_indicator (desk->window);
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_null (sesame_window_get_sync_scheduler (desk->window));
  /* The action is off: nothing opens. */
  gtk_widget_activate_action (GTK_WIDGET (desk->window), "win.sync-conflicts", NULL);
  sesame_test_spin (100);
  g_assert_null (sesame_test_find_toplevel (SESAME_TYPE_CONFLICTS_WINDOW));
}

static void
test_header_states (Fixture       *fixture,
                    gconstpointer  data)
{
  SesameSyncScheduler *scheduler;
  g_autoptr(GDateTime) since = NULL;
  g_autofree char *offline = NULL;

  sesame_test_desk_start (&fixture->desk, "sync-header");
  scheduler = sesame_window_get_sync_scheduler (fixture->desk.window);
  g_assert_nonnull (scheduler);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (indicator (fixture))));
  wait_for_text (fixture, "Synchronised");
  g_assert_false (sesame_sync_indicator_is_spinning (indicator (fixture)));
  sesame_test_screenshot (GTK_WINDOW (fixture->desk.window), 1000, "sync-synced.png");

  /* Offline: since when, and what waits, counted as the desk works on. */
  sesame_test_server_stop (&fixture->server);
  set_login_elsewhere (fixture->desk.store, "zoe.martin", "zoe.martin2");
  wait_for_text (fixture, "Offline since ");
  since = g_date_time_new_from_unix_local (sesame_sync_scheduler_get_offline_since (scheduler));
  offline = g_date_time_format (since, "Offline since %H:%M — 1 change waiting");
  wait_for_text (fixture, offline);
  g_assert_cmpstr (sesame_sync_indicator_get_text (indicator (fixture)), ==, offline);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (indicator (fixture)), "warning"));
  set_login_elsewhere (fixture->desk.store, "zoe.martin2", "zoe.martin3");
  g_free (offline);
  offline = g_date_time_format (since, "Offline since %H:%M — 2 changes waiting");
  wait_for_text (fixture, offline);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (indicator (fixture))), "cannot be reached"));
  sesame_test_screenshot (GTK_WINDOW (fixture->desk.window), 1000, "sync-offline.png");

  /* Back: sent by itself, and said. */
  sesame_test_server_restart (&fixture->server);
  sesame_sync_scheduler_poke (scheduler);
  wait_for_text (fixture, "Synchronised");
  g_assert_cmpuint (sesame_sync_scheduler_get_pending (scheduler), ==, 0);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (indicator (fixture)), "warning"));
}

static void
add_conflict (SesameStore *store,
              const char  *id,
              const char  *message)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (store,
                                "INSERT INTO sync_conflicts (id, entry_id, operator, action, desk_time, recorded_at,"
                                " target, message) VALUES (?, ?, 'helene.roche', 'set-login', 1796200000,"
                                " 1796200060, 'zoe.martin', ?)",
                                &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, message, -1, SQLITE_TRANSIENT);
  g_assert_true (_sesame_store_step_done (store, stmt, &error));
  g_assert_no_error (error);
}

static void
test_conflicts (Fixture       *fixture,
                gconstpointer  data)
{
  SesameConflictsWindow *list;
  SesameSyncScheduler *scheduler;

  add_conflict (fixture->desk.store, "c1",
                "The login was changed meanwhile to zoe.martin7 on another desk: yours was not kept.");
  add_conflict (fixture->desk.store, "c2", "Refused by the server: only administrators grant roles.");
  sesame_test_desk_start (&fixture->desk, "sync-conflicts");
  scheduler = sesame_window_get_sync_scheduler (fixture->desk.window);
  wait_for_text (fixture, "2 conflicts");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (indicator (fixture)), "error"));
  sesame_test_screenshot (GTK_WINDOW (fixture->desk.window), 1000, "sync-conflicts.png");

  /* The count opens the list. */
  g_signal_emit_by_name (indicator (fixture), "clicked");
  list = sesame_test_wait_for_toplevel (SESAME_TYPE_CONFLICTS_WINDOW);
  g_assert_cmpuint (sesame_conflicts_window_get_count (list), ==, 2);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (list)) == GTK_WINDOW (fixture->desk.window));
  sesame_test_assert_shown (GTK_WIDGET (list), "yours was not kept");
  sesame_test_assert_shown (GTK_WIDGET (list), "only administrators grant roles");
  sesame_test_assert_shown (GTK_WIDGET (list), "helene.roche · set-login · zoe.martin");
  sesame_test_screenshot (GTK_WINDOW (list), 0, "sync-conflicts-list.png");

  /* Each is dismissed; the header bar counts again. */
  g_assert_true (sesame_conflicts_window_dismiss (list, 0));
  g_assert_cmpuint (sesame_conflicts_window_get_count (list), ==, 1);
  wait_for_text (fixture, "1 conflict");
  g_assert_true (sesame_conflicts_window_dismiss (list, 0));
  g_assert_cmpuint (sesame_conflicts_window_get_count (list), ==, 0);
  wait_for_text (fixture, "Synchronised");
  g_assert_cmpuint (sesame_sync_scheduler_get_conflicts (scheduler), ==, 0);
  gtk_window_destroy (GTK_WINDOW (list));

  /* Also from the primary menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->desk.window), "win.sync-conflicts", NULL));
  list = sesame_test_wait_for_toplevel (SESAME_TYPE_CONFLICTS_WINDOW);
  g_assert_cmpuint (sesame_conflicts_window_get_count (list), ==, 0);
  sesame_test_assert_shown (GTK_WIDGET (list), "No Conflicts");
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);
  curl_global_init (CURL_GLOBAL_DEFAULT);

  sesame_test_add_ui ("/sesame/window-sync/standalone", SesameTestDesk, NULL,
                      sesame_test_desk_set_up, test_standalone, sesame_test_desk_tear_down);
  sesame_test_add_ui ("/sesame/window-sync/header-states", Fixture, NULL,
                      fixture_set_up, test_header_states, fixture_tear_down);
  sesame_test_add_ui ("/sesame/window-sync/conflicts", Fixture, NULL,
                      fixture_set_up, test_conflicts, fixture_tear_down);

  return g_test_run ();
}
