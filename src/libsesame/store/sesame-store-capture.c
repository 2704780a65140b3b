/* sesame-store-capture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A desk joined to a server records every write transaction of the core
 * as an SQLite session changeset, and keeps it in sync_outbox in the same
 * transaction: the change and its record commit together or not at all,
 * so a desk killed at any point neither loses a change nor pushes one that
 * did not happen. Only the tables that desks may write are recorded (the
 * directory is written by the server's imports alone). The server records
 * its own transactions (imports, changes made there) the same way, the
 * directory included, straight into its feed. A standalone store has
 * neither role in sync_state: its transactions start no session and cost
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

/* Written by the server's imports alone; the server publishes them in its
 * feed, desks never push them. */
static const char * const directory_tables[] = {
  "establishments",
  "subjects",
  "persons",
  "memberships",
  "guardians",
  "functions",
  "teachings",
  "staff_subjects",
  NULL
};

/* Written by the server, which runs the imports and the campaigns desks
 * send it: the identifier files an import makes (the accounts it created,
 * per establishment), the campaigns, where each recipient stands and
 * every attempt reach the desks through the feed. A file a desk makes or
 * deletes stays on that desk. Activation tokens stay on the server, which
 * answers their links. */
static const char * const server_tables[] = {
  "identifier_files",
  "identifier_file_accounts",
  "campaigns",
  "campaign_recipients",
  "campaign_attempts",
  NULL
};

typedef enum
{
  ROLE_STANDALONE,
  ROLE_DESK,
  ROLE_SERVER,
} Role;

typedef struct
{
  sqlite3_session *session;
  Role             role;
} Capture;

static void
capture_free (Capture *capture)
{
  sqlite3session_delete (capture->session);
  g_free (capture);
}

static GQuark
capture_quark (void)
{
  return g_quark_from_static_string ("sesame-store-capture");
}

static GQuark
outboxed_quark (void)
{
  return g_quark_from_static_string ("sesame-store-capture-outboxed");
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

static Role
read_role (SesameStore *self)
{
  sqlite3_stmt *stmt = NULL;
  Role role = ROLE_STANDALONE;

  /* Prepared each time: while the store migrates, the table may not exist
   * yet, and the store's statement cache reports such failures loudly. */
  if (sqlite3_prepare_v2 (_sesame_store_get_db (self),
                          "SELECT key FROM sync_state WHERE key IN ('server', 'feed')", -1, &stmt, NULL) != SQLITE_OK)
    return ROLE_STANDALONE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    role = g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "server") ? ROLE_DESK : ROLE_SERVER;
  sqlite3_finalize (stmt);
  return role;
}

/**
 * _sesame_store_capture_start:
 * @self: a #SesameStore whose write transaction just began
 *
 * On a desk, starts recording the synced tables' changes; on a server,
 * those and the directory's, for its feed.
 */
void
_sesame_store_capture_start (SesameStore *self)
{
  sqlite3_session *session = NULL;
  Capture *capture;
  Role role;

  if (g_object_get_qdata (G_OBJECT (self), suspended_quark ()) != NULL)
    return;
  role = read_role (self);
  if (role == ROLE_STANDALONE)
    return;

  if (sqlite3session_create (_sesame_store_get_db (self), "main", &session) != SQLITE_OK)
    {
      g_warning ("Store %s: cannot record its changes: %s",
                 sesame_store_get_path (self), sqlite3_errmsg (_sesame_store_get_db (self)));
      return;
    }
  for (guint i = 0; synced_tables[i] != NULL; i++)
    sqlite3session_attach (session, synced_tables[i]);
  for (guint i = 0; role == ROLE_SERVER && directory_tables[i] != NULL; i++)
    sqlite3session_attach (session, directory_tables[i]);
  for (guint i = 0; role == ROLE_SERVER && server_tables[i] != NULL; i++)
    sqlite3session_attach (session, server_tables[i]);
  capture = g_new0 (Capture, 1);
  capture->session = session;
  capture->role = role;
  g_object_set_qdata_full (G_OBJECT (self), capture_quark (), capture, (GDestroyNotify) capture_free);
}

void
_sesame_store_capture_abort (SesameStore *self)
{
  g_object_set_qdata (G_OBJECT (self), capture_quark (), NULL);
  g_object_set_qdata (G_OBJECT (self), outboxed_quark (), NULL);
}

gboolean
_sesame_store_capture_take_outboxed (SesameStore *self)
{
  return g_object_steal_qdata (G_OBJECT (self), outboxed_quark ()) != NULL;
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
  Capture *capture = g_object_steal_qdata (G_OBJECT (self), capture_quark ());
  g_autofree char *id = NULL;
  g_autofree char *action = NULL;
  const char *operator;
  void *changeset = NULL;
  int size = 0;
  sqlite3_stmt *stmt;
  Role role;

  if (capture == NULL)
    return TRUE;

  role = capture->role;
  if (sqlite3session_changeset (capture->session, &size, &changeset) != SQLITE_OK)
    {
      capture_free (capture);
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  capture_free (capture);
  if (size == 0)
    {
      sqlite3_free (changeset);
      return TRUE;
    }

  id = _sesame_new_id ();
  action = dup_action (changeset, size);
  operator = sesame_store_operator_get_login (self);
  if (role == ROLE_DESK)
    stmt = _sesame_store_prepare (self,
                                  "INSERT INTO sync_outbox (id, operator, action, desk_time, base_seq, changeset) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                  error);
  else
    /* The server's own change (an import, an administrator's action
     * there): published to every desk at once. */
    stmt = _sesame_store_prepare (self,
                                  "INSERT INTO sync_feed (entry_id, scope, operator, action, desk, desk_time, base_seq,"
                                  " server_time, changeset) VALUES (?1, '', ?2, ?3, '', ?4, ?5, ?4, ?6)",
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
  sqlite3_bind_int64 (stmt, 5, role == ROLE_DESK ? read_cursor (self) : 0);
  sqlite3_bind_blob (stmt, 6, changeset, size, sqlite3_free);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;
  if (role == ROLE_DESK)
    g_object_set_qdata (G_OBJECT (self), outboxed_quark (), GINT_TO_POINTER (TRUE));
  return TRUE;
}
