/* test-window-defects.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's worst defects, each driven as a secretary meets it, under
 * a (virtual) display: the print dialog's "Preview" button, the mode of
 * the files holding passwords, settings followed at once, Escape in the
 * Import and Grant windows. Without a display the tests are skipped.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <gdk/x11/gdkx.h>

#include "sesame-application.h"
#include "sesame-diffusion-page.h"
#include "sesame-grant-window.h"
#include "sesame-import-window.h"
#include "sesame-print.h"
#include "sesame-preferences-window.h"
#include "sesame-print-preview.h"
#include "sesame-smtp-preferences.h"
#include "sesame-secrets.h"
#include "sesame-smtp-client.h"
#include "sesame-smtp-settings.h"
#include "sesame-test-smtp.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef SesameTestDesk Fixture;


static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_desk_set_up (fixture, data);
  /* Hélène ROCHE runs the whole store: the settings are hers to change. */
  g_assert_true (sesame_roles_grant_admin (fixture->store, "helene.roche", SESAME_ROLE_SCOPE_ALL, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_no_error (error);

  sesame_test_desk_start (fixture, "Defects");
}

/* Printing */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  guint     n_pages;
  GError   *error;
} PrintWait;

static void
letters_printed (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PrintWait *wait = user_data;

  wait->ok = sesame_print_letters_finish (result, &wait->n_pages, &wait->error);
  wait->done = TRUE;
}

static void
enrolments_printed (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PrintWait *wait = user_data;

  wait->ok = sesame_print_enrolments_finish (result, &wait->error);
  wait->done = TRUE;
}

static gboolean
print_finished (gpointer data)
{
  return ((PrintWait *) data)->done;
}

/* What the print dialog's "Preview" button does. */
static void
press_preview (void)
{
  GtkWidget *dialog;

  dialog = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (dialog), ==, "GtkPrintUnixDialog");
  sesame_test_spin (300);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_APPLY);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static SesameLetterQuery *
slips_query (void)
{
  SesameLetterQuery *query = sesame_letter_query_new ();
  const char *pupils[] = { "zoe.martin", "eloise.dupont", "jean.dupont", NULL };

  /* Three pupils of two classes: one page per class. */
  query->kind = SESAME_LETTER_KIND_SLIPS;
  query->logins = g_strdupv ((char **) pupils);
  return query;
}

static GPtrArray *
two_enrolments (void)
{
  GPtrArray *enrolments = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_enrolment_free);

  for (guint i = 0; i < 2; i++)
    {
      SesameEnrolment *enrolment = g_new0 (SesameEnrolment, 1);

      enrolment->login = g_strdup (i == 0 ? "sophie.garnier" : "marc.faure");
      enrolment->name = g_strdup (i == 0 ? "Sophie GARNIER" : "Marc FAURE");
      enrolment->code = g_strdup (i == 0 ? "K7QM-4XTB-9PRH" : "A2CD-EF3G-HJ4K");
      enrolment->expires_at = g_get_real_time () / G_USEC_PER_SEC + 3600;
      g_ptr_array_add (enrolments, enrolment);
    }
  return enrolments;
}

