/* sesame-sync.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a desk and the server exchange (DESIGN.md, SYNC.md). A desk
 * records each of its write transactions as an SQLite session changeset in
 * an outbox; the server checks each pushed entry row by row against its
 * own current state, applies it as compare-and-swap and publishes what it
 * applied in an ordered feed; desks pull the feed, undo their pending
 * entries, apply it and replay them. This header holds the types both
 * sides share; sesame-sync-desk.h and sesame-sync-server.h their calls.
 * No transport here: the server program carries these values over HTTPS.
 */
#pragma once

#include <gio/gio.h>

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameSyncVerdict:
 * @SESAME_SYNC_VERDICT_ACCEPTED: checked and applied; its feed sequence
 *   number is given
 * @SESAME_SYNC_VERDICT_REJECTED: refused for good, with the reason; the
 *   desk undoes it and shows the reason
 * @SESAME_SYNC_VERDICT_STALE: written against rows that changed on the
 *   server since: the desk pulls the feed and pushes again
 *
 * The server's answer to one pushed entry.
 */
typedef enum
{
  SESAME_SYNC_VERDICT_ACCEPTED,
  SESAME_SYNC_VERDICT_REJECTED,
  SESAME_SYNC_VERDICT_STALE,
} SesameSyncVerdict;

const char        *sesame_sync_verdict_to_string   (SesameSyncVerdict verdict);

/**
 * SesameSyncEntry:
 * @id: the entry's global key (a UUID made by the desk)
 * @operator: the login of the operator who made the change
 * @action: what the change was, as the audit trail names it
 *   ("reset-password", "set-login", "grant-role" …); may be empty
 * @desk: the name of the desk that made it (%NULL until the server says)
 * @desk_time: when the desk made it (seconds since the epoch, desk clock)
 * @server_time: when the server applied it (0 until then)
 * @seq: its place in the server's feed (0 until accepted)
 * @base_seq: the desk's feed cursor when the change was made: what the
 *   desk had seen of the server
 * @changeset: the SQLite session changeset
 * @scope: the UAI of the establishment it concerns, or "" for all (set by
 *   the server)
 *
 * One write transaction of a desk, as it travels: in the desk's outbox,
 * pushed to the server, and back in the server's feed.
 */
typedef struct
{
  char   *id;
  char   *operator;
  char   *action;
  char   *desk;
  gint64  desk_time;
  gint64  server_time;
  gint64  seq;
  gint64  base_seq;
  GBytes *changeset;
  char   *scope;
} SesameSyncEntry;

#define SESAME_TYPE_SYNC_ENTRY (sesame_sync_entry_get_type ())
GType              sesame_sync_entry_get_type      (void) G_GNUC_CONST;
SesameSyncEntry   *sesame_sync_entry_new           (const char             *id,
                                                    const char             *operator,
                                                    const char             *action,
                                                    gint64                  desk_time,
                                                    gint64                  base_seq,
                                                    GBytes                 *changeset);
SesameSyncEntry   *sesame_sync_entry_copy          (const SesameSyncEntry  *entry);
void               sesame_sync_entry_free          (SesameSyncEntry        *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameSyncEntry, sesame_sync_entry_free)

/**
 * SesameSyncConflict:
 * @id: the conflict's key
 * @entry_id: the outbox entry it came from
 * @operator: the operator whose change it was
 * @action: what the change was
 * @desk_time: when the desk made the change
 * @recorded_at: when the conflict was found
 * @target: the login or key concerned, or ""
 * @message: what happened, for the operator, in the interface's language
 *   ("The login was changed meanwhile to … on another desk: yours was not
 *   kept.")
 *
 * A change of this desk that the server refused or that could not be
 * replayed over the server's newer state, kept until dismissed.
 */
typedef struct
{
  char   *id;
  char   *entry_id;
  char   *operator;
  char   *action;
  gint64  desk_time;
  gint64  recorded_at;
  char   *target;
  char   *message;
} SesameSyncConflict;

#define SESAME_TYPE_SYNC_CONFLICT (sesame_sync_conflict_get_type ())
GType               sesame_sync_conflict_get_type  (void) G_GNUC_CONST;
SesameSyncConflict *sesame_sync_conflict_copy      (const SesameSyncConflict *conflict);
void                sesame_sync_conflict_free      (SesameSyncConflict       *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameSyncConflict, sesame_sync_conflict_free)

/**
 * SesameSyncStatus:
 * @server: the server's address the desk joined, or %NULL for a
 *   standalone store
 * @desk: the desk's name on the server, or %NULL
 * @cursor: the last feed sequence number applied
 * @pending: outbox entries not yet back in the feed
 * @last_sync: when a feed page was last applied (0: never)
 * @conflicts: conflicts not dismissed
 *
 * Where a desk stands, for the header bar and `sesamectl sync status`.
 */
typedef struct
{
  char   *server;
  char   *desk;
  gint64  cursor;
  guint   pending;
  gint64  last_sync;
  guint   conflicts;
} SesameSyncStatus;

void               sesame_sync_status_clear        (SesameSyncStatus *status);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SesameSyncStatus, sesame_sync_status_clear)

G_END_DECLS
