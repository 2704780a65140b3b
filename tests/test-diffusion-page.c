/* test-diffusion-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Diffusion page and the Email group of the Preferences, driven through
 * their actions under a virtual display, sending to a real SMTP server on
 * localhost with the password in a private keyring.
 */
#include "config.h"

#include <string.h>

#include "sesame-campaign.h"
#include "sesame-campaigns.h"
#include "sesame-diffusion-page.h"
#include "sesame-document-language.h"
#include "sesame-mail-message.h"
#include "sesame-print-preview.h"
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
  SesameTestFixture     base;  /* the small school */
  SesameTestSmtpServer *server;
  GtkWindow            *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  sesame_test_fixture_set_up (&fixture->base, data);
  g_assert_true (_sesame_store_exec (fixture->base.store,
                                     "UPDATE persons SET email = 'eloise.dupont@example.org' WHERE key = 'P1'",
                                     &error));
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL, "https://ent.example.org", &error));

  /* "slow": a server that takes its time over each message, and more
   * people with an address, so that a campaign can be watched, paused
   * and stopped half-way. */
  if (g_strcmp0 (data, "slow") == 0)
    {
      g_assert_true (_sesame_store_exec (fixture->base.store,
                                         "UPDATE persons SET email = lower(first_name) || '.' || key || '@example.org'"
                                         " WHERE key IN ('P2', 'P3', 'P4', 'P6')",
                                         &error));
      fixture->server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                                       "--password", SESAME_TEST_SMTP_PASSWORD,
                                                       "--delay-rcpt", "1.5", NULL);
    }
  else
    fixture->server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                                     "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  g_setenv (SESAME_SMTP_CA_FILE_ENV, fixture->server->cert, TRUE);
  settings = sesame_test_smtp_server_settings (fixture->server);
  g_assert_true (sesame_smtp_settings_save (settings, fixture->base.store, &error));
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
  /* Not waited for: a page's worker may still hold the store. */
  g_clear_object (&fixture->base.store);
  sesame_test_fixture_tear_down (&fixture->base, data);
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

