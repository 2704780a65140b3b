/* sesame-store-language.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The language a store's letters and messages are written in.
 */
#pragma once

#include <gio/gio.h>

#include "sesame-types.h"

G_BEGIN_DECLS

char        *sesame_store_language_dup         (SesameStore      *self);

G_END_DECLS
