/* sesame-sync-snapshot.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"
#include "sesame-sync-desks.h"

G_BEGIN_DECLS

/* The meta key of a snapshot that says up to which feed entry it holds. */
#define SESAME_SYNC_SNAPSHOT_HEAD_META "sync-snapshot-head"


gboolean sesame_sync_snapshot_write (SesameStore          *store,
                                     const SesameSyncDesk *desk,
                                     gint64                head,
                                     const char           *path,
                                     GError              **error);

G_END_DECLS
