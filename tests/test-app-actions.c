/* test-app-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's actions (about, preferences, quit) and those of the
 * preferences window, under a (virtual) display, as a secretary sees
 * them: an administrator edits the ENT's name, address and letter; an
 * identifier manager reads their values; the letter's text scrolls with
 * the page. Without a display the tests are skipped.
 */
#include "config.h"

#include <string.h>

#include "sesame-application.h"
#include "sesame-enrolment-dialog.h"
#include "sesame-operators.h"
#include "sesame-document-language.h"
#include "sesame-letters.h"
#include "sesame-preferences-window.h"
#include "sesame-roles.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef SesameTestDesk Fixture;

/* @data: the operator, "admin" (Hélène ROCHE, administrator of every
 * establishment) or "manager" (Luc BERNARD, identifier manager of his
 * classes). */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *login;

  sesame_test_desk_set_up (fixture, data);
  sesame_test_name_ent (fixture->store);
  if (g_str_equal (data, "admin"))
    {
      login = "helene.roche";
      g_assert_true (sesame_roles_grant_admin (fixture->store, login, SESAME_ROLE_SCOPE_ALL, &error));
    }
  else
    {
      login = "luc.bernard";
      g_assert_true (sesame_roles_grant (fixture->store, login, SESAME_ROLE_SCOPE_CLASSES, &error));
    }
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, login, &error));
  g_assert_no_error (error);

  sesame_test_desk_start (fixture, "Actions");
}

static SesamePreferencesWindow *
open_preferences (Fixture *fixture)
{
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  return sesame_test_wait_for_toplevel (SESAME_TYPE_PREFERENCES_WINDOW);
}

static gpointer
child (gpointer    window,
       const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), SESAME_TYPE_PREFERENCES_WINDOW, name);
}

static char *
letter_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The wheel over the letter scrolls the page: the text has no scrolled
 * window of its own, between it and the page's. */
static void
assert_letter_scrolls_with_page (SesamePreferencesWindow *preferences)
{
  GtkWidget *letter = child (preferences, "letter_view");
  GtkWidget *group = child (preferences, "ent_group");
  GtkWidget *page_scroller = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);

  g_assert_nonnull (page_scroller);
  g_assert_true (gtk_widget_get_ancestor (letter, GTK_TYPE_SCROLLED_WINDOW) == page_scroller);
}

/* An identifier manager reads the ENT's name and address, not empty or
 * greyed-out fields, and cannot change them. */
static void
test_preferences_manager (Fixture       *fixture,
                          gconstpointer  data)
{
  SesamePreferencesWindow *preferences;

  preferences = open_preferences (fixture);
  g_assert_false (gtk_widget_get_visible (child (preferences, "ent_name_row")));
  g_assert_false (gtk_widget_get_visible (child (preferences, "ent_url_row")));
  g_assert_true (gtk_widget_get_visible (child (preferences, "ent_name_value_row")));
  g_assert_true (gtk_widget_get_visible (child (preferences, "ent_url_value_row")));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (preferences, "ent_name_value_row")), ==, "Mon ENT 74");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (preferences, "ent_url_value_row")), ==,
                   "https://ent.mon-ent-74.example.fr");
  g_assert_false (gtk_text_view_get_editable (child (preferences, "letter_view")));
  assert_letter_scrolls_with_page (preferences);

  /* The field a refused print names is the value shown. */
  sesame_preferences_window_show_field (preferences, SESAME_SETTING_ENT_URL);
  sesame_test_spin (50);
}

/* An administrator edits them; the letter is reset to its default text
 * and saved. */
static void
test_preferences_admin (Fixture       *fixture,
                        gconstpointer  data)
{
  SesamePreferencesWindow *preferences;
  g_autofree char *standard = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *saved = NULL;
  GtkTextView *letter;

  preferences = open_preferences (fixture);
  g_assert_true (gtk_widget_get_visible (child (preferences, "ent_name_row")));
  g_assert_false (gtk_widget_get_visible (child (preferences, "ent_name_value_row")));
  g_assert_cmpstr (gtk_editable_get_text (child (preferences, "ent_name_row")), ==, "Mon ENT 74");
  assert_letter_scrolls_with_page (preferences);

  letter = child (preferences, "letter_view");
  g_assert_true (gtk_text_view_get_editable (letter));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (letter), "Bienvenue au collège.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "preferences.save-letter", NULL));
  saved = sesame_store_settings_dup (fixture->store, SESAME_SETTING_LETTER_TEXT, NULL);
  g_assert_cmpstr (saved, ==, "Bienvenue au collège.");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "preferences.default-letter", NULL));
  standard = sesame_letters_dup_default_text (fixture->store);
  shown = letter_text (letter);
  g_assert_cmpstr (shown, ==, standard);

  /* The page setup of this desk: GTK's dialog, cancelled. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "preferences.page-setup", NULL));
  {
    GtkWidget *dialog = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);

    gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
    sesame_test_spin (100);
  }
}

static void
test_preferences_screenshots (Fixture       *fixture,
                              gconstpointer  data)
{
  SesamePreferencesWindow *preferences;

  preferences = open_preferences (fixture);
  sesame_test_screenshot (GTK_WINDOW (preferences), 1366, "preferences.png");
  sesame_test_screenshot (GTK_WINDOW (preferences), 600, "preferences-narrow.png");
}

static void
test_about (Fixture       *fixture,
            gconstpointer  data)
{
  AdwAboutWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  about = sesame_test_wait_for_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Sésame");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (fixture->window));
}

/* "Ouvrir les Préférences" from a refusal to print: app.show-preferences
 * opens them with the keyboard in the missing field; the window's
 * win.page-setup opens GTK's page setup over the window. */
