/* test-window-signin-async.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window of a desk joined to a server while the server misbehaves or
 * other desks work. A server that accepts connections and never answers
 * must not freeze the window: unlocking and signing in wait in a thread,
 * the window keeps drawing and handling its actions meanwhile, Escape
 * gives up, and the desk's own verifier answers once the server is given
 * up on. And a change made on another desk reaches the person open on
 * this one after a sync round, the search and its selection kept.
 */
#include "config.h"

#include <curl/curl.h>
#include <sqlite3.h>
#include <string.h>

#include "sesame-application.h"
#include "sesame-lock-page.h"
#include "sesame-login-dialog.h"
#include "sesame-person-view.h"
#include "sesame-search-page.h"
#include "sesame-signin-page.h"
#include "sesame-test-fixture.h"
#include "sesame-test-server.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

/* How long the silent server holds each connection before closing it. */
#define HOLD_MS 6000

/* The longest the main loop may stop turning while a sign-in waits: a
 * window that waited for the server would stop for the whole hold (its
 * connection is accepted once the sign-in started). Far above a frame:
 * the suite runs tests side by side on a loaded machine. */
#define MAX_STALL_US (HOLD_MS * 1000 * 3 / 4)

/* A server that accepts TCP connections on the desk's server port and
 * never says a word, then hangs up: what a desk sees of a server host
 * whose service is stuck. It runs in a thread of its own, so that it
 * accepts even while the main thread is blocked. */
typedef struct
{
  GSocket  *listener;
  GThread  *thread;
  gint      accepted;   /* atomic */
  gint      closed;     /* atomic */
  gboolean  stopping;   /* atomic */
} SilentServer;

static gpointer
silent_server_run (gpointer data)
{
  SilentServer *silent = data;

  while (!g_atomic_int_get (&silent->stopping))
    {
      g_autoptr(GSocket) connection = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_socket_condition_timed_wait (silent->listener, G_IO_IN, 100 * 1000, NULL, NULL))
        continue;
      connection = g_socket_accept (silent->listener, NULL, &error);
      if (connection == NULL)
        continue;
      g_atomic_int_inc (&silent->accepted);
      /* Holds it without a byte of answer, then hangs up. */
      for (guint i = 0; i < HOLD_MS / 50 && !g_atomic_int_get (&silent->stopping); i++)
        g_usleep (50 * 1000);
      g_socket_close (connection, NULL);
      g_atomic_int_inc (&silent->closed);
    }
  return NULL;
}

