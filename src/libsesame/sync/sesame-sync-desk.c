/* sesame-sync-desk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A desk keeps working without the server: its own changes wait in the
 * outbox (sesame-store-capture.c records them). When a page of the
 * server's feed arrives, the desk undoes its pending changes, applies the
 * feed as the server's truth, and replays its pending changes one by one
 * over it, each under the rules of its tables; a change that no longer
 * fits (another desk changed the same login first) is taken out and kept
 * as a conflict for the operator, with the value that won. No rebaser:
 * it silently drops local edits. A pending entry leaves the outbox only
 * when the feed brings it back, so a desk killed anywhere loses nothing
 * and applies nothing twice. All of it in one transaction per page.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-search-index-private.h"
#include "sesame-sync-private.h"

typedef struct
{
  char   *id;
  char   *operator;
  char   *action;
  gint64  desk_time;
  gint64  base_seq;
  GBytes *changeset;
  char   *verdict;
} Pending;

static void
pending_free (Pending *pending)
{
  g_free (pending->id);
  g_free (pending->operator);
  g_free (pending->action);
  g_clear_pointer (&pending->changeset, g_bytes_unref);
  g_free (pending->verdict);
  g_free (pending);
}

static char *
dup_state (SesameStore *store,
           const char  *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  stmt = _sesame_store_prepare (store, "SELECT value FROM sync_state WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static gboolean
set_state (SesameStore  *store,
           const char   *key,
           const char   *value,
           GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (store, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (store, stmt, error);
}

static gint64
get_state_int (SesameStore *store,
               const char  *key)
{
  g_autofree char *value = dup_state (store, key);

  return value ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static gboolean
set_state_int (SesameStore  *store,
               const char   *key,
               gint64        value,
               GError      **error)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  return set_state (store, key, text, error);
}

/**
 * sesame_sync_desk_join:
 * @store: a #SesameStore holding the server's snapshot
 * @server: the server's address, e.g. "https://10.0.0.2:8443"
 * @desk: the desk's name on the server
 * @cursor: the feed's sequence number the snapshot was taken at
 * @error: return location for a #GError
 *
 * Makes @store a desk of @server: from now on each write transaction
 * records its changes in the outbox, and the feed is read after @cursor.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_sync_desk_join (SesameStore  *store,
                       const char   *server,
                       const char   *desk,
                       gint64        cursor,
                       GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);
  g_return_val_if_fail (server != NULL && desk != NULL, FALSE);

  if (!_sesame_store_begin (store, error))
    return FALSE;
  /* A snapshot of the server holds the server's own bookkeeping. */
  if (!_sesame_store_exec (store,
                           "DELETE FROM sync_state; DELETE FROM sync_feed; DELETE FROM sync_verdicts;"
                           " DELETE FROM sync_feed_roles; DELETE FROM sync_outbox; DELETE FROM sync_conflicts;",
                           error) ||
      !set_state (store, "server", server, error) ||
      !set_state (store, "desk", desk, error) ||
      !set_state_int (store, "cursor", cursor, error))
    {
      _sesame_store_rollback (store);
      return FALSE;
    }
  return _sesame_store_commit (store, error);
}

/**
 * sesame_sync_desk_is_joined:
 * @store: a #SesameStore
 *
 * Tells whether this store takes part in sync as a desk of a server,
 * rather than standing alone.
 *
 * Returns: whether @store is a desk joined to a server
 */
gboolean
sesame_sync_desk_is_joined (SesameStore *store)
{
  g_autofree char *server = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);

  server = dup_state (store, "server");
  return server != NULL;
}

