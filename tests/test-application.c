/* test-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the application opens its store: the default store is created on
 * the first start, while a store named by path (--store, SESAME_STORE)
 * that does not exist is created only when the user says so, so that a
 * mistyped path never shows an empty store. Under a (virtual) display;
 * skipped without one.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sesame-application.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

static SesameApplication *
start_application (void)
{
  static guint n_apps;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%s.StoreTest%u", APPLICATION_ID, ++n_apps);
  SesameApplication *app;

  app = sesame_application_new (id, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  return app;
}

/* The only window of @app, which must be of @type. */
static gpointer
only_window (SesameApplication *app,
             GType              type)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  g_assert_nonnull (windows);
  g_assert_null (windows->next);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (windows->data, type));
  return windows->data;
}

static void
stop_application (SesameApplication *app)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  sesame_test_spin (50);
  g_object_unref (app);
}

/* SESAME_STORE names a store that does not exist: the application says
 * so, and creates it only when asked. */
static void
test_missing_store (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  SesameApplication *app;
  AdwMessageDialog *dialog;
  SesameWindow *window;

  if (sesame_test_skip_without_display ())
    return;

  dir = sesame_test_make_tmpdir ();
  path = g_build_filename (dir, "typo", "sesame.db", NULL);
  g_setenv ("SESAME_STORE", path, TRUE);

  /* "Quit": nothing is created. */
  app = start_application ();
  dialog = only_window (app, ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "No Store Here");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), path));
  g_assert_null (sesame_application_get_store (app));
  /* Activating again shows the same question. */
  g_application_activate (G_APPLICATION (app));
  g_assert_true (only_window (app, ADW_TYPE_MESSAGE_DIALOG) == dialog);
  adw_message_dialog_response (dialog, "quit");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sesame_test_spin (20);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_null (sesame_application_get_store (app));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  stop_application (app);

  /* "Create Store": a new store, and the window on its welcome page. */
  app = start_application ();
  dialog = only_window (app, ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (dialog, "create");
  gtk_window_destroy (GTK_WINDOW (dialog));
  window = only_window (app, SESAME_TYPE_WINDOW);
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "welcome");
  g_assert_nonnull (sesame_application_get_store (app));
  g_assert_cmpstr (sesame_store_get_path (sesame_application_get_store (app)), ==, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  stop_application (app);

  /* Once it exists, it opens without a question. */
  app = start_application ();
  window = only_window (app, SESAME_TYPE_WINDOW);
  g_assert_cmpstr (sesame_store_get_path (sesame_application_get_store (app)), ==, path);
  stop_application (app);

  g_unsetenv ("SESAME_STORE");
  sesame_test_remove_tree (dir);
}

/* The first start on a desk creates the default store without asking. */
static void
test_default_store (void)
{
  g_autofree char *path = NULL;
  SesameApplication *app;
  SesameWindow *window;

  if (sesame_test_skip_without_display ())
    return;

  g_unsetenv ("SESAME_STORE");
  path = sesame_store_default_path ();
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  app = start_application ();
  window = only_window (app, SESAME_TYPE_WINDOW);
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "welcome");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  stop_application (app);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

  g_test_add_func ("/sesame/application/missing-store", test_missing_store);
  g_test_add_func ("/sesame/application/default-store", test_default_store);

  return g_test_run ();
}
