/* test-person-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's page at the desk, driven through its actions under a
 * (virtual) display as a secretary uses it: what to check before any
 * credential, the identity check recorded with showing the login or
 * regenerating the password, and what the new password's dialog offers
 * (copy, slip, email to the family without the password). The tests
 * assert what is on screen: labels, rows, dialogs, toasts.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sesame-application.h"
#include "sesame-campaign.h"
#include "sesame-demo-directory.h"
#include "sesame-mail-message.h"
#include "sesame-login-dialog.h"
#include "sesame-password-dialog.h"
#include "sesame-person-view.h"
#include "sesame-search-page.h"
#include "sesame-secrets.h"
#include "sesame-smtp-client.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-smtp.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef struct
{
  SesameTestDesk  base;  /* the store and Sésame on it */
  char           *demo_pupil;
} Fixture;

/* A store of the demonstration directory (two establishments), and in it
 * a main teacher given the identifier manager role for their class: who
 * and which of their pupils, for the screenshots. */
static SesameStore *
demo_store (const char  *dir,
            char       **manager,
            char       **pupil)
{
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *aaf = g_build_filename (dir, "aaf", NULL);
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *structure = NULL;
  g_autofree char *code = NULL;
  const char *paths[] = { aaf, NULL };
  sqlite3_stmt *stmt;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_demo_directory_write (aaf, 2, 600, 1, NULL, &error));
  g_assert_no_error (error);
  summary = sesame_import_run (store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);

  stmt = _sesame_store_prepare (store,
                                "SELECT a.login, t.structure, t.code FROM teachings t"
                                " JOIN accounts a ON a.person_key = t.person_key"
                                " WHERE t.kind = 'principal' AND t.deleted_at IS NULL AND a.login <> ''"
                                " ORDER BY t.code, a.login LIMIT 1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *manager = g_strdup (_sesame_column_text (stmt, 0));
  structure = g_strdup (_sesame_column_text (stmt, 1));
  code = g_strdup (_sesame_column_text (stmt, 2));
  sqlite3_reset (stmt);

  stmt = _sesame_store_prepare (store,
                                "SELECT p.key FROM memberships m JOIN persons p ON p.key = m.person_key"
                                " WHERE m.kind = 'class' AND m.code = ?1 AND m.structure = ?2 AND p.birth_date <> ''"
                                " ORDER BY p.last_name, p.first_name LIMIT 1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, structure, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *pupil = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);

  g_assert_true (sesame_roles_grant (store, *manager, SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *operator = data;
  g_autoptr(GError) error = NULL;

  fixture->base.dir = sesame_test_make_tmpdir ();
  if (g_str_equal (operator, "demo"))
    {
      g_autofree char *manager = NULL;

      fixture->base.store = demo_store (fixture->base.dir, &manager, &fixture->demo_pupil);
      g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, manager, &error));
      g_assert_no_error (error);
      goto open;
    }
  fixture->base.store = sesame_test_fixture_store (fixture->base.dir);
  /* Zoé MARTIN was born on 11 May 2007; the store keeps dates as ISO. */
  g_assert_true (_sesame_store_exec (fixture->base.store,
                                     "UPDATE persons SET birth_date = '2007-05-11' WHERE key = 'P3'", &error));
  g_assert_no_error (error);
  /* Hélène ROCHE runs the whole store: the mail settings are hers. */
  if (g_str_equal (operator, "helene.roche"))
    g_assert_true (sesame_roles_grant_admin (fixture->base.store, "helene.roche", SESAME_ROLE_SCOPE_ALL, &error));
  g_assert_no_error (error);
  if (g_str_equal (operator, "luc.bernard"))
    g_assert_true (sesame_roles_grant (fixture->base.store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, operator, &error));
  g_assert_no_error (error);

open:
  sesame_test_desk_start (&fixture->base, "PersonTest");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->demo_pupil);
  sesame_test_desk_tear_down (&fixture->base, data);
}

/* What is on screen */

