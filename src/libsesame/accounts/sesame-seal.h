/* sesame-seal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sesame-store.h"

G_BEGIN_DECLS

char    *sesame_seal_dup_key_path      (const char   *store_path);
char    *sesame_seal_dup_key_for_desk  (SesameStore  *self,
                                        const char   *desk_public_key,
                                        GError      **error);

G_END_DECLS
