/* sesame-server-cas-pages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CAS endpoints over the families' pages: who is signed in, the
 * sign-in form with `retour` (and `renouveler` for CAS renew), the
 * one-time marker of a sign-in just made, and the end of a session at
 * /cas/logout. sesame-server-cas.c knows the pages only through
 * SesameServerCasSessions, so that its tests can stand in for them; this
 * file is the one place that ties the two together.
 */
#include "config.h"

#include <string.h>

#include "sesame-server-cas.h"
#include "sesame-server-cas-pages.h"

typedef struct
{
  SesameServerPages *pages;
  SesameStore       *store;
  gboolean           plain_http;
} Bridge;

static char *
bridge_dup_login (SoupServerMessage *msg,
                  gpointer           user_data)
{
  Bridge *bridge = user_data;
  g_autoptr(SesameWebSession) session = sesame_server_pages_dup_signed_in (bridge->pages, msg);

  return session != NULL ? g_strdup (session->login) : NULL;
}

/* The pages keep one marker per sign-in made with `renouveler`, taken by
 * the first request that asks: the /cas/login the form returns to. */
static gboolean
bridge_take_fresh_sign_in (SoupServerMessage *msg,
                           const char        *retour,
                           gpointer           user_data)
{
  Bridge *bridge = user_data;

  return sesame_server_pages_take_reauth (bridge->pages, msg);
}

static char *
bridge_sign_in_location (const char *retour,
                         gboolean    force,
                         gpointer    user_data)
{
  return sesame_server_pages_sign_in_path (retour, force);
}

/* Ends the session of the request's cookie, whether or not its person
 * still has a first password to change, and expires the cookie as
 * /deconnexion does. */
static void
bridge_sign_out (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Bridge *bridge = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (headers, "Cookie");
  g_autofree char *expired = NULL;

  if (header != NULL)
    {
      GHashTable *cookies = soup_header_parse_semi_param_list (header);
      const char *value = g_hash_table_lookup (cookies, SESAME_SERVER_PAGES_SESSION_COOKIE);

      if (value != NULL && *value != '\0')
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(SesameWebSession) session = sesame_web_sessions_lookup (bridge->store, value, &error);

          if (session != NULL && !sesame_web_sessions_end (bridge->store, session->id, &error))
            g_warning ("A session did not end at /cas/logout: %s", error->message);
        }
      soup_header_free_param_list (cookies);
    }

  expired = g_strdup_printf ("%s=; Path=/; HttpOnly; SameSite=Strict%s; Max-Age=0",
                             SESAME_SERVER_PAGES_SESSION_COOKIE, bridge->plain_http ? "" : "; Secure");
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", expired);
}

static void
bridge_free (gpointer data)
{
  Bridge *bridge = data;

  g_clear_object (&bridge->pages);
  g_clear_object (&bridge->store);
  g_free (bridge);
}

/**
 * sesame_server_cas_pages_install:
 * @server: the #SoupServer
 * @store: the server's #SesameStore
 * @pages: the families' pages, installed on @server
 * @plain_http: whether the server serves plain HTTP (tests on loopback),
 *   so that the cookie it expires is not marked Secure
 *
 * Serves the CAS endpoints with the families' pages as their sign-in.
 */
void
sesame_server_cas_pages_install (SoupServer        *server,
                                 SesameStore       *store,
                                 SesameServerPages *pages,
                                 gboolean           plain_http)
{
  Bridge *bridge;
  SesameServerCasSessions sessions = {
    .dup_login = bridge_dup_login,
    .take_fresh_sign_in = bridge_take_fresh_sign_in,
    .sign_in_location = bridge_sign_in_location,
    .sign_out = bridge_sign_out,
  };

  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (SESAME_IS_STORE (store));
  g_return_if_fail (SESAME_IS_SERVER_PAGES (pages));

  bridge = g_new0 (Bridge, 1);
  bridge->pages = g_object_ref (pages);
  bridge->store = g_object_ref (store);
  bridge->plain_http = plain_http;
  sessions.user_data = bridge;
  sesame_server_cas_install (server, store, &sessions);
  /* The bridge lives as long as the server's handlers. */
  g_object_set_data_full (G_OBJECT (server), "sesame-server-cas-pages", bridge, bridge_free);
}
