/* sesame-search-index-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-search-index-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-store-private.h"

G_BEGIN_DECLS

gboolean _sesame_search_index_person (SesameStore  *self,
                                      const char   *person_key,
                                      GError      **error);

G_END_DECLS
