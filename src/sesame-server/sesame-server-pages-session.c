/* sesame-server-pages-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who is asking, for the families' pages: the cookies, the CSRF token of
 * the forms, the session of a request, and the addresses the pages lead
 * to. Every form carries a CSRF token, checked before anything else: the
 * session's secret once signed in, before that a keyed hash of a random
 * cookie. Addresses all come from the configured ENT address, never from
 * Host, and a `retour` is followed only when it is a path on this server.
 * No token or cookie is ever logged. The public functions here are those
 * CAS calls about sessions (sesame-server-pages.h).
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-server"

#include <string.h>

#include "sesame-server-pages-private.h"

/* Blanks a password, token or cookie before its memory is freed, so that
 * none lingers in the heap. */
void
_sesame_server_pages_wipe_string (char *text)
{
  if (text != NULL)
    sodium_memzero (text, strlen (text));
}

/* ------------------------------------------------------------------ */
/* Cookies, CSRF */

static GHashTable *
request_cookies (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg), "Cookie");

  if (header == NULL)
    return NULL;
  return soup_header_parse_semi_param_list (header);
}

static char *
cookie_value (SoupServerMessage *msg,
              const char        *name)
{
  g_autoptr(GHashTable) cookies = request_cookies (msg);
  const char *value;

  if (cookies == NULL)
    return NULL;
  value = g_hash_table_lookup (cookies, name);
  return value != NULL ? g_strdup (value) : NULL;
}

void
_sesame_server_pages_set_cookie (Request    *req,
                                 const char *name,
                                 const char *value,
                                 gboolean    remove)
{
  g_autofree char *header = g_strdup_printf ("%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
                                             name, remove ? "" : value,
                                             req->self->plain_http ? "" : "; Secure",
                                             remove ? "; Max-Age=0" : "");

  soup_message_headers_append (soup_server_message_get_response_headers (req->msg), "Set-Cookie", header);
}

/* The session of the request's cookie, if any. */
SesameWebSession *
_sesame_server_pages_find_session (SesameServerPages *self,
                                   SoupServerMessage *msg)
{
  g_autofree char *cookie = cookie_value (msg, SESAME_SERVER_PAGES_SESSION_COOKIE);
  SesameWebSession *session;

  if (cookie == NULL)
    return NULL;
  session = sesame_web_sessions_lookup (self->store, cookie, NULL);
  _sesame_server_pages_wipe_string (cookie);
  return session;
}

