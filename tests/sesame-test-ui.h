/* sesame-test-ui.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tests that drive a window: their start, their fixture (a store and
 * Sésame started on it), waiting for what they read, reading it.
 */
#pragma once

#include <adwaita.h>
#include <gtk/gtk.h>

#include "sesame-application.h"
#include "sesame-window.h"

G_BEGIN_DECLS

gboolean  sesame_test_ui_init           (int                 *argc,
                                         char              ***argv);
gboolean  sesame_test_has_display       (void);
gboolean  sesame_test_skip_without_display (void);
void      sesame_test_skip_no_display   (gpointer             fixture,
                                         gconstpointer        data);

/* g_test_add() for a test that needs a display: without one, the test is
 * skipped and its fixture never set up. */
#define sesame_test_add_ui(path, Fixture, data, set_up, test, tear_down) \
  G_STMT_START { \
    if (sesame_test_has_display ()) \
      g_test_add (path, Fixture, data, set_up, test, tear_down); \
    else \
      g_test_add_vtable (path, sizeof (Fixture), data, NULL, sesame_test_skip_no_display, NULL); \
  } G_STMT_END

/* What a window test works on: a folder of its own, the small school's
 * store in it (sesame-test-fixture.h), and Sésame started on that store.
 * The tests with nothing more to hold use it as their Fixture, the others
 * put it first in theirs. */
typedef struct
{
  char              *dir;
  SesameStore       *store;
  SesameApplication *app;
  SesameWindow      *window;
} SesameTestDesk;

void      sesame_test_desk_set_up       (SesameTestDesk      *desk,
                                         gconstpointer        data);
void      sesame_test_desk_start        (SesameTestDesk      *desk,
                                         const char          *name);
void      sesame_test_desk_tear_down    (SesameTestDesk      *desk,
                                         gconstpointer        data);

/* How long sesame_test_wait_until() waits before the test fails. */
#define SESAME_TEST_WAIT_SECONDS 30

typedef gboolean (*SesameTestCondition) (gpointer data);

void      sesame_test_spin              (guint                ms);
void      sesame_test_wait_until_for    (SesameTestCondition  condition,
                                         gpointer             data,
                                         guint                seconds);
void      sesame_test_wait_until        (SesameTestCondition  condition,
                                         gpointer             data);
void      sesame_test_sign_in_activate  (gpointer             page,
                                         const char          *action);
gpointer  sesame_test_find_toplevel     (GType                type);
gpointer  sesame_test_wait_for_toplevel (GType                type);
void      sesame_test_respond           (gpointer             dialog,
                                         const char          *response);
SesameApplication *sesame_test_app_start (SesameStore     *store,
                                          const char      *name,
                                          SesameWindow   **window);
GtkWidget *sesame_test_find_descendant (GtkWidget          *widget,
                                         GType               type);
char     *sesame_test_plain_text        (const char          *text);
void      sesame_test_collect_labels    (GtkWidget           *widget,
                                         GPtrArray           *labels);
GPtrArray *sesame_test_read_table       (GtkWidget           *root);
const char *sesame_test_table_cell      (GPtrArray           *table,
                                         guint                row,
                                         guint                column);
GtkWidget *sesame_test_first_row_button (GtkWidget         *root,
                                         GType              type);
GtkLabel *sesame_test_find_label        (GtkWidget           *root,
                                         const char          *needle);
void      sesame_test_assert_shown      (GtkWidget           *root,
                                         const char          *needle);
void      sesame_test_assert_wrapped_between_words (GtkLabel *label);
gboolean  sesame_test_on_screen         (GtkWidget           *widget);
void      sesame_test_resize            (GtkWindow           *window,
                                         int                  width);
gboolean  sesame_test_skip_without_screenshots (void);
void      sesame_test_screenshot        (GtkWindow           *window,
                                         int                  width,
                                         const char          *name);

G_END_DECLS
