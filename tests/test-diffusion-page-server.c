/* test-diffusion-page-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Diffusion page on a desk joined to sesame-server, under a (virtual)
 * display, with a real server and the test mail server on loopback: the
 * campaign goes to the server, which sends it with its own mail settings
 * (the desk's lead nowhere); the page shows the server's progress, Stop
 * stops it there, the stopped campaign reaches the desk, and resuming it
 * from the page sends the rest. Runs in a keyring of its own
 * (run-with-keyring.sh), where the desk keeps its key and the server its
 * mail password. Without a display the tests are skipped.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-diffusion-page.h"
#include "sesame-secrets.h"
#include "sesame-store-private.h"
#include "sesame-test-permissions.h"
#include "sesame-test-server.h"
#include "sesame-test-smtp.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"

#define N_PUPILS 12

typedef struct
{
  char                 *dir;
  SesameTestServer      server;
  SesameTestSmtpServer *smtp;
  SesameStore          *desk;
  GtkWindow            *window;
  GPtrArray            *texts;   /* what the progress label said */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) server = NULL;
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autofree char *code = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *desk_path = NULL;
  gboolean offline = TRUE;

  fixture->dir = sesame_test_make_tmpdir ();
  fixture->texts = g_ptr_array_new_with_free_func (g_free);
  server = perm_fixture_store (fixture->dir, NULL, NULL);
  server_path = g_strdup (sesame_store_get_path (server));

  /* A class 4C of pupils with an address, in A. */
  g_assert_true (_sesame_store_begin (server, &error));
  for (guint i = 0; i < N_PUPILS; i++)
    {
      g_autofree char *key = g_strdup_printf ("C%02u", i);
      g_autofree char *first = g_strdup_printf ("Élève%02u", i);
      char *sql = sqlite3_mprintf ("INSERT INTO persons (key, kind, profile, last_name, first_name, structure, email, first_seen_at)"
                                   " VALUES (%Q, 'Eleve', 1, 'Quatrième', %Q, '52006', 'eleve%02u@example.org', 0);"
                                   "INSERT INTO memberships (person_key, structure, kind, code) VALUES (%Q, '52006', 'class', '4C');",
                                   key, first, i, key);

      g_assert_true (_sesame_store_exec (server, sql, &error));
      g_assert_no_error (error);
      sqlite3_free (sql);
      g_assert_true (_sesame_accounts_create (server, NULL, key, SESAME_PROFILE_ELEVE, first, "Quatrième", NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (_sesame_store_commit (server, &error));
  g_assert_true (sesame_store_settings_set (server, SESAME_SETTING_ENT_URL, "https://ent.example.org", &error));
  g_assert_no_error (error);

  /* The mail server takes its time over each message: the campaign can
   * be watched and stopped half-way. */
  fixture->smtp = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER, "--password", SESAME_TEST_SMTP_PASSWORD,
                                                 "--delay-rcpt", "0.4", NULL);
  settings = sesame_test_smtp_server_settings (fixture->smtp);
  g_assert_true (sesame_smtp_settings_save (settings, server, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_secrets_store_smtp_password (sesame_smtp_settings_get_host (settings),
                                                     sesame_smtp_settings_get_user (settings),
                                                     SESAME_TEST_SMTP_PASSWORD, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (_sesame_store_set_operator_trusted (server, NULL, &error));
  desk = sesame_sync_desks_add (server, "Secrétariat", NULL, &code, &error);
  g_assert_no_error (error);
  g_clear_object (&server);

  sesame_test_server_setenv (&fixture->server, SESAME_SMTP_CA_FILE_ENV, fixture->smtp->cert);
  sesame_test_server_start (&fixture->server, server_path);

  desk_path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->desk = sesame_sync_client_join (desk_path, fixture->server.url, code, fixture->server.fingerprint, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_sync_client_sign_in (fixture->desk, "alice.noel", SESAME_TEST_PASSPHRASE, &offline, &error));
  g_assert_no_error (error);
  g_assert_false (offline);
  /* The desk's own mail settings lead nowhere. */
  g_assert_true (sesame_store_settings_set (fixture->desk, SESAME_SETTING_SMTP_PORT, "1", &error));
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_set_default_size (fixture->window, 900, 800);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->desk);
  sesame_test_server_clear (&fixture->server);
  g_clear_pointer (&fixture->smtp, sesame_test_smtp_server_free);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_ptr_array_unref (fixture->texts);
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
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

static gboolean
page_idle (gpointer data)
{
  return !sesame_diffusion_page_get_busy (data);
}

static gboolean
confirm_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        {
          *(AdwMessageDialog **) data = ADW_MESSAGE_DIALOG (window);
          return TRUE;
        }
    }
  return FALSE;
}

typedef struct
{
  Fixture             *fixture;
  SesameDiffusionPage *page;
  gboolean             cancel;     /* stops it once a few went */
  gboolean             cancelled;
} Watch;

/* Notes each new text of the progress label; TRUE once the page stops
 * sending. */
static gboolean
watch_progress (gpointer data)
{
  Watch *watch = data;
  GtkLabel *label = child (watch->page, SESAME_TYPE_DIFFUSION_PAGE, "progress_label");
  GPtrArray *texts = watch->fixture->texts;
  const char *text = gtk_label_get_label (label);
  guint sent = 0;

  if (sesame_diffusion_page_get_sending (watch->page) &&
      (texts->len == 0 || g_strcmp0 (g_ptr_array_index (texts, texts->len - 1), text) != 0))
    g_ptr_array_add (texts, g_strdup (text));
  sesame_diffusion_page_get_progress (watch->page, &sent, NULL, NULL);
  if (watch->cancel && !watch->cancelled && sent >= 2)
    {
      g_assert_true (gtk_widget_get_visible (child (watch->page, SESAME_TYPE_DIFFUSION_PAGE, "progress_group")));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (watch->page), "diffusion.cancel", NULL));
      watch->cancelled = TRUE;
    }
  return !sesame_diffusion_page_get_sending (watch->page);
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
test_progress_and_cancel (Fixture       *fixture,
                          gconstpointer  data)
{
  SesameDiffusionPage *page;
  AdwMessageDialog *dialog = NULL;
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Watch watch = { fixture, NULL, TRUE, FALSE };
  guint with = 0, without = 0, sent;

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->desk));
  watch.page = page;
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "eleve_check"), TRUE);
  gtk_editable_set_text (child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row"), "Vos identifiants ENT");
  sesame_test_wait_until (page_idle, page);
  sesame_diffusion_page_get_recipients (page, &with, &without);
  g_assert_cmpuint (with, >=, N_PUPILS);
  /* The desk's mail settings are not the desk's business: it may send. */
  g_assert_true (gtk_widget_is_sensitive (child (page, SESAME_TYPE_DIFFUSION_PAGE, "send_button")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.send", NULL));
  sesame_test_wait_until (confirm_shown, &dialog);
  sesame_test_respond (dialog, "confirm");
  sesame_test_wait_until_for (watch_progress, &watch, 120);

  /* The server's progress was shown, then Stop stopped it there. */
  for (guint i = 0; i < fixture->texts->len; i++)
    g_test_message ("progress: %s", (const char *) g_ptr_array_index (fixture->texts, i));
  g_assert_true (watch.cancelled);
  g_assert_true (seen (fixture, "Sent 1, failed 0") || seen (fixture, "Sent 2, failed 0"));
  g_assert_true (seen (fixture, "Stopping after the message in progress"));
  g_assert_false (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "progress_group")));
  sent = sesame_test_smtp_server_count (fixture->smtp);
  g_assert_cmpuint (sent, >=, 2);
  g_assert_cmpuint (sent, <, with);
  g_assert_cmpint (count_rows (fixture->server.store_path, "SELECT COUNT (*) FROM campaigns WHERE state = 'cancelled'"), ==, 1);

  /* The stopped campaign reached the desk, and the page shows it. */
  id = g_strdup (sesame_diffusion_page_get_campaign_id (page));
  g_assert_nonnull (id);
  campaign = sesame_campaigns_find (fixture->desk, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_campaign_get_state (campaign), ==, SESAME_CAMPAIGN_STATE_CANCELLED);
  g_assert_cmpuint (sesame_campaign_get_counts (campaign)->counts[SESAME_RECIPIENT_SENT], ==, sent);

  /* Resumed from the page: the server sends the rest, nothing twice. */
  g_ptr_array_set_size (fixture->texts, 0);
  watch.cancel = FALSE;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.resume", "s", id));
  g_assert_true (sesame_diffusion_page_get_sending (page));
  sesame_test_wait_until_for (watch_progress, &watch, 120);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->smtp), ==, with);
  g_clear_object (&campaign);
  campaign = sesame_campaigns_find (fixture->desk, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_campaign_get_state (campaign), ==, SESAME_CAMPAIGN_STATE_FINISHED);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  SesameDiffusionPage *page;
  AdwMessageDialog *dialog = NULL;
  Watch watch = { fixture, NULL, FALSE, FALSE };

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->desk));
  watch.page = page;
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "eleve_check"), TRUE);
  sesame_test_wait_until (page_idle, page);

  sesame_test_server_stop (&fixture->server);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.send", NULL));
  sesame_test_wait_until (confirm_shown, &dialog);
  sesame_test_respond (dialog, "confirm");
  sesame_test_wait_until_for (watch_progress, &watch, 60);

  /* A dialog says so; nothing was sent or recorded on the desk. */
  dialog = NULL;
  sesame_test_wait_until (confirm_shown, &dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Server Cannot Be Reached");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "email campaigns are sent by the server"));
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->smtp), ==, 0);
  g_assert_cmpint (count_rows (sesame_store_get_path (fixture->desk), "SELECT COUNT (*) FROM campaigns"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

  sesame_test_add_ui ("/sesame/diffusion-page-server/progress-and-cancel", Fixture, NULL,
                      fixture_set_up, test_progress_and_cancel, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page-server/unreachable", Fixture, NULL,
                      fixture_set_up, test_unreachable, fixture_tear_down);

  return g_test_run ();
}
