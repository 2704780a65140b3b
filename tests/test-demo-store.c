/* test-demo-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Try with a demo directory" on the first start, under a (virtual)
 * display: the demo goes into a store of its own, marked as such in the
 * header bar, while the real store stays empty; leaving the demo comes
 * back to the real store and removes the demo's. Without a display the
 * tests are skipped.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sesame-application.h"
#include "sesame-document-language.h"
#include "sesame-import-view.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-welcome-page.h"
#include "sesame-window.h"

typedef SesameTestDesk Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "real.sesame", NULL);
  fixture->store = sesame_store_open_full (path, SESAME_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  sesame_test_desk_start (fixture, "Demo");
}

static SesameWelcomePage *
welcome_of (SesameWindow *window)
{
  return SESAME_WELCOME_PAGE (sesame_window_get_welcome_page (window));
}

static gpointer
welcome_child (SesameWindow *window,
               const char   *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (welcome_of (window)), SESAME_TYPE_WELCOME_PAGE, name);
}

static SesameWindow *
only_window (Fixture *fixture)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));

  g_assert_nonnull (windows);
  g_assert_null (windows->next);
  return windows->data;
}

static gboolean
demo_imported (gpointer data)
{
  Fixture *fixture = data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));
  SesameImportView *view;

  if (sesame_application_get_store (fixture->app) == fixture->store || windows == NULL || windows->next != NULL)
    return FALSE;
  view = sesame_welcome_page_get_import_view (welcome_of (windows->data));
  return g_strcmp0 (sesame_import_view_get_state (view), "summary") == 0;
}

static gboolean
back_to_real (gpointer data)
{
  Fixture *fixture = data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));

  return sesame_application_get_store (fixture->app) == fixture->store && windows != NULL && windows->next == NULL &&
         sesame_window_get_store (windows->data) == fixture->store;
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  SesameImportView *view;
  SesameWindow *window;
  SesameStore *demo;
  g_autofree char *demo_folder = NULL;

  /* The first start offers the demo; nothing says "demo" yet. */
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "welcome");
  view = sesame_welcome_page_get_import_view (welcome_of (fixture->window));
  g_assert_false (gtk_widget_get_visible (welcome_child (fixture->window, "leave_demo_button")));
  g_assert_cmpstr (adw_window_title_get_subtitle (welcome_child (fixture->window, "window_title")), ==, "");
  {
    gboolean offered;

    g_object_get (view, "offer-demo", &offered, NULL);
    g_assert_true (offered);
  }

  /* Tried: a store of its own, marked, and the real one untouched. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "import.demo", NULL));
  sesame_test_wait_until_for (demo_imported, fixture, 120);
  window = only_window (fixture);
  demo = sesame_window_get_store (window);
  g_assert_true (demo != fixture->store);
  g_assert_true (sesame_application_is_demo_store (fixture->app, demo));
  g_assert_false (sesame_application_is_demo_store (fixture->app, fixture->store));
  g_assert_true (sesame_store_is_empty (fixture->store));
  g_assert_false (sesame_store_is_empty (demo));
  g_assert_cmpstr (adw_window_title_get_subtitle (welcome_child (window, "window_title")), ==, _("Demo Directory"));
  g_assert_true (gtk_widget_get_visible (welcome_child (window, "leave_demo_button")));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, _("Sésame — Demo Directory"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), SESAME_TYPE_WINDOW,
                                                                                    "leave_demo_button"))));
  demo_folder = g_path_get_dirname (sesame_store_get_path (demo));
  g_assert_true (g_file_test (demo_folder, G_FILE_TEST_IS_DIR));
  g_assert_false (g_str_has_prefix (demo_folder, fixture->dir));
  sesame_test_screenshot (GTK_WINDOW (window), 1366, "welcome-demo.png");

  /* Left: back to the real, empty store; the demo's folder is gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.leave-demo", NULL));
  sesame_test_wait_until (back_to_real, fixture);
  window = only_window (fixture);
  g_assert_cmpstr (sesame_window_get_mode (window), ==, "welcome");
  g_assert_false (gtk_widget_get_visible (welcome_child (window, "leave_demo_button")));
  g_assert_cmpstr (adw_window_title_get_subtitle (welcome_child (window, "window_title")), ==, "");
  g_assert_true (sesame_store_is_empty (fixture->store));
  g_assert_false (g_file_test (demo_folder, G_FILE_TEST_EXISTS));
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  sesame_test_screenshot (GTK_WINDOW (fixture->window), 1366, "welcome.png");
  sesame_test_screenshot (GTK_WINDOW (fixture->window), 600, "welcome-narrow.png");
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

  sesame_test_add_ui ("/sesame/demo-store/demo", Fixture, NULL, fixture_set_up, test_demo, sesame_test_desk_tear_down);
  sesame_test_add_ui ("/sesame/demo-store/screenshots", Fixture, NULL, fixture_set_up, test_screenshots, sesame_test_desk_tear_down);

  return g_test_run ();
}
