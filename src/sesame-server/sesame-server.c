/* sesame-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesame-server: the shared store of a school's desks. It serves the
 * desks' API over HTTPS on one address, with the certificate given or one
 * of its own made on first start, whose fingerprint it prints for the
 * desks to pin. Its store is an ordinary Sésame store: sesamectl works on
 * it too (imports, desks add, identifier files).
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "sesame.h"
#include "sesame-server-api.h"
#include "sesame-server-cas-pages.h"
#include "sesame-server-listen.h"
#include "sesame-server-pages.h"
#include "sesame-server-tls.h"

static gboolean
quit_on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *store_path = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *certificate_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *host = NULL;
  g_autofree char *fingerprint = NULL;
  gboolean version = FALSE;
  gboolean plain_http = FALSE;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, N_("The server's store (made if missing)"), N_("PATH") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Where desks reach it, e.g. 0.0.0.0:8443"), N_("HOST:PORT") },
    { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &certificate_path, N_("Its certificate, PEM (default: its own, made beside the store)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, N_("The certificate's private key, PEM"), N_("FILE") },
    { "plain-http", 0, 0, G_OPTION_ARG_NONE, &plain_http, N_("Serve plain HTTP, for tests: only on a loopback address"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(SesameServerPages) pages = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  SesameServerApi *api;
  GSList *listeners;
  gboolean created = FALSE;
  guint16 port = 0;

  setlocale (LC_ALL, "");
  sesame_document_language_bind_text_domain ();
  g_set_prgname ("sesame-server");
  /* Each line reaches the journal, or a test reading the pipe, at once. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Serves the desks of a school: their shared store, over HTTPS."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sesame-server: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("sesame-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (store_path == NULL || listen == NULL)
    {
      g_printerr ("sesame-server: %s\n", _("--store and --listen are needed: sesame-server --store PATH --listen HOST:PORT"));
      return 2;
    }
  if (!sesame_server_parse_listen (listen, &host, &port, &error))
    {
      g_printerr ("sesame-server: %s\n", error->message);
      return 2;
    }
  if (plain_http && !sesame_server_host_is_loopback (host))
    {
      g_printerr ("sesame-server: %s\n", _("--plain-http sends passwords in clear: it is only for tests, on a loopback address such as 127.0.0.1."));
      return 2;
    }

  store = sesame_store_open_full (store_path, SESAME_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    {
      g_printerr ("sesame-server: %s\n", error->message);
      return 1;
    }
  /* Its own changes (imports, files) reach the desks through the feed too. */
  if (!sesame_sync_server_enable (store, &error))
    {
      g_printerr ("sesame-server: %s\n", error->message);
      return 1;
    }
  if (!plain_http)
    {
      certificate = sesame_server_tls_load (sesame_store_get_path (store), certificate_path, key_path, &created, &error);
      if (certificate == NULL)
        {
          g_printerr ("sesame-server: %s\n", error->message);
          return 1;
        }
      fingerprint = sesame_server_tls_fingerprint (certificate);
    }
  pages = sesame_server_pages_new (store, plain_http, &error);
  if (pages == NULL)
    {
      g_printerr ("sesame-server: %s\n", error->message);
      return 1;
    }

  /* Before the address is printed: whoever read it may stop the server. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_on_signal, loop);
  g_unix_signal_add (SIGINT, quit_on_signal, loop);

  server = soup_server_new ("server-header", "sesame-server", "tls-certificate", certificate, NULL);
  api = sesame_server_api_install (server, store, &error);
  if (api == NULL)
    {
      g_printerr ("sesame-server: %s\n", error->message);
      return 1;
    }
  sesame_server_pages_install (pages, server);
  sesame_server_cas_pages_install (server, store, pages, plain_http);
  if (!sesame_server_listen (server, host, port, plain_http, &error))
    {
      g_printerr ("sesame-server: %s\n", error->message);
      return 1;
    }

  /* The addresses as the sockets say them (the port the system chose for
   * port 0), read from the listeners: soup_server_get_uris() of libsoup
   * 3.2 keeps a reference to each socket address it reads. */
  listeners = soup_server_get_listeners (server);
  for (GSList *l = listeners; l != NULL; l = l->next)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (l->data, NULL);
      g_autofree char *address = NULL;
      g_autofree char *uri = NULL;

      if (!G_IS_INET_SOCKET_ADDRESS (local))
        continue;
      address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
      uri = g_uri_join (G_URI_FLAGS_NONE, plain_http ? "http" : "https", NULL, address,
                        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), "/", NULL, NULL);
      g_print (_("Listening on %s"), uri);
      g_print ("\n");
    }
  g_slist_free (listeners);
  if (plain_http)
    {
      g_print ("%s\n", _("Plain HTTP, for tests only: no certificate."));
      g_print ("-\n");
    }
  else
    {
      g_print ("%s\n", created ? _("Certificate made for this server; desks pin its SHA-256 fingerprint:")
                               : _("The server's certificate; desks pin its SHA-256 fingerprint:"));
      g_print ("%s\n", fingerprint);
    }

  g_main_loop_run (loop);
  soup_server_disconnect (server);
  sesame_server_api_free (api);
  return 0;
}
