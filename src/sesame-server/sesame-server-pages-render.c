/* sesame-server-pages-render.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the families' pages answer: server-rendered HTML from the
 * templates of data/pages/ (template-glib), in the store's document
 * language, without JavaScript. Every answer forbids framing, referrers
 * and caching and allows no script (Content-Security-Policy). The
 * render_* functions fill the template of a page; the reply_* ones send
 * a page, a message or a redirect with those headers.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-server"

#include <string.h>

#include <tmpl-glib.h>

#include "sesame-server-pages-private.h"

/* ------------------------------------------------------------------ */
/* Templates */

gboolean
_sesame_server_pages_load_template (SesameServerPages  *self,
                                    const char         *name,
                                    GError            **error)
{
  g_autoptr(TmplTemplate) template = tmpl_template_new (NULL);
  g_autofree char *path = g_strconcat (RESOURCE_PATH, name, ".html", NULL);

  if (!tmpl_template_parse_resource (template, path, NULL, error))
    return FALSE;
  g_hash_table_insert (self->templates, g_strdup (name), g_steal_pointer (&template));
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Rendering */

/* Text for HTML content and double-quoted attributes. Unlike
 * g_markup_escape_text(), apostrophes stay as typed: the French texts
 * are full of them and no attribute is single-quoted. */
static char *
escape_html (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (escaped, "&amp;"); break;
      case '<': g_string_append (escaped, "&lt;"); break;
      case '>': g_string_append (escaped, "&gt;"); break;
      case '"': g_string_append (escaped, "&quot;"); break;
      default: g_string_append_c (escaped, *p); break;
      }
  return g_string_free (escaped, FALSE);
}

static void
scope_text (TmplScope  *scope,
            const char *name,
            const char *value)
{
  g_autofree char *escaped = escape_html (value);

  tmpl_scope_set_string (scope, name, escaped);
}

/* The origin (scheme, host, port) of the CAS service a form's `retour`
 * leads back to through /cas/login, or NULL. Browsers apply form-action to
 * every redirect that follows a submission: without the service's origin
 * there, a sign-in for the ENT ends on the form instead of the service.
 * /cas/login itself redirects only to registered services. */
static char *
return_service_origin (Request *req)
{
  g_autofree char *retour = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GUri) service = NULL;
  const char *service_url;
  const char *scheme;
  const char *host;
  GString *origin;
  int port;

  if (req->form != NULL && g_hash_table_lookup (req->form, "retour") != NULL)
    retour = g_strdup (g_hash_table_lookup (req->form, "retour"));
  else
    {
      const char *query = g_uri_get_query (soup_server_message_get_uri (req->msg));
      g_autoptr(GHashTable) fields = query != NULL ? soup_form_decode (query) : NULL;

      retour = fields != NULL ? g_strdup (g_hash_table_lookup (fields, "retour")) : NULL;
    }
  if (!sesame_server_pages_return_is_valid (retour) || !g_str_has_prefix (retour, "/cas/login?"))
    return NULL;
  params = soup_form_decode (retour + strlen ("/cas/login?"));
  service_url = g_hash_table_lookup (params, "service");
  service = service_url != NULL ? g_uri_parse (service_url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (service == NULL)
    return NULL;
  scheme = g_uri_get_scheme (service);
  host = g_uri_get_host (service);
  if ((g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0) || host == NULL || *host == '\0')
    return NULL;
  /* Nothing but a host name or an address goes into the header. */
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (".-:", *p) == NULL)
      return NULL;
  origin = g_string_new (scheme);
  g_string_append_printf (origin, strchr (host, ':') != NULL ? "://[%s]" : "://%s", host);
  port = g_uri_get_port (service);
  if (port > 0)
    g_string_append_printf (origin, ":%d", port);
  return g_string_free (origin, FALSE);
}

static void
add_security_headers (Request *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  g_autofree char *service = return_service_origin (req);
  g_autofree char *policy = NULL;

  policy = g_strdup_printf ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'%s%s; "
                            "frame-ancestors 'none'; base-uri 'none'",
                            service != NULL ? " " : "", service != NULL ? service : "");
  soup_message_headers_replace (headers, "Content-Security-Policy", policy);
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (!req->self->plain_http)
    soup_message_headers_replace (headers, "Strict-Transport-Security", "max-age=31536000");
}

/* The name shown at the top of each page: the person's establishment
 * when the page is about someone, else the store's only establishment,
 * else the ENT's name. */
static char *
establishment_name (SesameServerPages *self,
                    SesamePerson      *person)
{
  const char *name = person != NULL ? sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME) : NULL;
  g_autoptr(GPtrArray) establishments = NULL;

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  establishments = sesame_establishments_list (self->store, NULL);
  if (establishments != NULL && establishments->len == 1)
    return g_strdup (((SesameEstablishment *) g_ptr_array_index (establishments, 0))->name);
  return sesame_store_settings_dup (self->store, SESAME_SETTING_ENT_NAME, "Sésame");
}

