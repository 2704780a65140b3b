/* sesame-server-pages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pages where pupils and parents sign in and recover access
 * (issue 17): the object, the handler of each page and the work behind
 * them. Passwords are checked and hashed in a bounded pool
 * (sesame-server-pool.c), never on the main loop; reset emails leave from
 * a thread of their own so the answer, always the same, does not wait for
 * the mail server. No password, token or cookie is ever logged. The
 * cookies, CSRF tokens and sessions are in sesame-server-pages-session.c,
 * the templates and the answers in sesame-server-pages-render.c. The
 * header file says what CAS may call.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-server"

#include <string.h>

#include "sesame-server-pages-private.h"

/* Hashing threads: as many as the reference machine's cores. */
#define HASH_WORKERS 2
/* The largest form the pages accept. */
#define MAX_FORM_BYTES 8192
/* RFC 6585, which libsoup 3.2 names not. */
#define STATUS_TOO_MANY_REQUESTS 429

G_DEFINE_FINAL_TYPE (SesameServerPages, sesame_server_pages, G_TYPE_OBJECT)

static void
sesame_server_pages_finalize (GObject *object)
{
  SesameServerPages *self = SESAME_SERVER_PAGES (object);

  g_clear_pointer (&self->pool, sesame_server_pool_free);
  if (self->mail != NULL)
    g_thread_pool_free (self->mail, FALSE, TRUE);
  g_clear_pointer (&self->templates, g_hash_table_unref);
  g_clear_object (&self->store);
  sodium_memzero (self->form_key, sizeof self->form_key);
  G_OBJECT_CLASS (sesame_server_pages_parent_class)->finalize (object);
}

static void
sesame_server_pages_class_init (SesameServerPagesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sesame_server_pages_finalize;
}

static void
sesame_server_pages_init (SesameServerPages *self)
{
  self->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  randombytes_buf (self->form_key, sizeof self->form_key);
}

/* ------------------------------------------------------------------ */
/* Requests */