static void
silent_server_start (SilentServer *silent,
                     guint16       port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;

  memset (silent, 0, sizeof *silent);
  silent->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (silent->listener, TRUE);
  g_assert_true (g_socket_bind (silent->listener, address, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (silent->listener, &error));
  g_assert_no_error (error);
  silent->thread = g_thread_new ("silent-server", silent_server_run, silent);
}

static void
silent_server_stop (SilentServer *silent)
{
  if (silent->thread == NULL)
    return;
  g_atomic_int_set (&silent->stopping, TRUE);
  g_thread_join (g_steal_pointer (&silent->thread));
  g_socket_close (silent->listener, NULL);
  g_clear_object (&silent->listener);
}

typedef struct
{
  SesameTestDesk    desk;
  SesameTestServer  server;
  SilentServer      silent;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *desk_path = NULL;
  gboolean offline = TRUE;

  memset (&fixture->silent, 0, sizeof fixture->silent);
  sesame_test_desk_set_up (&fixture->desk, data);
  sesame_test_enrol_operator (fixture->desk.store, "helene.roche");
  server_path = g_strdup (sesame_store_get_path (fixture->desk.store));
  g_clear_object (&fixture->desk.store);
  sesame_test_server_start (&fixture->server, server_path);

  /* Helene signed in once on this desk with the server answering: the
   * desk keeps a verifier of her passphrase for the days it does not. */
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
  /* The connections held end, and the threads waiting on them with. */
  silent_server_stop (&fixture->silent);
  sesame_test_spin (300);
  sesame_test_desk_tear_down (&fixture->desk, data);
  sesame_test_server_clear (&fixture->server);
}

/* The real server goes; the silent one takes its port. */
static void
silence_server (Fixture *fixture)
{
  sesame_test_server_stop (&fixture->server);
  silent_server_start (&fixture->silent, fixture->server.port);
}

/* Measures how the main loop turns: the longest time between two turns of
 * a 20 ms timeout. A window whose main thread waits for the server turns
 * none and neither draws nor handles anything. */
typedef struct
{
  gint64 last;
  gint64 longest;
} Pulse;

static gboolean
pulse_cb (gpointer data)
{
  Pulse *pulse = data;
  gint64 now = g_get_monotonic_time ();

  if (pulse->last != 0)
    pulse->longest = MAX (pulse->longest, now - pulse->last);
  pulse->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
lock_answered (gpointer data)
{
  return !sesame_lock_page_is_busy (data);
}

static gboolean
signin_answered (gpointer data)
{
  return !sesame_signin_page_is_busy (data);
}

static gboolean
silent_accepted (gpointer data)
{
  SilentServer *silent = data;

  return g_atomic_int_get (&silent->accepted) > 0;
}

static void
test_unlock_silent_server (Fixture       *fixture,
                           gconstpointer  data)
{
  SesameWindow *window;
  SesameLockPage *lock;
  Pulse pulse = { 0 };
  guint timeout;
  gint64 started;

  sesame_test_desk_start (&fixture->desk, "signin-async-unlock");
  window = fixture->desk.window;
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "main");
  silence_server (fixture);

  sesame_window_lock (window);
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "locked");
  lock = SESAME_LOCK_PAGE (sesame_window_get_lock_page (window));

  timeout = g_timeout_add (20, pulse_cb, &pulse);
  sesame_lock_page_set_passphrase (lock, SESAME_TEST_PASSPHRASE);
  started = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (lock), "lock.unlock", NULL));
  /* The answer did not come at once: the page says it waits, and the
   * window still shows the lock. */
  g_assert_true (sesame_lock_page_is_busy (lock));
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "locked");
  sesame_test_assert_shown (GTK_WIDGET (lock), "Checking your passphrase…");
  /* Unlocking twice is not possible meanwhile. */
  gtk_widget_activate_action (GTK_WIDGET (lock), "lock.unlock", NULL);
  g_assert_true (sesame_lock_page_is_busy (lock));

  /* The window goes on while the server holds the connection: its main
   * loop turns, and it handles an action, a toast shown. */
  sesame_test_wait_until (silent_accepted, &fixture->silent);
  sesame_test_spin (HOLD_MS / 2);
  g_assert_true (sesame_lock_page_is_busy (lock));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toast", "s", "Still here"));
  sesame_test_spin (100);
  g_test_message ("longest main-loop stall: %" G_GINT64_FORMAT " µs", pulse.longest);
  g_assert_cmpint (pulse.longest, <, MAX_STALL_US);

  /* The server hung up: the desk's own verifier lets Helene in. */
  sesame_test_wait_until (lock_answered, lock);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, (HOLD_MS / 2) * 1000);
  g_assert_cmpstr (sesame_lock_page_get_error (lock), ==, "");
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "main");
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->desk.store), ==, "helene.roche");
  g_test_message ("longest main-loop stall: %" G_GINT64_FORMAT " µs", pulse.longest);
  g_assert_cmpint (pulse.longest, <, MAX_STALL_US);

  g_source_remove (timeout);
}

