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
#include <locale.h>
#include <string.h>

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

static gboolean display_missing;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *college = sesame_test_data_path ("aaf/college");
  const char *paths[] = { college, NULL };
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  if (display_missing)
    return;
  fixture->dir = sesame_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  sesame_store_set_now (fixture->store, NOW);
  summary = sesame_import_run (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  fixture->window = sesame_import_window_new (fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (display_missing)
    return;
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

  if (display_missing)
    {
      g_test_skip ("No display");
      return;
    }
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

  if (display_missing)
    {
      g_test_skip ("No display");
      return;
    }
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

static char *private_root;

static void
remove_private_root (void)
{
  sesame_test_remove_tree (private_root);
}

/* Like sesame_test_init(), but the system's data folders stay visible:
 * GTK finds its icon theme there, and GdkPixbuf the MIME database it
 * needs to read SVG icons. */
static void
import_window_test_init (int    *argc,
                         char ***argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_autofree char *cache = NULL;

  setlocale (LC_ALL, "");
  g_test_init (argc, argv, NULL);

  private_root = sesame_test_make_tmpdir ();
  data = g_build_filename (private_root, "data", NULL);
  config = g_build_filename (private_root, "config", NULL);
  cache = g_build_filename (private_root, "cache", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  atexit (remove_private_root);
}

int
main (int   argc,
      char *argv[])
{
  import_window_test_init (&argc, &argv);
  /* SESAME_LOCALEDIR: the build's translations, for a French run. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SESAME_LOCALEDIR") ? g_getenv ("SESAME_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  display_missing = g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL;
  if (!display_missing)
    {
      gtk_init ();
      adw_init ();
      display_missing = gdk_display_get_default () == NULL;
    }

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/import-window/departures-refused", test_departures_refused);
  ADD ("/sesame/import-window/departures-accepted", test_departures_accepted);
#undef ADD

  return g_test_run ();
}
