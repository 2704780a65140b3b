/* sesame-sync-desk.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's side of the sync: it becomes a desk, lists what it has to
 * push, applies a page of the server's feed over its pending changes and
 * takes the server's verdicts. The program that talks to the server
 * (sesamectl sync, the window's background sync) calls these in a round:
 * pull (read the feed since sesame_sync_desk_get_status()'s cursor, apply
 * it), then push (each pending entry, then record its verdict).
 */
#pragma once

#include "sesame-sync.h"

G_BEGIN_DECLS

gboolean   sesame_sync_desk_join              (SesameStore        *store,
                                               const char         *server,
                                               const char         *desk,
                                               gint64              cursor,
                                               GError            **error);
gboolean   sesame_sync_desk_is_joined         (SesameStore        *store);
GPtrArray *sesame_sync_desk_list_pending      (SesameStore        *store,
                                               GError            **error);
gboolean   sesame_sync_desk_apply_feed        (SesameStore        *store,
                                               GPtrArray          *feed,
                                               GError            **error);
gboolean   sesame_sync_desk_record_verdict    (SesameStore        *store,
                                               const char         *entry_id,
                                               SesameSyncVerdict   verdict,
                                               gint64              seq,
                                               const char         *reason,
                                               GError            **error);
gboolean   sesame_sync_desk_get_status        (SesameStore        *store,
                                               SesameSyncStatus   *status,
                                               GError            **error);
GPtrArray *sesame_sync_desk_list_conflicts    (SesameStore        *store,
                                               GError            **error);
gboolean   sesame_sync_desk_dismiss_conflict  (SesameStore        *store,
                                               const char         *conflict_id,
                                               GError            **error);

G_END_DECLS