static GPtrArray *
load_pending (SesameStore  *store,
              GError      **error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sesame_store_prepare (store,
                                "SELECT id, operator, action, desk_time, base_seq, changeset, verdict"
                                " FROM sync_outbox ORDER BY rowid",
                                error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Pending *row = g_new0 (Pending, 1);

      row->id = g_strdup (_sesame_column_text (stmt, 0));
      row->operator = g_strdup (_sesame_column_text (stmt, 1));
      row->action = g_strdup (_sesame_column_text (stmt, 2));
      row->desk_time = sqlite3_column_int64 (stmt, 3);
      row->base_seq = sqlite3_column_int64 (stmt, 4);
      row->changeset = g_bytes_new (sqlite3_column_blob (stmt, 5), sqlite3_column_bytes (stmt, 5));
      row->verdict = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? NULL : g_strdup (_sesame_column_text (stmt, 6));
      g_ptr_array_add (pending, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&pending);
}

/**
 * sesame_sync_desk_list_pending:
 * @store: a desk's #SesameStore
 * @error: return location for a #GError
 *
 * The outbox entries to push, oldest first: those the server has not
 * accepted yet (never pushed, or stale).
 *
 * Returns: (transfer full) (element-type SesameSyncEntry): the entries
 */
GPtrArray *
sesame_sync_desk_list_pending (SesameStore  *store,
                               GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_sync_entry_free);
  g_autofree char *desk = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  rows = load_pending (store, error);
  if (rows == NULL)
    return NULL;
  desk = dup_state (store, "desk");
  for (guint i = 0; i < rows->len; i++)
    {
      Pending *row = g_ptr_array_index (rows, i);
      SesameSyncEntry *entry;

      if (g_strcmp0 (row->verdict, "accepted") == 0)
        continue;
      entry = sesame_sync_entry_new (row->id, row->operator, row->action, row->desk_time,
                                     row->base_seq, row->changeset);
      entry->desk = g_strdup (desk);
      g_ptr_array_add (entries, entry);
    }
  return g_steal_pointer (&entries);
}