/* The mapped row titled @title under @widget. */
static AdwActionRow *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *found = find_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_value_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "details-value"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_value_label (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The value shown beside the row titled @title, or NULL without such a row. */
static const char *
row_value (gpointer    widget,
           const char *title)
{
  AdwActionRow *row = find_row (widget, title);
  GtkWidget *label;

  if (row == NULL)
    return NULL;
  label = find_value_label (GTK_WIDGET (row));
  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

/* Whether a visible label under @widget reads @text. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;
  return shows_label (wait->widget, wait->text);
}

static void
wait_for_label (gpointer    widget,
                const char *text)
{
  LabelWait wait = { widget, text };
  sesame_test_wait_until (label_shown, &wait);
}

static gboolean
person_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Opens a person's page as the search does (search.open). */
static SesamePersonView *
open_person (Fixture    *fixture,
             const char *key)
{
  SesameSearchPage *page;
  SesamePersonView *view;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.find", NULL));
  page = SESAME_SEARCH_PAGE (sesame_window_get_page (fixture->base.window, "search"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "search.open", "s", key));
  view = sesame_search_page_get_person_view (page);
  sesame_test_wait_until (person_mapped, view);
  sesame_test_spin (50);
  return view;
}

static SesameAuditEntry *
newest_entry (Fixture *fixture)
{
  g_autoptr(GPtrArray) entries = sesame_audit_list (fixture->base.store, TRUE, 1, NULL);

  g_assert_nonnull (entries);
  if (entries->len == 0)
    return NULL;
  return sesame_audit_entry_copy (g_ptr_array_index (entries, 0));
}

/* Answers the identity check: ticks the box or not, then @response. */
static void
answer_identity_check (gboolean    checked,
                       const char *response)
{
  AdwMessageDialog *dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  GtkWidget *check = adw_message_dialog_get_extra_child (dialog);

  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), ==, "_Identity checked");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), checked);
  sesame_test_respond (dialog, response);
  sesame_test_spin (50);
}

/* §3: what to check at the desk, before any credential */

static void
test_desk_check_pupil (Fixture       *fixture,
                       gconstpointer  data)
{
  SesamePersonView *view = open_person (fixture, "P3");
  g_autoptr(SesameAuditEntry) entry = NULL;
  g_autofree char *described = NULL;

  wait_for_label (GTK_WIDGET (view), "Check at the Desk");
  g_assert_true (shows_label (GTK_WIDGET (view),
                              "Check the identity of the person before giving them their credentials."));
  g_assert_cmpstr (row_value (view, "Date of Birth"), ==, "11/05/2007");
  g_assert_cmpstr (row_value (view, "Class"), ==, "5 B");

  /* The login waits for the check. */
  g_assert_cmpstr (row_value (view, "Login"), ==, "Hidden");
  g_assert_false (shows_label (GTK_WIDGET (view), "zoe.martin"));

  /* Cancelling shows nothing and records nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.show-login", NULL));
  answer_identity_check (TRUE, "cancel");
  g_assert_cmpstr (row_value (view, "Login"), ==, "Hidden");
  entry = newest_entry (fixture);
  g_assert_true (entry == NULL || !g_str_equal (entry->action, "show-login"));
  g_clear_pointer (&entry, sesame_audit_entry_free);

  /* Shown after the check, and the journal says the identity was checked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.show-login", NULL));
  answer_identity_check (TRUE, "confirm");
  g_assert_cmpstr (row_value (view, "Login"), ==, "zoe.martin");
  g_assert_true (sesame_person_view_get_login_shown (view));
  entry = newest_entry (fixture);
  g_assert_cmpstr (entry->action, ==, "show-login");
  g_assert_cmpstr (entry->target, ==, "zoe.martin");
  g_assert_cmpstr (entry->detail, ==, SESAME_AUDIT_IDENTITY_CHECKED);
  described = sesame_journal_describe_entry (NULL, entry);
  g_assert_cmpstr (described, ==, "Showed the login of zoe.martin at the desk (identity checked: yes)");
  /* The page's history has the line at once, with the person's name. */
  g_free (described);
  described = sesame_journal_describe_entry (fixture->base.store, entry);
  g_assert_cmpstr (described, ==, "Showed the login of Zoé MARTIN (zoe.martin) at the desk (identity checked: yes)");
  g_assert_true (shows_label (GTK_WIDGET (view), described));

  /* Another person's login waits for their own check; unticked, the
   * journal says so. */
  view = open_person (fixture, "P1");
  g_assert_cmpstr (row_value (view, "Login"), ==, "Hidden");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.show-login", NULL));
  answer_identity_check (FALSE, "confirm");
  g_assert_cmpstr (row_value (view, "Login"), ==, "eloise.dupont");
  g_clear_pointer (&entry, sesame_audit_entry_free);
  entry = newest_entry (fixture);
  g_assert_cmpstr (entry->detail, ==, SESAME_AUDIT_IDENTITY_NOT_CHECKED);
  g_free (described);
  described = sesame_journal_describe_entry (NULL, entry);
  g_assert_cmpstr (described, ==, "Showed the login of eloise.dupont at the desk (identity checked: no)");
}

