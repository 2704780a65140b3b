/* sesame-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store a desk works on: opening it, its clock, and what it holds at a
 * glance. Who acts on it, its settings and its document language have
 * headers of their own (sesame-store-operator.h, sesame-store-settings.h,
 * sesame-store-language.h).
 */
#pragma once

#include <gio/gio.h>

#include "sesame-types.h"

G_BEGIN_DECLS

#define SESAME_TYPE_STORE (sesame_store_get_type ())

G_DECLARE_FINAL_TYPE (SesameStore, sesame_store, SESAME, STORE, GObject)

/**
 * SesameStoreOpenFlags:
 * @SESAME_STORE_OPEN_NONE: open an existing store to read and write it
 * @SESAME_STORE_OPEN_CREATE: create the store when its file does not exist
 *   (the default store is created in any case)
 * @SESAME_STORE_OPEN_READ: only read: opening writes nothing (expired first
 *   passwords are hidden, not purged), so that it never waits for a
 *   writer such as an import; a store of an older schema is still brought
 *   up to date
 *
 * How sesame_store_open_full() opens a store.
 */
typedef enum
{
  SESAME_STORE_OPEN_NONE   = 0,
  SESAME_STORE_OPEN_CREATE = 1 << 0,
  SESAME_STORE_OPEN_READ   = 1 << 1,
} SesameStoreOpenFlags;

char        *sesame_store_default_path     (void);
gboolean     sesame_store_is_default_path  (const char   *path);
SesameStore *sesame_store_open             (const char   *path,
                                            GError      **error);
SesameStore *sesame_store_open_full        (const char            *path,
                                            SesameStoreOpenFlags   flags,
                                            GError               **error);
gboolean     sesame_store_is_read_only     (SesameStore  *self);
SesameStore *sesame_store_dup              (SesameStore  *self,
                                            GError      **error);
gboolean     sesame_store_adopt_operator   (SesameStore  *self,
                                            SesameStore  *copy,
                                            GError      **error);
const char  *sesame_store_get_path         (SesameStore  *self);
const char  *sesame_store_get_id           (SesameStore  *self);
guint        sesame_store_get_schema_version (SesameStore *self);

gint64       sesame_store_now              (SesameStore  *self);
void         sesame_store_set_now          (SesameStore  *self,
                                            gint64        now);

gboolean     sesame_store_is_empty         (SesameStore  *self);
gboolean     sesame_store_has_administrator (SesameStore *self);

G_END_DECLS
