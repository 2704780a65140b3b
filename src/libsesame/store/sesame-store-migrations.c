/* sesame-store-migrations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Brings a store's schema up to date when it is opened. The migrations
 * themselves are SQL (sesame-store-schema.c); this applies them one
 * version at a time, each in a transaction of its own, and copes with
 * two programs opening a new store at once: the second finds the work
 * done. A store written by a newer Sésame is refused rather than
 * misread.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

#include <glib/gi18n-lib.h>

#include "sesame-store-internal-private.h"

static gboolean
read_schema_version (SesameStore  *self,
                     guint        *version,
                     GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sesame_store_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *version = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* Schema 1 creates the store: it records its identity, which desks
 * sharing it will compare. */
static gboolean
record_identity (SesameStore  *self,
                 GError      **error)
{
  g_autofree char *uuid = _sesame_new_id ();
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, sesame_store_now (self));
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self, "INSERT INTO meta (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, "store-id", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, "created-at", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, "owner", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, g_get_user_name (), -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}

/**
 * _sesame_store_migrations_run:
 * @self: a #SesameStore just opened
 * @error: return location for a #GError
 *
 * Brings the schema of @self up to the one this Sésame knows, one
 * migration per transaction.
 *
 * Returns: %FALSE, with @error set, when a migration failed or the store
 *   was written by a newer Sésame (%SESAME_ERROR_STORE_VERSION)
 */
gboolean
_sesame_store_migrations_run (SesameStore  *self,
                              GError      **error)
{
  guint version = 0;
  guint latest = _sesame_store_schema_version ();

  if (!read_schema_version (self, &version, error))
    return FALSE;

  if (version > latest)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_STORE_VERSION,
                   _("The store %s was written by a newer version of Sésame (schema %u, this one knows %u). Update Sésame on this desk."),
                   self->path, version, latest);
      return FALSE;
    }

  for (guint to = version + 1; to <= latest; to++)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u", to);

      if (!_sesame_store_begin (self, error))
        return FALSE;
      /* Another process (two programs started at once on a new store) may
       * have migrated it while this one waited for the lock. */
      if (!read_schema_version (self, &version, error))
        {
          _sesame_store_rollback (self);
          return FALSE;
        }
      if (version >= to)
        {
          _sesame_store_rollback (self);
          if (version > latest)
            return _sesame_store_migrations_run (self, error);
          to = version;
          continue;
        }
      if (!_sesame_store_exec (self, _sesame_store_schema_migration (to), error) ||
          !_sesame_store_exec (self, pragma, error))
        {
          _sesame_store_rollback (self);
          g_prefix_error (error, _("Cannot update the store to schema %u: "), to);
          return FALSE;
        }
      if (to == 1 && !record_identity (self, error))
        {
          _sesame_store_rollback (self);
          return FALSE;
        }
      if (!_sesame_store_commit (self, error))
        return FALSE;
    }

  return TRUE;
}