static void
test_print_preview (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = slips_query ();
  g_autoptr(GPtrArray) enrolments = two_enrolments ();
  PrintWait wait = { 0 };
  SesamePrintPreview *preview;
  GtkWidget *pages_preview;
  AdwWindowTitle *title;

  /* Nothing prints before the ENT is named. */
  sesame_test_name_ent (fixture->store);

  /* Slips and letters: "Preview" in the print dialog opens Sésame's own
   * preview of the very pages, and the print is not aborted. */
  sesame_print_letters_async (GTK_WIDGET (fixture->window), fixture->store, NULL, query,
                              SESAME_PRINT_MODE_DIALOG, NULL, NULL, letters_printed, &wait);
  press_preview ();
  preview = sesame_test_wait_for_toplevel (SESAME_TYPE_PRINT_PREVIEW);
  sesame_test_wait_until (print_finished, &wait);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.n_pages, ==, 2);
  title = ADW_WINDOW_TITLE (sesame_test_find_descendant (GTK_WIDGET (preview), ADW_TYPE_WINDOW_TITLE));
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Page 1 of 2");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preview)) == GTK_WINDOW (fixture->window));
  gtk_window_destroy (GTK_WINDOW (preview));

  /* Letters, the same way. */
  g_strfreev (query->logins);
  query->logins = g_strdupv ((char *[]) { "marie.dupont", "claire.martin", NULL });
  query->kind = SESAME_LETTER_KIND_LETTERS;
  memset (&wait, 0, sizeof wait);
  sesame_print_letters_async (GTK_WIDGET (fixture->window), fixture->store, NULL, query,
                              SESAME_PRINT_MODE_DIALOG, NULL, NULL, letters_printed, &wait);
  press_preview ();
  preview = sesame_test_wait_for_toplevel (SESAME_TYPE_PRINT_PREVIEW);
  sesame_test_wait_until (print_finished, &wait);
  g_assert_no_error (wait.error);
  title = ADW_WINDOW_TITLE (sesame_test_find_descendant (GTK_WIDGET (preview), ADW_TYPE_WINDOW_TITLE));
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Page 1 of 2");
  gtk_window_destroy (GTK_WINDOW (preview));

  /* Enrolment slips: a page per code, drawn in memory. */
  memset (&wait, 0, sizeof wait);
  sesame_print_enrolments_async (GTK_WINDOW (fixture->window), NULL, enrolments, NULL, NULL,
                                 enrolments_printed, &wait);
  press_preview ();
  pages_preview = sesame_test_wait_for_toplevel (ADW_TYPE_WINDOW);
  sesame_test_wait_until (print_finished, &wait);
  g_assert_no_error (wait.error);
  g_assert_cmpstr (gtk_widget_get_name (pages_preview), ==, "sesame-pages-preview");
  title = ADW_WINDOW_TITLE (sesame_test_find_descendant (pages_preview, ADW_TYPE_WINDOW_TITLE));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Print Preview");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "2 pages");
  {
    guint n_pictures = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (gtk_widget_get_parent (sesame_test_find_descendant (pages_preview, GTK_TYPE_PICTURE))));
         child != NULL; child = gtk_widget_get_next_sibling (child))
      {
        GdkPaintable *page = gtk_picture_get_paintable (GTK_PICTURE (child));

        /* A4 at 1.5 pixels a point. */
        g_assert_cmpint (gdk_paintable_get_intrinsic_width (page), ==, 893);
        g_assert_cmpint (gdk_paintable_get_intrinsic_height (page), ==, 1263);
        n_pictures++;
      }
    g_assert_cmpuint (n_pictures, ==, 2);
  }
  gtk_window_destroy (GTK_WINDOW (pages_preview));
}