static void
test_desk_check_parent (Fixture       *fixture,
                        gconstpointer  data)
{
  SesamePersonView *view = open_person (fixture, "P5");

  /* Marie DUPONT's children and their classes; no child's login. */
  wait_for_label (GTK_WIDGET (view), "Check at the Desk");
  g_assert_cmpstr (row_value (view, "Child: Éloïse DUPONT"), ==, "6A");
  g_assert_cmpstr (row_value (view, "Child: Jean DUPONT"), ==, "6A");
  g_assert_false (shows_label (GTK_WIDGET (view), "eloise.dupont"));
  g_assert_cmpstr (row_value (view, "Login"), ==, "Hidden");
}

/* §4: the details as the desk reads them */

static void
test_details (Fixture       *fixture,
              gconstpointer  data)
{
  SesamePersonView *view = open_person (fixture, "P3");
  GtkWidget *focus;

  /* The birth date as 11/05/2007, the key with the academy's prefix as
   * the identifier file has it. */
  g_assert_cmpstr (row_value (view, "Date of Birth"), ==, "11/05/2007");
  g_assert_cmpstr (row_value (view, "Directory Key"), ==, "AC-GRENOBLE$P3");

  /* Opened from the keyboard, the focus is on the page's first action. */
  focus = gtk_root_get_focus (GTK_ROOT (fixture->base.window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (view)));
  g_assert_true (GTK_IS_BUTTON (focus));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (focus)), ==, "_Show…");

  /* A teacher's subject. */
  view = open_person (fixture, "S2");
  g_assert_cmpstr (row_value (view, "Subjects Taught"), ==, "MATHEMATIQUES");
  /* Academy staff get no desk check: Sésame hands nothing out. */
  g_assert_null (row_value (view, "Date of Birth"));
  g_assert_false (shows_label (GTK_WIDGET (view), "Check at the Desk"));
}

/* §3, §4: regenerating, and the new password's dialog */

