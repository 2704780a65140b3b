/* sesame-notices-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-notices-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-notices.h"

G_BEGIN_DECLS

gboolean _sesame_store_queue_notice (SesameStore  *self,
                                     const char   *login,
                                     GError      **error);

G_END_DECLS
