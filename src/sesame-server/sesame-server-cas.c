/* sesame-server-cas.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CAS 3.0 for the ENT and the web services around it (README.md, "Sign-in
 * for the ENT: CAS"): /cas/login sends a browser back to a registered
 * service with a one-time ticket, through the families' sign-in form when
 * it has no session yet; /cas/serviceValidate and /cas/p3/serviceValidate
 * tell the service who the ticket signs in, with their attributes;
 * /cas/logout ends the session. A service that is not registered gets an
 * error page and never a redirect, so that the server cannot be made to
 * send people, or tickets, anywhere else. The tickets, the registry and
 * the XML are the core's (src/libsesame/families/sesame-cas*.c).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sesame-server-cas.h"

typedef struct
{
  SesameStore             *store;
  SesameServerCasSessions  sessions;
} Cas;

static void
cas_free (gpointer data)
{
  Cas *cas = data;

  g_clear_object (&cas->store);
  g_free (cas);
}

/* Pages and redirects of the CAS carry tickets or follow a sign-in: never
 * cached, never framed, never leaking their address to another site. */
static void
set_security_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'");
}

static void
reply_page (SoupServerMessage *msg,
            Cas               *cas,
            guint              status,
            SesameCasPage      page,
            const char        *login)
{
  g_autofree char *title = NULL;
  g_autofree char *language = NULL;
  g_autofree char *text = sesame_cas_dup_page_text (cas->store, page, login, &title, &language);
  g_autofree char *ent_name = sesame_store_settings_dup (cas->store, SESAME_SETTING_ENT_NAME, "");
  g_autofree char *html = NULL;
  gsize length;

  html = g_markup_printf_escaped ("<!DOCTYPE html>\n"
                                  "<html lang=\"%s\">\n"
                                  "<head>\n"
                                  "<meta charset=\"utf-8\">\n"
                                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                                  "<title>%s — %s</title>\n"
                                  "<style>body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em;"
                                  "color:#1a1a1a;background:#fff;line-height:1.5}h1{font-size:1.4em}</style>\n"
                                  "</head>\n"
                                  "<body>\n"
                                  "<header><p>%s</p></header>\n"
                                  "<main>\n<h1>%s</h1>\n<p>%s</p>\n</main>\n"
                                  "</body>\n"
                                  "</html>\n",
                                  language, title, *ent_name != '\0' ? ent_name : "ENT", ent_name, title, text);
  /* The length first: arguments are evaluated in no set order. */
  length = strlen (html);
  set_security_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&html), length);
}

static void
redirect (SoupServerMessage *msg,
          const char        *location)
{
  /* Not soup_server_message_set_redirect(): it makes a relative address
   * absolute with the request's Host header, which the client chose. A
   * relative Location is the browser's to resolve. */
  set_security_headers (msg);
  soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
}

/* CAS's boolean parameters count when present, whatever their value,
 * except an explicit "false" (clients write renew=true, renew=1, renew). */
static gboolean
flag_set (GHashTable *query,
          const char *name)
{
  const char *value = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  if (query == NULL || !g_hash_table_contains (query, name))
    return FALSE;
  return value == NULL || g_ascii_strcasecmp (value, "false") != 0;
}

static const char *
param (GHashTable *query,
       const char *name)
{
  const char *value = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  return value != NULL && *value != '\0' ? value : NULL;
}

/* The address of /cas/login with these parameters, to come back to after
 * the sign-in form. */
static char *
login_path (const char *service,
            gboolean    renew)
{
  GString *path = g_string_new ("/cas/login");

  if (service != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (service, NULL, FALSE);

      g_string_append_printf (path, "?service=%s", escaped);
    }
  if (renew)
    g_string_append (path, service != NULL ? "&renew=true" : "?renew=true");
  return g_string_free (path, FALSE);
}

static char *
dup_login (Cas               *cas,
           SoupServerMessage *msg)
{
  if (cas->sessions.dup_login == NULL)
    return NULL;
  return cas->sessions.dup_login (msg, cas->sessions.user_data);
}