static void
assert_private (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 1000);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_private_files (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = slips_query ();
  g_autoptr(GPtrArray) enrolments = two_enrolments ();
  g_autofree char *letters = g_build_filename (fixture->dir, "letters.pdf", NULL);
  g_autofree char *again = g_build_filename (fixture->dir, "again.pdf", NULL);
  g_autofree char *slips = g_build_filename (fixture->dir, "enrolment.pdf", NULL);
  g_autofree char *printed = g_build_filename (fixture->dir, "printed.pdf", NULL);
  g_autofree char *printed_uri = g_filename_to_uri (printed, NULL, NULL);
  g_autoptr(GtkPrintSettings) print_settings = gtk_print_settings_new ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWidget *dialog;
  PrintWait wait = { 0 };

  /* Nothing prints before the ENT is named. */
  sesame_test_name_ent (fixture->store);

  /* "Export as PDF": slips and letters. */
  sesame_print_letters_async (GTK_WIDGET (fixture->window), fixture->store, NULL, query,
                              SESAME_PRINT_MODE_EXPORT_PDF, letters, NULL, letters_printed, &wait);
  sesame_test_wait_until (print_finished, &wait);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  assert_private (letters);

  /* Over a file that was readable by all, the export is private too. */
  g_assert_true (g_file_set_contents (again, "old", -1, NULL));
  g_assert_cmpint (g_chmod (again, 0644), ==, 0);
  memset (&wait, 0, sizeof wait);
  sesame_print_letters_async (GTK_WIDGET (fixture->window), fixture->store, NULL, query,
                              SESAME_PRINT_MODE_EXPORT_PDF, again, NULL, letters_printed, &wait);
  sesame_test_wait_until (print_finished, &wait);
  g_assert_true (wait.ok);
  assert_private (again);

  /* Enrolment slips exported as PDF. */
  memset (&wait, 0, sizeof wait);
  sesame_print_enrolments_async (GTK_WINDOW (fixture->window), NULL, enrolments, slips, NULL,
                                 enrolments_printed, &wait);
  sesame_test_wait_until (print_finished, &wait);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  assert_private (slips);

  /* "Print to File" in the print dialog. Not under AddressSanitizer: GTK
   * 4.8's file print backend leaks its output stream (no frame of Sésame
   * in it); the normal build checks this path. */
#ifdef SESAME_TEST_ASAN
  (void) printed_uri;
  (void) print_settings;
  (void) settings;
  (void) dialog;
  return;
#endif
  gtk_print_settings_set_printer (print_settings, "Print to File");
  gtk_print_settings_set (print_settings, GTK_PRINT_SETTINGS_OUTPUT_URI, printed_uri);
  gtk_print_settings_set (print_settings, GTK_PRINT_SETTINGS_OUTPUT_FILE_FORMAT, "pdf");
  g_settings_set_value (settings, "print-settings", gtk_print_settings_to_gvariant (print_settings));
  memset (&wait, 0, sizeof wait);
  sesame_print_letters_async (GTK_WIDGET (fixture->window), fixture->store, settings, query,
                              SESAME_PRINT_MODE_DIALOG, NULL, NULL, letters_printed, &wait);
  dialog = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (dialog), ==, "GtkPrintUnixDialog");
  sesame_test_spin (1500);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  G_GNUC_END_IGNORE_DEPRECATIONS
  sesame_test_wait_until (print_finished, &wait);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  sesame_test_spin (1000);
  assert_private (printed);
}

/* Keyboard */

/* @data points to a weak pointer to a window. */
static gboolean
window_closed (gpointer data)
{
  GtkWidget **window = data;
  return *window == NULL || !gtk_widget_get_visible (*window);
}

static gboolean
window_is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

/* A real key press, through the X server, into @window where its focus
 * is, once GTK knows the window has the keyboard. */
