/* test-files-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Fichiers des identifiants" page as a secretary meets it: many files
 * of one name told apart by their establishment and contents, sorted by
 * any column, a page at a time; the row's buttons on screen at 600 px;
 * each files.* action driven as its button drives it. What is asserted is
 * what the table and the dialogs show. Without a display the tests are
 * skipped.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sesame-application.h"
#include "sesame-boxed-item.h"
#include "sesame-document-language.h"
#include "sesame-files-page.h"
#include "sesame-print-preview.h"
#include "sesame-regenerate-dialog.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef struct
{
  SesameTestDesk   base;  /* the store and Sésame on it */
  SesameFilesPage *page;
} Fixture;

/* Files a second apart, as a busy import and regenerations make them,
 * the newest a few minutes ago. */
static void
generate (Fixture    *fixture,
          const char *uai,
          guint       n)
{
  static gint64 clock;

  if (clock == 0)
    clock = g_get_real_time () / G_USEC_PER_SEC - 600;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SesameIdentifierFile) file = NULL;

      sesame_store_set_now (fixture->base.store, ++clock);
      file = sesame_identifier_files_generate (fixture->base.store, uai, 0, &error);

      g_assert_no_error (error);
      g_assert_nonnull (file);
    }
}

static gboolean
page_idle (gpointer data)
{
  return !sesame_files_page_get_busy (data);
}

/* The store's files are made before the window opens: @data is how many
 * files of the Collège Les Aravis (the Lycée Berthollet has one more).
 * Marc FAURE, the secretary, administers both establishments. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_files = GPOINTER_TO_UINT (data);

  sesame_test_desk_set_up (&fixture->base, data);
  sesame_test_name_ent (fixture->base.store);
  if (n_files > 0)
    {
      generate (fixture, "0740018T", 1);
      generate (fixture, "0740017S", n_files);
      sesame_store_set_now (fixture->base.store, 0);
    }
  g_assert_true (sesame_roles_grant_admin (fixture->base.store, "marc.faure", SESAME_ROLE_SCOPE_ALL, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "marc.faure", &error));
  g_assert_no_error (error);

  sesame_test_desk_start (&fixture->base, "FilesTest");
  gtk_window_set_default_size (GTK_WINDOW (fixture->base.window), 1366, 800);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.show-page", "s", "files"));
  fixture->page = SESAME_FILES_PAGE (sesame_window_get_page (fixture->base.window, "files"));
  sesame_test_wait_until (page_idle, fixture->page);
  sesame_test_spin (300);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sesame_test_desk_tear_down (&fixture->base, data);
}

/* Reading the screen */

/* read_table() once the first row shows @expected in @column: a sort is
 * drawn at the next frames, later on a slow machine. */
static GPtrArray *
read_table_once (GtkWidget  *root,
                 guint       column,
                 const char *expected)
{
  for (guint tries = 0; tries < 75; tries++)
    {
      g_autoptr(GPtrArray) table = sesame_test_read_table (root);

      if (table->len > 0 && column < ((GPtrArray *) g_ptr_array_index (table, 0))->len &&
          g_str_equal (sesame_test_table_cell (table, 0, column), expected))
        return g_steal_pointer (&table);
    }
  g_error ("The table's first row never showed “%s”", expected);
}

/* The columns of the files table, as shown. */
enum { NAME, ESTABLISHMENT, CONTENTS, ACCOUNTS, SIZE, GENERATED, LISTED, N_CELLS };