static void
test_regenerate (Fixture       *fixture,
                 gconstpointer  data)
{
  SesamePersonView *view = open_person (fixture, "P3");
  g_autoptr(SesameAuditEntry) entry = NULL;
  g_autofree char *described = NULL;
  SesamePasswordDialog *shown;
  AdwMessageDialog *confirm;
  GtkWidget *email_row;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.reset-password", NULL));
  confirm = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==,
                   "Do you want to create a new password for this user?");
  /* The login is not given before the check. */
  g_assert_null (strstr (adw_message_dialog_get_body (confirm), "zoe.martin"));
  answer_identity_check (TRUE, "confirm");

  shown = sesame_test_wait_for_toplevel (SESAME_TYPE_PASSWORD_DIALOG);
  entry = newest_entry (fixture);
  g_assert_cmpstr (entry->action, ==, "reset-password");
  g_assert_cmpstr (entry->detail, ==, SESAME_AUDIT_IDENTITY_CHECKED);
  described = sesame_journal_describe_entry (NULL, entry);
  g_assert_cmpstr (described, ==, "Regenerated the password of zoe.martin (identity checked: yes)");

  /* Copy, print the slip, and email, which Zoé's missing address forbids,
   * saying why. */
  g_assert_nonnull (find_row (GTK_WIDGET (shown), "_Print the Slip"));
  email_row = GTK_WIDGET (find_row (GTK_WIDGET (shown), "Send by _Email"));
  g_assert_nonnull (email_row);
  g_assert_false (gtk_widget_is_sensitive (email_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (email_row)), ==,
                   "Not possible: the directory gives no email address for this person.");

  /* Copying the password says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shown), "password.copy", NULL));
  wait_for_label (GTK_WIDGET (fixture->base.window), "Password copied");

  sesame_test_respond (shown, "close");
  /* The login was in the dialog: the page shows it too, and the history
   * the regeneration. */
  g_assert_cmpstr (row_value (view, "Login"), ==, "zoe.martin");
  g_free (described);
  described = sesame_journal_describe_entry (fixture->base.store, entry);
  g_assert_cmpstr (described, ==, "Regenerated the password of Zoé MARTIN (zoe.martin) (identity checked: yes)");
  g_assert_true (shows_label (GTK_WIDGET (view), described));

  /* Unticked, the journal says the identity was not checked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.reset-password", NULL));
  answer_identity_check (FALSE, "confirm");
  shown = sesame_test_wait_for_toplevel (SESAME_TYPE_PASSWORD_DIALOG);
  g_clear_pointer (&entry, sesame_audit_entry_free);
  entry = newest_entry (fixture);
  g_assert_cmpstr (entry->detail, ==, SESAME_AUDIT_IDENTITY_NOT_CHECKED);
  sesame_test_respond (shown, "close");

  /* Cancelled, nothing is regenerated. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.reset-password", NULL));
  answer_identity_check (TRUE, "cancel");
  sesame_test_spin (100);
  g_assert_null (sesame_test_find_toplevel (SESAME_TYPE_PASSWORD_DIALOG));
}

/* A mail server, and the ENT's address the link points to. */
static SesameTestSmtpServer *
set_up_mail (Fixture *fixture)
{
  SesameTestSmtpServer *server;
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER, "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  g_setenv (SESAME_SMTP_CA_FILE_ENV, server->cert, TRUE);
  settings = sesame_test_smtp_server_settings (server);
  g_assert_true (sesame_smtp_settings_save (settings, fixture->base.store, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_secrets_store_smtp_password (sesame_smtp_settings_get_host (settings), SESAME_TEST_SMTP_USER,
                                                     SESAME_TEST_SMTP_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL, "https://ent.example.org", &error));
  g_assert_no_error (error);
  return server;
}

static gboolean
not_sending (gpointer data)
{
  return !sesame_password_dialog_get_sending (data);
}

static SesamePasswordDialog *
regenerate (SesamePersonView *view)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.reset-password", NULL));
  answer_identity_check (TRUE, "confirm");
  return sesame_test_wait_for_toplevel (SESAME_TYPE_PASSWORD_DIALOG);
}