/* The sign-ins the desk's audit trail records. */
static gint64
count_sign_ins (Fixture *fixture)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (sesame_store_get_path (fixture->desk.store), &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT (*) FROM audit WHERE action = 'operator-sign-in'", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

static void
test_sign_in_silent_server (Fixture       *fixture,
                            gconstpointer  data)
{
  SesameWindow *window;
  SesameSigninPage *page;
  Pulse pulse = { 0 };
  guint timeout;
  gint accepted;
  gint64 sign_ins;

  sesame_test_desk_start (&fixture->desk, "signin-async-sign-in");
  window = fixture->desk.window;
  silence_server (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-operator", NULL));
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "signin");
  page = SESAME_SIGNIN_PAGE (sesame_window_get_signin_page (window));

  /* Escape gives up: the form comes back, nobody signed in by it. */
  sign_ins = count_sign_ins (fixture);
  timeout = g_timeout_add (20, pulse_cb, &pulse);
  sesame_signin_page_set_login (page, "helene.roche");
  sesame_signin_page_set_passphrase (page, SESAME_TEST_PASSPHRASE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.sign-in", NULL));
  g_assert_true (sesame_signin_page_is_busy (page));
  sesame_test_wait_until (silent_accepted, &fixture->silent);
  accepted = g_atomic_int_get (&fixture->silent.accepted);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.escape", NULL));
  g_assert_false (sesame_signin_page_is_busy (page));
  g_assert_cmpstr (sesame_signin_page_get_step (page), ==, "sign-in");
  g_assert_cmpstr (sesame_signin_page_get_error (page), ==, "");
  /* Its answer, when the server hangs up, changes nothing: the request
   * given up, the desk's verifier does not sign her in behind the window
   * and no sign-in is recorded (it used to be). */
  while (g_atomic_int_get (&fixture->silent.closed) < accepted)
    sesame_test_spin (50);
  sesame_test_spin (300);
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "signin");
  g_assert_cmpint (count_sign_ins (fixture), ==, sign_ins);
  g_test_message ("longest main-loop stall: %" G_GINT64_FORMAT " µs", pulse.longest);
  g_assert_cmpint (pulse.longest, <, MAX_STALL_US);

  /* A wrong passphrase gets the same refusal as ever, once the desk's
   * verifier decides. */
  sesame_signin_page_set_passphrase (page, "pas la bonne phrase");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.sign-in", NULL));
  g_assert_true (sesame_signin_page_is_busy (page));
  sesame_test_wait_until (signin_answered, page);
  g_assert_nonnull (strstr (sesame_signin_page_get_error (page), "The login or the passphrase is wrong"));
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "signin");

  /* The right one signs in offline. The window fluid until the answer;
   * opening it after is the same work as ever. */
  sesame_signin_page_set_passphrase (page, SESAME_TEST_PASSPHRASE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.sign-in", NULL));
  g_assert_true (sesame_signin_page_is_busy (page));
  pulse.longest = 0;
  sesame_test_wait_until (signin_answered, page);
  g_test_message ("longest main-loop stall: %" G_GINT64_FORMAT " µs", pulse.longest);
  g_assert_cmpint (pulse.longest, <, MAX_STALL_US);
  g_source_remove (timeout);
  g_assert_cmpstr (sesame_signin_page_get_error (page), ==, "");
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "main");
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->desk.store), ==, "helene.roche");
}

/* Refreshed by a sync */

typedef struct
{
  SesameSearchPage *page;
  guint             n;
} SearchWait;

static gboolean
search_done (gpointer data)
{
  SearchWait *wait = data;

  return !sesame_search_page_get_busy (wait->page) &&
         g_list_model_get_n_items (sesame_search_page_get_results (wait->page)) == wait->n;
}

static const char *wanted_login;

static gboolean
person_shows_wanted (gpointer data)
{
  SesamePerson *person = sesame_person_view_get_person (data);

  return person != NULL && g_strcmp0 (sesame_person_get_login (person), wanted_login) == 0;
}

