/* sesame-server-api.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "sesame.h"

G_BEGIN_DECLS

void sesame_server_api_install (SoupServer  *server,
                                SesameStore *store);

G_END_DECLS