static char *
expand (SesameServerPages  *self,
        const char         *name,
        TmplScope          *scope)
{
  g_autoptr(GError) error = NULL;
  char *text = tmpl_template_expand_string (g_hash_table_lookup (self->templates, name), scope, &error);

  if (text == NULL)
    {
      g_critical ("The page template “%s” did not expand: %s", name, error->message);
      return g_strdup ("");
    }
  return text;
}

/* Answers with a page: @template filled from @scope inside the layout. */
static void
reply_page (Request      *req,
            guint         status,
            const char   *title,
            const char   *heading,
            const char   *template,
            TmplScope    *scope,
            const char   *error,
            const char   *notice,
            SesamePerson *person)
{
  SesameServerPages *self = req->self;
  g_autoptr(TmplScope) layout = tmpl_scope_new ();
  g_autofree char *base = NULL;
  g_autofree char *prefix = _sesame_server_pages_ent_prefix (self);
  g_autofree char *csrf = _sesame_server_pages_form_token (req);
  g_autofree char *body = NULL;
  g_autofree char *establishment = establishment_name (self, person);
  g_autofree char *language = sesame_store_language_dup (self->store);
  char *page;

  base = g_strconcat (prefix, "/", NULL);
  scope_text (scope, "base", base);
  scope_text (scope, "csrf", csrf);
  body = expand (self, template, scope);

  scope_text (layout, "lang", language);
  scope_text (layout, "base", base);
  scope_text (layout, "title", title);
  scope_text (layout, "heading", heading != NULL ? heading : title);
  scope_text (layout, "establishment", establishment);
  tmpl_scope_set_boolean (layout, "has_error", error != NULL);
  scope_text (layout, "error", error);
  tmpl_scope_set_boolean (layout, "has_notice", notice != NULL);
  scope_text (layout, "notice", notice);
  tmpl_scope_set_string (layout, "body", body);
  page = expand (self, "layout", layout);

  add_security_headers (req);
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page, strlen (page));
}

void
_sesame_server_pages_reply_redirect (Request    *req,
                                     const char *path)
{
  g_autofree char *location = _sesame_server_pages_location_for (req->self, path);

  add_security_headers (req);
  soup_server_message_set_redirect (req->msg, SOUP_STATUS_SEE_OTHER, location);
}

/* A page with a sentence and a link onward. */
void
_sesame_server_pages_reply_message (Request    *req,
                                    guint       status,
                                    const char *title,
                                    const char *error,
                                    const char *notice,
                                    const char *link,
                                    const char *link_label)
{
  g_autoptr(TmplScope) scope = tmpl_scope_new ();

  scope_text (scope, "link", link);
  scope_text (scope, "link_label", link_label);
  reply_page (req, status, title, NULL, "message", scope, error, notice, NULL);
}

/* A message page whose link leads back to the sign-in page. */
void
_sesame_server_pages_reply_sign_in_message (Request    *req,
                                            guint       status,
                                            const char *title,
                                            const char *error,
                                            const char *notice)
{
  _sesame_server_pages_reply_message (req, status, title, error, notice, "connexion", _("Back to the sign-in page"));
}

void
_sesame_server_pages_reply_busy (Request *req)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", RETRY_AFTER_SECONDS);
  _sesame_server_pages_reply_sign_in_message (req, SOUP_STATUS_SERVICE_UNAVAILABLE, _("Please wait"),
                                              _("Many people are signing in right now: try again in a few seconds."), NULL);
}

void
_sesame_server_pages_reply_failure (Request *req)
{
  _sesame_server_pages_reply_sign_in_message (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, _("Something went wrong"),
                                              _("The server could not do this. Try again in a moment, or contact the establishment."), NULL);
}

void
_sesame_server_pages_reply_csrf_refused (Request *req)
{
  _sesame_server_pages_reply_sign_in_message (req, SOUP_STATUS_FORBIDDEN, _("Form expired"),
                                              _("This form expired or did not come from this site. Open the page again and retry."), NULL);
}

/* ------------------------------------------------------------------ */
/* The pages, each from its template */

void
_sesame_server_pages_render_sign_in (Request    *req,
                                     guint       status,
                                     const char *login,
                                     const char *retour,
                                     gboolean    renew,
                                     const char *error)
{
  g_autoptr(TmplScope) scope = tmpl_scope_new ();

  scope_text (scope, "login", login);
  scope_text (scope, "retour", _sesame_server_pages_valid_return (retour));
  tmpl_scope_set_boolean (scope, "renew", renew);
  scope_text (scope, "login_label", _("Login"));
  scope_text (scope, "password_label", _("Password"));
  scope_text (scope, "submit_label", _("Sign in"));
  scope_text (scope, "forgot_label", _("Forgotten password?"));
  reply_page (req, status, _("Sign in"), NULL, "sign-in", scope, error, NULL, NULL);
}

