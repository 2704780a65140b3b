/* test-preferences-language.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document language in Préférences: the row shows the store's
 * setting, changing it changes the store, and the default letter text the
 * window offers follows it. Skipped without a display.
 */
#include "config.h"

#include <adwaita.h>

#include "sesame-document-language.h"
#include "sesame-letters.h"
#include "sesame-preferences-window.h"
#include "sesame-store.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"

typedef SesameTestFixture Fixture;

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
dup_setting (SesameStore *store)
{
  return sesame_store_language_dup (store);
}

static void
test_document_language_row (Fixture       *fixture,
                            gconstpointer  data)
{
  SesamePreferencesWindow *window;
  AdwComboRow *row;
  GtkStringObject *item;
  g_autofree char *language = NULL;
  g_autofree char *paragraph = NULL;

  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_DOCUMENT_LANGUAGE, "fr", NULL));
  window = sesame_preferences_window_new (fixture->store, NULL);
  gtk_window_present (GTK_WINDOW (window));
  row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW));
  g_assert_nonnull (row);

  /* French first, selected as the store says. */
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  item = g_list_model_get_item (adw_combo_row_get_model (row), 0);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Français");
  g_object_unref (item);
  paragraph = sesame_letters_dup_default_text (fixture->store);
  g_assert_nonnull (strstr (paragraph, "met à votre disposition"));

  /* Choosing English changes the store. */
  adw_combo_row_set_selected (row, 1);
  language = dup_setting (fixture->store);
  g_assert_cmpstr (language, ==, "en");
  g_clear_pointer (&paragraph, g_free);
  paragraph = sesame_letters_dup_default_text (fixture->store);
  g_assert_nonnull (strstr (paragraph, "gives you access to"));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

  sesame_test_add_ui ("/sesame/preferences/document-language", Fixture, NULL,
              sesame_test_fixture_set_up, test_document_language_row, sesame_test_fixture_tear_down);

  return g_test_run ();
}