static gboolean
take_fresh_sign_in (Cas               *cas,
                    SoupServerMessage *msg,
                    const char        *retour)
{
  if (cas->sessions.take_fresh_sign_in == NULL)
    return FALSE;
  return cas->sessions.take_fresh_sign_in (msg, retour, cas->sessions.user_data);
}

static void
send_to_sign_in (Cas               *cas,
                 SoupServerMessage *msg,
                 const char        *retour,
                 gboolean           force)
{
  g_autofree char *location = NULL;

  if (cas->sessions.sign_in_location != NULL)
    location = cas->sessions.sign_in_location (retour, force, cas->sessions.user_data);
  if (location == NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (retour, NULL, FALSE);

      location = g_strdup_printf ("/connexion?retour=%s", escaped);
    }
  redirect (msg, location);
}

/* Back to the service with a ticket for the person signed in. */
static void
send_back_with_ticket (Cas               *cas,
                       SoupServerMessage *msg,
                       const char        *service,
                       const char        *login,
                       gboolean           fresh)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ticket = sesame_cas_tickets_issue (cas->store, login, service, fresh, &error);
  g_autofree char *location = NULL;

  if (ticket == NULL)
    {
      if (error->domain == SESAME_CAS_ERROR)
        reply_page (msg, cas, SOUP_STATUS_FORBIDDEN, SESAME_CAS_PAGE_UNKNOWN_SERVICE, NULL);
      else if (g_error_matches (error, SESAME_ERROR, SESAME_ERROR_REFUSED))
        {
          g_info ("No CAS ticket for %s: the account cannot sign in", login);
          reply_page (msg, cas, SOUP_STATUS_FORBIDDEN, SESAME_CAS_PAGE_ACCOUNT_DISABLED, NULL);
        }
      else
        {
          g_warning ("No CAS ticket for a signed-in person: %s", error->message);
          reply_page (msg, cas, SOUP_STATUS_SERVICE_UNAVAILABLE, SESAME_CAS_PAGE_FAILED, NULL);
        }
      return;
    }
  location = g_strconcat (service, strchr (service, '?') != NULL ? "&" : "?", "ticket=", ticket, NULL);
  redirect (msg, location);
}

/* A handler answers its own path, not the paths below it. */
static gboolean
is_exact_path (SoupServerMessage *msg,
               const char        *path)
{
  if (g_str_equal (path, "/cas/login") || g_str_equal (path, "/cas/logout") ||
      g_str_equal (path, "/cas/serviceValidate") || g_str_equal (path, "/cas/p3/serviceValidate"))
    return TRUE;
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  return FALSE;
}

/* Whether a handler answers the request: its own path, by GET (or HEAD
 * when @head is). Otherwise the status says why not. */
static gboolean
accepts_request (SoupServerMessage *msg,
                 const char        *path,
                 gboolean           head)
{
  const char *method = soup_server_message_get_method (msg);

  if (!is_exact_path (msg, path))
    return FALSE;
  if (method != SOUP_METHOD_GET && (!head || method != SOUP_METHOD_HEAD))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    head ? "GET, HEAD" : "GET");
      return FALSE;
    }
  return TRUE;
}

static void
handle_login (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Cas *cas = user_data;
  const char *service = param (query, "service");
  gboolean renew = flag_set (query, "renew");
  gboolean gateway = flag_set (query, "gateway") && !renew;
  g_autofree char *retour = login_path (service, renew);
  g_autofree char *login = NULL;
  g_autoptr(GError) error = NULL;
  gboolean fresh;

  if (!accepts_request (msg, path, TRUE))
    return;

  if (service != NULL)
    {
      g_autofree char *registered = sesame_cas_services_match (cas->store, service, &error);

      if (registered == NULL)
        {
          g_info ("CAS sign-in refused for a service not registered");
          reply_page (msg, cas, error->domain == SESAME_CAS_ERROR ? SOUP_STATUS_FORBIDDEN
                                                                   : SOUP_STATUS_SERVICE_UNAVAILABLE,
                      error->domain == SESAME_CAS_ERROR ? SESAME_CAS_PAGE_UNKNOWN_SERVICE : SESAME_CAS_PAGE_FAILED,
                      NULL);
          return;
        }
    }

  /* A sign-in the form has just made for this very request. */
  fresh = take_fresh_sign_in (cas, msg, retour);
  if (renew && !fresh)
    {
      send_to_sign_in (cas, msg, retour, TRUE);
      return;
    }

  login = dup_login (cas, msg);
  if (login == NULL)
    {
      if (gateway && service != NULL)
        redirect (msg, service);
      else
        send_to_sign_in (cas, msg, retour, FALSE);
      return;
    }

  if (service == NULL)
    reply_page (msg, cas, SOUP_STATUS_OK, SESAME_CAS_PAGE_SIGNED_IN, login);
  else
    send_back_with_ticket (cas, msg, service, login, fresh);
}

