/* sesame-sync-scheduler.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's background sync: rounds with the server every few seconds
 * and at once after a local change, on a connection of their own, and
 * where the desk stands for the window's header bar and `sesamectl sync
 * --follow`.
 */
#pragma once

#include "sesame-store.h"
#include "sesame-sync-client.h"

G_BEGIN_DECLS

/**
 * SESAME_SYNC_DEFAULT_INTERVAL:
 *
 * Seconds between two rounds while the server answers. A change made on
 * one desk is sent at once; another desk receives it at its next round,
 * within this interval plus a round's duration (a few tens of
 * milliseconds on a school's network): two seconds keep the delay from
 * desk to desk under three.
 */
#define SESAME_SYNC_DEFAULT_INTERVAL 2

/**
 * SESAME_SYNC_MAX_BACKOFF:
 *
 * The longest wait, in seconds, between two rounds while the server
 * cannot be reached: the wait doubles from %SESAME_SYNC_DEFAULT_INTERVAL
 * after each failed round, up to this. A local change still tries at once.
 */
#define SESAME_SYNC_MAX_BACKOFF 30

/**
 * SesameSyncState:
 * @SESAME_SYNC_STATE_SYNCED: the last round went through: the desk is in
 *   step with the server
 * @SESAME_SYNC_STATE_OFFLINE: the server cannot be reached; the desk
 *   works on and keeps its changes until it can
 * @SESAME_SYNC_STATE_SYNCING: a round is running
 * @SESAME_SYNC_STATE_CONFLICTS: in step, but changes of this desk lost
 *   to other desks' or were refused, and are listed until dismissed
 * @SESAME_SYNC_STATE_REFUSED: the server answers but refused the last
 *   round (a revoked desk, another certificate) or some of its changes
 *
 * Where a desk stands with its server.
 */
typedef enum
{
  SESAME_SYNC_STATE_SYNCED,
  SESAME_SYNC_STATE_OFFLINE,
  SESAME_SYNC_STATE_SYNCING,
  SESAME_SYNC_STATE_CONFLICTS,
  SESAME_SYNC_STATE_REFUSED,
} SesameSyncState;

#define SESAME_TYPE_SYNC_STATE (sesame_sync_state_get_type ())
GType sesame_sync_state_get_type (void) G_GNUC_CONST;

#define SESAME_TYPE_SYNC_SCHEDULER (sesame_sync_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (SesameSyncScheduler, sesame_sync_scheduler, SESAME, SYNC_SCHEDULER, GObject)

SesameSyncScheduler *sesame_sync_scheduler_new               (SesameStore          *store,
                                                              GError              **error);
SesameStore         *sesame_sync_scheduler_get_store         (SesameSyncScheduler  *self);
void                 sesame_sync_scheduler_poke              (SesameSyncScheduler  *self);
void                 sesame_sync_scheduler_stop              (SesameSyncScheduler  *self);
SesameSyncState      sesame_sync_scheduler_get_state         (SesameSyncScheduler  *self);
guint                sesame_sync_scheduler_get_pending       (SesameSyncScheduler  *self);
gint64               sesame_sync_scheduler_get_offline_since (SesameSyncScheduler  *self);
gint64               sesame_sync_scheduler_get_last_sync     (SesameSyncScheduler  *self);
guint                sesame_sync_scheduler_get_conflicts     (SesameSyncScheduler  *self);
GPtrArray           *sesame_sync_scheduler_get_last_refusals (SesameSyncScheduler  *self);
const char          *sesame_sync_scheduler_get_last_error    (SesameSyncScheduler  *self);
guint                sesame_sync_scheduler_get_rounds        (SesameSyncScheduler  *self);

G_END_DECLS
