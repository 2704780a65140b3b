/* sesame-boxed-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Carries one of the core's boxed records (an identifier file, a role
 * grant, an audit entry) in a GListModel for list and column views.
 */
#include "config.h"

#include "sesame-boxed-item.h"

struct _SesameBoxedItem
{
  GObject  parent_instance;

  GType    boxed_type;
  gpointer boxed;
};

G_DEFINE_FINAL_TYPE (SesameBoxedItem, sesame_boxed_item, G_TYPE_OBJECT)

/**
 * sesame_boxed_item_new_take:
 * @boxed_type: a boxed type
 * @boxed: (transfer full): a value of that type
 *
 * Returns: (transfer full): an item holding @boxed
 */
SesameBoxedItem *
sesame_boxed_item_new_take (GType    boxed_type,
                            gpointer boxed)
{
  SesameBoxedItem *self;

  g_return_val_if_fail (G_TYPE_IS_BOXED (boxed_type), NULL);
  g_return_val_if_fail (boxed != NULL, NULL);

  self = g_object_new (SESAME_TYPE_BOXED_ITEM, NULL);
  self->boxed_type = boxed_type;
  self->boxed = boxed;
  return self;
}

/**
 * sesame_boxed_item_new:
 * @boxed_type: a boxed type
 * @boxed: a value of that type, copied
 *
 * Returns: (transfer full): an item holding a copy of @boxed
 */
SesameBoxedItem *
sesame_boxed_item_new (GType         boxed_type,
                       gconstpointer boxed)
{
  return sesame_boxed_item_new_take (boxed_type, g_boxed_copy (boxed_type, boxed));
}

/**
 * sesame_boxed_item_get:
 * @self: a #SesameBoxedItem
 *
 * Returns: (transfer none): the value held
 */
gpointer
sesame_boxed_item_get (SesameBoxedItem *self)
{
  g_return_val_if_fail (SESAME_IS_BOXED_ITEM (self), NULL);
  return self->boxed;
}

/**
 * sesame_boxed_item_store_from_array:
 * @boxed_type: the type of the values of @array
 * @array: values of @boxed_type, copied
 *
 * Returns: (transfer full): a list of #SesameBoxedItem
 */
GListStore *
sesame_boxed_item_store_from_array (GType      boxed_type,
                                    GPtrArray *array)
{
  GListStore *store = g_list_store_new (SESAME_TYPE_BOXED_ITEM);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_ptr_array_add (items, sesame_boxed_item_new (boxed_type, g_ptr_array_index (array, i)));
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return store;
}

static void
sesame_boxed_item_finalize (GObject *object)
{
  SesameBoxedItem *self = SESAME_BOXED_ITEM (object);

  if (self->boxed != NULL)
    g_boxed_free (self->boxed_type, self->boxed);

  G_OBJECT_CLASS (sesame_boxed_item_parent_class)->finalize (object);
}

static void
sesame_boxed_item_class_init (SesameBoxedItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sesame_boxed_item_finalize;
}

static void
sesame_boxed_item_init (SesameBoxedItem *self)
{
}