static gboolean
name_on_screen (gpointer data)
{
  GtkLabel *label = sesame_test_find_label (data, "ENT-Identifiants-0740017S.csv");

  return label != NULL && sesame_test_on_screen (GTK_WIDGET (label));
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

/* Tests */

/* 124 files of one name: each row says whose accounts of which
 * establishment it holds, and when to the second. */
static void
test_identify (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) table = NULL;
  g_autoptr(GRegex) seconds = g_regex_new ("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$", 0, 0, NULL);

  table = sesame_test_read_table (GTK_WIDGET (fixture->page));
  g_assert_cmpuint (table->len, >=, 5);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (table, 0))->len, ==, N_CELLS);
  /* Newest first: the files of the Collège, then the Lycée's. */
  g_assert_cmpstr (sesame_test_table_cell (table, 0, NAME), ==, "ENT-Identifiants-0740017S.csv");
  g_assert_cmpstr (sesame_test_table_cell (table, 0, ESTABLISHMENT), ==, "Collège Les Aravis (0740017S)");
  /* Four pupils and three parents of the Collège have accounts. */
  g_assert_cmpstr (sesame_test_table_cell (table, 0, CONTENTS), ==, "4 pupils, 3 parents");
  g_assert_cmpstr (sesame_test_table_cell (table, 0, ACCOUNTS), ==, "7");
  g_assert_cmpstr (sesame_test_table_cell (table, 0, LISTED), ==, "All accounts");
  g_assert_true (g_regex_match (seconds, sesame_test_table_cell (table, 0, GENERATED), 0, NULL));
  sesame_test_assert_shown (GTK_WIDGET (fixture->page), "50 of 124 identifier files shown");
}

/* Any column sorts the table, as a click on its header does. */
static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *page;
  g_autoptr(GPtrArray) table = NULL;

  page = GTK_WIDGET (fixture->page);

  /* The Lycée's file is the oldest: last of 124, not even on the first page. */
  table = sesame_test_read_table (page);
  for (guint i = 0; i < table->len; i++)
    g_assert_cmpstr (sesame_test_table_cell (table, i, ESTABLISHMENT), !=, "Lycée Berthollet (0740018T)");

  g_assert_true (gtk_widget_activate_action (page, "files.sort", "(sb)", "establishment", TRUE));
  g_clear_pointer (&table, g_ptr_array_unref);
  table = read_table_once (page, ESTABLISHMENT, "Lycée Berthollet (0740018T)");
  g_assert_cmpstr (sesame_test_table_cell (table, 0, NAME), ==, "ENT-Identifiants-0740018T.csv");
  g_assert_cmpstr (sesame_test_table_cell (table, 0, CONTENTS), ==, "1 pupil, 1 parent");
  g_assert_cmpstr (sesame_test_table_cell (table, 1, ESTABLISHMENT), ==, "Collège Les Aravis (0740017S)");

  g_assert_true (gtk_widget_activate_action (page, "files.sort", "(sb)", "accounts", FALSE));
  g_clear_pointer (&table, g_ptr_array_unref);
  table = read_table_once (page, ACCOUNTS, "2");

  g_assert_true (gtk_widget_activate_action (page, "files.sort", "(sb)", "generated", FALSE));
  g_clear_pointer (&table, g_ptr_array_unref);
  table = read_table_once (page, ESTABLISHMENT, "Lycée Berthollet (0740018T)");

  g_assert_true (gtk_widget_activate_action (page, "files.sort", "(sb)", "name", TRUE));
  g_clear_pointer (&table, g_ptr_array_unref);
  table = read_table_once (page, NAME, "ENT-Identifiants-0740018T.csv");
}

/* A page of 50 files at a time, the count saying so, "Show More" below. */
static void
test_show_more (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *more;
  GtkColumnView *column_view;

  page = GTK_WIDGET (fixture->page);
  column_view = GTK_COLUMN_VIEW (sesame_test_find_descendant (page, GTK_TYPE_COLUMN_VIEW));

  sesame_test_assert_shown (page, "50 of 124 identifier files shown");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (column_view))), ==, 50);
  more = gtk_widget_get_parent (GTK_WIDGET (sesame_test_find_label (page, "Show More")));
  g_assert_true (gtk_widget_get_mapped (more));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (more)), ==, "files.show-more");

  g_assert_true (gtk_widget_activate_action (page, "files.show-more", NULL));
  sesame_test_spin (100);
  sesame_test_assert_shown (page, "100 of 124 identifier files shown");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (column_view))), ==, 100);

  g_assert_true (gtk_widget_activate_action (page, "files.show-more", NULL));
  sesame_test_spin (100);
  sesame_test_assert_shown (page, "124 identifier files");
  g_assert_null (sesame_test_find_label (page, "of 124"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (column_view))), ==, 124);
  g_assert_false (gtk_widget_get_visible (more));
}

