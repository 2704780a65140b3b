/* sesame-server-listen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* GSocket's default backlog is 10 connections: a crowd signing in at
 * 8 am (200 at once) would see most of theirs reset by the kernel before
 * the server could even answer 503. */
#define SESAME_SERVER_LISTEN_BACKLOG 1024

gboolean sesame_server_parse_listen     (const char  *text,
                                         char       **host,
                                         guint16     *port,
                                         GError     **error);
gboolean sesame_server_host_is_loopback (const char  *host);
gboolean sesame_server_listen           (SoupServer  *server,
                                         const char  *host,
                                         guint16      port,
                                         gboolean     plain_http,
                                         GError     **error);

G_END_DECLS
