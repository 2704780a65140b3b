/* test-import-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The import window under a (virtual) display: an import that would mark
 * many people as having left asks first, in a confirmation that names the
 * count and the establishment; refused, the store is unchanged; accepted,
 * the import runs again and marks them. Without a display the tests are
 * skipped.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "sesame-demo-directory.h"
#include "sesame-establishments.h"
#include "sesame-import-view.h"
#include "sesame-import-window.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"

/* 2024-09-02 08:00 UTC */
#define NOW G_GINT64_CONSTANT (1725264000)

typedef struct
{
  char               *dir;
  SesameStore        *store;
  SesameImportWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *college = sesame_test_data_path ("aaf/college");
  const char *paths[] = { college, NULL };
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  sesame_store_set_now (fixture->store, NOW);
  summary = sesame_import_run (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  fixture->window = sesame_import_window_new (fixture->store);
  /* Cleared when the window closes itself. */
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
  g_clear_object (&fixture->store);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
state_is (gpointer data)
{
  const char * const *args = data;

  return g_strcmp0 (sesame_import_view_get_state ((SesameImportView *) args[0]), args[1]) == 0;
}

/* Imports the collège's later export, in which three of its fourteen
 * people are missing, and waits for the confirmation. */
static AdwMessageDialog *
import_later (Fixture *fixture)
{
  g_autofree char *later = sesame_test_data_path ("aaf/college-later");
  const char *paths[] = { later, NULL };
  SesameImportView *view = sesame_import_window_get_view (fixture->window);
  const char *linger = g_getenv ("SESAME_TEST_LINGER");
  AdwMessageDialog *dialog;

  sesame_import_view_import_paths (view, paths);
  sesame_test_wait_until (dialog_shown, NULL);
  dialog = find_dialog ();
  /* For a screenshot of the confirmation: SESAME_TEST_LINGER=seconds. */
  if (linger != NULL)
    sesame_test_spin (1000 * (guint) g_ascii_strtoull (linger, NULL, 10));
  return dialog;
}

static gboolean
has_left (Fixture    *fixture,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesamePerson) person = sesame_accounts_find_person (fixture->store, key, &error);

  g_assert_no_error (error);
  return sesame_person_get_has_left (person);
}

static void
test_departures_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  SesameImportView *view;
  AdwMessageDialog *dialog;
  g_autofree char *counts = NULL;
  const char *body;
  gpointer args[2];

  view = sesame_import_window_get_view (fixture->window);
  dialog = import_later (fixture);

  /* It names the count and the establishment, and says what follows. */
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Mark These People as Having Left?"));
  body = adw_message_dialog_get_body (dialog);
  /* Three of fourteen, 21 %, in the language of the run. */
  counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s: %u person of %u would be marked as having left (%u %%)",
                                         "%s: %u people of %u would be marked as having left (%u %%)", 3),
                            "COLLEGE DU MONT BLANC (0741234A)", 3, 14, 21);
  g_assert_nonnull (strstr (body, counts));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "accept"), ==, ADW_RESPONSE_DESTRUCTIVE);
  /* Nothing was written while it asks. */
  g_assert_false (has_left (fixture, "E303"));

  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  args[0] = view;
  args[1] = (gpointer) "choose";
  sesame_test_wait_until (state_is, args);
  sesame_test_spin (200);
  g_assert_null (find_dialog ());
  g_assert_false (has_left (fixture, "E303"));
  g_assert_false (has_left (fixture, "S103"));
}

static void
test_departures_accepted (Fixture       *fixture,
                          gconstpointer  data)
{
  SesameImportView *view;
  AdwMessageDialog *dialog;
  gpointer args[2];

  view = sesame_import_window_get_view (fixture->window);
  dialog = import_later (fixture);

  adw_message_dialog_response (dialog, "accept");
  gtk_window_close (GTK_WINDOW (dialog));
  args[0] = view;
  args[1] = (gpointer) "summary";
  sesame_test_wait_until (state_is, args);
  g_assert_true (has_left (fixture, "E303"));
  g_assert_true (has_left (fixture, "S103"));
  g_assert_true (has_left (fixture, "R204"));
  g_assert_false (has_left (fixture, "E300"));
}