static gboolean
press_key (GtkWindow  *window,
           const char *key)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autofree char *xid = NULL;
  g_autoptr(GError) error = NULL;
  GdkSurface *surface;
  int status = 0;

  surface = gtk_native_get_surface (GTK_NATIVE (window));
  if (xdotool == NULL || !GDK_IS_X11_SURFACE (surface))
    {
      g_test_skip ("xdotool or an X display is missing: keys cannot be pressed");
      return FALSE;
    }
  sesame_test_spin (200);
  /* Without a window manager, the window is given the focus directly. */
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  {
    const char *argv[] = { xdotool, "windowfocus", "--sync", xid, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
  }
  sesame_test_wait_until (window_is_active, window);
  sesame_test_spin (300);
  {
    const char *argv[] = { xdotool, "key", key, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  return TRUE;
}

static void
test_escape (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *roles;
  GtkWindow *import;
  GtkWindow *grant;

  /* The Import window, as "Import…" opens it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.import", NULL));
  import = sesame_test_wait_for_toplevel (SESAME_TYPE_IMPORT_WINDOW);
  g_object_add_weak_pointer (G_OBJECT (import), (gpointer *) &import);
  if (!press_key (import, "Escape"))
    return;
  sesame_test_wait_until (window_closed, &import);
  sesame_test_spin (100);

  /* The Grant window, from the Roles page, its search entry focused. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "roles"));
  roles = sesame_window_get_page (fixture->window, "roles");
  g_assert_true (gtk_widget_activate_action (roles, "roles.grant", NULL));
  grant = sesame_test_wait_for_toplevel (SESAME_TYPE_GRANT_WINDOW);
  g_object_add_weak_pointer (G_OBJECT (grant), (gpointer *) &grant);
  g_assert_true (GTK_IS_SEARCH_ENTRY (gtk_root_get_focus (GTK_ROOT (grant))) ||
                 GTK_IS_TEXT (gtk_root_get_focus (GTK_ROOT (grant))));
  press_key (grant, "Escape");
  sesame_test_wait_until (window_closed, &grant);
}

/* Settings followed at once */

static gpointer
child (gpointer     widget,
       GType        type,
       const char  *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

/* Whether a label showing @text is visible under @root. */
static gboolean
text_shown (GtkWidget  *root,
            const char *text)
{
  if (!gtk_widget_get_visible (root))
    return FALSE;
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (text_shown (c, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
  gboolean    shown;
} TextWait;

static gboolean
text_shown_is (gpointer data)
{
  TextWait *wait = data;
  return text_shown (wait->root, wait->text) == wait->shown;
}

static gboolean
smtp_idle (gpointer data)
{
  return !sesame_smtp_preferences_get_busy (data);
}

static void
test_settings_followed (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *no_server = "No mail server is set up";
  SesamePreferencesWindow *preferences;
  SesameSmtpPreferences *smtp;
  GtkWidget *diffusion;
  TextWait wait;

  /* Diffusion, before the ENT's address and the mail server are set up. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "diffusion"));
  diffusion = sesame_window_get_page (fixture->window, "diffusion");
  gtk_check_button_set_active (child (diffusion, SESAME_TYPE_DIFFUSION_PAGE, "eleve_check"), TRUE);
  wait = (TextWait) { diffusion, "The ENT address is not set", TRUE };
  sesame_test_wait_until (text_shown_is, &wait);

  /* The Preferences, as the menu opens them: the ENT's address given. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  preferences = sesame_test_wait_for_toplevel (SESAME_TYPE_PREFERENCES_WINDOW);
  gtk_editable_set_text (child (preferences, SESAME_TYPE_PREFERENCES_WINDOW, "ent_url_row"), "https://ent.example.org");
  g_signal_emit_by_name (child (preferences, SESAME_TYPE_PREFERENCES_WINDOW, "ent_url_row"), "apply");

  /* Diffusion follows at once: what stands in the way now is the server. */
  wait = (TextWait) { diffusion, no_server, TRUE };
  sesame_test_wait_until (text_shown_is, &wait);
  g_assert_false (text_shown (diffusion, "The ENT address is not set"));

  /* The Email part saved. */
  smtp = SESAME_SMTP_PREFERENCES (sesame_test_find_descendant (GTK_WIDGET (preferences), SESAME_TYPE_SMTP_PREFERENCES));
  g_assert_nonnull (smtp);
  gtk_editable_set_text (child (smtp, SESAME_TYPE_SMTP_PREFERENCES, "host_row"), "127.0.0.1");
  adw_combo_row_set_selected (child (smtp, SESAME_TYPE_SMTP_PREFERENCES, "security_row"), SESAME_SMTP_SECURITY_NONE);
  gtk_spin_button_set_value (child (smtp, SESAME_TYPE_SMTP_PREFERENCES, "port_spin"), 2525);
  gtk_editable_set_text (child (smtp, SESAME_TYPE_SMTP_PREFERENCES, "from_row"), "secretariat@example.org");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (smtp), "smtp.save", NULL));
  sesame_test_wait_until (smtp_idle, smtp);
  g_assert_cmpstr (sesame_smtp_preferences_get_status (smtp), ==, "Saved.");

  /* Diffusion knows at once, without a restart. */
  wait = (TextWait) { diffusion, no_server, FALSE };
  sesame_test_wait_until (text_shown_is, &wait);
}

/* The menu buttons under @widget that have a tooltip. */
static void
collect_menu_buttons (GtkWidget *widget,
                      GPtrArray *buttons)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_widget_get_tooltip_text (widget) != NULL)
    g_ptr_array_add (buttons, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_menu_buttons (c, buttons);
}

static void
test_menu_tooltips (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  gboolean main_menu = FALSE;

  collect_menu_buttons (GTK_WIDGET (fixture->window), buttons);
  g_assert_cmpuint (buttons->len, >, 0);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkMenuButton *button = g_ptr_array_index (buttons, i);

      if (!gtk_widget_is_visible (GTK_WIDGET (button)))
        continue;
      main_menu |= g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), "Main Menu") == 0;
      /* While its menu is open, the button shows no tooltip over it. */
      g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (button)));
      gtk_menu_button_popup (button);
      sesame_test_spin (100);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));
      g_assert_false (gtk_widget_get_has_tooltip (GTK_WIDGET (button)));
      gtk_menu_button_popdown (button);
      sesame_test_spin (100);
      g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (button)));
    }
  g_assert_true (main_menu);
}

