/* sesame-store-capture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A desk joined to a server records every write transaction of the core
 * as an SQLite session changeset, and keeps it in sync_outbox in the same
 * transaction: the change and its record commit together or not at all,
 * so a desk killed at any point neither loses a change nor pushes one that
 * did not happen. Only the tables that desks may write are recorded (the
 * directory is written by the server's imports alone). A standalone store
 * has no server in sync_state: its transactions start no session and cost
 * one lookup.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <sqlite3.h>

#include "sesame-store-capture-private.h"
#include "sesame-store-private.h"

/* Credentials and logins, former logins, role grants and revocations, and
 * the audit trail, which also records what was printed. Each has a global
 * primary key (a UUID or the directory key): changesets skip rows without
 * one. */
static const char * const synced_tables[] = {
  "accounts",
  "credentials",
  "former_logins",
  "role_events",
  "audit",
  NULL
};

static GQuark
capture_quark (void)
{
  return g_quark_from_static_string ("sesame-store-capture");
}

static GQuark
suspended_quark (void)
{
  return g_quark_from_static_string ("sesame-store-capture-suspended");
}

const char * const *
_sesame_store_synced_tables (void)
{
  return synced_tables;
}

void
_sesame_store_capture_suspend (SesameStore *self,
                               gboolean     suspended)
{
  g_object_set_qdata (G_OBJECT (self), suspended_quark (), GINT_TO_POINTER (suspended));
}

static gboolean
is_desk (SesameStore *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean desk = FALSE;

  /* Prepared each time: while the store migrates, the table may not exist
   * yet, and the store's statement cache reports such failures loudly. */
  if (sqlite3_prepare_v2 (_sesame_store_get_db (self),
                          "SELECT 1 FROM sync_state WHERE key = 'server'", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  desk = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return desk;
}

/**
 * _sesame_store_capture_start:
 * @self: a #SesameStore whose write transaction just began
 *
 * On a desk, starts recording the synced tables' changes.
 */
void
_sesame_store_capture_start (SesameStore *self)
{
  sqlite3_session *session = NULL;

  if (g_object_get_qdata (G_OBJECT (self), suspended_quark ()) != NULL || !is_desk (self))
    return;

  if (sqlite3session_create (_sesame_store_get_db (self), "main", &session) != SQLITE_OK)
    {
      g_warning ("Store %s: cannot record its changes: %s",
                 sesame_store_get_path (self), sqlite3_errmsg (_sesame_store_get_db (self)));
      return;
    }
  for (guint i = 0; synced_tables[i] != NULL; i++)
    sqlite3session_attach (session, synced_tables[i]);
  g_object_set_qdata (G_OBJECT (self), capture_quark (), session);
}

void
_sesame_store_capture_abort (SesameStore *self)
{
  sqlite3_session *session = g_object_steal_qdata (G_OBJECT (self), capture_quark ());

  if (session != NULL)
    sqlite3session_delete (session);
}

/* The audit trail names what the transaction did: its first entry. */
static char *
dup_action (const void *changeset,
            int         size)
{
  sqlite3_changeset_iter *iter = NULL;
  char *action = NULL;

  if (sqlite3changeset_start (&iter, size, (void *) changeset) != SQLITE_OK)
    return g_strdup ("");
  while (action == NULL && sqlite3changeset_next (iter) == SQLITE_ROW)
    {
      const char *table;
      int columns, op, indirect;
      sqlite3_value *value = NULL;

      sqlite3changeset_op (iter, &table, &columns, &op, &indirect);
      if (op == SQLITE_INSERT && g_str_equal (table, "audit") && columns > 3 &&
          sqlite3changeset_new (iter, 3, &value) == SQLITE_OK && value != NULL &&
          sqlite3_value_type (value) == SQLITE_TEXT)
        action = g_strdup ((const char *) sqlite3_value_text (value));
    }
  sqlite3changeset_finalize (iter);
  return action ? action : g_strdup ("");
}

static gint64
read_cursor (SesameStore *self)
{
  sqlite3_stmt *stmt;
  gint64 cursor = 0;

  stmt = _sesame_store_prepare (self, "SELECT value FROM sync_state WHERE key = 'cursor'", NULL);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cursor = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return cursor;
}

/**
 * _sesame_store_capture_finish:
 * @self: a #SesameStore about to commit
 * @error: return location for a #GError
 *
 * Stops recording and, when the transaction changed a synced table, adds
 * its changeset to the outbox, in the transaction.
 *
 * Returns: %FALSE if the outbox could not be written: the transaction
 *   must then roll back
 */
gboolean
_sesame_store_capture_finish (SesameStore  *self,
                              GError      **error)
{
  sqlite3_session *session = g_object_steal_qdata (G_OBJECT (self), capture_quark ());
  g_autofree char *id = NULL;
  g_autofree char *action = NULL;
  const char *operator;
  void *changeset = NULL;
  int size = 0;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (session == NULL)
    return TRUE;

  if (sqlite3session_changeset (session, &size, &changeset) != SQLITE_OK)
    {
      sqlite3session_delete (session);
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  sqlite3session_delete (session);
  if (size == 0)
    {
      sqlite3_free (changeset);
      return TRUE;
    }

  id = _sesame_new_id ();
  action = dup_action (changeset, size);
  operator = sesame_store_get_operator (self);
  stmt = _sesame_store_prepare (self,
                                "INSERT INTO sync_outbox (id, operator, action, desk_time, base_seq, changeset) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    {
      sqlite3_free (changeset);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, operator ? operator : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, sesame_store_now (self));
  sqlite3_bind_int64 (stmt, 5, read_cursor (self));
  sqlite3_bind_blob (stmt, 6, changeset, size, sqlite3_free);
  ok = _sesame_store_step_done (self, stmt, error);
  return ok;
}