/* A copy of the collège in which a pupil's birth date is not a date. */
static char *
write_college_with_warning (Fixture *fixture)
{
  g_autofree char *college = sesame_test_data_path ("aaf/college");
  g_autofree char *folder = g_build_filename (fixture->dir, "college-warning", NULL);
  g_autoptr(GDir) dir = g_dir_open (college, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (college, name, NULL);
      g_autofree char *to = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (from, &contents, &length, &error));
      g_assert_no_error (error);
      if (strstr (name, "_Eleve_") != NULL)
        {
          g_autoptr(GString) text = g_string_new_len (contents, length);

          g_assert_cmpuint (g_string_replace (text, "<value>03/04/2012</value>", "<value>31/02/20xx</value>", 1), ==, 1);
          g_free (contents);
          length = text->len;
          contents = g_string_free (g_steal_pointer (&text), FALSE);
        }
      g_assert_true (g_file_set_contents (to, contents, length, &error));
      g_assert_no_error (error);
    }
  return g_steal_pointer (&folder);
}

static gboolean
clipboard_has_text (gpointer data)
{
  return gdk_clipboard_get_content (gtk_widget_get_clipboard (data)) != NULL;
}

static char *
clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  return g_value_dup_string (&value);
}

/* The summary counts in words with plural forms, and its warnings are
 * copied or saved as a text file. */
static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *folder = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *saved_path = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[2] = { NULL, NULL };
  const char *summary_text;
  SesameImportView *view;
  G_GNUC_UNUSED GtkWidget *chooser;
  gpointer args[2];

  view = sesame_import_window_get_view (fixture->window);
  folder = write_college_with_warning (fixture);
  paths[0] = folder;

  /* No warning yet: nothing to copy. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (view), "import.copy-warnings", NULL) &&
                  gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (view))) != NULL);

  sesame_import_view_import_paths (view, paths);
  args[0] = view;
  args[1] = (gpointer) "summary";
  sesame_test_wait_until (state_is, args);

  /* One establishment, in the singular. */
  summary_text = gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (view), SESAME_TYPE_IMPORT_VIEW,
                                                                                 "summary_label")));
  g_assert_nonnull (strstr (summary_text, "Read: 1 establishment, "));
  g_assert_null (strstr (summary_text, "1 establishments"));
  g_assert_nonnull (strstr (summary_text, "2 warnings: see the list."));

  /* Copied: the warning names the file, the line and what to fix. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "import.copy-warnings", NULL));
  sesame_test_wait_until (clipboard_has_text, view);
  copied = clipboard_text (GTK_WIDGET (view));
  g_assert_nonnull (strstr (copied, "_Eleve_0000.xml, line "));
  g_assert_nonnull (strstr (copied, "“31/02/20xx” is not a date of birth"));

  /* Saved as a text file: the chooser offers a name… */
#ifndef SESAME_TEST_ASAN
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "import.save-warnings", NULL));
  chooser = sesame_test_wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  {
    g_autofree char *name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));

    g_assert_cmpstr (name, ==, "import-warnings.txt");
  }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  sesame_test_spin (100);
#endif
  /* … and the file holds the warnings as they were copied. */
  saved_path = g_build_filename (fixture->dir, "import-warnings.txt", NULL);
  {
    g_autoptr(GFile) file = g_file_new_for_path (saved_path);

    g_assert_true (sesame_import_view_save_warnings (view, file, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (saved_path, &saved, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (saved, ==, copied);
}

/* The word on waiting: beside the main window, or on the first start,
 * where there is nowhere else to go. */
static void
test_progress_words (Fixture       *fixture,
                     gconstpointer  data)
{
  SesameImportView *view;
  AdwStatusPage *progress;

  view = sesame_import_window_get_view (fixture->window);
  progress = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (view), SESAME_TYPE_IMPORT_VIEW, "progress_page"));
  g_assert_nonnull (strstr (adw_status_page_get_description (progress), "main window"));

  g_object_set (view, "offer-demo", TRUE, NULL);
  g_assert_null (strstr (adw_status_page_get_description (progress), "elsewhere"));
  g_assert_null (strstr (adw_status_page_get_description (progress), "main window"));
  g_assert_nonnull (strstr (adw_status_page_get_description (progress), "once the directory is read"));
}

/* Thousands separators, as the progress bar writes its counts. */
static void
test_summary_numbers (void)
{
  SesameImportSummary summary = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *pupils = NULL;
  const char *saved = setlocale (LC_NUMERIC, NULL);
  g_autofree char *numeric = g_strdup (saved);

  if (setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("No French locale");
      return;
    }
  pupils = g_strdup_printf ("%'u pupils", 12345);
  summary.files = 1;
  summary.establishments = 1;
  summary.pupils = 12345;
  summary.parents = 1;
  text = sesame_import_summary_describe (&summary);
  setlocale (LC_NUMERIC, numeric);

  g_assert_cmpstr (pupils, !=, "12345 pupils");
  g_assert_nonnull (strstr (text, pupils));
  g_assert_nonnull (strstr (text, "1 file read."));
  g_assert_nonnull (strstr (text, "1 establishment, 0 subjects, "));
  g_assert_nonnull (strstr (text, ", 1 parent, 0 staff members."));
}

#ifndef SESAME_TEST_ASAN
/* import.choose-files and import.choose-folder open GTK's file chooser;
 * cancelled, nothing is imported. */
static void
test_choose (Fixture       *fixture,
             gconstpointer  data)
{
  static const struct
  {
    const char *action;
    const char *title;
  } choices[] = {
    { "import.choose-files", N_("Choose the Directory Files") },
    { "import.choose-folder", N_("Choose the Folder of the Directory Files") },
  };
  SesameImportView *view;

  view = sesame_import_window_get_view (fixture->window);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      GtkWidget *chooser;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), choices[i].action, NULL));
      chooser = sesame_test_wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, _(choices[i].title));
      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
      sesame_test_spin (100);
      g_assert_cmpstr (sesame_import_view_get_state (view), ==, "choose");
    }
}
#endif