static void
test_show_field_and_page_setup (Fixture       *fixture,
                                gconstpointer  data)
{
  SesamePreferencesWindow *preferences;
  GtkWidget *focus;
  GtkWidget *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "show-preferences",
                                  g_variant_new_string (SESAME_SETTING_ENT_URL));
  preferences = sesame_test_wait_for_toplevel (SESAME_TYPE_PREFERENCES_WINDOW);
  sesame_test_spin (100);
  focus = gtk_root_get_focus (GTK_ROOT (preferences));
  g_assert_nonnull (focus);
  g_assert_true (focus == child (preferences, "ent_url_row") ||
                 gtk_widget_is_ancestor (focus, child (preferences, "ent_url_row")));
  gtk_window_destroy (GTK_WINDOW (preferences));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page-setup", NULL));
  dialog = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  sesame_test_spin (100);
}

static gboolean
window_gone (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (data)) == NULL;
}

/* Quitting closes every window, the journal and preferences with them. */
static void
test_quit (Fixture       *fixture,
           gconstpointer  data)
{
  open_preferences (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.journal", NULL));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "quit", NULL);
  sesame_test_wait_until (window_gone, fixture->app);
  g_assert_null (sesame_test_find_toplevel (SESAME_TYPE_WINDOW));
}

static gboolean
clipboard_has_text (gpointer data)
{
  return gdk_clipboard_get_content (gtk_widget_get_clipboard (data)) != NULL;
}

/* The enrolment code's dialog: enrolment.copy puts the code on the
 * clipboard, enrolment.print opens GTK's print dialog (cancelled here:
 * nothing printed, no error). */
static void
test_enrolment (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) enrolments = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_enrolment_free);
  g_autoptr(GError) error = NULL;
  SesameEnrolmentDialog *dialog;
  SesameEnrolment *enrolment;
  GdkContentProvider *content;
  g_auto(GValue) value = G_VALUE_INIT;
  GtkWidget *print;

  g_assert_true (sesame_roles_grant (fixture->store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);
  enrolment = sesame_enrolment_invite_operator (fixture->store, "luc.bernard", &error);
  g_assert_no_error (error);
  g_ptr_array_add (enrolments, enrolment);
  dialog = sesame_enrolment_dialog_new (enrolments, sesame_application_get_settings (fixture->app));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (dialog));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "enrolment.copy", NULL));
  sesame_test_wait_until (clipboard_has_text, dialog);
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (dialog)));
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  g_assert_nonnull (strstr (g_value_get_string (&value), enrolment->code));
  g_assert_nonnull (strstr (g_value_get_string (&value), "luc.bernard"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "enrolment.print", NULL));
  print = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);
  gtk_dialog_response (GTK_DIALOG (print), GTK_RESPONSE_CANCEL);
  sesame_test_spin (300);
  g_assert_null (sesame_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

#define ADD(path, who, func) sesame_test_add_ui (path, Fixture, who, fixture_set_up, func, sesame_test_desk_tear_down)
  ADD ("/sesame/app-actions/preferences-manager", "manager", test_preferences_manager);
  ADD ("/sesame/app-actions/preferences-admin", "admin", test_preferences_admin);
  ADD ("/sesame/app-actions/preferences/screenshots", "admin", test_preferences_screenshots);
  ADD ("/sesame/app-actions/about", "admin", test_about);
  ADD ("/sesame/app-actions/show-field-and-page-setup", "admin", test_show_field_and_page_setup);
  ADD ("/sesame/app-actions/quit", "admin", test_quit);
  ADD ("/sesame/app-actions/enrolment", "admin", test_enrolment);
#undef ADD

  return g_test_run ();
}
