/* sesame-store-capture-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's record of its own writes, hooked into the store's
 * transactions: see sesame-store-capture.c.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-store-capture-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-store.h"

G_BEGIN_DECLS

/* The tables a desk records and pushes, NULL-terminated. */
const char * const *_sesame_store_synced_tables        (void);

void                _sesame_store_capture_start        (SesameStore  *self);
gboolean            _sesame_store_capture_finish       (SesameStore  *self,
                                                        GError      **error);
void                _sesame_store_capture_abort        (SesameStore  *self);
/* Whether the transaction just ended added an entry to the desk's outbox;
 * forgets it. */
gboolean            _sesame_store_capture_take_outboxed (SesameStore *self);
/* While suspended, transactions record nothing: the sync's own writes
 * (a feed page, a replay) are not changes of the desk's operators. */
void                _sesame_store_capture_suspend      (SesameStore  *self,
                                                        gboolean      suspended);

G_END_DECLS