static gboolean
add_conflict (SesameStore  *store,
              const char   *entry_id,
              const char   *operator,
              const char   *action,
              gint64        desk_time,
              const char   *target,
              const char   *message,
              GError      **error)
{
  g_autofree char *id = _sesame_new_id ();
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (store,
                                "INSERT INTO sync_conflicts (id, entry_id, operator, action, desk_time, recorded_at, target, message)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, entry_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, operator ? operator : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, action ? action : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, desk_time);
  sqlite3_bind_int64 (stmt, 6, sesame_store_now (store));
  sqlite3_bind_text (stmt, 7, target ? target : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, message, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (store, stmt, error);
}

static gboolean
delete_outbox (SesameStore  *store,
               const char   *id,
               GError      **error)
{
  sqlite3_stmt *stmt = _sesame_store_prepare (store, "DELETE FROM sync_outbox WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (store, stmt, error);
}

/* The server's truth wins over whatever the desk holds; rows the desk
 * does not hold (another establishment's) are left out. */
static int
on_feed_conflict (void                   *data,
                  int                     kind,
                  sqlite3_changeset_iter *iter)
{
  if (kind == SQLITE_CHANGESET_DATA || kind == SQLITE_CHANGESET_CONFLICT)
    return SQLITE_CHANGESET_REPLACE;
  return SQLITE_CHANGESET_OMIT;
}

static gboolean
apply_blob (SesameStore  *store,
            const void   *data,
            int           size,
            int           flags,
            GError      **error)
{
  if (size == 0)
    return TRUE;
  if (sqlite3changeset_apply_v2 (_sesame_store_get_db (store), size, (void *) data, NULL,
                                 on_feed_conflict, NULL, NULL, NULL, flags) != SQLITE_OK)
    {
      _sesame_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

/* Takes the desk back to the server's state it last saw: its pending
 * changes undone, newest first, as one inverted changeset. */
static gboolean
undo_pending (SesameStore  *store,
              GPtrArray    *pending,
              GError      **error)
{
  sqlite3_changegroup *group = NULL;
  void *all = NULL;
  int size = 0;
  gboolean ok;

  if (pending->len == 0)
    return TRUE;
  if (sqlite3changegroup_new (&group) != SQLITE_OK)
    {
      _sesame_store_set_error (store, error);
      return FALSE;
    }
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *row = g_ptr_array_index (pending, i);
      gsize n;
      gconstpointer data = g_bytes_get_data (row->changeset, &n);

      if (n > 0 && sqlite3changegroup_add (group, (int) n, (void *) data) != SQLITE_OK)
        {
          sqlite3changegroup_delete (group);
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                       _("The pending change %s of this desk cannot be read."), row->id);
          return FALSE;
        }
    }
  if (sqlite3changegroup_output (group, &size, &all) != SQLITE_OK)
    {
      sqlite3changegroup_delete (group);
      _sesame_store_set_error (store, error);
      return FALSE;
    }
  sqlite3changegroup_delete (group);
  ok = apply_blob (store, all, size, SQLITE_CHANGESETAPPLY_INVERT, error);
  sqlite3_free (all);
  return ok;
}

typedef struct
{
  SesameStore *store;
  gboolean     unresolved;
  char        *target;
  char        *message;
} Replay;

static const char *
conflict_text (sqlite3_changeset_iter *iter,
               int                     column)
{
  sqlite3_value *value = NULL;

  if (sqlite3changeset_conflict (iter, column, &value) == SQLITE_OK && value != NULL &&
      sqlite3_value_type (value) == SQLITE_TEXT)
    return (const char *) sqlite3_value_text (value);
  return NULL;
}

static const char *
iter_text (sqlite3_changeset_iter *iter,
           gboolean                new_value,
           int                     column)
{
  sqlite3_value *value = NULL;
  int rc = new_value ? sqlite3changeset_new (iter, column, &value) : sqlite3changeset_old (iter, column, &value);

  if (rc == SQLITE_OK && value != NULL && sqlite3_value_type (value) == SQLITE_TEXT)
    return (const char *) sqlite3_value_text (value);
  return NULL;
}

static void
unresolved (Replay     *replay,
            const char *target,
            char       *message)
{
  if (replay->unresolved)
    {
      g_free (message);
      return;
    }
  replay->unresolved = TRUE;
  replay->target = g_strdup (target);
  replay->message = message;
}

/* A pending change over the server's newer state, under its table's
 * rule: a first password already revoked or used stays so; the first
 * login change to reach the server wins; anything else that no longer
 * fits takes the whole entry out, as a conflict. */
static int
on_replay_conflict (void                   *data,
                    int                     kind,
                    sqlite3_changeset_iter *iter)
{
  Replay *replay = data;
  const char *table;
  int columns, op, indirect;

  sqlite3changeset_op (iter, &table, &columns, &op, &indirect);

  if (kind == SQLITE_CHANGESET_DATA && g_str_equal (table, "credentials"))
    {
      sqlite3_value *revoked = NULL, *used = NULL;

      if ((sqlite3changeset_conflict (iter, 7, &revoked) == SQLITE_OK && sqlite3_value_type (revoked) != SQLITE_NULL) ||
          (sqlite3changeset_conflict (iter, 6, &used) == SQLITE_OK && sqlite3_value_type (used) != SQLITE_NULL))
        return SQLITE_CHANGESET_OMIT;
    }
  if (kind == SQLITE_CHANGESET_CONFLICT && g_str_equal (table, "former_logins"))
    return SQLITE_CHANGESET_OMIT;

  if (g_str_equal (table, "accounts") && kind == SQLITE_CHANGESET_DATA)
    {
      const char *current = conflict_text (iter, 1);
      const char *mine = iter_text (iter, TRUE, 1);
      const char *before = iter_text (iter, FALSE, 1);

      if (current != NULL && mine != NULL)
        unresolved (replay, before ? before : current,
                    g_strdup_printf (_("The login “%s” was changed to “%s” on another desk first: your change to “%s” was not kept."),
                                     before ? before : "", current, mine));
      else
        unresolved (replay, NULL,
                    g_strdup (_("The account was changed on another desk first: your change was not kept.")));
      return SQLITE_CHANGESET_ABORT;
    }
  if (g_str_equal (table, "accounts") && kind == SQLITE_CHANGESET_CONSTRAINT)
    {
      const char *mine = iter_text (iter, TRUE, 1);

      unresolved (replay, mine,
                  g_strdup_printf (_("The login “%s” was given to someone else on another desk first: your change was not kept."),
                                   mine ? mine : ""));
      return SQLITE_CHANGESET_ABORT;
    }
  if (kind == SQLITE_CHANGESET_NOTFOUND)
    unresolved (replay, NULL,
                g_strdup_printf (_("A row your change was made on (table “%s”) no longer exists on the server: your change was not kept."),
                                 table));
  else
    unresolved (replay, NULL,
                g_strdup_printf (_("Your change no longer fits what the server holds (table “%s”): it was not kept."),
                                 table));
  return SQLITE_CHANGESET_ABORT;
}

/* Replays one pending entry; keeps what it still changes as its new
 * changeset, or takes it out as a conflict. */
static gboolean
replay_one (SesameStore  *store,
            Pending      *row,
            GError      **error)
{
  sqlite3 *db = _sesame_store_get_db (store);
  const char * const *tables = _sesame_store_synced_tables ();
  sqlite3_session *session = NULL;
  Replay replay = { store, FALSE, NULL, NULL };
  gsize size;
  gconstpointer data = g_bytes_get_data (row->changeset, &size);
  void *effective = NULL;
  int effective_size = 0;
  sqlite3_stmt *stmt;
  int rc;
  gboolean ok;

  if (sqlite3session_create (db, "main", &session) != SQLITE_OK)
    {
      _sesame_store_set_error (store, error);
      return FALSE;
    }
  for (guint i = 0; tables[i] != NULL; i++)
    sqlite3session_attach (session, tables[i]);
  rc = size > 0 ? sqlite3changeset_apply_v2 (db, (int) size, (void *) data, NULL, on_replay_conflict,
                                             &replay, NULL, NULL, 0)
                : SQLITE_OK;
  if (rc == SQLITE_OK && !replay.unresolved)
    rc = sqlite3session_changeset (session, &effective_size, &effective);
  sqlite3session_delete (session);

  if (replay.unresolved)
    {
      ok = delete_outbox (store, row->id, error) &&
           add_conflict (store, row->id, row->operator, row->action, row->desk_time,
                         replay.target, replay.message, error);
      g_free (replay.target);
      g_free (replay.message);
      return ok;
    }
  if (rc != SQLITE_OK)
    {
      _sesame_store_set_error (store, error);
      sqlite3_free (effective);
      return FALSE;
    }
  if (effective_size == 0)
    {
      sqlite3_free (effective);
      return delete_outbox (store, row->id, error);
    }

  /* What it changes now, over the server's state: pushed again if the
   * server had found it stale. */
  stmt = _sesame_store_prepare (store,
                                "UPDATE sync_outbox SET changeset = ?2,"
                                " verdict = CASE verdict WHEN 'accepted' THEN verdict ELSE NULL END WHERE id = ?1",
                                error);
  if (stmt == NULL)
    {
      sqlite3_free (effective);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, row->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 2, effective, effective_size, sqlite3_free);
  return _sesame_store_step_done (store, stmt, error);
}

/* A regeneration made at the same time as one of this desk's: the server
 * names "operator@desk" of the other one in an audit entry. */
static gboolean
note_feed_notices (SesameStore            *store,
                   const SesameSyncEntry  *entry,
                   const char             *desk,
                   GError                **error)
{
  g_autofree char *suffix = g_strconcat ("@", desk ? desk : "", NULL);
  sqlite3_changeset_iter *iter = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (entry->changeset, &size);
  gboolean ok = TRUE;

  if (size == 0 || desk == NULL ||
      sqlite3changeset_start (&iter, (int) size, (void *) data) != SQLITE_OK)
    return TRUE;
  while (ok && sqlite3changeset_next (iter) == SQLITE_ROW)
    {
      const char *table;
      int columns, op, indirect;
      const char *action, *detail, *target, *operator;

      sqlite3changeset_op (iter, &table, &columns, &op, &indirect);
      if (op != SQLITE_INSERT || !g_str_equal (table, "audit") || columns < 6)
        continue;
      action = iter_text (iter, TRUE, 3);
      detail = iter_text (iter, TRUE, 5);
      if (g_strcmp0 (action, "concurrent-regeneration") != 0 || detail == NULL ||
          !g_str_has_suffix (detail, suffix))
        continue;
      target = iter_text (iter, TRUE, 4);
      operator = iter_text (iter, TRUE, 2);
      {
        g_autofree char *mine = g_strndup (detail, strlen (detail) - strlen (suffix));
        g_autofree char *message =
          g_strdup_printf (_("%s also regenerated the password of %s at the same time, on another desk: "
                             "both first passwords stay valid until the first sign-in."),
                           operator ? operator : "", target ? target : "");

        ok = add_conflict (store, entry->id, mine, "reset-password", entry->desk_time, target, message, error);
      }
    }
  sqlite3changeset_finalize (iter);
  return ok;
}

/* The persons a feed entry changes (an import on the server). */
static void
collect_persons (const SesameSyncEntry *entry,
                 GPtrArray             *persons)
{
  sqlite3_changeset_iter *iter = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (entry->changeset, &size);

  if (size == 0 || sqlite3changeset_start (&iter, (int) size, (void *) data) != SQLITE_OK)
    return;
  while (sqlite3changeset_next (iter) == SQLITE_ROW)
    {
      const char *table;
      int columns, op, indirect;
      const char *key;

      sqlite3changeset_op (iter, &table, &columns, &op, &indirect);
      if (op == SQLITE_DELETE || !g_str_equal (table, "persons"))
        continue;
      key = iter_text (iter, op == SQLITE_INSERT, 0);
      if (key == NULL)
        key = iter_text (iter, TRUE, 0);
      if (key != NULL)
        g_ptr_array_add (persons, g_strdup (key));
    }
  sqlite3changeset_finalize (iter);
}

/* Undo the pending entries, apply @feed (may be NULL), replay the
 * pending entries but @drop_id (taken out as a conflict with
 * @drop_reason), in one transaction. */
static gboolean
rebase (SesameStore  *store,
        GPtrArray    *feed,
        const char   *drop_id,
        const char   *drop_reason,
        GError      **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GHashTable) returned = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) persons = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *desk = NULL;
  gint64 cursor;

  _sesame_store_capture_suspend (store, TRUE);
  if (!_sesame_store_begin (store, error))
    {
      _sesame_store_capture_suspend (store, FALSE);
      return FALSE;
    }
  /* Constraints are checked at commit, when every row is in place. */
  _sesame_store_exec (store, "PRAGMA defer_foreign_keys = ON", NULL);

  pending = load_pending (store, error);
  if (pending == NULL || !undo_pending (store, pending, error))
    goto fail;

  desk = dup_state (store, "desk");
  cursor = get_state_int (store, "cursor");
  for (guint i = 0; feed != NULL && i < feed->len; i++)
    {
      const SesameSyncEntry *entry = g_ptr_array_index (feed, i);
      gsize size;
      gconstpointer data = g_bytes_get_data (entry->changeset, &size);

      if (entry->seq <= cursor)
        continue; /* a page read twice */
      if (!apply_blob (store, data, (int) size, 0, error) ||
          !note_feed_notices (store, entry, desk, error))
        goto fail;
      collect_persons (entry, persons);
      g_hash_table_add (returned, entry->id);
      cursor = entry->seq;
    }

  for (guint i = 0; i < pending->len; i++)
    {
      Pending *row = g_ptr_array_index (pending, i);

      if (g_hash_table_contains (returned, row->id))
        {
          if (!delete_outbox (store, row->id, error))
            goto fail;
        }
      else if (drop_id != NULL && g_str_equal (row->id, drop_id))
        {
          if (!delete_outbox (store, row->id, error) ||
              !add_conflict (store, row->id, row->operator, row->action, row->desk_time, NULL,
                             drop_reason && drop_reason[0] ? drop_reason : _("The server refused this change."), error))
            goto fail;
        }
      else if (!replay_one (store, row, error))
        goto fail;
    }

  /* The free-text index is the desk's own: it follows the directory. */
  for (guint i = 0; i < persons->len; i++)
    if (!_sesame_search_index_person (store, g_ptr_array_index (persons, i), error))
      goto fail;

  if ((feed != NULL && (!set_state_int (store, "cursor", cursor, error) ||
                        !set_state_int (store, "last-sync", sesame_store_now (store), error))) ||
      !_sesame_store_commit (store, error))
    {
      _sesame_store_capture_suspend (store, FALSE);
      return FALSE;
    }
  _sesame_store_capture_suspend (store, FALSE);
  return TRUE;

fail:
  _sesame_store_rollback (store);
  _sesame_store_capture_suspend (store, FALSE);
  return FALSE;
}

/**
 * sesame_sync_desk_apply_feed:
 * @store: a desk's #SesameStore
 * @feed: (element-type SesameSyncEntry): a page of the server's feed, in
 *   order, as sesame_sync_server_read_feed() gives it
 * @error: return location for a #GError
 *
 * In one transaction: undoes the desk's pending changes, applies @feed,
 * takes out of the outbox the entries the feed brought back, replays the
 * others (those that no longer fit become conflicts) and moves the
 * cursor past the page. Entries at or before the cursor are skipped, so
 * a page applied twice changes nothing.
 *
 * Returns: %TRUE on success; on failure nothing changed
 */
gboolean
sesame_sync_desk_apply_feed (SesameStore  *store,
                             GPtrArray    *feed,
                             GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);
  g_return_val_if_fail (feed != NULL, FALSE);

  return rebase (store, feed, NULL, NULL, error);
}