static void
request_free (Request *req)
{
  g_clear_pointer (&req->session, sesame_web_sessions_free);
  g_free (req->form_cookie);
  g_clear_pointer (&req->form, g_hash_table_unref);
  g_clear_object (&req->msg);
  g_clear_object (&req->self);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static const char *
form_field (Request    *req,
            const char *name)
{
  const char *value = req->form != NULL ? g_hash_table_lookup (req->form, name) : NULL;

  return value != NULL ? value : "";
}

static const char *
query_field (SoupServerMessage *msg,
             GHashTable        *query,
             const char        *name)
{
  const char *value = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  return value != NULL ? value : "";
}

static const char *
client_address (SoupServerMessage *msg)
{
  const char *host = soup_server_message_get_remote_host (msg);

  return host != NULL ? host : "";
}

/* ------------------------------------------------------------------ */
/* Reset emails, in a thread of their own. */

static void
send_reset_email (gpointer data,
                  gpointer user_data)
{
  g_autofree char *login = data;
  SesameStore *store = user_data;
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  char *smtp_password = NULL;
  gboolean sent = FALSE;

  settings = sesame_smtp_settings_load (store, &error);
  if (settings == NULL)
    {
      g_warning ("A reset link could not be sent: %s", error->message);
      return;
    }
  if (sesame_smtp_settings_get_user (settings) != NULL && *sesame_smtp_settings_get_user (settings) != '\0')
    smtp_password = sesame_secrets_lookup_smtp_password (sesame_smtp_settings_get_host (settings),
                                                         sesame_smtp_settings_get_user (settings), NULL, NULL);
  if (!sesame_reset_tokens_request (store, login, settings, smtp_password, &sent, NULL, &error))
    g_warning ("A reset link could not be sent: %s", error->message);
  sesame_secrets_free_password (smtp_password);
}

/* ------------------------------------------------------------------ */
/* Construction */

/**
 * sesame_server_pages_new:
 * @store: the server's store
 * @plain_http: whether the server listens without TLS (loopback only):
 *   cookies then go without `Secure`, which a browser would refuse over
 *   plain HTTP
 * @error: return location for a #GError
 *
 * Prepares the pages: their templates, the hashing pool and its store
 * connections, the thread that sends reset emails.
 *
 * Returns: (transfer full): the pages, or %NULL with @error set
 */
SesameServerPages *
sesame_server_pages_new (SesameStore  *store,
                         gboolean      plain_http,
                         GError      **error)
{
  g_autoptr(SesameServerPages) self = g_object_new (SESAME_TYPE_SERVER_PAGES, NULL);
  static const char * const names[] = { "layout", "sign-in", "password", "forgot", "account", "message" };
  SesameStore *mail_store;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  self->store = g_object_ref (store);
  self->plain_http = plain_http;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (!_sesame_server_pages_load_template (self, names[i], error))
      return NULL;
  self->pool = sesame_server_pool_new (store, HASH_WORKERS, HASH_QUEUE, error);
  if (self->pool == NULL)
    return NULL;
  mail_store = sesame_store_dup (store, error);
  if (mail_store == NULL)
    return NULL;
  /* The thread owns its store: the pool's data is freed with it. */
  g_object_set_data_full (G_OBJECT (self), "mail-store", mail_store, g_object_unref);
  self->mail = g_thread_pool_new (send_reset_email, mail_store, 1, TRUE, error);
  if (self->mail == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------ */
/* Work in the hashing pool */

typedef enum
{
  JOB_SIGN_IN,
  JOB_CHANGE,
  JOB_ACTIVATE,
  JOB_RESET,
} JobKind;

typedef struct
{
  Request          *req;
  JobKind           kind;
  char             *login;
  char             *password;
  char             *confirmation;
  char             *token;
  char             *retour;
  char             *person_key;
  gboolean          renew;
  SesameAuthResult  auth;
  char             *result_key;
  GError           *error;
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->req, request_free);
  g_free (job->login);
  _sesame_server_pages_wipe_string (job->password);
  g_free (job->password);
  _sesame_server_pages_wipe_string (job->confirmation);
  g_free (job->confirmation);
  _sesame_server_pages_wipe_string (job->token);
  g_free (job->token);
  g_free (job->retour);
  g_free (job->person_key);
  g_free (job->result_key);
  g_clear_error (&job->error);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static void
run_job (SesameStore *store,
         gpointer     data)
{
  Job *job = data;

  sesame_page_language_push (store);
  switch (job->kind)
    {
    case JOB_SIGN_IN:
      job->auth = sesame_passwords_authenticate (store, job->login, job->password, &job->error);
      if (job->auth != SESAME_AUTH_REFUSED)
        {
          g_autoptr(SesamePerson) person = sesame_accounts_find (store, job->login, &job->error);

          if (person != NULL)
            job->result_key = g_strdup (sesame_person_get_key (person));
        }
      break;
    case JOB_CHANGE:
      if (sesame_password_policy_set_password (store, job->person_key, job->password, &job->error))
        job->result_key = g_strdup (job->person_key);
      break;
    case JOB_ACTIVATE:
      job->result_key = sesame_activation_links_complete (store, job->token, job->password, job->confirmation, &job->error);
      break;
    case JOB_RESET:
      job->result_key = sesame_reset_tokens_complete (store, job->token, job->password, job->confirmation, &job->error);
      break;
    default:
      g_assert_not_reached ();
    }
  sesame_page_language_pop ();
}

/* Opens a session for @person_key and sets its cookie. */
static gboolean
sign_in (Request    *req,
         const char *person_key,
         gboolean    must_change,
         gboolean    renew)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cookie = NULL;
  SesameWebSession *session;

  if (req->session != NULL)
    {
      sesame_web_sessions_end (req->self->store, req->session->id, NULL);
      g_clear_pointer (&req->session, sesame_web_sessions_free);
    }
  session = sesame_web_sessions_open (req->self->store, person_key, must_change, &cookie, &error);
  if (session == NULL)
    {
      g_warning ("A session could not be opened: %s", error->message);
      return FALSE;
    }
  if (renew && !sesame_web_sessions_set_reauth_marker (req->self->store, session->id, &error))
    g_warning ("A forced sign-in could not be marked: %s", error->message);
  _sesame_server_pages_set_cookie (req, SESAME_SERVER_PAGES_SESSION_COOKIE, cookie, FALSE);
  _sesame_server_pages_wipe_string (cookie);
  req->session = session;
  return TRUE;
}

/* Where a person goes once signed in: the change of a first password
 * first, then `retour`, else the account page. */
static void
redirect_after_sign_in (Request    *req,
                        const char *retour)
{
  if (req->session->must_change)
    {
      g_autofree char *escaped = _sesame_server_pages_valid_return (retour) ? g_uri_escape_string (retour, NULL, FALSE) : NULL;
      g_autofree char *path = escaped != NULL ? g_strconcat ("/changer-mot-de-passe?retour=", escaped, NULL)
                                              : g_strdup ("/changer-mot-de-passe");

      _sesame_server_pages_reply_redirect (req, path);
    }
  else
    _sesame_server_pages_reply_redirect (req, _sesame_server_pages_valid_return (retour) ? retour : "/compte");
}

static void
finish_job (gpointer data)
{
  g_autoptr(Job) job = data;
  Request *req = job->req;
  SesameServerPages *self = req->self;
  g_autoptr(GError) error = NULL;

  sesame_page_language_push (self->store);
  switch (job->kind)
    {
    case JOB_SIGN_IN:
      if (!sesame_sign_in_throttle_record (self->store, SESAME_THROTTLE_SIGN_IN, job->login, client_address (req->msg),
                                           job->auth != SESAME_AUTH_REFUSED, &error))
        g_warning ("A sign-in attempt could not be recorded: %s", error->message);
      if (job->error != NULL)
        {
          g_warning ("A sign-in failed: %s", job->error->message);
          _sesame_server_pages_reply_failure (req);
        }
      else if (job->auth == SESAME_AUTH_REFUSED)
        _sesame_server_pages_render_sign_in (req, SOUP_STATUS_OK, job->login, job->retour, job->renew,
                                             _("The login or the password is wrong."));
      else if (!sign_in (req, job->result_key, job->auth == SESAME_AUTH_MUST_CHANGE, job->renew))
        _sesame_server_pages_reply_failure (req);
      else
        redirect_after_sign_in (req, job->retour);
      break;

    case JOB_CHANGE:
      if (job->error != NULL)
        _sesame_server_pages_render_change (req, SOUP_STATUS_BAD_REQUEST, job->retour, job->error->message);
      else if (!sesame_web_sessions_clear_must_change (self->store, req->session->id, &error))
        _sesame_server_pages_reply_failure (req);
      else
        {
          req->session->must_change = FALSE;
          _sesame_server_pages_reply_redirect (req, _sesame_server_pages_valid_return (job->retour) ? job->retour : "/compte");
        }
      break;

    case JOB_ACTIVATE:
    case JOB_RESET:
      if (job->error != NULL)
        _sesame_server_pages_render_token_page (req, job->kind == JOB_RESET, job->token, job->error->message);
      else if (!sign_in (req, job->result_key, FALSE, FALSE))
        _sesame_server_pages_reply_failure (req);
      else
        _sesame_server_pages_reply_redirect (req, "/compte");
      break;

    default:
      g_assert_not_reached ();
    }
  sesame_page_language_pop ();
  soup_server_message_unpause (req->msg);
}

/* Hands @job to the pool, or answers 503 when it is full. */
static void
push_job (Job *job)
{
  Request *req = job->req;

  if (!sesame_server_pool_push (req->self->pool, run_job, finish_job, job))
    {
      _sesame_server_pages_reply_busy (req);
      job_free (job);
      return;
    }
  soup_server_message_pause (req->msg);
}

static Job *
job_new (Request *req,
         JobKind  kind)
{
  Job *job = g_new0 (Job, 1);

  job->req = req;
  job->kind = kind;
  job->password = g_strdup (form_field (req, "password"));
  job->confirmation = g_strdup (form_field (req, "confirmation"));
  job->retour = g_strdup (_sesame_server_pages_valid_return (form_field (req, "retour")));
  return job;
}

/* ------------------------------------------------------------------ */
/* Handlers, one per page; each takes the request. */

static void
page_sign_in (Request    *req,
              GHashTable *query)
{
  const char *retour;
  gboolean renew;

  if (soup_server_message_get_method (req->msg) == SOUP_METHOD_POST)
    {
      g_autoptr(GError) error = NULL;
      gint64 retry_after = 0;
      const char *login;
      Job *job;

      retour = form_field (req, "retour");
      renew = g_str_equal (form_field (req, "renouveler"), "1");
      if (!_sesame_server_pages_csrf_is_valid (req))
        {
          _sesame_server_pages_reply_csrf_refused (req);
          request_free (req);
          return;
        }
      login = form_field (req, "login");
      g_strstrip ((char *) login);
      if (*login == '\0' || *form_field (req, "password") == '\0')
        {
          _sesame_server_pages_render_sign_in (req, SOUP_STATUS_BAD_REQUEST, login, retour, renew, _("Enter your login and your password."));
          request_free (req);
          return;
        }
      if (!sesame_sign_in_throttle_allows (req->self->store, SESAME_THROTTLE_SIGN_IN, login, client_address (req->msg),
                                           &retry_after, &error))
        {
          g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (retry_after, 1));

          soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", seconds);
          _sesame_server_pages_render_sign_in (req, error->code == SESAME_ERROR_BUSY ? STATUS_TOO_MANY_REQUESTS : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                               login, retour, renew, error->code == SESAME_ERROR_BUSY ? error->message : NULL);
          request_free (req);
          return;
        }
      job = job_new (req, JOB_SIGN_IN);
      job->login = g_strdup (login);
      job->renew = renew;
      push_job (job);
      return;
    }

  retour = query_field (req->msg, query, "retour");
  renew = g_str_equal (query_field (req->msg, query, "renouveler"), "1");
  if (req->session != NULL && !renew)
    redirect_after_sign_in (req, retour);
  else
    _sesame_server_pages_render_sign_in (req, SOUP_STATUS_OK, "", retour, renew, NULL);
  request_free (req);
}

static void
page_change (Request    *req,
             GHashTable *query)
{
  if (req->session == NULL)
    {
      g_autofree char *path = sesame_server_pages_sign_in_path (query_field (req->msg, query, "retour"), FALSE);

      if (soup_server_message_get_method (req->msg) == SOUP_METHOD_POST && !_sesame_server_pages_csrf_is_valid (req))
        _sesame_server_pages_reply_csrf_refused (req);
      else
        _sesame_server_pages_reply_redirect (req, path);
      request_free (req);
      return;
    }

  if (soup_server_message_get_method (req->msg) == SOUP_METHOD_POST)
    {
      g_autoptr(GError) error = NULL;
      Job *job;

      if (!_sesame_server_pages_csrf_is_valid (req))
        {
          _sesame_server_pages_reply_csrf_refused (req);
          request_free (req);
          return;
        }
      if (!sesame_password_policy_check (req->self->store, req->session->login, form_field (req, "password"),
                                         form_field (req, "confirmation"), &error))
        {
          _sesame_server_pages_render_change (req, SOUP_STATUS_BAD_REQUEST, form_field (req, "retour"), error->message);
          request_free (req);
          return;
        }
      job = job_new (req, JOB_CHANGE);
      job->person_key = g_strdup (req->session->person_key);
      push_job (job);
      return;
    }
  _sesame_server_pages_render_change (req, SOUP_STATUS_OK, query_field (req->msg, query, "retour"), NULL);
  request_free (req);
}

static void
page_token (Request    *req,
            GHashTable *query,
            gboolean    reset)
{
  if (soup_server_message_get_method (req->msg) == SOUP_METHOD_POST)
    {
      Job *job;

      if (!_sesame_server_pages_csrf_is_valid (req))
        {
          _sesame_server_pages_reply_csrf_refused (req);
          request_free (req);
          return;
        }
      job = job_new (req, reset ? JOB_RESET : JOB_ACTIVATE);
      job->token = g_strdup (form_field (req, "jeton"));
      push_job (job);
      return;
    }
  _sesame_server_pages_render_token_page (req, reset, query_field (req->msg, query, "jeton"), NULL);
  request_free (req);
}

static void
page_forgot (Request *req)
{
  if (soup_server_message_get_method (req->msg) == SOUP_METHOD_POST)
    {
      g_autoptr(GError) error = NULL;
      gint64 retry_after = 0;
      const char *login = form_field (req, "login");

      g_strstrip ((char *) login);
      if (!_sesame_server_pages_csrf_is_valid (req))
        _sesame_server_pages_reply_csrf_refused (req);
      else if (!g_str_equal (form_field (req, "has_address"), "1") || *login == '\0')
        _sesame_server_pages_render_forgot (req, SOUP_STATUS_BAD_REQUEST,
                                            _("Tick the box and enter your login. Without an email address in the ENT, contact the establishment."),
                                            NULL);
      else if (!sesame_sign_in_throttle_allows (req->self->store, SESAME_THROTTLE_RESET, login, client_address (req->msg),
                                                &retry_after, &error))
        {
          g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (retry_after, 1));

          soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", seconds);
          _sesame_server_pages_render_forgot (req, error->code == SESAME_ERROR_BUSY ? STATUS_TOO_MANY_REQUESTS : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                              error->code == SESAME_ERROR_BUSY ? error->message : NULL, NULL);
        }
      else
        {
          if (!sesame_sign_in_throttle_record (req->self->store, SESAME_THROTTLE_RESET, login, client_address (req->msg),
                                               TRUE, &error))
            g_warning ("A reset request could not be recorded: %s", error->message);
          g_thread_pool_push (req->self->mail, g_strdup (login), NULL);
          /* The same answer in every case: nobody learns whether the
           * login exists or has an address. */
          _sesame_server_pages_reply_sign_in_message (req, SOUP_STATUS_OK, _("Forgotten password"), NULL,
                                                      _("If this account exists and has an address, a message was just sent to it. Otherwise, go to the administrator in charge of passwords at your establishment."));
        }
      request_free (req);
      return;
    }
  _sesame_server_pages_render_forgot (req, SOUP_STATUS_OK, NULL, NULL);
  request_free (req);
}