static void
test_email (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SesameTestSmtpServer) server = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(SesameAuditEntry) entry = NULL;
  g_autofree char *text = NULL;
  g_autofree char *password = NULL;
  SesamePersonView *view;
  SesamePasswordDialog *shown;
  GtkWidget *email_row;

  /* Without a mail server, the email is not possible, and says why. */
  view = open_person (fixture, "P5");
  shown = regenerate (view);
  email_row = GTK_WIDGET (find_row (GTK_WIDGET (shown), "Send by _Email"));
  g_assert_false (gtk_widget_is_sensitive (email_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (email_row)), ==,
                   "Not possible: no mail server is set up (Preferences, Email).");
  sesame_test_respond (shown, "close");

  server = set_up_mail (fixture);
  shown = regenerate (view);
  password = g_strdup (sesame_password_dialog_get_password (shown));
  email_row = GTK_WIDGET (find_row (GTK_WIDGET (shown), "Send by _Email"));
  g_assert_true (gtk_widget_is_sensitive (email_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (email_row)), ==,
                   "The link to choose a password, to marie.dupont@example.org; never the password");

  /* The server is down: the failure is told and recorded, and the email
   * can be tried again. */
  sesame_test_smtp_server_stop (server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shown), "password.email", NULL));
  sesame_test_wait_until (not_sending, shown);
  g_assert_true (g_str_has_prefix (sesame_password_dialog_get_email_status (shown), "Not sent: "));
  g_assert_true (gtk_widget_is_sensitive (email_row));
  entry = newest_entry (fixture);
  g_assert_cmpstr (entry->action, ==, "activation-email-failed");
  g_assert_cmpstr (entry->target, ==, "marie.dupont");

  /* Tried again once the server is back: sent to the directory's address. */
  sesame_test_smtp_server_restart (server, "--user", SESAME_TEST_SMTP_USER, "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shown), "password.email", NULL));
  sesame_test_wait_until (not_sending, shown);
  g_assert_cmpstr (sesame_password_dialog_get_email_status (shown), ==,
                   "Sent to marie.dupont@example.org: the link to choose a password, without the password.");
  g_assert_false (gtk_widget_is_sensitive (email_row));
  wait_for_label (GTK_WIDGET (fixture->base.window),
                  "Sent to marie.dupont@example.org: the link to choose a password, without the password.");
  g_assert_true (sesame_test_smtp_server_wait_count (server, 1, 10000));
  g_clear_pointer (&entry, sesame_audit_entry_free);
  entry = newest_entry (fixture);
  g_assert_cmpstr (entry->action, ==, "activation-email");
  g_assert_cmpstr (entry->detail, ==, "marie.dupont@example.org");

  /* The family's message: the login and the ENT link, never the password. */
  log = sesame_test_smtp_server_read_log (server);
  g_assert_cmpuint (log->len, ==, 1);
  message = sesame_test_smtp_server_parse (server, json_object_get_string_member (g_ptr_array_index (log, 0), "file"));
  g_assert_nonnull (message);
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (
                     internet_address_list_get_address (g_mime_message_get_to (message), 0))), ==,
                   "marie.dupont@example.org");
  text = g_mime_object_to_string (GMIME_OBJECT (message), NULL);
  g_assert_null (strstr (text, password));
  {
    g_autofree char *plain = NULL;
    GMimeObject *part = g_mime_message_get_body (message);

    if (GMIME_IS_MULTIPART (part))
      part = g_mime_multipart_get_part (GMIME_MULTIPART (part), 0);
    g_assert_true (GMIME_IS_TEXT_PART (part));
    plain = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
    g_assert_nonnull (strstr (plain, "marie.dupont"));
    g_assert_nonnull (strstr (plain, "https://ent.example.org"));
    g_assert_nonnull (strstr (plain, "/activer?jeton="));
    g_assert_null (strstr (plain, password));
  }
  sesame_test_respond (shown, "close");
}

/* §4: the history follows a print */

typedef struct
{
  SesamePersonView *view;
  guint             n;
} HistoryWait;

static gboolean
history_grew (gpointer data)
{
  HistoryWait *wait = data;
  return sesame_person_view_get_n_history (wait->view) > wait->n;
}

static gboolean
chooser_shown (gpointer data)
{
  return sesame_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static void
test_print_history (Fixture       *fixture,
                    gconstpointer  data)
{
  SesamePersonView *view;
  /* The name the chooser proposes, in the test's folder. */
  g_autofree char *path = g_build_filename (fixture->base.dir, "Identifiers.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  HistoryWait wait;
  GtkWidget *chooser;
  GtkWidget *dialog;

  sesame_test_name_ent (fixture->base.store);
  view = open_person (fixture, "P3");
  wait.view = view;
  wait.n = sesame_person_view_get_n_history (view);

  /* A cancelled print dialog prints nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.print", "s", "slips"));
  dialog = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (dialog), ==, "GtkPrintUnixDialog");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  sesame_test_spin (200);
  g_assert_cmpuint (sesame_person_view_get_n_history (view), ==, wait.n);

  /* A PDF export is a print: its line shows at once. Not under
   * AddressSanitizer: GTK 4.8's file chooser leaks the listing of a folder
   * it is closed on (no frame of Sésame in it). */
#ifndef SESAME_TEST_ASAN
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.print", "s", "pdf"));
  sesame_test_wait_until (chooser_shown, NULL);
  chooser = sesame_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  sesame_test_spin (500);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  sesame_test_spin (500);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  sesame_test_wait_until (history_grew, &wait);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
#else
  (void) chooser;
  (void) file;
  (void) error;
  (void) history_grew;
  (void) chooser_shown;
#endif
}

/* §5: the other actions of the page */

static void
test_other_actions (Fixture       *fixture,
                    gconstpointer  data)
{
  SesamePersonView *view = open_person (fixture, "P3");
  AdwMessageDialog *dialog;
  GtkWidget *print;

  sesame_test_name_ent (fixture->base.store);

  /* person.change-login: checked as typed, then a toast says the new one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.change-login", NULL));
  {
    SesameLoginDialog *login = sesame_test_wait_for_toplevel (SESAME_TYPE_LOGIN_DIALOG);

    sesame_login_dialog_set_login (login, "jean.dupont");
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (login), "change"));
    sesame_login_dialog_set_login (login, "zoe.martin-b");
    g_assert_cmpstr (sesame_login_dialog_get_message (login), ==, "This login is free.");
    sesame_test_respond (login, "change");
  }
  wait_for_label (GTK_WIDGET (fixture->base.window), "The login is now zoe.martin-b");

  /* person.open goes to a relative: Zoé's mother. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.open", "s", "P7"));
  g_assert_cmpstr (sesame_person_get_key (sesame_person_view_get_person (view)), ==, "P7");
  wait_for_label (GTK_WIDGET (view), "Claire MARTIN");
  /* And to nobody: said in a dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.open", "s", "NOBODY"));
  dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "This Person Cannot Be Shown");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A letter and the preview go through the print code. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "person.print", "s", "letters"));
  print = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (print), ==, "GtkPrintUnixDialog");
  gtk_dialog_response (GTK_DIALOG (print), GTK_RESPONSE_CANCEL);
  sesame_test_spin (200);

  /* The regenerated password's "Print the Slip" opens the print dialog
   * over the password, which stays. */
  {
    SesamePasswordDialog *shown = regenerate (view);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shown), "password.print", NULL));
    print = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (print), ==, "GtkPrintUnixDialog");
    gtk_dialog_response (GTK_DIALOG (print), GTK_RESPONSE_CANCEL);
    sesame_test_spin (200);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shown)));
    sesame_test_respond (shown, "close");
  }
}

