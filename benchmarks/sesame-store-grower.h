/* sesame-store-grower.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A store of a million persons for the search benchmark, grown in seconds
 * by copying the persons an import brought in (sesame-store-grower.c).
 */
#pragma once

#include "sesame-store-private.h"

G_BEGIN_DECLS

/**
 * sesame_store_grower_clone_persons:
 * @store: a store holding imported persons
 * @target_persons: how many persons the store should hold at the end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Grows @store to about @target_persons persons by copying the persons
 * already in it (with their accounts, classes, guardians and search index)
 * into new establishments: each copy gets new directory keys (the original
 * key with a "-<n>" suffix), other first names, and logins made by the
 * store's own rule. Runs in one transaction.
 *
 * Returns: %TRUE on success, %FALSE with @error set otherwise
 */
gboolean sesame_store_grower_clone_persons (SesameStore   *store,
                                            guint          target_persons,
                                            GCancellable  *cancellable,
                                            GError       **error);

G_END_DECLS
