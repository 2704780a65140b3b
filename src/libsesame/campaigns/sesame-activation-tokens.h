/* sesame-activation-tokens.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-store.h"

G_BEGIN_DECLS

char *sesame_activation_tokens_redeem (SesameStore  *self,
                                       const char   *token,
                                       GError      **error);

G_END_DECLS
