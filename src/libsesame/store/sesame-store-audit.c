/* sesame-store-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes the audit trail: who did what to whom, and when. Every change
 * the core makes records its entry in the same transaction, so that a
 * change is never kept without its entry nor an entry without its
 * change. Reading the trail is the accounts' business (sesame-audit.c).
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

#include "sesame-store-private.h"

gboolean
_sesame_store_audit (SesameStore  *self,
                     const char   *action,
                     const char   *target,
                     const char   *detail,
                     GError      **error)
{
  g_autofree char *uuid = _sesame_new_id ();
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO audit (id, at, operator, action, target, detail) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  sqlite3_bind_text (stmt, 3, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, target ? target : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, detail ? detail : "", -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}

