/* test-window-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window on a desk joined to a real sesame-server on loopback: the
 * header bar says "Synchronised", then, with the server stopped, since
 * when the desk is offline and how many changes wait, and "Synchronised"
 * again once the server is back; conflicts show as a count that opens
 * their list, where each is dismissed; a standalone store shows none of
 * it; an identifier file made on the server shows on the open files page,
 * a campaign recorded there on the open Diffusion page. With SESAME_SCREENSHOT_DIR set, each state is photographed.
 */
#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "sesame-application.h"
#include "sesame-boxed-item.h"
#include "sesame-conflicts-window.h"
#include "sesame-diffusion-page.h"
#include "sesame-files-page.h"
#include "sesame-join-dialog.h"
#include "sesame-signin-page.h"
#include "sesame-store-private.h"
#include "sesame-sync-indicator.h"
#include "sesame-test-fixture.h"
#include "sesame-test-server.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-welcome-page.h"
#include "sesame-window.h"

/* The suite runs in English; screenshots are taken in the session's
 * language, where the texts checked are the translated ones. */
#define TR(msgid) g_dgettext (GETTEXT_PACKAGE, msgid)

/* Checks a message's wording in English only; in another language, that
 * there is one. */
static void
assert_says (const char *text,
             const char *english)
{
  g_assert_nonnull (text);
  g_assert_cmpstr (text, !=, "");
  if (g_str_equal (TR ("Synchronised"), "Synchronised"))
    g_assert_nonnull (strstr (text, english));
}

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
  for (guint i = 0; i < SESAME_TEST_WAIT_SECONDS * 20 && !shows_wanted (indicator (fixture)); i++)
    sesame_test_spin (50);
  if (!shows_wanted (indicator (fixture)))
    g_error ("The header bar says “%s”, not “%s”", sesame_sync_indicator_get_text (indicator (fixture)), text);
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
  g_autofree char *hour = NULL;

  sesame_test_desk_start (&fixture->desk, "sync-header");
  scheduler = sesame_window_get_sync_scheduler (fixture->desk.window);
  g_assert_nonnull (scheduler);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (indicator (fixture))));
  wait_for_text (fixture, TR ("Synchronised"));
  g_assert_false (sesame_sync_indicator_is_spinning (indicator (fixture)));
  sesame_test_screenshot (GTK_WINDOW (fixture->desk.window), 0, "sync-synced.png");

  /* Offline: since when, and what waits, counted as the desk works on. */
  sesame_test_server_stop (&fixture->server);
  set_login_elsewhere (fixture->desk.store, "zoe.martin", "zoe.martin2");
  {
    g_autofree char *prefix = g_strdup_printf (TR ("Offline since %s"), "");

    wait_for_text (fixture, prefix);
  }
  since = g_date_time_new_from_unix_local (sesame_sync_scheduler_get_offline_since (scheduler));
  hour = g_date_time_format (since, "%H:%M");
  offline = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline since %s — %u change waiting",
                                          "Offline since %s — %u changes waiting", 1), hour, 1);
  wait_for_text (fixture, offline);
  g_assert_cmpstr (sesame_sync_indicator_get_text (indicator (fixture)), ==, offline);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (indicator (fixture)), "warning"));
  set_login_elsewhere (fixture->desk.store, "zoe.martin2", "zoe.martin3");
  g_free (offline);
  offline = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline since %s — %u change waiting",
                                          "Offline since %s — %u changes waiting", 2), hour, 2);
  wait_for_text (fixture, offline);
  {
    g_autofree char *tooltip = g_strdup_printf ("%s\n%s", offline, sesame_sync_scheduler_get_last_error (scheduler));

    g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (indicator (fixture))), ==, tooltip);
  }
  assert_says (gtk_widget_get_tooltip_text (GTK_WIDGET (indicator (fixture))), "cannot be reached");
  sesame_test_screenshot (GTK_WINDOW (fixture->desk.window), 0, "sync-offline.png");

  /* Back: sent by itself, and said. */
  sesame_test_server_restart (&fixture->server);
  sesame_sync_scheduler_poke (scheduler);
  wait_for_text (fixture, TR ("Synchronised"));
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
  {
    g_autofree char *two = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict", "%u conflicts", 2), 2);

    wait_for_text (fixture, two);
  }
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (indicator (fixture)), "error"));
  sesame_test_screenshot (GTK_WINDOW (fixture->desk.window), 0, "sync-conflicts.png");

  /* The count opens the list. */
  g_signal_emit_by_name (indicator (fixture), "clicked");
  list = sesame_test_wait_for_toplevel (SESAME_TYPE_CONFLICTS_WINDOW);
  g_assert_cmpuint (sesame_conflicts_window_get_count (list), ==, 2);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (list)) == GTK_WINDOW (fixture->desk.window));
  sesame_test_assert_shown (GTK_WIDGET (list), "yours was not kept");
  sesame_test_assert_shown (GTK_WIDGET (list), "only administrators grant roles");
  sesame_test_assert_shown (GTK_WIDGET (list), "helene.roche · set-login · zoe.martin · ");
  sesame_test_screenshot (GTK_WINDOW (list), 0, "sync-conflicts-list.png");

  /* Each is dismissed; the header bar counts again. */
  g_assert_true (sesame_conflicts_window_dismiss (list, 0));
  g_assert_cmpuint (sesame_conflicts_window_get_count (list), ==, 1);
  {
    g_autofree char *one = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict", "%u conflicts", 1), 1);

    wait_for_text (fixture, one);
  }
  g_assert_true (sesame_conflicts_window_dismiss (list, 0));
  g_assert_cmpuint (sesame_conflicts_window_get_count (list), ==, 0);
  wait_for_text (fixture, TR ("Synchronised"));
  g_assert_cmpuint (sesame_sync_scheduler_get_conflicts (scheduler), ==, 0);
  gtk_window_destroy (GTK_WINDOW (list));

  /* Also from the primary menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->desk.window), "win.sync-conflicts", NULL));
  list = sesame_test_wait_for_toplevel (SESAME_TYPE_CONFLICTS_WINDOW);
  g_assert_cmpuint (sesame_conflicts_window_get_count (list), ==, 0);
  sesame_test_assert_shown (GTK_WIDGET (list), TR ("No Conflicts"));
}

/* A new computer: an empty store, the welcome page, the server beside. */
static void
join_set_up (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *desk_path = NULL;

  sesame_test_desk_set_up (&fixture->desk, data);
  sesame_test_enrol_operator (fixture->desk.store, "helene.roche");
  server_path = g_strdup (sesame_store_get_path (fixture->desk.store));
  g_clear_object (&fixture->desk.store);
  sesame_test_server_start (&fixture->server, server_path);

  desk_path = g_build_filename (fixture->desk.dir, "desk.sesame", NULL);
  fixture->desk.store = sesame_store_open_full (desk_path, SESAME_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  sesame_test_desk_start (&fixture->desk, "sync-join");
  g_assert_cmpstr (sesame_window_get_mode (fixture->desk.window), ==, "welcome");
}

static SesameJoinDialog *
open_join_dialog (Fixture *fixture)
{
  GtkWidget *welcome = sesame_window_get_welcome_page (fixture->desk.window);

  g_assert_true (gtk_widget_activate_action (welcome, "welcome.join", NULL));
  return sesame_test_wait_for_toplevel (SESAME_TYPE_JOIN_DIALOG);
}

static gboolean
join_ended (gpointer data)
{
  return !sesame_join_dialog_is_running (data);
}

typedef struct
{
  SesameFilesPage *page;
  guint            n;
} FilesWait;

static gboolean
files_listed (gpointer data)
{
  FilesWait *wait = data;

  return g_list_model_get_n_items (sesame_files_page_get_files (wait->page)) == wait->n;
}

/* An identifier file made on the server (as an import there makes them)
 * reaches the desk and shows on its files page, open meanwhile, after the
 * next round; it reached neither before. */
static void
test_files_from_server (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) server = NULL;
  g_autoptr(GPtrArray) establishments = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  FilesWait wait;

  sesame_test_desk_start (&fixture->desk, "sync-files");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->desk.window), "win.show-page", "s", "files"));
  wait.page = SESAME_FILES_PAGE (sesame_window_get_page (fixture->desk.window, "files"));
  wait.n = g_list_model_get_n_items (sesame_files_page_get_files (wait.page)) + 1;

  server = sesame_store_open (fixture->server.store_path, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_operators_sign_in (server, "helene.roche", SESAME_TEST_PASSPHRASE, &error));
  g_assert_no_error (error);
  establishments = sesame_establishments_list (server, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (establishments->len, >, 0);
  file = sesame_identifier_files_generate (server,
                                           ((SesameEstablishment *) g_ptr_array_index (establishments, 0))->uai,
                                           0, &error);
  g_assert_no_error (error);

  sesame_sync_scheduler_poke (sesame_window_get_sync_scheduler (fixture->desk.window));
  sesame_test_wait_until (files_listed, &wait);
  {
    g_autoptr(GObject) item = g_list_model_get_item (sesame_files_page_get_files (wait.page), 0);
    const SesameIdentifierFile *shown = sesame_boxed_item_get (SESAME_BOXED_ITEM (item));

    g_assert_cmpstr (shown->id, ==, file->id);
  }
}

