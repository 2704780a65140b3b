/* sesame-boxed-item.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SESAME_TYPE_BOXED_ITEM (sesame_boxed_item_get_type ())

G_DECLARE_FINAL_TYPE (SesameBoxedItem, sesame_boxed_item, SESAME, BOXED_ITEM, GObject)

SesameBoxedItem *sesame_boxed_item_new      (GType            boxed_type,
                                             gconstpointer    boxed);
SesameBoxedItem *sesame_boxed_item_new_take (GType            boxed_type,
                                             gpointer         boxed);
gpointer         sesame_boxed_item_get      (SesameBoxedItem *self);
GListStore      *sesame_boxed_item_store_from_array (GType      boxed_type,
                                                     GPtrArray *array);

G_END_DECLS