/* Whether a label of @widget shows @text, mapped and not cut short. */
static gboolean
shown_whole (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (shown_whole (c, text))
      return TRUE;
  return FALSE;
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
  g_autofree char *report = g_build_filename (fixture->base.dir, "report.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  GtkLabel *preview;
  GtkTextBuffer *buffer;
  guint with = 0, without = 0;

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
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
  /* The ENT's address has no path: the link gets its "/" before "?". */
  g_assert_nonnull (strstr (gtk_label_get_label (preview), "\nhttps://ent.example.org/activer?jeton=…\n"));
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

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
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

  /* The establishment chosen reads whole, even in a narrow window. */
  gtk_window_set_default_size (fixture->window, 600, 800);
  sesame_test_spin (300);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Lycée Berthollet (0740018T)");
  g_assert_true (shown_whole (GTK_WIDGET (row), "Lycée Berthollet (0740018T)"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.send", NULL));
  sesame_test_wait_until (confirm_shown, &dialog);
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sesame_test_wait_until (page_idle, page);

  received = sesame_test_smtp_server_recipients (fixture->server);
  g_assert_cmpuint (received->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (received, 0), ==, "nathalie.dupont@example.net");
  campaign = sesame_campaigns_find (fixture->base.store, sesame_diffusion_page_get_campaign_id (page), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_campaign_get_establishment (campaign), ==, "0740018T");
}

static void
test_page_denied (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SesameDiffusionPage *page;

  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "luc.bernard", &error));
  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (page, SESAME_TYPE_DIFFUSION_PAGE, "content_stack")), ==, "denied");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.send", NULL) &&
                  gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "progress_group")));

  /* The head of establishment is an administrator: the page opens. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "helene.roche", &error));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (page, SESAME_TYPE_DIFFUSION_PAGE, "content_stack")), ==, "main");
}

static gboolean
preferences_idle (gpointer data)
{
  return !sesame_smtp_preferences_get_busy (data);
}

/* The text of the message the server received in position @index. */
static char *
received_text (SesameTestSmtpServer *server,
               guint                 index)
{
  g_autoptr(GPtrArray) log = sesame_test_smtp_server_read_log (server);
  g_autoptr(GMimeMessage) message = NULL;
  GMimeObject *body;

  g_assert_cmpuint (log->len, >, index);
  message = sesame_test_smtp_server_parse (server, json_object_get_string_member (g_ptr_array_index (log, index),
                                                                                 "file"));
  body = g_mime_message_get_mime_part (message);
  if (GMIME_IS_MULTIPART (body))
    body = g_mime_multipart_get_part (GMIME_MULTIPART (body), 0);
  g_assert_true (GMIME_IS_TEXT_PART (body));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (body));
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  SesameSmtpPreferences *group;
  GtkWidget *page = adw_preferences_page_new ();
  g_autoptr(SesameSmtpSettings) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char *password;

  group = SESAME_SMTP_PREFERENCES (sesame_smtp_preferences_new (fixture->base.store));
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
  /* The message says the security in words, never the stored token. */
  text = received_text (fixture->server, 0);
  g_assert_nonnull (strstr (text, "server 127.0.0.1, port "));
  g_assert_nonnull (strstr (text, ", security: STARTTLS.\r\n"));
  g_assert_null (strstr (text, "starttls"));

  /* A wrong password typed in the form: the server's refusal, explained. */
  gtk_editable_set_text (child (group, SESAME_TYPE_SMTP_PREFERENCES, "password_row"), "not the password");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "smtp.test", NULL));
  sesame_test_wait_until (preferences_idle, group);
  g_assert_nonnull (strstr (sesame_smtp_preferences_get_status (group), "refused the user name or the password"));

  /* Unencrypted towards another machine: refused before anything goes. */
  gtk_editable_set_text (child (group, SESAME_TYPE_SMTP_PREFERENCES, "host_row"), "smtp.example.org");
  adw_combo_row_set_selected (child (group, SESAME_TYPE_SMTP_PREFERENCES, "security_row"), SESAME_SMTP_SECURITY_NONE);
  /* The choice reads whole, even in a narrow window. */
  gtk_window_set_default_size (fixture->window, 600, 800);
  sesame_test_spin (300);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (group, SESAME_TYPE_SMTP_PREFERENCES, "security_row")), ==,
                   "None (this computer only)");
  g_assert_true (shown_whole (child (group, SESAME_TYPE_SMTP_PREFERENCES, "security_row"), "None (this computer only)"));
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
  saved = sesame_smtp_settings_load (fixture->base.store, &error);
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

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  sesame_test_wait_until (page_idle, page);
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "parent_check"), TRUE);
  sesame_test_wait_until (page_idle, page);

  g_assert_true (_sesame_store_exec (fixture->base.store, "DELETE FROM settings WHERE key = 'ent-url'", &error));
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

static gboolean
some_sent (gpointer data)
{
  guint sent = 0;

  sesame_diffusion_page_get_progress (data, &sent, NULL, NULL);
  return sent > 0;
}

/* Pauses as soon as a message went, whatever the machine's pace (the
 * sanitizers slow the window down more than the server). */
static gboolean
paused_once_sent (gpointer data)
{
  if (!some_sent (data))
    return FALSE;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (data), "diffusion.pause", NULL));
  return TRUE;
}

static gboolean
not_sending (gpointer data)
{
  return !sesame_diffusion_page_get_sending (data);
}

/* Whether @widget holds a button labelled @label for @action. */
static gboolean
has_button (GtkWidget  *widget,
            const char *label,
            const char *action)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return gtk_widget_get_visible (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_button (c, label, action))
      return TRUE;
  return FALSE;
}

/* Whether @widget lies wholly inside the part of @scroller on screen. */
static gboolean
in_sight (GtkWidget *widget,
          GtkWidget *scroller)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, scroller, &bounds));
  return bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

static void
start_sending (Fixture             *fixture,
               SesameDiffusionPage *page)
{
  AdwMessageDialog *dialog = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.send", NULL));
  sesame_test_wait_until (confirm_shown, &dialog);
  sesame_test_respond (dialog, "confirm");
}

/* While a campaign goes: the progress in sight at the top, the counts of
 * the send report following each message, and kept while paused; then
 * stopped, offered for resuming, and resumed to the end. */
