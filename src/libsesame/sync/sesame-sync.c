/* sesame-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The values a desk and the server exchange: entries, the desk's
 * conflicts and status. Boxed, so that the server program, sesamectl and
 * the window hold and copy them the same way.
 */
#include "config.h"

#include "sesame-sync-private.h"

G_DEFINE_BOXED_TYPE (SesameSyncEntry, sesame_sync_entry,
                     sesame_sync_entry_copy, sesame_sync_entry_free)
G_DEFINE_BOXED_TYPE (SesameSyncConflict, sesame_sync_conflict,
                     sesame_sync_conflict_copy, sesame_sync_conflict_free)

/**
 * sesame_sync_verdict_to_string:
 * @verdict: a #SesameSyncVerdict
 *
 * Converts a server's verdict on an entry to the token it is written as
 * on the wire and in machine-readable output.
 *
 * Returns: the verdict's token: "accepted", "rejected" or "stale", as the
 *   protocol and `--json` outputs spell it
 */
const char *
sesame_sync_verdict_to_string (SesameSyncVerdict verdict)
{
  switch (verdict)
    {
    case SESAME_SYNC_VERDICT_ACCEPTED:
      return "accepted";
    case SESAME_SYNC_VERDICT_REJECTED:
      return "rejected";
    case SESAME_SYNC_VERDICT_STALE:
      return "stale";
    default:
      g_return_val_if_reached ("rejected");
    }
}

/**
 * sesame_sync_entry_new:
 * @id: the entry's global key
 * @operator: the operator's login
 * @action: (nullable): what the change was
 * @desk_time: when the desk made it
 * @base_seq: the desk's feed cursor then
 * @changeset: the SQLite session changeset
 *
 * Creates a sync entry recording one change a desk made, to send to the
 * server.
 *
 * Returns: (transfer full): a new entry, with no desk, no server time,
 *   no sequence number and no scope yet
 */
SesameSyncEntry *
sesame_sync_entry_new (const char *id,
                       const char *operator,
                       const char *action,
                       gint64      desk_time,
                       gint64      base_seq,
                       GBytes     *changeset)
{
  SesameSyncEntry *entry;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (operator != NULL, NULL);
  g_return_val_if_fail (changeset != NULL, NULL);

  entry = g_new0 (SesameSyncEntry, 1);
  entry->id = g_strdup (id);
  entry->operator = g_strdup (operator);
  entry->action = g_strdup (action ? action : "");
  entry->desk_time = desk_time;
  entry->base_seq = base_seq;
  entry->changeset = g_bytes_ref (changeset);
  entry->scope = g_strdup ("");
  return entry;
}

/**
 * sesame_sync_entry_copy:
 * @entry: a #SesameSyncEntry
 *
 * Duplicates a sync entry; the copy shares @entry's changeset, which is
 * immutable.
 *
 * Returns: (transfer full): a copy of @entry
 */
SesameSyncEntry *
sesame_sync_entry_copy (const SesameSyncEntry *entry)
{
  SesameSyncEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new0 (SesameSyncEntry, 1);
  copy->id = g_strdup (entry->id);
  copy->operator = g_strdup (entry->operator);
  copy->action = g_strdup (entry->action);
  copy->desk = g_strdup (entry->desk);
  copy->desk_time = entry->desk_time;
  copy->server_time = entry->server_time;
  copy->seq = entry->seq;
  copy->base_seq = entry->base_seq;
  copy->changeset = entry->changeset ? g_bytes_ref (entry->changeset) : NULL;
  copy->scope = g_strdup (entry->scope);
  return copy;
}

/**
 * sesame_sync_entry_free:
 * @entry: (nullable): a #SesameSyncEntry
 *
 * Frees a sync entry and everything it holds.
 */
void
sesame_sync_entry_free (SesameSyncEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->operator);
  g_free (entry->action);
  g_free (entry->desk);
  g_clear_pointer (&entry->changeset, g_bytes_unref);
  g_free (entry->scope);
  g_free (entry);
}

/**
 * sesame_sync_conflict_copy:
 * @conflict: a #SesameSyncConflict
 *
 * Duplicates a conflict record, every string included, so that it
 * outlives the list it came from.
 *
 * Returns: (transfer full): a copy of @conflict
 */
SesameSyncConflict *
sesame_sync_conflict_copy (const SesameSyncConflict *conflict)
{
  SesameSyncConflict *copy;

  g_return_val_if_fail (conflict != NULL, NULL);

  copy = g_new0 (SesameSyncConflict, 1);
  copy->id = g_strdup (conflict->id);
  copy->entry_id = g_strdup (conflict->entry_id);
  copy->operator = g_strdup (conflict->operator);
  copy->action = g_strdup (conflict->action);
  copy->desk_time = conflict->desk_time;
  copy->recorded_at = conflict->recorded_at;
  copy->target = g_strdup (conflict->target);
  copy->message = g_strdup (conflict->message);
  return copy;
}

/**
 * sesame_sync_conflict_free:
 * @conflict: (nullable): a #SesameSyncConflict
 *
 * Frees a conflict record and everything it holds.
 */
void
sesame_sync_conflict_free (SesameSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->entry_id);
  g_free (conflict->operator);
  g_free (conflict->action);
  g_free (conflict->target);
  g_free (conflict->message);
  g_free (conflict);
}

/**
 * sesame_sync_status_clear:
 * @status: a #SesameSyncStatus filled by sesame_sync_desk_get_status()
 *
 * Frees what @status holds, not @status itself.
 */
void
sesame_sync_status_clear (SesameSyncStatus *status)
{
  g_clear_pointer (&status->server, g_free);
  g_clear_pointer (&status->desk, g_free);
}
