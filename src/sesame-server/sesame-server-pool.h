/* sesame-server-pool.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame.h"

G_BEGIN_DECLS

typedef struct _SesameServerPool SesameServerPool;

/* Runs in a worker thread with a store connection of its own. */
typedef void (*SesameServerPoolWork) (SesameStore *store,
                                      gpointer     data);
/* Runs afterwards in the thread that made the pool. */
typedef void (*SesameServerPoolDone) (gpointer     data);

SesameServerPool *sesame_server_pool_new      (SesameStore           *store,
                                               guint                  workers,
                                               guint                  queue_max,
                                               GError               **error);
gboolean          sesame_server_pool_push     (SesameServerPool      *self,
                                               SesameServerPoolWork   work,
                                               SesameServerPoolDone   done,
                                               gpointer               data);
guint             sesame_server_pool_get_pending (SesameServerPool   *self);
void              sesame_server_pool_free     (SesameServerPool      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameServerPool, sesame_server_pool_free)

G_END_DECLS