static void
test_page_progress (Fixture       *fixture,
                    gconstpointer  data)
{
  SesameDiffusionPage *page;
  g_autoptr(GPtrArray) received = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *report = NULL;
  g_autofree char *id = NULL;
  GtkWidget *scroller;
  GtkLabel *progress;
  GtkListBoxRow *row;
  guint with = 0, without = 0, sent = 0, total = 0;
  gboolean paused = FALSE;

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  scroller = gtk_widget_get_ancestor (child (page, SESAME_TYPE_DIFFUSION_PAGE, "progress_group"),
                                     GTK_TYPE_SCROLLED_WINDOW);
  progress = child (page, SESAME_TYPE_DIFFUSION_PAGE, "progress_label");

  /* Pupils and parents of both establishments. */
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "eleve_check"), TRUE);
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "parent_check"), TRUE);
  gtk_editable_set_text (child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row"), "Vos identifiants ENT");
  sesame_test_wait_until (page_idle, page);
  sesame_diffusion_page_get_recipients (page, &with, &without);
  g_assert_cmpuint (with, >=, 6);
  g_assert_cmpuint (without, >=, 1);

  /* The operator had scrolled down to the button. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), 10000);
  start_sending (fixture, page);
  g_test_message ("sending");
  sesame_test_wait_until (paused_once_sent, page);
  g_assert_true (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "progress_group")));
  g_assert_true (in_sight (child (page, SESAME_TYPE_DIFFUSION_PAGE, "progress_group"), scroller));
  g_assert_true (in_sight (child (page, SESAME_TYPE_DIFFUSION_PAGE, "report_group"), scroller));
  g_assert_true (gtk_widget_is_sensitive (child (page, SESAME_TYPE_DIFFUSION_PAGE, "pause_button")));

  /* Paused: the counts stay, and the send report says the same. */
  g_assert_cmpstr (gtk_button_get_label (child (page, SESAME_TYPE_DIFFUSION_PAGE, "pause_button")), ==, "_Go On");
  sesame_test_spin (3000);
  g_assert_true (sesame_diffusion_page_get_progress (page, &sent, &total, &paused));
  g_assert_true (paused);
  g_assert_cmpuint (sent, >, 0);
  g_assert_cmpuint (sent, <, with);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (progress), "Paused: "));
  counts = g_strdup_printf ("\nSent %u, failed 0, remaining %u", sent, with - sent);
  g_assert_true (g_str_has_suffix (gtk_label_get_label (progress), counts));
  report = g_strdup_printf ("“Vos identifiants ENT”: sent %u, failed 0, interrupted 0, skipped 0, waiting %u", sent, with - sent);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (page, SESAME_TYPE_DIFFUSION_PAGE, "report_row")), ==, report);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, sent);

  /* Going on, then stopped: the rest waits, offered for resuming. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.pause", NULL));
  g_assert_cmpstr (gtk_button_get_label (child (page, SESAME_TYPE_DIFFUSION_PAGE, "pause_button")), ==, "_Pause");
  g_assert_false (g_str_has_prefix (gtk_label_get_label (progress), "Paused: "));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.cancel", NULL));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (progress), "Stopping after the message in progress…\nSent "));
  g_test_message ("stopping");
  sesame_test_wait_until (not_sending, page);
  g_assert_false (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "progress_group")));
  sent = sesame_test_smtp_server_count (fixture->server);
  g_assert_cmpuint (sent, <, with);
  row = gtk_list_box_get_row_at_index (child (page, SESAME_TYPE_DIFFUSION_PAGE, "campaigns_list"), 0);
  g_assert_nonnull (row);
  /* Stopped on purpose: listed with the earlier campaigns, with what
   * waits and a button to resume it. */
  g_free (counts);
  counts = g_strdup_printf (" — Cancelled — sent %u, failed 0, waiting %u, ", sent, with - sent);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), counts));
  g_assert_true (has_button (GTK_WIDGET (row), "_Resume", "diffusion.resume"));
  g_assert_true (has_button (GTK_WIDGET (row), "_Report", "diffusion.show"));

  /* Resumed: the others only, each once. */
  id = g_strdup (sesame_diffusion_page_get_campaign_id (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.resume", "s", id));
  g_assert_true (sesame_diffusion_page_get_sending (page));
  g_assert_false (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "resume_group")));
  g_test_message ("resumed");
  sesame_test_wait_until (not_sending, page);
  received = sesame_test_smtp_server_recipients (fixture->server);
  g_assert_cmpuint (received->len, ==, with);
  for (guint i = 1; i < received->len; i++)
    g_assert_cmpstr (g_ptr_array_index (received, i - 1), !=, g_ptr_array_index (received, i));
  g_free (report);
  report = g_strdup_printf ("“Vos identifiants ENT”: sent %u, failed 0, interrupted 0, skipped 0, waiting 0", with);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (page, SESAME_TYPE_DIFFUSION_PAGE, "report_row")), ==, report);
  g_free (counts);
  counts = g_strdup_printf (g_dngettext (NULL, "%u account to reach on paper", "%u accounts to reach on paper", without),
                            without);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (page, SESAME_TYPE_DIFFUSION_PAGE, "without_row")), ==, counts);
  g_assert_false (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "resume_group")));
}