static void
reply_xml (SoupServerMessage *msg,
           char              *xml,
           gsize              length)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/xml; charset=utf-8", SOUP_MEMORY_TAKE, xml, length);
}

static void
handle_service_validate (SoupServer        *server,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         gpointer           user_data)
{
  Cas *cas = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SesamePerson) person = NULL;
  gboolean fresh = FALSE;
  gsize length = 0;
  char *xml;

  if (!accepts_request (msg, path, FALSE))
    return;

  person = sesame_cas_tickets_validate (cas->store, param (query, "ticket"), param (query, "service"),
                                        flag_set (query, "renew"), &fresh, &error);
  if (person == NULL)
    {
      g_info ("CAS ticket refused: %s", sesame_cas_error_to_code (error));
      if (error->domain != SESAME_CAS_ERROR)
        {
          /* The store's own words stay in the server's log. */
          g_warning ("CAS validation failed: %s", error->message);
          g_clear_error (&error);
          g_set_error_literal (&error, SESAME_CAS_ERROR, SESAME_CAS_ERROR_INTERNAL_ERROR,
                               _("The server could not validate the ticket; try again in a moment."));
        }
      xml = sesame_cas_response_failure (error, &length);
    }
  else
    {
      g_info ("CAS ticket validated for %s", sesame_person_get_login (person));
      xml = sesame_cas_response_success (person, fresh, &length);
    }
  reply_xml (msg, xml, length);
}

static void
handle_logout (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Cas *cas = user_data;
  const char *service = param (query, "service");
  g_autoptr(GError) error = NULL;

  if (!accepts_request (msg, path, TRUE))
    return;

  if (cas->sessions.sign_out != NULL)
    cas->sessions.sign_out (msg, cas->sessions.user_data);

  if (service != NULL)
    {
      g_autofree char *registered = sesame_cas_services_match (cas->store, service, &error);

      if (registered != NULL)
        {
          redirect (msg, service);
          return;
        }
      g_info ("CAS sign-out: no redirect to a service not registered");
    }
  reply_page (msg, cas, SOUP_STATUS_OK, SESAME_CAS_PAGE_SIGNED_OUT, NULL);
}

/**
 * sesame_server_cas_install:
 * @server: the #SoupServer
 * @store: the server's #SesameStore
 * @sessions: (nullable): the families' sessions; without them nobody is
 *   ever signed in and /cas/login always sends to the sign-in form
 *
 * Serves /cas/login, /cas/serviceValidate, /cas/p3/serviceValidate and
 * /cas/logout on @server.
 */
void
sesame_server_cas_install (SoupServer                    *server,
                           SesameStore                   *store,
                           const SesameServerCasSessions *sessions)
{
  Cas *cas;

  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (SESAME_IS_STORE (store));

  cas = g_new0 (Cas, 1);
  cas->store = g_object_ref (store);
  if (sessions != NULL)
    cas->sessions = *sessions;

  /* One Cas for the four handlers: the first handler's destroy frees it. */
  soup_server_add_handler (server, "/cas/login", handle_login, cas, cas_free);
  soup_server_add_handler (server, "/cas/serviceValidate", handle_service_validate, cas, NULL);
  soup_server_add_handler (server, "/cas/p3/serviceValidate", handle_service_validate, cas, NULL);
  soup_server_add_handler (server, "/cas/logout", handle_logout, cas, NULL);
}
