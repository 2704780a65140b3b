/* test-diffusion-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Diffusion page and the Email group of the Preferences, driven through
 * their actions under a virtual display, sending to a real SMTP server on
 * localhost with the password in a private keyring.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "sesame-campaign.h"
#include "sesame-diffusion-page.h"
#include "sesame-secrets.h"
#include "sesame-smtp-client.h"
#include "sesame-smtp-preferences.h"
#include "sesame-smtp-settings.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-smtp.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"

typedef struct
{
  char                 *dir;
  SesameStore          *store;
  SesameTestSmtpServer *server;
  GtkWindow            *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  fixture->store = sesame_test_fixture_store (fixture->dir);
  g_assert_true (_sesame_store_exec (fixture->store,
                                     "UPDATE persons SET email = 'eloise.dupont@example.org' WHERE key = 'P1'",
                                     &error));
  g_assert_true (sesame_store_set_setting (fixture->store, SESAME_SETTING_ENT_URL, "https://ent.example.org", &error));

  fixture->server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                                   "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  g_setenv (SESAME_SMTP_CA_FILE_ENV, fixture->server->cert, TRUE);
  settings = sesame_test_smtp_server_settings (fixture->server);
  g_assert_true (sesame_smtp_settings_save (settings, fixture->store, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_secrets_store_smtp_password (sesame_smtp_settings_get_host (settings),
                                                     SESAME_TEST_SMTP_USER, SESAME_TEST_SMTP_PASSWORD,
                                                     NULL, &error));
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (gtk_window_new ());
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
  g_clear_pointer (&fixture->server, sesame_test_smtp_server_free);
  g_clear_object (&fixture->store);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gpointer
child (gpointer     widget,
       GType        type,
       const char  *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
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

static gboolean
file_written (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static void
test_page_send (Fixture       *fixture,
                gconstpointer  data)
{
  SesameDiffusionPage *page;
  AdwMessageDialog *dialog = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autofree char *report = g_build_filename (fixture->dir, "report.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  GtkLabel *preview;
  GtkTextBuffer *buffer;
  guint with = 0, without = 0;

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (page, SESAME_TYPE_DIFFUSION_PAGE, "content_stack")), ==, "main");

  /* The default subject names the establishment(s); nothing is chosen. */
  g_assert_cmpstr (gtk_editable_get_text (child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row")), ==,
                   "Your ENT login details");
  sesame_test_wait_until (page_idle, page);
  g_assert_false (gtk_widget_is_sensitive (child (page, SESAME_TYPE_DIFFUSION_PAGE, "send_button")));

  /* Parents: Marie and Nathalie have an address, Paul and Claire none. */
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "parent_check"), TRUE);
  buffer = gtk_text_view_get_buffer (child (page, SESAME_TYPE_DIFFUSION_PAGE, "free_text_view"));
  gtk_text_buffer_set_text (buffer, "Réunion le 12 septembre.", -1);
  sesame_test_wait_until (page_idle, page);
  sesame_diffusion_page_get_recipients (page, &with, &without);
  g_assert_cmpuint (with, ==, 2);
  g_assert_cmpuint (without, ==, 2);
  g_assert_cmpstr (gtk_label_get_label (child (page, SESAME_TYPE_DIFFUSION_PAGE, "free_text_counter")), ==,
                   "24 / 600 characters at most");
  preview = child (page, SESAME_TYPE_DIFFUSION_PAGE, "preview_label");
  g_assert_nonnull (strstr (gtk_label_get_label (preview), "To: Marie DUPONT <marie.dupont@example.org>"));
  g_assert_nonnull (strstr (gtk_label_get_label (preview), "ENT login: marie.dupont"));
  g_assert_nonnull (strstr (gtk_label_get_label (preview), "Réunion le 12 septembre."));
  g_assert_true (gtk_widget_is_sensitive (child (page, SESAME_TYPE_DIFFUSION_PAGE, "send_button")));

  /* A subject on two lines cannot be sent. */
  gtk_editable_set_text (child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row"), "Vos\nidentifiants");
  sesame_test_wait_until (page_idle, page);
  g_assert_false (gtk_widget_is_sensitive (child (page, SESAME_TYPE_DIFFUSION_PAGE, "send_button")));
  gtk_editable_set_text (child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row"), "Vos identifiants ENT");
  sesame_test_wait_until (page_idle, page);

  /* Send, confirm, and wait for the end. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.send", NULL));
  sesame_test_wait_until (confirm_shown, &dialog);
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sesame_test_wait_until (page_idle, page);
  g_assert_false (sesame_diffusion_page_get_sending (page));

  received = sesame_test_smtp_server_recipients (fixture->server);
  g_assert_cmpuint (received->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (received, 0), ==, "marie.dupont@example.org");
  g_assert_cmpstr (g_ptr_array_index (received, 1), ==, "nathalie.dupont@example.net");

  /* The report, exported through the page's action. */
  id = g_strdup (sesame_diffusion_page_get_campaign_id (page));
  g_assert_nonnull (id);
  g_assert_true (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "report_group")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.export-report", "s", report));
  sesame_test_wait_until (file_written, report);
  g_usleep (100000);
  g_assert_true (g_file_get_contents (report, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "marie.dupont;Dupont;Marie;Parent;marie.dupont@example.org;Sent;250 "));

  /* The campaign is listed with the earlier ones. */
  g_assert_true (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "campaigns_group")));
}