/* At 600 px the row's buttons stay on screen beside the name, a scrollbar
 * shows that the table goes on, and widening again brings the table back
 * to its first column. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *page;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *hadjustment;
  g_autoptr(GPtrArray) table = NULL;

  page = GTK_WIDGET (fixture->page);
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (sesame_test_find_descendant (page, GTK_TYPE_COLUMN_VIEW),
                                                           GTK_TYPE_SCROLLED_WINDOW));
  hadjustment = gtk_scrolled_window_get_hadjustment (scrolled);

  sesame_test_resize (GTK_WINDOW (fixture->base.window), 600);
  g_assert_true (sesame_test_on_screen (sesame_test_first_row_button (page, GTK_TYPE_MENU_BUTTON)));
  g_assert_true (sesame_test_on_screen (sesame_test_first_row_button (page, GTK_TYPE_BUTTON)));
  g_assert_true (sesame_test_on_screen (GTK_WIDGET (sesame_test_find_label (page, "ENT-Identifiants-0740017S.csv"))));
  /* The table is wider than the window: a scrollbar that shows. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), >, gtk_adjustment_get_page_size (hadjustment));
  g_assert_false (gtk_scrolled_window_get_overlay_scrolling (scrolled));
  g_assert_true (gtk_widget_get_mapped (gtk_scrolled_window_get_hscrollbar (scrolled)));

  /* Scrolled to its last column, then the window widened again. */
  gtk_adjustment_set_value (hadjustment, gtk_adjustment_get_upper (hadjustment));
  sesame_test_spin (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (hadjustment), >, 0);
  /* As wide as any test display allows (xvfb-run's is 1280 px). */
  sesame_test_resize (GTK_WINDOW (fixture->base.window), 1200);
  g_assert_cmpfloat (gtk_adjustment_get_value (hadjustment), ==, 0);
  sesame_test_wait_until (name_on_screen, page);
  table = sesame_test_read_table (page);
  g_assert_cmpstr (sesame_test_table_cell (table, 0, NAME), ==, "ENT-Identifiants-0740017S.csv");
}

/* files.delete: the dialog's heading never breaks inside the file's name,
 * its body names the file and its establishment. */
static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *page;
  AdwMessageDialog *dialog;
  g_autoptr(GObject) first = NULL;
  g_autofree char *body = NULL;
  const SesameIdentifierFile *file;

  page = GTK_WIDGET (fixture->page);
  sesame_test_resize (GTK_WINDOW (fixture->base.window), 600);

  first = g_list_model_get_item (sesame_files_page_get_files (fixture->page), 0);
  file = sesame_boxed_item_get (SESAME_BOXED_ITEM (first));
  g_assert_true (gtk_widget_activate_action (page, "files.delete", "s", file->id));
  dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  sesame_test_spin (300);
  sesame_test_assert_wrapped_between_words (sesame_test_find_label (GTK_WIDGET (dialog), adw_message_dialog_get_heading (dialog)));
  body = sesame_test_plain_text (adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (body, "ENT-Identifiants-0740017S.csv of Collège Les Aravis (0740017S)"));
  sesame_test_assert_wrapped_between_words (sesame_test_find_label (GTK_WIDGET (dialog), "Collège Les Aravis"));

  sesame_test_respond (dialog, "confirm");
  sesame_test_spin (100);
  sesame_test_assert_shown (page, "50 of 123 identifier files shown");
  sesame_test_assert_shown (GTK_WIDGET (fixture->base.window), "deleted");
}

/* files.regenerate: the dialog keeps its size while a date is typed, its
 * list of establishments shows their whole names; the new file comes at
 * the top of the table. */
