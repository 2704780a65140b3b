/* test-print-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Printing from the window before the ENT is named: the refusal says why
 * and opens the preferences at the field to fill in. Driven under a
 * display (xvfb-run); skipped without one.
 */
#include "config.h"

#include <locale.h>

#include "sesame-application.h"
#include "sesame-preferences-window.h"
#include "sesame-print.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef struct
{
  char              *dir;
  SesameStore       *store;
  SesameApplication *app;
  SesameWindow      *window;
} Fixture;

static gboolean display_missing;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (display_missing)
    return;

  fixture->dir = sesame_test_make_tmpdir ();
  fixture->store = sesame_test_fixture_store (fixture->dir);
  /* The ENT's name and address are settings of the whole store: only an
   * administrator of every establishment changes them. */
  g_assert_true (sesame_roles_grant_admin (fixture->store, "helene.roche", SESAME_ROLE_SCOPE_ALL, &error));
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_no_error (error);

  fixture->app = sesame_test_app_start (fixture->store, "PrintTest", &fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GList) toplevels = NULL;

  if (display_missing)
    return;
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  sesame_test_spin (50);
  g_clear_object (&fixture->app);
  g_clear_object (&fixture->store);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* The row holding the keyboard focus in a window, and its title. */
static const char *
focused_row_title (GtkWindow *window)
{
  GtkWidget *focus = gtk_window_get_focus (window);
  GtkWidget *row;

  if (focus == NULL)
    return NULL;
  row = gtk_widget_get_ancestor (focus, ADW_TYPE_PREFERENCES_ROW);
  return row ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : NULL;
}

static gboolean
focus_in_row (gpointer window)
{
  return focused_row_title (window) != NULL;
}

static void
print_and_expect_preferences (Fixture    *fixture,
                              const char *message,
                              const char *row_title)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  SesamePreferencesWindow *preferences;
  AdwMessageDialog *dialog;
  gint64 deadline;

  query->logins = g_strsplit ("marie.dupont", " ", -1);
  sesame_print_letters (GTK_WIDGET (fixture->window), fixture->store, query, SESAME_PRINT_MODE_PREVIEW);

  dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), message));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "preferences"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "preferences");
  /* Nothing was printed nor previewed. */
  g_assert_null (sesame_test_find_toplevel (g_type_from_name ("SesamePrintPreview")));

  adw_message_dialog_response (dialog, "preferences");
  gtk_window_close (GTK_WINDOW (dialog));

  preferences = sesame_test_wait_for_toplevel (SESAME_TYPE_PREFERENCES_WINDOW);
  /* Focus moves after the window is shown: give it 20 s at most. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!focus_in_row (preferences) && g_get_monotonic_time () < deadline)
    sesame_test_spin (10);
  g_assert_cmpstr (focused_row_title (GTK_WINDOW (preferences)), ==, row_title);
  gtk_window_destroy (GTK_WINDOW (preferences));
  sesame_test_spin (50);
}

static void
test_ent_not_set (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (display_missing)
    {
      g_test_skip ("No display");
      return;
    }

  /* Neither set: the address first. */
  print_and_expect_preferences (fixture, "ENT's address is not set", "Address of the ENT");

  /* The address alone: the name. */
  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_ENT_URL,
                                            "https://ent.mon-ent-74.example.fr", &error));
  g_assert_no_error (error);
  print_and_expect_preferences (fixture, "ENT's name is not set", "Name of the ENT");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = NULL;
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  root = sesame_test_make_tmpdir ();
  data = g_build_filename (root, "data", NULL);
  config = g_build_filename (root, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  display_missing = g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL;
  if (!display_missing)
    {
      gtk_init ();
      adw_init ();
      display_missing = gdk_display_get_default () == NULL;
    }

  g_test_add ("/sesame/print-window/ent-not-set", Fixture, NULL,
              fixture_set_up, test_ent_not_set, fixture_tear_down);

  {
    int status = g_test_run ();

    sesame_test_remove_tree (root);
    return status;
  }
}