static void
test_refresh_after_sync (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = NULL;
  g_autoptr(SesameStore) other = NULL;
  g_auto(SesameSyncRoundReport) report = { 0 };
  g_autoptr(SesamePerson) zoe = NULL;
  g_autofree char *zoe_key = NULL;
  SesameSearchPage *page;
  SesamePersonView *view;
  SesameLoginDialog *dialog;
  SearchWait wait;
  gboolean offline = TRUE;

  /* Desk A: Zoé found and open, her row selected. */
  sesame_test_desk_start (&fixture->desk, "signin-async-refresh");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->desk.window), "win.find", NULL));
  page = SESAME_SEARCH_PAGE (sesame_window_get_page (fixture->desk.window, "search"));
  sesame_search_page_set_text (page, "zoe martin");
  wait.page = page;
  wait.n = 1;
  /* The entry says "search-changed" a moment after the text: that search
   * too, before selecting, as an operator reading the results would. */
  sesame_test_spin (400);
  sesame_test_wait_until (search_done, &wait);
  zoe = g_list_model_get_item (sesame_search_page_get_results (page), 0);
  zoe_key = g_strdup (sesame_person_get_key (zoe));
  g_assert_cmpstr (sesame_person_get_login (zoe), ==, "zoe.martin");
  g_assert_true (gtk_selection_model_select_item (sesame_search_page_get_selection (page), 0, TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "search.open", "s", zoe_key));
  view = sesame_search_page_get_person_view (page);
  g_assert_cmpstr (sesame_person_get_login (sesame_person_view_get_person (view)), ==, "zoe.martin");
  /* And a dialog half filled. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.change-login", NULL));
  dialog = sesame_test_wait_for_toplevel (SESAME_TYPE_LOGIN_DIALOG);
  sesame_login_dialog_set_login (dialog, "zoe.en.cours");

  /* Desk B, another process's store on the same server, changes her
   * login and sends it. */
  other_path = sesame_test_server_join (&fixture->server, "Vie scolaire", fixture->desk.dir);
  other = sesame_store_open (other_path, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_sync_client_sign_in (other, "helene.roche", SESAME_TEST_PASSPHRASE, &offline, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_accounts_set_login (other, "zoe.martin", "zoe.martin.b", &error));
  g_assert_no_error (error);
  g_assert_true (sesame_sync_client_run_round (other, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.accepted, >=, 1);

  /* Desk A's next round brings it to the person open. */
  sesame_sync_scheduler_poke (sesame_window_get_sync_scheduler (fixture->desk.window));
  wanted_login = "zoe.martin.b";
  sesame_test_wait_until (person_shows_wanted, view);

  /* Where the operator was, all kept: the person open, the search typed,
   * her row selected, its result refreshed too. */
  g_assert_cmpstr (sesame_search_page_get_view (page), ==, "details");
  g_assert_cmpstr (sesame_person_get_key (sesame_person_view_get_person (view)), ==, zoe_key);
  g_assert_cmpstr (sesame_search_page_get_text (page), ==, "zoe martin");
  sesame_test_wait_until (search_done, &wait);
  {
    g_autoptr(SesamePerson) row = g_list_model_get_item (sesame_search_page_get_results (page), 0);

    g_assert_cmpstr (sesame_person_get_login (row), ==, "zoe.martin.b");
  }
  g_assert_true (gtk_selection_model_is_selected (sesame_search_page_get_selection (page), 0));
  /* The dialog is still there, as it was left. */
  g_assert_true (sesame_test_find_toplevel (SESAME_TYPE_LOGIN_DIALOG) == dialog);
  g_assert_cmpstr (sesame_login_dialog_get_login (dialog), ==, "zoe.en.cours");
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);
  curl_global_init (CURL_GLOBAL_DEFAULT);

  sesame_test_add_ui ("/sesame/window-signin-async/unlock-silent-server", Fixture, NULL,
                      fixture_set_up, test_unlock_silent_server, fixture_tear_down);
  sesame_test_add_ui ("/sesame/window-signin-async/sign-in-silent-server", Fixture, NULL,
                      fixture_set_up, test_sign_in_silent_server, fixture_tear_down);
  sesame_test_add_ui ("/sesame/window-signin-async/refresh-after-sync", Fixture, NULL,
                      fixture_set_up, test_refresh_after_sync, fixture_tear_down);

  return g_test_run ();
}