static gboolean
shows_subject (gpointer data)
{
  return sesame_test_find_label (data, "Rentrée : vos identifiants ENT") != NULL;
}

/* A campaign recorded on the server (as another desk's campaign is, the
 * server sending it) shows on the open Diffusion page after the next
 * round, with what was typed there meanwhile kept. */
static void
test_campaign_from_server (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) server = NULL;
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  GtkWidget *page;
  GtkEditable *subject;
  gboolean created;

  sesame_test_desk_start (&fixture->desk, "sync-campaigns");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->desk.window), "win.show-page", "s", "diffusion"));
  page = sesame_window_get_page (fixture->desk.window, "diffusion");
  g_assert_null (sesame_test_find_label (page, "Rentrée : vos identifiants ENT"));
  subject = GTK_EDITABLE (gtk_widget_get_template_child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row"));
  gtk_editable_set_text (subject, "Mon objet en cours");

  server = sesame_store_open (fixture->server.store_path, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_operators_sign_in (server, "helene.roche", SESAME_TEST_PASSPHRASE, &error));
  g_assert_no_error (error);
  sesame_test_name_ent (server);
  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT));
  sesame_campaign_set_subject (campaign, "Rentrée : vos identifiants ENT");
  created = sesame_campaigns_create (server, campaign, &error);
  g_assert_no_error (error);
  g_assert_true (created);

  sesame_sync_scheduler_poke (sesame_window_get_sync_scheduler (fixture->desk.window));
  sesame_test_wait_until (shows_subject, page);
  g_assert_cmpstr (gtk_editable_get_text (subject), ==, "Mon objet en cours");
}