/* Quitting during a campaign */

static AdwMessageDialog *
message_dialog (const char *heading)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) == 0)
      return l->data;
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return message_dialog (data) != NULL;
}

static gboolean
diffusion_idle (gpointer data)
{
  return !sesame_diffusion_page_get_busy (data);
}

static gboolean
sending_started (gpointer data)
{
  guint sent = 0;

  return sesame_diffusion_page_get_progress (data, &sent, NULL, NULL) && sent >= 1;
}

/* A test mail server the store sends through, addresses for everyone
 * and the ENT's address: what a campaign needs. */
static SesameTestSmtpServer *
set_up_mail (Fixture    *fixture,
             const char *delay)
{
  SesameTestSmtpServer *server;
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER, "--password", SESAME_TEST_SMTP_PASSWORD,
                                          "--delay-rcpt", delay, NULL);
  g_setenv (SESAME_SMTP_CA_FILE_ENV, server->cert, TRUE);
  settings = sesame_test_smtp_server_settings (server);
  g_assert_true (sesame_smtp_settings_save (settings, fixture->store, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_secrets_store_smtp_password (sesame_smtp_settings_get_host (settings), SESAME_TEST_SMTP_USER,
                                                     SESAME_TEST_SMTP_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_ENT_URL, "https://ent.example.org", &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_exec (fixture->store,
                                     "UPDATE persons SET email = lower (key) || '@example.org'", &error));
  g_assert_no_error (error);
  return server;
}

/* Diffusion, the pupils chosen, ready to send. */
static GtkWidget *
prepare_campaign (Fixture *fixture)
{
  GtkWidget *diffusion;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "diffusion"));
  diffusion = sesame_window_get_page (fixture->window, "diffusion");
  sesame_diffusion_page_reload (SESAME_DIFFUSION_PAGE (diffusion));
  gtk_check_button_set_active (child (diffusion, SESAME_TYPE_DIFFUSION_PAGE, "eleve_check"), TRUE);
  gtk_editable_set_text (child (diffusion, SESAME_TYPE_DIFFUSION_PAGE, "subject_row"), "Vos identifiants ENT");
  sesame_test_spin (100);
  sesame_test_wait_until (diffusion_idle, diffusion);
  return diffusion;
}

static gboolean
sending_done (gpointer data)
{
  return !sesame_diffusion_page_get_sending (data) && !sesame_diffusion_page_get_busy (data);
}

