/* sesame-server-tls.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GTlsCertificate *sesame_server_tls_load        (const char       *store_path,
                                                const char       *certificate_path,
                                                const char       *key_path,
                                                gboolean         *created,
                                                GError          **error);
char            *sesame_server_tls_fingerprint (GTlsCertificate  *certificate);

G_END_DECLS