static void
join_and_wait (SesameJoinDialog *dialog)
{
  sesame_join_dialog_join (dialog);
  g_assert_true (sesame_join_dialog_is_running (dialog));
  sesame_test_wait_until (join_ended, dialog);
}

static void
test_join_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  SesameJoinDialog *dialog = open_join_dialog (fixture);
  g_autofree char *code = sesame_test_server_add_desk (&fixture->server, "Accueil");
  const char *wrong = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

  /* Nothing typed: said, nothing sent. */
  sesame_join_dialog_join (dialog);
  g_assert_false (sesame_join_dialog_is_running (dialog));
  assert_says (sesame_join_dialog_get_error (dialog), "server’s address");

  /* An address where nothing answers. */
  sesame_join_dialog_set_fields (dialog, "https://127.0.0.1:1", code, fixture->server.fingerprint);
  join_and_wait (dialog);
  assert_says (sesame_join_dialog_get_error (dialog), "cannot be reached");

  /* Another certificate than the one given: nothing sent. */
  sesame_join_dialog_set_fields (dialog, fixture->server.url, code, wrong);
  join_and_wait (dialog);
  assert_says (sesame_join_dialog_get_error (dialog), "another machine may be answering");

  /* A wrong code. */
  sesame_join_dialog_set_fields (dialog, fixture->server.url, "ABCD-EFGH-IJKL", fixture->server.fingerprint);
  join_and_wait (dialog);
  assert_says (sesame_join_dialog_get_error (dialog), "refused the code");
  sesame_test_screenshot (GTK_WINDOW (dialog), 0, "sync-join-error.png");

  /* The welcome page stays, on its empty store. */
  g_assert_cmpstr (sesame_window_get_mode (fixture->desk.window), ==, "welcome");
  g_assert_false (sesame_sync_desk_is_joined (fixture->desk.store));
}