/**
 * sesame_sync_desk_record_verdict:
 * @store: a desk's #SesameStore
 * @entry_id: the pushed entry
 * @verdict: the server's answer
 * @seq: its place in the feed, when accepted
 * @reason: (nullable): the server's reason or notice
 * @error: return location for a #GError
 *
 * Takes the server's answer to a push. An accepted entry stays until the
 * feed brings it back (a notice that comes with it, such as a
 * regeneration made at the same time elsewhere, is kept for the
 * operator); a stale one is pushed again after the next pull; a refused
 * one is undone on the desk and kept as a conflict with its reason.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_sync_desk_record_verdict (SesameStore        *store,
                                 const char         *entry_id,
                                 SesameSyncVerdict   verdict,
                                 gint64              seq,
                                 const char         *reason,
                                 GError            **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  sqlite3_stmt *stmt;
  Pending *row = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry_id != NULL, FALSE);

  if (verdict == SESAME_SYNC_VERDICT_REJECTED)
    return rebase (store, NULL, entry_id, reason, error);

  pending = load_pending (store, error);
  if (pending == NULL)
    return FALSE;
  for (guint i = 0; i < pending->len && row == NULL; i++)
    if (g_str_equal (((Pending *) g_ptr_array_index (pending, i))->id, entry_id))
      row = g_ptr_array_index (pending, i);
  if (row == NULL)
    return TRUE; /* already back in the feed */

  _sesame_store_capture_suspend (store, TRUE);
  if (!_sesame_store_begin (store, error))
    {
      _sesame_store_capture_suspend (store, FALSE);
      return FALSE;
    }
  stmt = _sesame_store_prepare (store, "UPDATE sync_outbox SET verdict = ?2, seq = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, entry_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sesame_sync_verdict_to_string (verdict), -1, SQLITE_STATIC);
  if (verdict == SESAME_SYNC_VERDICT_ACCEPTED)
    sqlite3_bind_int64 (stmt, 3, seq);
  if (!_sesame_store_step_done (store, stmt, error))
    goto fail;
  if (verdict == SESAME_SYNC_VERDICT_ACCEPTED && reason != NULL && reason[0] != '\0' &&
      !add_conflict (store, entry_id, row->operator, row->action, row->desk_time, NULL, reason, error))
    goto fail;
  _sesame_store_capture_suspend (store, FALSE);
  return _sesame_store_commit (store, error);

fail:
  _sesame_store_rollback (store);
  _sesame_store_capture_suspend (store, FALSE);
  return FALSE;
}

