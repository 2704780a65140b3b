/* sesame-test-ui.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <gtk/gtk.h>

#include "sesame-application.h"
#include "sesame-window.h"

G_BEGIN_DECLS

/* How long sesame_test_wait_until() waits before the test fails. */
#define SESAME_TEST_WAIT_SECONDS 30

typedef gboolean (*SesameTestCondition) (gpointer data);

void      sesame_test_spin              (guint                ms);
void      sesame_test_wait_until_for    (SesameTestCondition  condition,
                                         gpointer             data,
                                         guint                seconds);
void      sesame_test_wait_until        (SesameTestCondition  condition,
                                         gpointer             data);
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
GtkLabel *sesame_test_find_label        (GtkWidget           *root,
                                         const char          *needle);
void      sesame_test_assert_shown      (GtkWidget           *root,
                                         const char          *needle);
void      sesame_test_assert_wrapped_between_words (GtkLabel *label);
gboolean  sesame_test_on_screen         (GtkWidget           *widget);
void      sesame_test_resize            (GtkWindow           *window,
                                         int                  width);
void      sesame_test_screenshot        (GtkWindow           *window,
                                         int                  width,
                                         const char          *name);

G_END_DECLS