/* The page during a paused campaign, in the session's language, wide and
 * narrow; taken only with SESAME_SCREENSHOT_DIR set. */
static void
test_page_screenshots (Fixture       *fixture,
                       gconstpointer  data)
{
  SesameDiffusionPage *page;
  g_autoptr(GError) error = NULL;

  /* The messages in French, as a school office writes them. */
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_DOCUMENT_LANGUAGE,
                                            SESAME_DOCUMENT_LANGUAGE_DEFAULT, &error));
  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "eleve_check"), TRUE);
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "parent_check"), TRUE);
  select_establishment (child (page, SESAME_TYPE_DIFFUSION_PAGE, "establishment_row"), "0740017S");
  sesame_test_wait_until (page_idle, page);
  start_sending (fixture, page);
  sesame_test_wait_until (paused_once_sent, page);
  sesame_test_spin (2000);

  sesame_test_screenshot (fixture->window, 1366, "diffusion.png");
  sesame_test_screenshot (fixture->window, 600, "diffusion-narrow.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.cancel", NULL));
  sesame_test_wait_until (not_sending, page);
}

/* Whether every button and label shown in @widget lies within @width
 * pixels of @window, and no label is cut short. */
static gboolean
laid_out_within (GtkWidget *widget,
                 GtkWidget *window,
                 int        width)
{
  if (!gtk_widget_get_mapped (widget))
    return TRUE;
  if (GTK_IS_BUTTON (widget) || GTK_IS_LABEL (widget))
    {
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
      if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > width)
        {
          g_test_message ("%s “%s” lies outside the window", G_OBJECT_TYPE_NAME (widget),
                          GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget))
                                                : gtk_button_get_label (GTK_BUTTON (widget)));
          return FALSE;
        }
      if (GTK_IS_LABEL (widget) && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
        {
          g_test_message ("“%s” is cut short", gtk_label_get_text (GTK_LABEL (widget)));
          return FALSE;
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (!laid_out_within (c, window, width))
      return FALSE;
  return TRUE;
}

/* At 600 pixels wide, after a campaign: every name and every button of
 * the page in the window, nothing cut short. */
static void
test_page_narrow (Fixture       *fixture,
                  gconstpointer  data)
{
  SesameDiffusionPage *page;

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_set_default_size (fixture->window, 600, 800);
  gtk_window_present (fixture->window);
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "parent_check"), TRUE);
  select_establishment (child (page, SESAME_TYPE_DIFFUSION_PAGE, "establishment_row"), "0740017S");
  sesame_test_wait_until (page_idle, page);
  start_sending (fixture, page);
  sesame_test_wait_until (page_idle, page);
  g_assert_true (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "report_group")));
  g_assert_true (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "campaigns_group")));
  sesame_test_spin (300);

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 600);
  g_assert_true (laid_out_within (GTK_WIDGET (page), GTK_WIDGET (fixture->window),
                                  gtk_widget_get_width (GTK_WIDGET (fixture->window))));
}

/* A subject or a text too long: the reason stands next to the button it
 * disables, not only in the counter of the field. */
static void
test_page_over_limit (Fixture       *fixture,
                      gconstpointer  data)
{
  SesameDiffusionPage *page;
  GtkLabel *problem;
  GtkWidget *button;
  GtkTextBuffer *buffer;
  GString *text = g_string_new (NULL);

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  problem = child (page, SESAME_TYPE_DIFFUSION_PAGE, "problem_label");
  button = child (page, SESAME_TYPE_DIFFUSION_PAGE, "send_button");
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "parent_check"), TRUE);
  sesame_test_wait_until (page_idle, page);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));

  gtk_editable_set_text (child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row"),
                         "Vos identifiants pour l’espace numérique de travail du collège Les Aravis, à conserver");
  sesame_test_wait_until (page_idle, page);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_cmpstr (gtk_label_get_label (problem), ==, "The subject is 86 characters long: it may have 75 characters at most.");
  /* Right above the button, in the same box. */
  g_assert_true (gtk_widget_get_next_sibling (GTK_WIDGET (problem)) == button);

  gtk_editable_set_text (child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row"), "Vos identifiants ENT");
  buffer = gtk_text_view_get_buffer (child (page, SESAME_TYPE_DIFFUSION_PAGE, "free_text_view"));
  for (guint i = 0; i < 70; i++)
    g_string_append (text, "Réunion. ");
  gtk_text_buffer_set_text (buffer, text->str, -1);
  sesame_test_wait_until (page_idle, page);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_nonnull (strstr (gtk_label_get_label (problem), "free text"));
  g_assert_nonnull (strstr (gtk_label_get_label (problem), "600"));

  gtk_text_buffer_set_text (buffer, "Réunion le 12 septembre.", -1);
  sesame_test_wait_until (page_idle, page);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_string_free (text, TRUE);
}