static void
page_account (Request *req)
{
  if (req->session == NULL)
    _sesame_server_pages_reply_redirect (req, "/connexion");
  else if (req->session->must_change)
    _sesame_server_pages_reply_redirect (req, "/changer-mot-de-passe");
  else
    _sesame_server_pages_render_account (req, NULL);
  request_free (req);
}

static void
page_sign_out (Request *req)
{
  if (soup_server_message_get_method (req->msg) != SOUP_METHOD_POST)
    _sesame_server_pages_reply_redirect (req, req->session != NULL ? "/compte" : "/connexion");
  else if (!_sesame_server_pages_csrf_is_valid (req))
    _sesame_server_pages_reply_csrf_refused (req);
  else
    {
      if (req->session != NULL)
        sesame_web_sessions_end (req->self->store, req->session->id, NULL);
      _sesame_server_pages_set_cookie (req, SESAME_SERVER_PAGES_SESSION_COOKIE, "", TRUE);
      _sesame_server_pages_reply_redirect (req, "/connexion");
    }
  request_free (req);
}

static void
serve_style (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (RESOURCE_PATH "style.css", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "public, max-age=3600");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/css; charset=utf-8", SOUP_MEMORY_COPY, data, length);
}

static gboolean
read_form (Request *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  const char *data;

  if (body->length > MAX_FORM_BYTES)
    return FALSE;
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &length);
  text = g_strndup (data, length);
  req->form = soup_form_decode (text);
  _sesame_server_pages_wipe_string (text);
  return TRUE;
}