/* The form where a password is chosen (activation, reset, forced change). */
static void
render_password (Request      *req,
                 guint         status,
                 const char   *title,
                 const char   *account,
                 const char   *action,
                 const char   *token,
                 const char   *retour,
                 const char   *error,
                 const char   *notice,
                 SesamePerson *person)
{
  g_autoptr(TmplScope) scope = tmpl_scope_new ();
  g_autofree char *policy = sesame_password_policy_describe (req->self->store);

  scope_text (scope, "account", account);
  /* The login in the form, for password managers to file the new
   * password under it. */
  tmpl_scope_set_boolean (scope, "has_login", person != NULL);
  scope_text (scope, "login", person != NULL ? sesame_person_get_login (person) : NULL);
  scope_text (scope, "policy", policy);
  scope_text (scope, "action", action);
  tmpl_scope_set_boolean (scope, "has_token", token != NULL);
  scope_text (scope, "token", token);
  tmpl_scope_set_boolean (scope, "has_retour", _sesame_server_pages_valid_return (retour) != NULL);
  scope_text (scope, "retour", _sesame_server_pages_valid_return (retour));
  scope_text (scope, "password_label", _("New password"));
  scope_text (scope, "confirmation_label", _("New password again"));
  scope_text (scope, "submit_label", _("Save the password"));
  reply_page (req, status, title, account, "password", scope, error, notice, person);
}

/* The page where a signed-in person chooses their password, with what is
 * wrong with the one they sent, if anything. */
void
_sesame_server_pages_render_change (Request    *req,
                                    guint       status,
                                    const char *retour,
                                    const char *error)
{
  g_autoptr(SesamePerson) person = sesame_accounts_find_person (req->self->store, req->session->person_key, NULL);
  g_autofree char *name = person != NULL ? sesame_person_dup_display_name (person) : g_strdup (req->session->login);
  g_autofree char *account = g_strdup_printf (_("Choose the password of the account: %s (%s)"),
                                              name, req->session->login);
  const char *notice = req->session->must_change
    ? _("You signed in with a first password: choose your own password now to go on.") : NULL;

  render_password (req, status, _("Choose your password"), account, "changer-mot-de-passe",
                   NULL, retour, error, notice, person);
}

void
_sesame_server_pages_render_account (Request *req,
                                     const char *notice)
{
  g_autoptr(SesamePerson) person = sesame_accounts_find_person (req->self->store, req->session->person_key, NULL);
  g_autoptr(TmplScope) scope = tmpl_scope_new ();
  g_autofree char *name = person != NULL ? sesame_person_dup_display_name (person) : g_strdup (req->session->login);
  g_autofree char *account = g_strdup_printf (_("You are signed in to the account: %s (%s)"), name, req->session->login);

  scope_text (scope, "account", account);
  scope_text (scope, "sign_out_label", _("Sign out"));
  reply_page (req, SOUP_STATUS_OK, _("Signed in"), NULL, "account", scope, NULL, notice, person);
}

void
_sesame_server_pages_render_forgot (Request    *req,
                                    guint       status,
                                    const char *error,
                                    const char *notice)
{
  g_autoptr(TmplScope) scope = tmpl_scope_new ();

  scope_text (scope, "pupil_text", _("If you are a pupil, ask the ENT administrator of your establishment."));
  scope_text (scope, "parent_text", _("If you are a parent without an email address in the ENT, contact the establishment."));
  scope_text (scope, "other_text", _("Otherwise, tick the box and enter your login: a link to choose a new password will be sent to your address."));
  scope_text (scope, "checkbox_label", _("I have an email address in the ENT"));
  scope_text (scope, "login_label", _("Login"));
  scope_text (scope, "submit_label", _("Send me a link"));
  scope_text (scope, "back_label", _("Back to the sign-in page"));
  reply_page (req, status, _("Forgotten password"), NULL, "forgot", scope, error, notice, NULL);
}

/* The activation or reset page for @token, or why it does not work. */
void
_sesame_server_pages_render_token_page (Request    *req,
                                        gboolean    reset,
                                        const char *token,
                                        const char *error)
{
  g_autoptr(GError) token_error = NULL;
  g_autoptr(SesamePerson) person = NULL;
  g_autofree char *name = NULL;
  g_autofree char *account = NULL;

  person = reset ? sesame_reset_tokens_peek (req->self->store, token, &token_error)
                 : sesame_activation_links_peek (req->self->store, token, &token_error);
  if (person == NULL)
    {
      _sesame_server_pages_reply_message (req, token_error->domain == SESAME_ERROR && token_error->code == SESAME_ERROR_NOT_FOUND
                                               ? SOUP_STATUS_NOT_FOUND : SOUP_STATUS_GONE,
                                          _("Link not valid"), token_error->message, NULL,
                                          reset ? "mot-de-passe-oublie" : "connexion",
                                          reset ? _("Ask for a new link") : _("Go to the sign-in page"));
      return;
    }
  name = sesame_person_dup_display_name (person);
  if (reset)
    account = g_strdup_printf (_("Resetting the password of the account: %s"), name);
  else
    account = g_strdup_printf (_("Setting the password of the account: %s (%s)"), name, sesame_person_get_login (person));
  render_password (req, error != NULL ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_OK,
                   reset ? _("Reset your password") : _("Set your password"), account,
                   reset ? "reinitialiser" : "activer", token, NULL, error, NULL, person);
}