static void
test_regenerate (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *page;
  SesameRegenerateDialog *dialog;
  g_autoptr(GPtrArray) table = NULL;
  int width, height;
  const char *typed[] = { "1", "12/0", "12/09/20", "12/09/2100", "12/09/2024", "" };

  page = GTK_WIDGET (fixture->page);

  g_assert_true (gtk_widget_activate_action (page, "files.regenerate", NULL));
  dialog = sesame_test_wait_for_toplevel (SESAME_TYPE_REGENERATE_DIALOG);
  /* Laid out first: slow builds (sanitizers) take a while to show it. */
  sesame_test_wait_until (has_size, dialog);
  sesame_test_spin (300);
  width = gtk_widget_get_width (GTK_WIDGET (dialog));
  height = gtk_widget_get_height (GTK_WIDGET (dialog));
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      sesame_regenerate_dialog_set_since_text (dialog, typed[i]);
      sesame_test_spin (200);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), ==, width);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (dialog)), ==, height);
    }
  /* The establishment chosen, its name whole. */
  sesame_test_assert_shown (GTK_WIDGET (dialog), "Collège Les Aravis (0740017S)");
  g_assert_cmpstr (sesame_regenerate_dialog_get_uai (dialog), ==, "0740017S");

  /* The "Périmètre" list shows each name whole. */
  {
    GtkWidget *combo = sesame_test_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW);
    GtkWidget *popover = NULL;
    const char *names[] = { "Collège Les Aravis (0740017S)", "Lycée Berthollet (0740018T)" };

    g_assert_true (gtk_widget_activate (combo));
    sesame_test_spin (300);
    popover = sesame_test_find_descendant (combo, GTK_TYPE_POPOVER);
    g_assert_true (gtk_widget_get_mapped (popover));
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        GtkLabel *label = sesame_test_find_label (popover, names[i]);

        g_assert_nonnull (label);
        g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
      }
    gtk_popover_popdown (GTK_POPOVER (popover));
    sesame_test_spin (100);
  }

  sesame_test_respond (dialog, "validate");
  sesame_test_wait_until (page_idle, fixture->page);
  sesame_test_spin (200);
  sesame_test_assert_shown (page, "50 of 125 identifier files shown");
  sesame_test_assert_shown (GTK_WIDGET (fixture->base.window), "ENT-Identifiants-0740017S.csv generated: 7 accounts");
  table = sesame_test_read_table (page);
  g_assert_cmpstr (sesame_test_table_cell (table, 0, ESTABLISHMENT), ==, "Collège Les Aravis (0740017S)");
}

/* files.export writes the file, private; files.download asks where, with
 * the file's name; files.print previews the slips and letters. */
static void
test_export_download_print (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *page;
  g_autoptr(GObject) first = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  const SesameIdentifierFile *file;
  GStatBuf st;

  page = GTK_WIDGET (fixture->page);
  first = g_list_model_get_item (sesame_files_page_get_files (fixture->page), 0);
  file = sesame_boxed_item_get (SESAME_BOXED_ITEM (first));

  path = g_build_filename (fixture->base.dir, "export.csv", NULL);
  g_assert_true (gtk_widget_activate_action (page, "files.export", "(ss)", file->id, path));
  sesame_test_wait_until (page_idle, fixture->page);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "zoe.martin"));

#ifndef SESAME_TEST_ASAN
  {
    GtkWidget *chooser;
    g_autofree char *name = NULL;

    g_assert_true (gtk_widget_activate_action (page, "files.download", "(ss)", file->id, "csv"));
    chooser = GTK_WIDGET (sesame_test_wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
    name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
    g_assert_cmpstr (name, ==, "ENT-Identifiants-0740017S.csv");
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
    sesame_test_spin (100);
  }
#endif

  g_assert_true (gtk_widget_activate_action (page, "files.print", "(ss)", file->id, "preview"));
  sesame_test_wait_for_toplevel (SESAME_TYPE_PRINT_PREVIEW);
}

/* data/screenshots/files.png and files-narrow.png, in the session's
 * language. */
static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  if (sesame_test_skip_without_screenshots ())
    return;
  sesame_test_screenshot (GTK_WINDOW (fixture->base.window), 1366, "files.png");
  sesame_test_screenshot (GTK_WINDOW (fixture->base.window), 600, "files-narrow.png");
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

#define ADD(path, files, func) \
  sesame_test_add_ui (path, Fixture, GUINT_TO_POINTER (files), fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/files-page/identify", 123, test_identify);
  ADD ("/sesame/files-page/sort", 123, test_sort);
  ADD ("/sesame/files-page/show-more", 123, test_show_more);
  ADD ("/sesame/files-page/narrow", 123, test_narrow);
  ADD ("/sesame/files-page/delete", 123, test_delete);
  ADD ("/sesame/files-page/regenerate", 123, test_regenerate);
  ADD ("/sesame/files-page/export-download-print", 3, test_export_download_print);
  ADD ("/sesame/files-page/screenshots", 123, test_screenshots);
#undef ADD

  return g_test_run ();
}
