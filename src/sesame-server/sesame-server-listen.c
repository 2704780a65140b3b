/* sesame-server-listen.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where sesame-server listens: `--listen HOST:PORT` read, then one socket
 * per address with a backlog fit for a crowd (libsoup's own listening
 * keeps GSocket's 10). `*` listens on every IPv4 and IPv6 address, on the
 * same port for both, as soup_server_listen_all() does.
 */
#include "config.h"

#include <netinet/in.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sesame-server-listen.h"

/**
 * sesame_server_parse_listen:
 * @text: `HOST:PORT`, `[IPv6]:PORT`, or `*:PORT` for every address
 * @host: (out) (transfer full): the host, without brackets
 * @port: (out): the port (0: one the system chooses)
 * @error: where a malformed @text is told
 *
 * Returns: whether @text is well formed
 */
gboolean
sesame_server_parse_listen (const char  *text,
                            char       **host,
                            guint16     *port,
                            GError     **error)
{
  const char *colon = text != NULL ? strrchr (text, ':') : NULL;
  guint64 value = 0;

  if (colon == NULL || colon == text ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--listen wants HOST:PORT (for example 0.0.0.0:8443), not “%s”."),
                   text != NULL ? text : "");
      return FALSE;
    }
  if (text[0] == '[' && colon[-1] == ']')
    *host = g_strndup (text + 1, colon - text - 2);
  else
    *host = g_strndup (text, colon - text);
  *port = (guint16) value;
  return TRUE;
}

/**
 * sesame_server_host_is_loopback:
 * @host: a host as sesame_server_parse_listen() gives it
 *
 * Plain HTTP carries passwords and session cookies in clear: only a test
 * on this machine may ask for it.
 *
 * Returns: whether @host is `localhost` or a loopback address
 */
gboolean
sesame_server_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_str_equal (host, "localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* One listening socket; its port in @bound_port (the one the system chose
 * for port 0). An IPv6 socket takes IPv6 only: `*` listens on IPv4 apart. */
static gboolean
listen_socket (SoupServer               *server,
               GInetAddress             *address,
               guint16                   port,
               SoupServerListenOptions   options,
               guint16                  *bound_port,
               GError                  **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);
  g_autoptr(GSocketAddress) local = NULL;
  GSocketFamily family = g_inet_address_get_family (address);

  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  if (family == G_SOCKET_FAMILY_IPV6 && !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, 1, error))
    return FALSE;
  g_socket_set_listen_backlog (socket, SESAME_SERVER_LISTEN_BACKLOG);
  if (!g_socket_bind (socket, socket_address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return FALSE;
  if (bound_port != NULL)
    *bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return soup_server_listen_socket (server, socket, options, error);
}

/* Every IPv4 address, then every IPv6 address on the same port; a
 * machine without IPv6 listens on IPv4 alone. */
static gboolean
listen_everywhere (SoupServer               *server,
                   guint16                   port,
                   SoupServerListenOptions   options,
                   GError                  **error)
{
  g_autoptr(GInetAddress) any4 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetAddress) any6 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GError) ipv6_error = NULL;
  guint16 bound = 0;

  if (!listen_socket (server, any4, port, options, &bound, error))
    return FALSE;
  if (listen_socket (server, any6, bound, options, NULL, &ipv6_error))
    return TRUE;
  /* No IPv6 here (EAFNOSUPPORT, EADDRNOTAVAIL); a port taken is an error. */
  if (g_error_matches (ipv6_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) ||
      g_error_matches (ipv6_error, G_IO_ERROR, G_IO_ERROR_FAILED))
    {
      g_message ("Listening on IPv4 only: %s", ipv6_error->message);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&ipv6_error));
  return FALSE;
}

/**
 * sesame_server_listen:
 * @server: the server
 * @host: `*` (every address), `localhost` (127.0.0.1) or an IP address
 * @port: the port, or 0 for one the system chooses
 * @plain_http: listen without TLS (loopback only, checked by the caller)
 * @error: where a failure is told
 *
 * Listens with a backlog of %SESAME_SERVER_LISTEN_BACKLOG connections.
 *
 * Returns: whether the server listens
 */
gboolean
sesame_server_listen (SoupServer  *server,
                      const char  *host,
                      guint16      port,
                      gboolean     plain_http,
                      GError     **error)
{
  g_autoptr(GInetAddress) address = NULL;
  SoupServerListenOptions options = plain_http ? 0 : SOUP_SERVER_LISTEN_HTTPS;

  g_return_val_if_fail (SOUP_IS_SERVER (server), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  if (g_str_equal (host, "*"))
    return listen_everywhere (server, port, options, error);
  if (g_str_equal (host, "localhost"))
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an IP address of this machine: give one (0.0.0.0 for all IPv4 addresses, * for all)."),
                   host);
      return FALSE;
    }
  return listen_socket (server, address, port, options, NULL, error);
}
