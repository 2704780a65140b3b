/* sesame-ui-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/**
 * SesameConfirmFunc:
 * @user_data: the data given with it
 *
 * Called when the operator confirms.
 */
typedef void (*SesameConfirmFunc) (gpointer user_data);

char      *sesame_format_date_time  (gint64             unix_time);
char      *sesame_format_date       (gint64             unix_time);
char      *sesame_format_size       (gint64             bytes);
gboolean   sesame_parse_date        (const char        *text,
                                     gint64            *unix_time);
void       sesame_show_error        (GtkWidget         *widget,
                                     const char        *heading,
                                     const GError      *error);
gboolean   sesame_activate_action   (GtkWidget         *widget,
                                     const char        *name,
                                     GVariant          *parameter);
void       sesame_show_toast        (GtkWidget         *widget,
                                     const char        *title);
GtkWidget *sesame_confirm           (GtkWidget         *widget,
                                     const char        *heading,
                                     const char        *body,
                                     const char        *confirm_label,
                                     gboolean           destructive,
                                     SesameConfirmFunc  func,
                                     gpointer           user_data,
                                     GDestroyNotify     user_data_free);
GtkWindow *sesame_widget_get_window (GtkWidget         *widget);

G_END_DECLS

G_BEGIN_DECLS

/**
 * SesameCellTextFunc:
 * @item: the row's item
 *
 * Returns: (transfer full): the text of a cell
 */
typedef char *(*SesameCellTextFunc) (gpointer item);

GtkListItemFactory *sesame_label_factory_new (SesameCellTextFunc func,
                                              gboolean           numeric);
GtkColumnViewColumn *sesame_column_new       (const char        *title,
                                              SesameCellTextFunc func,
                                              gboolean           numeric,
                                              gboolean           expand);

G_END_DECLS

G_BEGIN_DECLS

GtkColumnViewColumn *sesame_wrap_column_new    (const char        *title,
                                                SesameCellTextFunc func,
                                                gboolean           numeric,
                                                gboolean           expand);
char                *sesame_unbreakable_name   (const char        *name);

G_END_DECLS