/* Screenshots of the page, in the language of the environment. */
static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  /* A pupil of the demonstration directory, seen by the main teacher of
   * their class, an identifier manager. */
  SesamePersonView *view = open_person (fixture, fixture->demo_pupil);

  g_assert_nonnull (view);
  /* A window mapped at another size follows a new default size only
   * once shown again. */
  for (guint i = 0; i < 2; i++)
    {
      int width = i == 0 ? 1366 : 600;

      gtk_widget_set_visible (GTK_WIDGET (fixture->base.window), FALSE);
      gtk_window_set_default_size (GTK_WINDOW (fixture->base.window), width, 800);
      gtk_window_present (GTK_WINDOW (fixture->base.window));
      sesame_test_spin (300);
    }
  sesame_test_screenshot (GTK_WINDOW (fixture->base.window), 1366, "person.png");
  sesame_test_screenshot (GTK_WINDOW (fixture->base.window), 600, "person-narrow.png");
}

/* The bulk regeneration's message says what is true: the slips can be
 * printed again. */
static void
test_bulk_message (Fixture       *fixture,
                   gconstpointer  data)
{
  SesameSearchPage *page;
  AdwMessageDialog *dialog;
  const char *body;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.find", NULL));
  page = SESAME_SEARCH_PAGE (sesame_window_get_page (fixture->base.window, "search"));
  sesame_search_page_set_text (page, "zoe");
  sesame_test_spin (500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "search.select-all", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "search.reset-passwords", NULL));
  dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  sesame_test_respond (dialog, "confirm");
  sesame_test_spin (200);
  dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "1 Password Regenerated");
  body = adw_message_dialog_get_body (dialog);
  g_assert_null (strstr (body, "nowhere else"));
  g_assert_nonnull (strstr (body, "can be printed until the person signs in"));
}

#define ADD(path, operator, func) \
  sesame_test_add_ui (path, Fixture, operator, fixture_set_up, func, fixture_tear_down)


int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

  ADD ("/sesame/person/desk-check-pupil", "helene.roche", test_desk_check_pupil);
  ADD ("/sesame/person/desk-check-parent", "helene.roche", test_desk_check_parent);
  ADD ("/sesame/person/details", "helene.roche", test_details);
  ADD ("/sesame/person/regenerate", "helene.roche", test_regenerate);
  ADD ("/sesame/person/email", "helene.roche", test_email);
  ADD ("/sesame/person/print-history", "helene.roche", test_print_history);
  ADD ("/sesame/person/other-actions", "helene.roche", test_other_actions);
  ADD ("/sesame/person/bulk-message", "helene.roche", test_bulk_message);
  ADD ("/sesame/person/screenshots", "demo", test_screenshots);

  return g_test_run ();
}