static void
select_establishment (AdwComboRow *row,
                      const char  *uai)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (strstr (gtk_string_list_get_string (GTK_STRING_LIST (model), i), uai) != NULL)
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
  g_assert_not_reached ();
}

/* A campaign limited to one establishment reaches only its people. */
static void
test_page_one_establishment (Fixture       *fixture,
                             gconstpointer  data)
{
  SesameDiffusionPage *page;
  AdwMessageDialog *dialog = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  AdwComboRow *row;
  GtkEditable *subject;
  guint with = 0, without = 0;

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  row = child (page, SESAME_TYPE_DIFFUSION_PAGE, "establishment_row");
  subject = child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row");

  /* Two establishments in the store: the choice is offered, all first. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==, 3);
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (subject), ==, "Your ENT login details");

  /* Parents of the lycée: Nathalie only; the subject names the lycée. */
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "parent_check"), TRUE);
  select_establishment (row, "0740018T");
  g_assert_cmpstr (gtk_editable_get_text (subject), ==, "Lycée Berthollet - your login details");
  sesame_test_wait_until (page_idle, page);
  sesame_diffusion_page_get_recipients (page, &with, &without);
  g_assert_cmpuint (with, ==, 1);
  g_assert_cmpuint (without, ==, 0);
  g_assert_nonnull (strstr (gtk_label_get_label (child (page, SESAME_TYPE_DIFFUSION_PAGE, "preview_label")),
                            "To: Nathalie DUPONT <nathalie.dupont@example.net>"));

  /* The collège: the proposed subject follows; a subject of one's own
   * stays. */
  select_establishment (row, "0740017S");
  g_assert_cmpstr (gtk_editable_get_text (subject), ==, "Collège Les Aravis - your login details");
  sesame_test_wait_until (page_idle, page);
  sesame_diffusion_page_get_recipients (page, &with, &without);
  g_assert_cmpuint (with, ==, 1);
  g_assert_cmpuint (without, ==, 2);
  gtk_editable_set_text (subject, "Identifiants ENT du lycée");
  select_establishment (row, "0740018T");
  g_assert_cmpstr (gtk_editable_get_text (subject), ==, "Identifiants ENT du lycée");
  sesame_test_wait_until (page_idle, page);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.send", NULL));
  sesame_test_wait_until (confirm_shown, &dialog);
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sesame_test_wait_until (page_idle, page);

  received = sesame_test_smtp_server_recipients (fixture->server);
  g_assert_cmpuint (received->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (received, 0), ==, "nathalie.dupont@example.net");
  campaign = sesame_campaigns_find (fixture->store, sesame_diffusion_page_get_campaign_id (page), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_campaign_get_establishment (campaign), ==, "0740018T");
}