/* A random cookie that forms shown before a sign-in are bound to. */
static void
ensure_form_cookie (Request *req)
{
  g_autofree char *existing = cookie_value (req->msg, SESAME_SERVER_PAGES_FORM_COOKIE);
  guint8 raw[32];
  char text[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  if (existing != NULL && strlen (existing) == sizeof text - 1)
    {
      req->form_cookie = g_steal_pointer (&existing);
      return;
    }
  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  req->form_cookie = g_strdup (text);
  _sesame_server_pages_set_cookie (req, SESAME_SERVER_PAGES_FORM_COOKIE, text, FALSE);
}

/* The token the request's forms carry. */
char *
_sesame_server_pages_form_token (Request *req)
{
  guint8 hash[32];
  char hex[sizeof hash * 2 + 1];

  if (req->session != NULL)
    return g_strdup (req->session->csrf_secret);
  if (req->form_cookie == NULL)
    ensure_form_cookie (req);
  crypto_generichash (hash, sizeof hash, (const guint8 *) req->form_cookie, strlen (req->form_cookie),
                      req->self->form_key, sizeof req->self->form_key);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

gboolean
_sesame_server_pages_csrf_is_valid (Request *req)
{
  const char *given = req->form != NULL ? g_hash_table_lookup (req->form, "csrf") : NULL;
  g_autofree char *expected = NULL;
  g_autofree char *cookie = NULL;

  if (given == NULL)
    return FALSE;
  if (req->session == NULL)
    {
      cookie = cookie_value (req->msg, SESAME_SERVER_PAGES_FORM_COOKIE);
      if (cookie == NULL)
        return FALSE;
      req->form_cookie = g_steal_pointer (&cookie);
    }
  expected = _sesame_server_pages_form_token (req);
  return strlen (given) == strlen (expected) && sodium_memcmp (given, expected, strlen (expected)) == 0;
}

/* ------------------------------------------------------------------ */
/* Addresses: all from the configured ENT address, never from Host. */

/* The path prefix of the ENT's address ("" or "/auth"). */
char *
_sesame_server_pages_ent_prefix (SesameServerPages *self)
{
  g_autofree char *url = sesame_store_settings_dup (self->store, SESAME_SETTING_ENT_URL, "");
  g_autoptr(GUri) uri = NULL;
  const char *path;
  gsize length;

  g_strstrip (url);
  uri = url[0] != '\0' ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  path = uri != NULL ? g_uri_get_path (uri) : "";
  length = strlen (path);
  while (length > 0 && path[length - 1] == '/')
    length--;
  return g_strndup (path, length);
}

/* The absolute address of a path of this server under the ENT address,
 * or the path alone when no ENT address is set. */
char *
_sesame_server_pages_location_for (SesameServerPages *self,
                                   const char        *path)
{
  g_autofree char *url = sesame_store_settings_dup (self->store, SESAME_SETTING_ENT_URL, "");
  g_autoptr(GUri) uri = NULL;
  g_autofree char *prefix = _sesame_server_pages_ent_prefix (self);
  g_autofree char *origin = NULL;

  g_strstrip (url);
  uri = url[0] != '\0' ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strconcat (prefix, path, NULL);
  origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                       g_uri_get_port (uri), "", NULL, NULL);
  return g_strconcat (origin, prefix, path, NULL);
}

/**
 * sesame_server_pages_return_is_valid:
 * @retour: (nullable): a `retour` parameter
 *
 * Tells whether @retour may be followed after a sign-in: a path on this
 * server, starting with a single "/", without "\" or control characters,
 * at most 2048 bytes. Anything else could send the person to another
 * site.
 *
 * Returns: %TRUE when it is a path on this server
 */
gboolean
sesame_server_pages_return_is_valid (const char *retour)
{
  if (retour == NULL || retour[0] != '/' || retour[1] == '/' || strlen (retour) > 2048 ||
      !g_utf8_validate (retour, -1, NULL))
    return FALSE;
  for (const char *p = retour; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || *p == '\\')
      return FALSE;
  return TRUE;
}

/* Where to go after a sign-in or a change: `retour` when valid. */
const char *
_sesame_server_pages_valid_return (const char *retour)
{
  return sesame_server_pages_return_is_valid (retour) ? retour : NULL;
}

/**
 * sesame_server_pages_sign_in_path:
 * @retour: (nullable): where to go afterwards, a path on this server
 * @renew: whether to show the form even to someone signed in
 *
 * Builds the path of the sign-in page for a service (CAS) to redirect to.
 *
 * Returns: (transfer full): "/connexion" with its parameters
 */
char *
sesame_server_pages_sign_in_path (const char *retour,
                                  gboolean    renew)
{
  GString *path = g_string_new ("/connexion");
  const char *separator = "?";

  if (sesame_server_pages_return_is_valid (retour))
    {
      g_autofree char *escaped = g_uri_escape_string (retour, NULL, FALSE);

      g_string_append_printf (path, "?retour=%s", escaped);
      separator = "&";
    }
  if (renew)
    g_string_append_printf (path, "%srenouveler=1", separator);
  return g_string_free (path, FALSE);
}

/**
 * sesame_server_pages_dup_signed_in:
 * @self: the pages
 * @msg: a request
 *
 * Finds the signed-in person of a request's session cookie.
 *
 * Returns: (transfer full) (nullable): the session, or %NULL when there is
 *   none or when the person must still change a first password
 */
SesameWebSession *
sesame_server_pages_dup_signed_in (SesameServerPages *self,
                                   SoupServerMessage *msg)
{
  SesameWebSession *session;

  g_return_val_if_fail (SESAME_IS_SERVER_PAGES (self), NULL);

  session = _sesame_server_pages_find_session (self, msg);
  if (session != NULL && session->must_change)
    g_clear_pointer (&session, sesame_web_sessions_free);
  return session;
}

/**
 * sesame_server_pages_take_reauth:
 * @self: the pages
 * @msg: a request
 *
 * Takes the one-time marker a sign-in with `renouveler=1` left in the
 * session: %TRUE once after each such sign-in, when the person signed in
 * and needs no change of password.
 *
 * Returns: whether the password was just typed again
 */
gboolean
sesame_server_pages_take_reauth (SesameServerPages *self,
                                 SoupServerMessage *msg)
{
  g_autoptr(SesameWebSession) session = NULL;

  g_return_val_if_fail (SESAME_IS_SERVER_PAGES (self), FALSE);

  session = sesame_server_pages_dup_signed_in (self, msg);
  return session != NULL && sesame_web_sessions_take_reauth_marker (self->store, session->id);
}
