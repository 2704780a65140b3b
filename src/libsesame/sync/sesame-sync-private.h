/* sesame-sync-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the desk's and the server's halves of the sync share: SQLite's
 * session extension and the rules on which tables travel.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-sync-private.h belongs to the core and its tests: include sesame.h"
#endif

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "sesame-store-capture-private.h"
#include "sesame-store-private.h"
#include "sesame-sync.h"
#include "sesame-sync-desk.h"
#include "sesame-sync-server.h"

G_BEGIN_DECLS

/* Whether @table is one of _sesame_store_synced_tables(). */
gboolean _sesame_sync_table_is_synced (const char *table);

G_END_DECLS