static void
test_page_denied (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SesameDiffusionPage *page;

  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "luc.bernard", &error));
  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (page, SESAME_TYPE_DIFFUSION_PAGE, "content_stack")), ==, "denied");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.send", NULL) &&
                  gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "progress_group")));

  /* The head of establishment is an administrator: the page opens. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (page, SESAME_TYPE_DIFFUSION_PAGE, "content_stack")), ==, "main");
}

static gboolean
preferences_idle (gpointer data)
{
  return !sesame_smtp_preferences_get_busy (data);
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  SesameSmtpPreferences *group;
  GtkWidget *page = adw_preferences_page_new ();
  g_autoptr(SesameSmtpSettings) saved = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  group = SESAME_SMTP_PREFERENCES (sesame_smtp_preferences_new (fixture->store));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_window_set_child (fixture->window, page);
  gtk_window_present (fixture->window);

  /* What the store holds, and no password shown back. */
  g_assert_cmpstr (gtk_editable_get_text (child (group, SESAME_TYPE_SMTP_PREFERENCES, "host_row")), ==, "127.0.0.1");
  g_assert_cmpstr (gtk_editable_get_text (child (group, SESAME_TYPE_SMTP_PREFERENCES, "password_row")), ==, "");
  sesame_test_wait_until (preferences_idle, group);

  /* The test message goes through with the keyring's password. */
  gtk_editable_set_text (child (group, SESAME_TYPE_SMTP_PREFERENCES, "test_to_row"), "helene.roche@example.org");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "smtp.test", NULL));
  g_assert_true (sesame_smtp_preferences_get_busy (group));
  sesame_test_wait_until (preferences_idle, group);
  g_assert_true (g_str_has_prefix (sesame_smtp_preferences_get_status (group), "The server accepted the test message: 250 "));
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 1);

  /* A wrong password typed in the form: the server's refusal, explained. */
  gtk_editable_set_text (child (group, SESAME_TYPE_SMTP_PREFERENCES, "password_row"), "not the password");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "smtp.test", NULL));
  sesame_test_wait_until (preferences_idle, group);
  g_assert_nonnull (strstr (sesame_smtp_preferences_get_status (group), "refused the user name or the password"));

  /* Unencrypted towards another machine: refused before anything goes. */
  gtk_editable_set_text (child (group, SESAME_TYPE_SMTP_PREFERENCES, "host_row"), "smtp.example.org");
  adw_combo_row_set_selected (child (group, SESAME_TYPE_SMTP_PREFERENCES, "security_row"), SESAME_SMTP_SECURITY_NONE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "smtp.save", NULL));
  g_assert_nonnull (strstr (sesame_smtp_preferences_get_status (group), "must be encrypted"));

  /* Saving a new password: the keyring has it, the store does not. */
  gtk_editable_set_text (child (group, SESAME_TYPE_SMTP_PREFERENCES, "host_row"), "127.0.0.1");
  adw_combo_row_set_selected (child (group, SESAME_TYPE_SMTP_PREFERENCES, "security_row"), SESAME_SMTP_SECURITY_STARTTLS);
  gtk_spin_button_set_value (child (group, SESAME_TYPE_SMTP_PREFERENCES, "port_spin"), fixture->server->port);
  gtk_editable_set_text (child (group, SESAME_TYPE_SMTP_PREFERENCES, "password_row"), "a-new-password");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "smtp.save", NULL));
  sesame_test_wait_until (preferences_idle, group);
  g_assert_true (g_str_has_prefix (sesame_smtp_preferences_get_status (group), "Saved."));
  password = sesame_secrets_lookup_smtp_password ("127.0.0.1", SESAME_TEST_SMTP_USER, NULL, &error);
  g_assert_cmpstr (password, ==, "a-new-password");
  sesame_secrets_free_password (password);
  saved = sesame_smtp_settings_load (fixture->store, &error);
  g_assert_cmpuint (sesame_smtp_settings_get_port (saved), ==, fixture->server->port);
}

/* Sending before the ENT's address is set is refused, and the message
 * offers to open the preferences at that field. */
static void
test_page_ent_not_set (Fixture       *fixture,
                       gconstpointer  data)
{
  SesameDiffusionPage *page;
  AdwMessageDialog *dialog = NULL;
  g_autoptr(GError) error = NULL;

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  sesame_test_wait_until (page_idle, page);
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "parent_check"), TRUE);
  sesame_test_wait_until (page_idle, page);

  g_assert_true (_sesame_store_exec (fixture->store, "DELETE FROM settings WHERE key = 'ent-url'", &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.send", NULL));
  sesame_test_wait_until (confirm_shown, &dialog);
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = NULL;

  sesame_test_wait_until (confirm_shown, &dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "ENT address is not set"));
  g_assert_true (adw_message_dialog_has_response (dialog, "preferences"));
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 0);
}

static char *private_root;

static void
skip_without_display (void)
{
  g_test_skip ("No display: run the page tests under xvfb-run");
}

static void
remove_private_root (void)
{
  sesame_test_remove_tree (private_root);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;

  /* The system's data folders stay visible for GTK's icons. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  private_root = sesame_test_make_tmpdir ();
  data = g_build_filename (private_root, "data", NULL);
  config = g_build_filename (private_root, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  atexit (remove_private_root);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_add_func ("/sesame/diffusion-page/no-display", skip_without_display);
      return g_test_run ();
    }
  gtk_init ();
  adw_init ();

  g_test_add ("/sesame/diffusion-page/send", Fixture, NULL, fixture_set_up, test_page_send, fixture_tear_down);
  g_test_add ("/sesame/diffusion-page/one-establishment", Fixture, NULL, fixture_set_up, test_page_one_establishment, fixture_tear_down);
  g_test_add ("/sesame/diffusion-page/denied", Fixture, NULL, fixture_set_up, test_page_denied, fixture_tear_down);
  g_test_add ("/sesame/diffusion-page/ent-not-set", Fixture, NULL, fixture_set_up, test_page_ent_not_set, fixture_tear_down);
  g_test_add ("/sesame/diffusion-page/preferences", Fixture, NULL, fixture_set_up, test_preferences, fixture_tear_down);

  return g_test_run ();
}