/* Whether line @line of @view is wholly inside what the view shows. */
static gboolean
line_in_sight (GtkTextView *view,
               int          line)
{
  GtkTextIter iter;
  GdkRectangle location;
  int x, y;

  gtk_text_buffer_get_iter_at_line (gtk_text_view_get_buffer (view), &iter, line);
  gtk_text_view_get_iter_location (view, &iter, &location);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET, location.x, location.y, &x, &y);
  return y >= 0 && y + location.height <= gtk_widget_get_height (GTK_WIDGET (view));
}

/* The free text shows every line it holds: nothing scrolled out of the
 * box, the first line included. */
static void
test_page_free_text (Fixture       *fixture,
                     gconstpointer  data)
{
  SesameDiffusionPage *page;
  GtkTextView *view;

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  view = child (page, SESAME_TYPE_DIFFUSION_PAGE, "free_text_view");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view),
                            "Madame, Monsieur,\nUne réunion d’information aura lieu le 12 septembre.\n"
                            "Venez avec ce message.\nLe secrétariat est ouvert de 8 h à 17 h.\n"
                            "Les identifiants sont personnels.\nMerci.", -1);
  /* Typed: the cursor at the end, the box focused. */
  {
    GtkTextIter end;

    gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (view), &end);
    gtk_text_buffer_place_cursor (gtk_text_view_get_buffer (view), &end);
    gtk_widget_grab_focus (GTK_WIDGET (view));
  }
  sesame_test_wait_until (page_idle, page);
  sesame_test_spin (1500);
  g_assert_true (line_in_sight (view, 0));
  g_assert_true (line_in_sight (view, 5));
}

static const char *
preview_subtitle (SesamePrintPreview *preview)
{
  return adw_window_title_get_subtitle (child (preview, SESAME_TYPE_PRINT_PREVIEW, "window_title"));
}

/* GTK's print dialog, answered as a click on one of its buttons does. */
static void
answer_print_dialog (int response)
{
  GtkWidget *dialog = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);

  g_assert_cmpstr (G_OBJECT_TYPE_NAME (dialog), ==, "GtkPrintUnixDialog");
  sesame_test_spin (300);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (dialog), response);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static gboolean
print_dialog_gone (gpointer data)
{
  return sesame_test_find_toplevel (GTK_TYPE_DIALOG) == NULL;
}

/* After a campaign: any campaign's report shown again, the accounts
 * without an address exported, and their letters printed, through the
 * print dialog's preview and the preview's own actions. */