static void
test_send_again (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SesameTestSmtpServer) server = set_up_mail (fixture, "0");
  GtkWidget *diffusion = prepare_campaign (fixture);
  AdwMessageDialog *dialog;
  guint received, with_address = 0;
  g_autofree char *already = NULL;

  /* The first campaign: the usual confirmation. */
  sesame_diffusion_page_get_recipients (SESAME_DIFFUSION_PAGE (diffusion), &with_address, NULL);
  g_assert_cmpuint (with_address, >, 1);
  g_assert_true (gtk_widget_activate_action (diffusion, "diffusion.send", NULL));
  sesame_test_wait_until (message_dialog_shown, (gpointer) "Send the Identifiers?");
  dialog = message_dialog ("Send the Identifiers?");
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sesame_test_spin (200);
  sesame_test_wait_until (sending_done, diffusion);
  received = sesame_test_smtp_server_count (server);
  g_assert_cmpuint (received, >, 1);

  /* The same message to the same people a moment later: a warning that
   * says how many had it, and when. */
  g_assert_true (gtk_widget_activate_action (diffusion, "diffusion.send", NULL));
  sesame_test_wait_until (message_dialog_shown, (gpointer) "Send the Same Message Again?");
  dialog = message_dialog ("Send the Same Message Again?");
  already = g_strdup_printf ("“Vos identifiants ENT” was already sent to %u people of this choice on ", with_address);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), already));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sesame_test_spin (300);
  g_assert_false (sesame_diffusion_page_get_sending (SESAME_DIFFUSION_PAGE (diffusion)));
  g_assert_cmpuint (sesame_test_smtp_server_count (server), ==, received);
}

static void
test_quit_during_campaign (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SesameTestSmtpServer) server = NULL;
  SesameWindow *window = fixture->window;
  AdwMessageDialog *dialog;
  GtkWidget *diffusion;
  guint sent = 0, total = 0;
  gboolean paused = FALSE;

  /* A mail server that takes its time: the campaign lasts. */
  server = set_up_mail (fixture, "0.5");

  /* Send to the pupils, then pause. */
  diffusion = prepare_campaign (fixture);
  g_assert_true (gtk_widget_activate_action (diffusion, "diffusion.send", NULL));
  dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sesame_test_wait_until (sending_started, diffusion);
  g_assert_true (gtk_widget_activate_action (diffusion, "diffusion.pause", NULL));
  g_assert_true (sesame_diffusion_page_get_progress (SESAME_DIFFUSION_PAGE (diffusion), &sent, &total, &paused));
  g_assert_true (paused);

  /* Closing the window asks first, saying how far the campaign went. */
  gtk_window_close (GTK_WINDOW (window));
  sesame_test_wait_until (message_dialog_shown, (gpointer) "Quit During a Campaign?");
  dialog = message_dialog ("Quit During a Campaign?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "is paused"));
  {
    g_autofree char *of_total = g_strdup_printf (" of %u message", total);

    g_assert_cmpuint (total, >, 1);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), of_total));
  }
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sesame_test_spin (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (sesame_diffusion_page_get_sending (SESAME_DIFFUSION_PAGE (diffusion)));

  /* app.quit asks too; "Quit" closes the window. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);
  sesame_test_wait_until (message_dialog_shown, (gpointer) "Quit During a Campaign?");
  g_assert_true (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)));
  dialog = message_dialog ("Quit During a Campaign?");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (dialog, "quit");
  sesame_test_wait_until (window_closed, &window);
  if (dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  fixture->window = NULL;
}


int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  sesame_test_add_ui (path, Fixture, NULL, fixture_set_up, func, sesame_test_desk_tear_down)

  ADD ("/sesame/window-defects/print-preview", test_print_preview);
  ADD ("/sesame/window-defects/private-files", test_private_files);
  ADD ("/sesame/window-defects/escape", test_escape);
  ADD ("/sesame/window-defects/menu-tooltips", test_menu_tooltips);
  ADD ("/sesame/window-defects/quit-during-campaign", test_quit_during_campaign);
  ADD ("/sesame/window-defects/send-again", test_send_again);
  ADD ("/sesame/window-defects/settings-followed", test_settings_followed);

  return g_test_run ();
}