/* import.cancel stops an import on its way: nothing is written and the
 * view is back at the choice of files. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "demo", NULL);
  g_autoptr(GError) error = NULL;
  const char *paths[2] = { folder, NULL };
  SesameImportView *view;
  gpointer args[2];

  /* A directory big enough to be cancelled while it is read. */
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_true (sesame_demo_directory_write (folder, 2, 2000, 7, NULL, &error));
  g_assert_no_error (error);

  view = sesame_import_window_get_view (fixture->window);
  sesame_import_view_import_paths (view, paths);
  g_assert_cmpstr (sesame_import_view_get_state (view), ==, "progress");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "import.cancel", NULL));
  args[0] = view;
  args[1] = (gpointer) "choose";
  sesame_test_wait_until (state_is, args);
  /* The collège alone, as before. */
  {
    g_autoptr(GPtrArray) establishments = sesame_establishments_list (fixture->store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (establishments->len, ==, 1);
  }
}

static gboolean
window_closed (gpointer data)
{
  return ((Fixture *) data)->window == NULL;
}

/* import.continue, after the summary, closes the import window. */
static void
test_continue (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *college = sesame_test_data_path ("aaf/college");
  const char *paths[2] = { college, NULL };
  SesameImportView *view;
  gpointer args[2];

  view = sesame_import_window_get_view (fixture->window);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (view), "import.continue", NULL) &&
                  fixture->window == NULL);
  sesame_import_view_import_paths (view, paths);
  args[0] = view;
  args[1] = (gpointer) "summary";
  sesame_test_wait_until (state_is, args);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "import.continue", NULL));
  sesame_test_wait_until (window_closed, fixture);
}

/* The summary with its warnings, in the language of the run. */
static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *folder = NULL;
  const char *paths[2] = { NULL, NULL };
  SesameImportView *view;
  gpointer args[2];

  view = sesame_import_window_get_view (fixture->window);
  folder = write_college_with_warning (fixture);
  paths[0] = folder;
  sesame_import_view_import_paths (view, paths);
  args[0] = view;
  args[1] = (gpointer) "summary";
  sesame_test_wait_until (state_is, args);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                                  SESAME_TYPE_IMPORT_VIEW,
                                                                                  "warnings_row")),
                                 TRUE);
  sesame_test_screenshot (GTK_WINDOW (fixture->window), 1366, "import.png");
  sesame_test_screenshot (GTK_WINDOW (fixture->window), 600, "import-narrow.png");
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

#define ADD(path, func) sesame_test_add_ui (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/import-window/departures-refused", test_departures_refused);
  ADD ("/sesame/import-window/departures-accepted", test_departures_accepted);
  ADD ("/sesame/import-window/summary", test_summary);
  ADD ("/sesame/import-window/progress-words", test_progress_words);
  g_test_add_func ("/sesame/import-window/summary-numbers", test_summary_numbers);
#ifndef SESAME_TEST_ASAN
  ADD ("/sesame/import-window/choose", test_choose);
#endif
  ADD ("/sesame/import-window/cancel", test_cancel);
  ADD ("/sesame/import-window/continue", test_continue);
  ADD ("/sesame/import-window/screenshots", test_screenshots);
#undef ADD

  return g_test_run ();
}