static guint
count (SesameStore *store,
       const char  *sql)
{
  sqlite3_stmt *stmt = _sesame_store_prepare (store, sql, NULL);
  guint n = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/**
 * sesame_sync_desk_get_status:
 * @store: a #SesameStore
 * @status: (out caller-allocates): where to write it; clear it with
 *   sesame_sync_status_clear()
 * @error: return location for a #GError
 *
 * Where the desk stands: its server, the changes waiting to reach it, the
 * last time a feed page was applied, the conflicts left to read. A
 * standalone store has no server and nothing pending.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_sync_desk_get_status (SesameStore       *store,
                             SesameSyncStatus  *status,
                             GError           **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  memset (status, 0, sizeof *status);
  if (!_sesame_store_begin_read (store, error))
    return FALSE;
  status->server = dup_state (store, "server");
  status->desk = dup_state (store, "desk");
  status->cursor = get_state_int (store, "cursor");
  status->last_sync = get_state_int (store, "last-sync");
  status->pending = count (store, "SELECT count(*) FROM sync_outbox");
  status->conflicts = count (store, "SELECT count(*) FROM sync_conflicts WHERE dismissed_at IS NULL");
  return _sesame_store_commit (store, error);
}

/**
 * sesame_sync_desk_list_conflicts:
 * @store: a desk's #SesameStore
 * @error: return location for a #GError
 *
 * Lists the changes of this desk that the server could not apply, and
 * that nobody has dismissed yet, so that an operator can review them.
 *
 * Returns: (transfer full) (element-type SesameSyncConflict): the
 *   conflicts not dismissed, newest first
 */
GPtrArray *
sesame_sync_desk_list_conflicts (SesameStore  *store,
                                 GError      **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  stmt = _sesame_store_prepare (store,
                                "SELECT id, entry_id, operator, action, desk_time, recorded_at, target, message"
                                " FROM sync_conflicts WHERE dismissed_at IS NULL ORDER BY recorded_at DESC, rowid DESC",
                                error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameSyncConflict *conflict = g_new0 (SesameSyncConflict, 1);

      conflict->id = g_strdup (_sesame_column_text (stmt, 0));
      conflict->entry_id = g_strdup (_sesame_column_text (stmt, 1));
      conflict->operator = g_strdup (_sesame_column_text (stmt, 2));
      conflict->action = g_strdup (_sesame_column_text (stmt, 3));
      conflict->desk_time = sqlite3_column_int64 (stmt, 4);
      conflict->recorded_at = sqlite3_column_int64 (stmt, 5);
      conflict->target = g_strdup (_sesame_column_text (stmt, 6));
      conflict->message = g_strdup (_sesame_column_text (stmt, 7));
      g_ptr_array_add (conflicts, conflict);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&conflicts);
}

/**
 * sesame_sync_desk_dismiss_conflict:
 * @store: a desk's #SesameStore
 * @conflict_id: a conflict's id
 * @error: return location for a #GError
 *
 * The operator has read it: it leaves the list.
 *
 * Returns: %TRUE on success, %FALSE with %SESAME_ERROR_NOT_FOUND if no
 *   such conflict is open
 */
gboolean
sesame_sync_desk_dismiss_conflict (SesameStore  *store,
                                   const char   *conflict_id,
                                   GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);

  _sesame_store_capture_suspend (store, TRUE);
  if (!_sesame_store_begin (store, error))
    {
      _sesame_store_capture_suspend (store, FALSE);
      return FALSE;
    }
  stmt = _sesame_store_prepare (store,
                                "UPDATE sync_conflicts SET dismissed_at = ?2 WHERE id = ?1 AND dismissed_at IS NULL",
                                error);
  if (stmt == NULL || (sqlite3_bind_text (stmt, 1, conflict_id, -1, SQLITE_TRANSIENT),
                       sqlite3_bind_int64 (stmt, 2, sesame_store_now (store)),
                       !_sesame_store_step_done (store, stmt, error)))
    goto fail;
  if (sqlite3_changes (_sesame_store_get_db (store)) == 0)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND, _("No open conflict has the id “%s”."), conflict_id);
      goto fail;
    }
  _sesame_store_capture_suspend (store, FALSE);
  return _sesame_store_commit (store, error);

fail:
  _sesame_store_rollback (store);
  _sesame_store_capture_suspend (store, FALSE);
  return FALSE;
}
