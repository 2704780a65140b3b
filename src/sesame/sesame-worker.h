/* sesame-worker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame.h"

G_BEGIN_DECLS

/**
 * SesameWorkerFunc:
 * @store: a connection of its own to the store, for this thread only
 * @data: the data given to sesame_worker_run_async()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Slow work run off the main thread.
 *
 * Returns: the result, or %NULL with @error set
 */
typedef gpointer (*SesameWorkerFunc) (SesameStore   *store,
                                      gpointer       data,
                                      GCancellable  *cancellable,
                                      GError       **error);

void     sesame_worker_run_async  (SesameStore         *store,
                                   SesameWorkerFunc     func,
                                   gpointer             data,
                                   GDestroyNotify       data_free,
                                   GDestroyNotify       result_free,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gpointer sesame_worker_run_finish (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
