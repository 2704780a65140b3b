/* sesame-store-internal-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of store/ share among themselves and with nobody else:
 * the store's instance, whose state sesame-store.c (the connection and
 * its transactions), sesame-store-operator.c (who acts) and
 * sesame-store-settings.c (the settings read and changed) each keep a
 * part of, and the steps of opening a store that live beside
 * sesame-store.c. The rest of the core goes through
 * sesame-store-private.h, which keeps the instance opaque.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-store-internal-private.h belongs to the store: include sesame.h"
#endif

#include "sesame-store-private.h"

G_BEGIN_DECLS

struct _SesameStore
{
  GObject     parent_instance;

  char       *path;
  char       *id;
  sqlite3    *db;
  /* Prepared statements by their SQL. The keys are copies: a caller may
   * build its SQL and free it once the statement is prepared. */
  GHashTable *statements;
  /* Settings read since the last write transaction began: an import reads
   * the password policy once, not once per account. */
  GHashTable *settings_cache;
  /* Settings changed by the write transaction under way, announced by
   * "setting-changed" once it commits. */
  GPtrArray  *changed_settings;

  /* The acting operator: NULL login for the store's owner. */
  char       *operator_login;
  char       *operator_key;
  char       *operator_name;

  gint64      now_override;
  guint       transaction_depth;
  guint       rollback_only : 1;
  /* Opened with SESAME_STORE_OPEN_READ: the connection refuses writes. */
  guint       read_only : 1;

  /* Copies a large commit from the write-ahead log into the database
   * file, on a connection of its own: see _sesame_store_commit_large(). */
  GThread    *checkpoint;

  /* The connection this one was opened from (sesame_store_dup()), told
   * too when this one's commits add to the desk's outbox: the window
   * listens on its own connection, its jobs write on theirs. */
  GWeakRef    origin;
};

/* sesame-store.c */
void           _sesame_store_notify_operator  (SesameStore  *self);

/* sesame-store-file.c: before SQLite opens the file. */
gboolean       _sesame_store_file_check       (const char   *path,
                                               gboolean      create,
                                               gboolean     *exists,
                                               GError      **error);
gboolean       _sesame_store_file_create_folder (const char  *path,
                                                 GError     **error);
gboolean       _sesame_store_file_make_private (const char  *path,
                                                GError     **error);

/* sesame-store-migrations.c */
gboolean       _sesame_store_migrations_run   (SesameStore  *self,
                                               GError      **error);

/* sesame-store-operator.c */
char          *_sesame_store_operator_dup_owner_name (void);

/* sesame-store-settings.c */
void           _sesame_store_settings_class_init (SesameStoreClass *klass);
void           _sesame_store_settings_announce (SesameStore  *self);

G_END_DECLS