static void
test_page_report_actions (Fixture       *fixture,
                          gconstpointer  data)
{
  SesameDiffusionPage *page;
  g_autoptr(SesameCampaign) earlier = sesame_campaign_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->base.dir, "sans-adresse.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  SesamePrintPreview *preview;
  AdwActionRow *report_row;

  sesame_test_name_ent (fixture->base.store);
  /* An earlier campaign, to pupils, prepared but never sent. */
  sesame_campaign_set_profiles (earlier, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE));
  sesame_campaign_set_subject (earlier, "Identifiants des élèves");
  g_assert_true (sesame_campaigns_create (fixture->base.store, earlier, &error));
  g_assert_no_error (error);

  page = SESAME_DIFFUSION_PAGE (sesame_diffusion_page_new (fixture->base.store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  report_row = child (page, SESAME_TYPE_DIFFUSION_PAGE, "report_row");
  g_assert_false (gtk_widget_get_visible (child (page, SESAME_TYPE_DIFFUSION_PAGE, "report_group")));
  /* No report yet: nothing to export. */
  gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.export-report", "s", path);
  sesame_test_spin (300);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Parents: Marie and Nathalie by email, Paul and Claire on paper. */
  gtk_check_button_set_active (child (page, SESAME_TYPE_DIFFUSION_PAGE, "parent_check"), TRUE);
  gtk_editable_set_text (child (page, SESAME_TYPE_DIFFUSION_PAGE, "subject_row"), "Vos identifiants ENT");
  sesame_test_wait_until (page_idle, page);
  start_sending (fixture, page);
  sesame_test_wait_until (page_idle, page);
  id = g_strdup (sesame_diffusion_page_get_campaign_id (page));
  g_assert_cmpstr (adw_action_row_get_subtitle (report_row), ==,
                   "“Vos identifiants ENT”: sent 2, failed 0, interrupted 0, skipped 0, waiting 0");

  /* "Report" of the earlier campaign, then of the last one again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.show", "s",
                                             sesame_campaign_get_id (earlier)));
  g_assert_cmpstr (sesame_diffusion_page_get_campaign_id (page), ==, sesame_campaign_get_id (earlier));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (report_row),
                                   "“Identifiants des élèves”: sent 0, failed 0, interrupted 0, skipped 0, waiting "));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.show", "s", id));
  g_assert_cmpstr (adw_action_row_get_subtitle (report_row), ==,
                   "“Vos identifiants ENT”: sent 2, failed 0, interrupted 0, skipped 0, waiting 0");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (page, SESAME_TYPE_DIFFUSION_PAGE, "without_row")), ==,
                   "2 accounts to reach on paper");

  /* The accounts without an address, for the mail merge. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.export-without-address", "s", path));
  sesame_test_wait_until (file_written, path);
  g_usleep (100000);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "paul.dupont;Dupont;Paul;Parent;"));
  g_assert_nonnull (strstr (contents, "claire.martin;Martin;Claire;Parent;"));
  g_assert_null (strstr (contents, "marie.dupont"));
  g_assert_null (strstr (contents, "nathalie.dupont"));

  /* Their letters: the print dialog, its preview, a page each. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diffusion.print-letters", NULL));
  answer_print_dialog (GTK_RESPONSE_APPLY);
  preview = sesame_test_wait_for_toplevel (SESAME_TYPE_PRINT_PREVIEW);
  g_assert_cmpstr (preview_subtitle (preview), ==, "Page 1 of 2");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preview)) == fixture->window);
  sesame_test_wait_until (print_dialog_gone, NULL);

  /* Leafing through: next, no further than the last page, previous. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview), "preview.next", NULL));
  g_assert_cmpstr (preview_subtitle (preview), ==, "Page 2 of 2");
  g_assert_cmpuint (sesame_print_preview_get_page (preview), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (preview), "preview.next", NULL);
  g_assert_cmpstr (preview_subtitle (preview), ==, "Page 2 of 2");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview), "preview.previous", NULL));
  g_assert_cmpstr (preview_subtitle (preview), ==, "Page 1 of 2");
  gtk_widget_activate_action (GTK_WIDGET (preview), "preview.previous", NULL);
  g_assert_cmpuint (sesame_print_preview_get_page (preview), ==, 0);

  /* Printing from the preview opens the print dialog over it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview), "preview.print", NULL));
  answer_print_dialog (GTK_RESPONSE_CANCEL);
  sesame_test_wait_until (print_dialog_gone, NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (preview)));
  gtk_window_destroy (GTK_WINDOW (preview));
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

  sesame_test_add_ui ("/sesame/diffusion-page/send", Fixture, NULL, fixture_set_up, test_page_send, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page/one-establishment", Fixture, NULL, fixture_set_up, test_page_one_establishment, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page/progress", Fixture, "slow", fixture_set_up, test_page_progress, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page/over-limit", Fixture, NULL, fixture_set_up, test_page_over_limit, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page/free-text", Fixture, NULL, fixture_set_up, test_page_free_text, fixture_tear_down);
  if (g_getenv ("SESAME_SCREENSHOT_DIR") != NULL)
    sesame_test_add_ui ("/sesame/diffusion-page/screenshots", Fixture, "slow", fixture_set_up, test_page_screenshots, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page/report-actions", Fixture, NULL, fixture_set_up, test_page_report_actions, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page/narrow", Fixture, NULL, fixture_set_up, test_page_narrow, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page/denied", Fixture, NULL, fixture_set_up, test_page_denied, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page/ent-not-set", Fixture, NULL, fixture_set_up, test_page_ent_not_set, fixture_tear_down);
  sesame_test_add_ui ("/sesame/diffusion-page/preferences", Fixture, NULL, fixture_set_up, test_preferences, fixture_tear_down);

  return g_test_run ();
}