static void
handle_page (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  SesameServerPages *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  Request *req;

  if (g_str_equal (path, "/pages/style.css") && (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD))
    {
      serve_style (msg);
      return;
    }
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD && method != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  req = g_new0 (Request, 1);
  req->self = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->session = _sesame_server_pages_find_session (self, msg);
  if (method == SOUP_METHOD_POST && !read_form (req))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
      request_free (req);
      return;
    }

  sesame_page_language_push (self->store);
  if (g_str_equal (path, "/connexion"))
    page_sign_in (req, query);
  else if (g_str_equal (path, "/changer-mot-de-passe"))
    page_change (req, query);
  else if (g_str_equal (path, "/activer"))
    page_token (req, query, FALSE);
  else if (g_str_equal (path, "/reinitialiser"))
    page_token (req, query, TRUE);
  else if (g_str_equal (path, "/mot-de-passe-oublie"))
    page_forgot (req);
  else if (g_str_equal (path, "/compte"))
    page_account (req);
  else if (g_str_equal (path, "/deconnexion"))
    page_sign_out (req);
  else if (g_str_equal (path, "/"))
    {
      _sesame_server_pages_reply_redirect (req, "/connexion");
      request_free (req);
    }
  else
    {
      _sesame_server_pages_reply_message (req, SOUP_STATUS_NOT_FOUND, _("Page not found"), _("This page does not exist."), NULL,
                                          "connexion", _("Go to the sign-in page"));
      request_free (req);
    }
  sesame_page_language_pop ();
}

/**
 * sesame_server_pages_install:
 * @self: the pages
 * @server: the server
 *
 * Serves the pages on @server.
 */
void
sesame_server_pages_install (SesameServerPages *self,
                             SoupServer        *server)
{
  static const char * const paths[] = {
    "/connexion", "/changer-mot-de-passe", "/activer", "/reinitialiser", "/mot-de-passe-oublie",
    "/compte", "/deconnexion", "/pages",
  };

  g_return_if_fail (SESAME_IS_SERVER_PAGES (self));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    soup_server_add_handler (server, paths[i], handle_page, g_object_ref (self), g_object_unref);
}