/* A server that takes the connection and never answers: only Cancel ends
 * the wait. */
static void
test_join_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  SesameJoinDialog *dialog = open_join_dialog (fixture);
  gint64 cancelled_at;

  g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  sesame_join_dialog_set_fields (dialog, url, "ABCD-EFGH-IJKL", fixture->server.fingerprint);
  sesame_join_dialog_join (dialog);
  sesame_test_spin (500);
  g_assert_true (sesame_join_dialog_is_running (dialog));
  sesame_test_screenshot (GTK_WINDOW (dialog), 0, "sync-join-running.png");

  cancelled_at = g_get_monotonic_time ();
  sesame_join_dialog_cancel (dialog);
  sesame_test_wait_until (join_ended, dialog);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 3 * G_USEC_PER_SEC);
  assert_says (sesame_join_dialog_get_error (dialog), "cancelled");
  g_assert_false (g_file_test (sesame_store_get_path (fixture->desk.store), G_FILE_TEST_IS_DIR));

  /* Cancel again closes the dialog. */
  sesame_join_dialog_cancel (dialog);
  sesame_test_spin (50);
  g_assert_null (sesame_test_find_toplevel (SESAME_TYPE_JOIN_DIALOG));
}

static gboolean
signin_window_shown (gpointer data)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (SESAME_IS_WINDOW (l->data) && gtk_widget_get_visible (l->data) &&
        g_strcmp0 (sesame_window_get_mode (l->data), "signin") == 0)
      {
        *(SesameWindow **) data = l->data;
        return TRUE;
      }
  return FALSE;
}

static void
test_join (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_strdup (sesame_store_get_path (fixture->desk.store));
  g_autofree char *code = sesame_test_server_add_desk (&fixture->server, "Direction");
  SesameJoinDialog *dialog = open_join_dialog (fixture);
  SesameWindow *window = NULL;
  SesameStore *store;
  g_autofree char *without_scheme = g_strdup (fixture->server.url + strlen ("https://"));

  sesame_join_dialog_set_fields (dialog, without_scheme, code, fixture->server.fingerprint);
  sesame_test_screenshot (GTK_WINDOW (dialog), 0, "sync-join.png");
  /* The window lets go of the empty store, which the desk's replaces. */
  g_clear_object (&fixture->desk.store);
  sesame_join_dialog_join (dialog);
  sesame_test_wait_until (signin_window_shown, &window);
  fixture->desk.window = window;
  store = sesame_window_get_store (window);
  g_assert_cmpstr (sesame_store_get_path (store), ==, path);
  g_assert_true (sesame_sync_desk_is_joined (store));
  g_assert_false (sesame_store_is_empty (store));
  g_assert_nonnull (sesame_window_get_sync_scheduler (window));
  {
    g_autofree char *left = g_strconcat (path, ".joining", NULL);

    g_assert_false (g_file_test (left, G_FILE_TEST_EXISTS));
  }

  /* Operators sign in against the server. */
  {
    SesameSigninPage *signin = SESAME_SIGNIN_PAGE (sesame_window_get_signin_page (window));

    sesame_signin_page_set_login (signin, "helene.roche");
    sesame_signin_page_set_passphrase (signin, SESAME_TEST_PASSPHRASE);
    sesame_test_sign_in_activate (signin, "signin.sign-in");
  }
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "main");
  g_assert_cmpstr (sesame_store_operator_get_login (store), ==, "helene.roche");
  wait_for_text (fixture, TR ("Synchronised"));
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

  sesame_test_add_ui ("/sesame/window-sync/files-from-server", Fixture, NULL,
                      fixture_set_up, test_files_from_server, fixture_tear_down);
  sesame_test_add_ui ("/sesame/window-sync/campaign-from-server", Fixture, NULL,
                      fixture_set_up, test_campaign_from_server, fixture_tear_down);
  sesame_test_add_ui ("/sesame/window-sync/join-errors", Fixture, NULL,
                      join_set_up, test_join_errors, fixture_tear_down);
  sesame_test_add_ui ("/sesame/window-sync/join-cancel", Fixture, NULL,
                      join_set_up, test_join_cancel, fixture_tear_down);
  sesame_test_add_ui ("/sesame/window-sync/join", Fixture, NULL,
                      join_set_up, test_join, fixture_tear_down);

  return g_test_run ();
}
