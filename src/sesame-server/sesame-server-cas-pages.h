/* sesame-server-cas-pages.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "sesame.h"
#include "sesame-server-pages.h"

G_BEGIN_DECLS

void sesame_server_cas_pages_install (SoupServer        *server,
                                      SesameStore       *store,
                                      SesameServerPages *pages,
                                      gboolean           plain_http);

G_END_DECLS
