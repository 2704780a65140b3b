/* sesame-sync-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's side of the sync: it decides on each entry a desk pushes,
 * in its own current state, and publishes what it applied as an ordered
 * feed that desks read by establishment. sesame-server calls these for
 * its push and feed requests; the desk's authentication and the
 * operator's proof are checked before, by the server program.
 */
#pragma once

#include "sesame-sync.h"
#include "sesame-sync-desks.h"

G_BEGIN_DECLS

gboolean           sesame_sync_server_enable     (SesameStore            *server,
                                                  GError                **error);
SesameSyncVerdict  sesame_sync_server_apply      (SesameStore            *server,
                                                  const SesameSyncEntry  *entry,
                                                  const char             *desk,
                                                  gint64                 *seq,
                                                  char                  **reason,
                                                  GError                **error);
SesameSyncVerdict  sesame_sync_server_apply_pushed (SesameStore          *server,
                                                    const SesameSyncEntry *entry,
                                                    const SesameSyncDesk *desk,
                                                    const char           *ticket,
                                                    const char           *language,
                                                    gint64               *seq,
                                                    char                **reason,
                                                    GError              **error);
const char        *sesame_sync_server_pick_language (const char          *accept_language);
GPtrArray         *sesame_sync_server_read_feed  (SesameStore            *server,
                                                  const char * const     *scopes,
                                                  gint64                  since,
                                                  guint                   limit,
                                                  GError                **error);
gint64             sesame_sync_server_get_head   (SesameStore            *server,
                                                  GError                **error);

G_END_DECLS
