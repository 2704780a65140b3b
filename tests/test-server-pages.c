/* test-server-pages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The families' pages of the real sesame-server, over HTTP on loopback
 * (--plain-http), with libsoup as the browser: the sign-in with a first
 * password and the forced change, the activation link, the forgotten
 * password with the reset link received by the test mail server, each
 * error (unknown, used and expired links, confirmation that differs, too
 * short, login as password, wrong CSRF token, too many attempts), the
 * security headers and cookies, and no password, token or cookie in the
 * server's output. The C API CAS relies on and the bounded hashing pool
 * are checked in the same program.
 */
#include "config.h"

#include <gmime/gmime.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "sesame.h"
#include "sesame-activation-tokens-private.h"
#include "sesame-credentials-private.h"
#include "sesame-server-listen.h"
#include "sesame-server-pages.h"
#include "sesame-server-pool.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-smtp.h"
#include "sesame-test-util.h"

#define ENT_URL "https://ent.mon-ent-74.example.fr"

typedef struct
{
  SesameTestFixture     base;
  SesameTestSmtpServer *smtp;
  GSubprocess          *server;
  GDataInputStream     *output;
  char                 *url;
  SoupSession          *session;
  GHashTable           *cookies;
  GPtrArray            *secrets;   /* nothing of these may reach the output */
  char                 *pupil_first;
  char                 *parent_first;
  char                 *activation;
  char                 *expired_activation;
} Fixture;

typedef struct
{
  guint       status;
  char       *body;
  char       *location;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_free);
  g_clear_pointer (&reply->location, g_free);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
issue_activation (SesameStore *store,
                  const char  *key)
{
  g_autoptr(GError) error = NULL;
  char *token;

  g_assert_true (_sesame_store_begin (store, &error));
  token = _sesame_activation_tokens_issue (store, key, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_commit (store, &error));
  return token;
}

static void
start_server (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Every log line the server can write, to look for secrets in it. */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, SESAME_SMTP_CA_FILE_ENV, fixture->smtp->cert, TRUE);
  fixture->server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SESAME_SERVER"),
                                                 "--store", fixture->base.store_path, "--listen", "127.0.0.1:0",
                                                 "--plain-http", NULL);
  g_assert_no_error (error);
  fixture->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->server));
  while (fixture->url == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (fixture->output, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "Listening on http://127.0.0.1:"))
        {
          fixture->url = g_strdup (line + strlen ("Listening on "));
          if (g_str_has_suffix (fixture->url, "/"))
            fixture->url[strlen (fixture->url) - 1] = '\0';
        }
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSmtpSettings) settings = NULL;
  SesameStore *store;

  sesame_test_fixture_set_up (&fixture->base, data);
  store = fixture->base.store;
  sesame_test_name_ent (store);
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_DOCUMENT_LANGUAGE, "fr", &error));
  fixture->pupil_first = _sesame_credentials_dup_first_password (store, "P1");
  fixture->parent_first = _sesame_credentials_dup_first_password (store, "P6");
  fixture->activation = issue_activation (store, "P9");
  fixture->expired_activation = issue_activation (store, "P7");
  g_assert_true (_sesame_store_exec (store, "UPDATE activation_tokens SET expires_at = 1000 WHERE person_key = 'P7'", &error));

  fixture->smtp = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                                 "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  settings = sesame_test_smtp_server_settings (fixture->smtp);
  g_assert_true (sesame_smtp_settings_save (settings, store, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_secrets_store_smtp_password (sesame_smtp_settings_get_host (settings),
                                                     sesame_smtp_settings_get_user (settings),
                                                     SESAME_TEST_SMTP_PASSWORD, NULL, &error));
  g_assert_no_error (error);

  fixture->secrets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (fixture->secrets, g_strdup (fixture->pupil_first));
  g_ptr_array_add (fixture->secrets, g_strdup (fixture->parent_first));
  g_ptr_array_add (fixture->secrets, g_strdup (fixture->activation));
  g_ptr_array_add (fixture->secrets, g_strdup (SESAME_TEST_SMTP_PASSWORD));
  sesame_test_fixture_close (&fixture->base);

  {
    /* No proxy, and none looked up in GSettings. */
    g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (NULL, NULL);

    fixture->session = soup_session_new_with_options ("proxy-resolver", resolver, NULL);
  }
  fixture->cookies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  start_server (fixture);
}

/* Stops the server and checks that nothing secret reached its output. */
static void
stop_server (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  char *line;

  if (fixture->server == NULL)
    return;
  g_subprocess_send_signal (fixture->server, SIGTERM);
  while ((line = g_data_input_stream_read_line_utf8 (fixture->output, NULL, NULL, NULL)) != NULL)
    {
      g_string_append (output, line);
      g_string_append_c (output, '\n');
      g_free (line);
    }
  g_subprocess_wait (fixture->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (fixture->server));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->server), ==, 0);
  for (guint i = 0; i < fixture->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (fixture->secrets, i);

      if (secret != NULL && *secret != '\0' && strstr (output->str, secret) != NULL)
        g_error ("The server's output shows a secret: %s", output->str);
    }
  g_clear_object (&fixture->output);
  g_clear_object (&fixture->server);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  stop_server (fixture);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->cookies, g_hash_table_unref);
  g_clear_pointer (&fixture->secrets, g_ptr_array_unref);
  g_clear_pointer (&fixture->smtp, sesame_test_smtp_server_free);
  g_free (fixture->url);
  g_free (fixture->pupil_first);
  g_free (fixture->parent_first);
  g_free (fixture->activation);
  g_free (fixture->expired_activation);
  sesame_test_fixture_tear_down (&fixture->base, data);
}

static void
remember_cookies (Fixture            *fixture,
                  SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_auto(GStrv) parts = NULL;
      char *equal;

      if (g_ascii_strcasecmp (name, "Set-Cookie") != 0)
        continue;
      /* Each cookie as the browser must keep it. */
      g_assert_nonnull (strstr (value, "; HttpOnly"));
      g_assert_nonnull (strstr (value, "; SameSite=Strict"));
      g_assert_nonnull (strstr (value, "; Path=/"));
      /* Plain HTTP on loopback: a Secure cookie would never come back. */
      g_assert_null (strstr (value, "Secure"));
      parts = g_strsplit (value, ";", 2);
      equal = strchr (parts[0], '=');
      g_assert_nonnull (equal);
      *equal = '\0';
      if (strstr (value, "Max-Age=0") != NULL || equal[1] == '\0')
        g_hash_table_remove (fixture->cookies, parts[0]);
      else
        {
          g_hash_table_replace (fixture->cookies, g_strdup (parts[0]), g_strdup (equal + 1));
          g_ptr_array_add (fixture->secrets, g_strdup (equal + 1));
        }
    }
}

/* One request as a browser would make it, without following redirects. */
static void
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *form,
         Reply      *reply)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (fixture->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GString) cookie = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_hash_table_iter_init (&iter, fixture->cookies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (cookie, "%s%s=%s", cookie->len > 0 ? "; " : "", (char *) key, (char *) value);
  if (cookie->len > 0)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie->str);
  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  body = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply_clear (reply);
  reply->status = soup_message_get_status (msg);
  reply->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->location = g_strdup (soup_message_headers_get_one (reply->headers, "Location"));
  remember_cookies (fixture, reply->headers);
}

/* The security headers every page carries. */
static void
assert_page_headers (Reply *reply)
{
  const char *csp = soup_message_headers_get_one (reply->headers, "Content-Security-Policy");

  g_assert_nonnull (csp);
  g_assert_nonnull (strstr (csp, "default-src 'none'"));
  g_assert_nonnull (strstr (csp, "style-src 'self'"));
  g_assert_nonnull (strstr (csp, "form-action 'self'"));
  g_assert_nonnull (strstr (csp, "frame-ancestors 'none'"));
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "X-Frame-Options"), ==, "DENY");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Referrer-Policy"), ==, "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Cache-Control"), ==, "no-store");
}

/* The CSRF token of the page's first form. */
static char *
csrf_of (const char *page)
{
  const char *start = strstr (page, "name=\"csrf\" value=\"");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("name=\"csrf\" value=\"");
  end = strchr (start, '"');
  return g_strndup (start, end - start);
}

static char *
form_of (const char *page,
         ...)
{
  g_autofree char *csrf = csrf_of (page);
  GString *form = g_string_new ("csrf=");
  va_list args;
  const char *name;

  g_string_append_uri_escaped (form, csrf, NULL, FALSE);
  va_start (args, page);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_string_append_printf (form, "&%s=", name);
      g_string_append_uri_escaped (form, value, NULL, FALSE);
    }
  va_end (args);
  return g_string_free (form, FALSE);
}

static void
assert_redirect (Reply      *reply,
                 const char *path)
{
  g_autofree char *location = g_strconcat (ENT_URL, path, NULL);

  g_assert_cmpuint (reply->status, ==, 303);
  g_assert_cmpstr (reply->location, ==, location);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in:\n%s", part, text);
}

/* Signs in on /connexion, returns the redirect. */
static void
sign_in (Fixture    *fixture,
         const char *login,
         const char *password,
         const char *retour,
         Reply      *reply)
{
  g_autofree char *form = NULL;

  /* As someone not signed in. */
  g_hash_table_remove (fixture->cookies, SESAME_SERVER_PAGES_SESSION_COOKIE);
  request (fixture, "GET", "/connexion", NULL, reply);
  g_assert_cmpuint (reply->status, ==, 200);
  form = form_of (reply->body, "login", login, "password", password, "retour", retour != NULL ? retour : "", NULL);
  request (fixture, "POST", "/connexion", form, reply);
}

static void
test_first_sign_in (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_autofree char *form = NULL;
  g_autofree char *page = NULL;

  g_ptr_array_add (fixture->secrets, g_strdup ("montagne74"));

  /* The page: French, the ENT's name, labels, a form cookie. */
  request (fixture, "GET", "/connexion", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_page_headers (&reply);
  assert_contains (reply.body, "<html lang=\"fr\">");
  assert_contains (reply.body, "Mon ENT 74");
  assert_contains (reply.body, "<label for=\"login\">Identifiant</label>");
  assert_contains (reply.body, "<label for=\"password\">Mot de passe</label>");
  assert_contains (reply.body, "mot-de-passe-oublie");
  g_assert_null (strstr (reply.body, "<script"));
  g_assert_true (g_hash_table_contains (fixture->cookies, SESAME_SERVER_PAGES_FORM_COOKIE));
  page = g_strdup (reply.body);

  /* The style sheet the CSP allows. */
  request (fixture, "GET", "/pages/style.css", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply.headers, NULL), ==, "text/css");

  /* A wrong CSRF token is refused before the password is looked at. */
  request (fixture, "POST", "/connexion", "csrf=0000&login=eloise.dupont&password=x", &reply);
  g_assert_cmpuint (reply.status, ==, 403);
  assert_contains (reply.body, "Ce formulaire a expiré");
  form = g_strdup_printf ("login=eloise.dupont&password=%s", fixture->pupil_first);
  request (fixture, "POST", "/connexion", form, &reply);
  g_assert_cmpuint (reply.status, ==, 403);
  g_clear_pointer (&form, g_free);

  /* A wrong password. */
  form = form_of (page, "login", "eloise.dupont", "password", "wrong-password", NULL);
  request (fixture, "POST", "/connexion", form, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_contains (reply.body, "L'identifiant ou le mot de passe est incorrect.");
  assert_contains (reply.body, "value=\"eloise.dupont\"");
  g_assert_false (g_hash_table_contains (fixture->cookies, SESAME_SERVER_PAGES_SESSION_COOKIE));

  /* The first password: accepted once, then the change is due. */
  sign_in (fixture, "eloise.dupont", fixture->pupil_first, NULL, &reply);
  assert_redirect (&reply, "/changer-mot-de-passe");
  g_assert_true (g_hash_table_contains (fixture->cookies, SESAME_SERVER_PAGES_SESSION_COOKIE));
  request (fixture, "GET", "/compte", NULL, &reply);
  assert_redirect (&reply, "/changer-mot-de-passe");

  request (fixture, "GET", "/changer-mot-de-passe", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_page_headers (&reply);
  assert_contains (reply.body, "Éloïse DUPONT (eloise.dupont)");
  assert_contains (reply.body, "au moins 6 caractères");
  assert_contains (reply.body, "name=\"username\" value=\"eloise.dupont\" autocomplete=\"username\"");
  assert_contains (reply.body, "Collège Les Aravis");
  g_clear_pointer (&page, g_free);
  page = g_strdup (reply.body);

  g_clear_pointer (&form, g_free);
  form = form_of (page, "password", "abc", "confirmation", "abc", NULL);
  request (fixture, "POST", "/changer-mot-de-passe", form, &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  assert_contains (reply.body, "trop court");
  /* Refused, the page still names the account and keeps the login. */
  assert_contains (reply.body, "Éloïse DUPONT (eloise.dupont)");
  assert_contains (reply.body, "name=\"username\" value=\"eloise.dupont\"");
  g_clear_pointer (&form, g_free);
  form = form_of (page, "password", "montagne74", "confirmation", "montagne75", NULL);
  request (fixture, "POST", "/changer-mot-de-passe", form, &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  assert_contains (reply.body, "Les deux mots de passe sont différents");
  g_clear_pointer (&form, g_free);
  form = form_of (page, "password", "Eloise.Dupont", "confirmation", "Eloise.Dupont", NULL);
  request (fixture, "POST", "/changer-mot-de-passe", form, &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  g_clear_pointer (&form, g_free);
  form = form_of (page, "password", fixture->pupil_first, "confirmation", fixture->pupil_first, NULL);
  request (fixture, "POST", "/changer-mot-de-passe", form, &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  g_clear_pointer (&form, g_free);
  form = form_of (page, "password", "montagne74", "confirmation", "montagne74", NULL);
  request (fixture, "POST", "/changer-mot-de-passe", form, &reply);
  assert_redirect (&reply, "/compte");

  request (fixture, "GET", "/compte", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_contains (reply.body, "Éloïse DUPONT (eloise.dupont)");
  g_clear_pointer (&page, g_free);
  page = g_strdup (reply.body);

  /* Sign out: the session is gone. */
  g_clear_pointer (&form, g_free);
  form = form_of (page, NULL);
  request (fixture, "POST", "/deconnexion", form, &reply);
  assert_redirect (&reply, "/connexion");
  g_assert_false (g_hash_table_contains (fixture->cookies, SESAME_SERVER_PAGES_SESSION_COOKIE));
  request (fixture, "GET", "/compte", NULL, &reply);
  assert_redirect (&reply, "/connexion");

  /* The first password works no more; the chosen one does. */
  sign_in (fixture, "eloise.dupont", fixture->pupil_first, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  sign_in (fixture, "eloise.dupont", "montagne74", NULL, &reply);
  assert_redirect (&reply, "/compte");
}

static void
test_return (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_autofree char *form = NULL;

  g_ptr_array_add (fixture->secrets, g_strdup ("montagne74"));

  /* After the forced change, retour is honoured. */
  sign_in (fixture, "paul.dupont", fixture->parent_first, "/cas/login?service=https%3A%2F%2Fent", &reply);
  assert_redirect (&reply, "/changer-mot-de-passe?retour=%2Fcas%2Flogin%3Fservice%3Dhttps%253A%252F%252Fent");
  request (fixture, "GET", "/changer-mot-de-passe?retour=%2Fcas%2Flogin%3Fservice%3Dhttps%253A%252F%252Fent", NULL, &reply);
  assert_contains (reply.body, "name=\"retour\" value=\"/cas/login?service=https%3A%2F%2Fent\"");
  form = form_of (reply.body, "password", "montagne74", "confirmation", "montagne74",
                  "retour", "/cas/login?service=https%3A%2F%2Fent", NULL);
  request (fixture, "POST", "/changer-mot-de-passe", form, &reply);
  assert_redirect (&reply, "/cas/login?service=https%3A%2F%2Fent");

  /* Signed in already: straight to retour; another site is never one. */
  request (fixture, "GET", "/connexion?retour=%2Fcas%2Flogin", NULL, &reply);
  assert_redirect (&reply, "/cas/login");
  request (fixture, "GET", "/connexion?retour=%2F%2Fevil.example.org%2F", NULL, &reply);
  assert_redirect (&reply, "/compte");
  request (fixture, "GET", "/connexion?retour=https%3A%2F%2Fevil.example.org%2F", NULL, &reply);
  assert_redirect (&reply, "/compte");
  /* Renew shows the form even so. */
  request (fixture, "GET", "/connexion?retour=%2Fcas%2Flogin&renouveler=1", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_contains (reply.body, "name=\"renouveler\" value=\"1\"");
  g_clear_pointer (&form, g_free);
  form = form_of (reply.body, "login", "paul.dupont", "password", "montagne74", "retour", "/cas/login", "renouveler", "1", NULL);
  request (fixture, "POST", "/connexion", form, &reply);
  assert_redirect (&reply, "/cas/login");
}

static void
test_activation (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_autofree char *path = g_strconcat ("/activer?jeton=", fixture->activation, NULL);
  g_autofree char *form = NULL;
  g_autofree char *page = NULL;

  g_ptr_array_add (fixture->secrets, g_strdup ("lac-annecy"));

  request (fixture, "GET", path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_page_headers (&reply);
  assert_contains (reply.body, "Initialisation du mot de passe pour le compte : Nathalie DUPONT (nathalie.dupont)");
  assert_contains (reply.body, "Lycée Berthollet");
  /* The login beside the new password, for password managers. */
  assert_contains (reply.body, "<input type=\"text\" name=\"username\" value=\"nathalie.dupont\" autocomplete=\"username\" hidden readonly>");
  assert_contains (reply.body, "<label for=\"confirmation\">");
  page = g_strdup (reply.body);

  form = form_of (page, "jeton", fixture->activation, "password", "lac-annecy", "confirmation", "lac-annecy!", NULL);
  request (fixture, "POST", "/activer", form, &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  assert_contains (reply.body, "Les deux mots de passe sont différents");
  g_clear_pointer (&form, g_free);
  form = form_of (page, "jeton", fixture->activation, "password", "lac", "confirmation", "lac", NULL);
  request (fixture, "POST", "/activer", form, &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  assert_contains (reply.body, "trop court");
  g_clear_pointer (&form, g_free);
  form = form_of (page, "jeton", fixture->activation, "password", "nathalie.dupont", "confirmation", "nathalie.dupont", NULL);
  request (fixture, "POST", "/activer", form, &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  assert_contains (reply.body, "identifiant");

  g_clear_pointer (&form, g_free);
  form = g_strdup_printf ("csrf=forged&jeton=%s&password=lac-annecy&confirmation=lac-annecy", fixture->activation);
  request (fixture, "POST", "/activer", form, &reply);
  g_assert_cmpuint (reply.status, ==, 403);

  g_clear_pointer (&form, g_free);
  form = form_of (page, "jeton", fixture->activation, "password", "lac-annecy", "confirmation", "lac-annecy", NULL);
  request (fixture, "POST", "/activer", form, &reply);
  assert_redirect (&reply, "/compte");
  request (fixture, "GET", "/compte", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_contains (reply.body, "Nathalie DUPONT (nathalie.dupont)");

  /* Used. */
  request (fixture, "GET", path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 410);
  assert_contains (reply.body, "déjà été utilisé");
  assert_contains (reply.body, "contactez l'établissement");
  /* Unknown. */
  request (fixture, "GET", "/activer?jeton=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 404);
  assert_contains (reply.body, "contactez l'établissement");
  request (fixture, "GET", "/activer", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 404);
  /* Expired. */
  g_clear_pointer (&path, g_free);
  path = g_strconcat ("/activer?jeton=", fixture->expired_activation, NULL);
  request (fixture, "GET", path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 410);
  assert_contains (reply.body, "expiré");
  assert_contains (reply.body, "60 jours");

  /* The new password signs in. */
  sign_in (fixture, "nathalie.dupont", "lac-annecy", NULL, &reply);
  assert_redirect (&reply, "/compte");
}

static char *
reset_link_of (Fixture *fixture,
               guint    index)
{
  g_autoptr(GPtrArray) log = sesame_test_smtp_server_read_log (fixture->smtp);
  g_autoptr(GMimeMessage) message = NULL;
  g_autofree char *body = NULL;
  const char *start;
  const char *end;

  g_assert_cmpuint (log->len, >, index);
  message = sesame_test_smtp_server_parse (fixture->smtp, json_object_get_string_member (g_ptr_array_index (log, index), "file"));
  GMimeObject *part = g_mime_message_get_mime_part (message);
  g_autofree char *html = NULL;
  g_autofree char *anchor = NULL;
  g_autofree char *link = NULL;

  /* Text, and HTML where the link can be tapped on a phone. */
  g_assert_true (GMIME_IS_MULTIPART (part));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (part)), ==, 2);
  body = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_multipart_get_part (GMIME_MULTIPART (part), 0)));
  html = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_multipart_get_part (GMIME_MULTIPART (part), 1)));
  assert_contains (body, "Bonjour Marie DUPONT");
  assert_contains (body, "marie.dupont");
  start = strstr (body, ENT_URL "/reinitialiser?jeton=");
  g_assert_nonnull (start);
  for (end = start; *end != '\0' && !g_ascii_isspace (*end); end++)
    ;
  link = g_strndup (start, end - start);
  anchor = g_strdup_printf ("<a href=\"%s\">", link);
  assert_contains (html, "Bonjour Marie DUPONT");
  assert_contains (html, anchor);
  return g_strdup (link + strlen (ENT_URL));
}

static void
test_forgotten (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_autofree char *page = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *form = NULL;
  const char *logins[] = { "eloise.dupont", "claire.martin", "nobody.here", "marie.dupont" };

  g_ptr_array_add (fixture->secrets, g_strdup ("riviere-arve"));

  request (fixture, "GET", "/mot-de-passe-oublie", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_page_headers (&reply);
  assert_contains (reply.body, "élève");
  assert_contains (reply.body, "<label for=\"has_address\">");
  page = g_strdup (reply.body);

  /* The box must be ticked. */
  form = form_of (page, "login", "marie.dupont", NULL);
  request (fixture, "POST", "/mot-de-passe-oublie", form, &reply);
  g_assert_cmpuint (reply.status, ==, 400);

  /* One answer for a pupil, a parent without address, nobody, a parent
   * with an address. */
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_autofree char *f = form_of (page, "has_address", "1", "login", logins[i], NULL);

      request (fixture, "POST", "/mot-de-passe-oublie", f, &reply);
      g_assert_cmpuint (reply.status, ==, 200);
      assert_contains (reply.body, "Si ce compte existe et qu'une adresse est renseignée, un message vient d'y être envoyé. "
                                   "Sinon, rendez-vous auprès de l'administrateur responsable des mots de passe de votre établissement.");
      if (answer == NULL)
        answer = g_strdup (reply.body);
      else
        g_assert_cmpstr (reply.body, ==, answer);
    }
  /* Only Marie's reached the mail server. */
  g_assert_true (sesame_test_smtp_server_wait_count (fixture->smtp, 1, 20000));
  g_usleep (300 * 1000);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->smtp), ==, 1);

  path = reset_link_of (fixture, 0);
  g_ptr_array_add (fixture->secrets, g_strdup (path + strlen ("/reinitialiser?jeton=")));
  request (fixture, "GET", path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  assert_page_headers (&reply);
  assert_contains (reply.body, "Réinitialisation du mot de passe pour le compte : Marie DUPONT");
  g_clear_pointer (&form, g_free);
  form = form_of (reply.body, "jeton", path + strlen ("/reinitialiser?jeton="),
                  "password", "riviere-arve", "confirmation", "riviere-arve", NULL);
  request (fixture, "POST", "/reinitialiser", form, &reply);
  assert_redirect (&reply, "/compte");

  /* Single use. */
  request (fixture, "GET", path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 410);
  assert_contains (reply.body, "déjà été utilisé");
  request (fixture, "GET", "/reinitialiser?jeton=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 404);

  sign_in (fixture, "marie.dupont", "riviere-arve", NULL, &reply);
  assert_redirect (&reply, "/compte");

  /* Requests are throttled per login too (asked signed out, as the
   * page was shown). */
  g_hash_table_remove (fixture->cookies, SESAME_SERVER_PAGES_SESSION_COOKIE);
  for (guint i = 0; i < SESAME_THROTTLE_RESET_PER_LOGIN - 1; i++)
    {
      g_autofree char *f = form_of (page, "has_address", "1", "login", "marie.dupont", NULL);

      request (fixture, "POST", "/mot-de-passe-oublie", f, &reply);
      g_assert_cmpuint (reply.status, ==, 200);
    }
  g_clear_pointer (&form, g_free);
  form = form_of (page, "has_address", "1", "login", "marie.dupont", NULL);
  request (fixture, "POST", "/mot-de-passe-oublie", form, &reply);
  g_assert_cmpuint (reply.status, ==, 429);
  g_assert_nonnull (soup_message_headers_get_one (reply.headers, "Retry-After"));
}

static void
test_throttle (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };

  for (guint i = 0; i < SESAME_THROTTLE_SIGN_IN_PER_LOGIN; i++)
    {
      sign_in (fixture, "paul.dupont", "not-the-password", NULL, &reply);
      g_assert_cmpuint (reply.status, ==, 200);
    }
  /* Even the right password now waits. */
  sign_in (fixture, "paul.dupont", fixture->parent_first, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 429);
  assert_contains (reply.body, "Trop de tentatives");
  g_assert_nonnull (soup_message_headers_get_one (reply.headers, "Retry-After"));
  g_assert_false (g_hash_table_contains (fixture->cookies, SESAME_SERVER_PAGES_SESSION_COOKIE));
  /* Others still sign in. */
  sign_in (fixture, "eloise.dupont", fixture->pupil_first, NULL, &reply);
  assert_redirect (&reply, "/changer-mot-de-passe");
}


typedef struct
{
  guint   pending;
  guint   ok;
  guint   busy;
  guint   throttled;
  guint   other;
  gint64  first_start;
  gint64  last_end;
  GArray *latencies;   /* of the attempts hashed, in µs */
} Crowd;

typedef struct
{
  Crowd  *crowd;
  gint64  start;
} Attempt;

static void
attempt_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Attempt *attempt = user_data;
  Crowd *crowd = attempt->crowd;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  gint64 now = g_get_monotonic_time ();

  g_assert_no_error (error);
  g_assert_nonnull (body);
  switch ((guint) soup_message_get_status (msg))
    {
    case 200:
      crowd->ok++;
      g_array_append_val (crowd->latencies, (gint64) { now - attempt->start });
      break;
    case 503:
      crowd->busy++;
      g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
      break;
    case 429:
      crowd->throttled++;
      break;
    default:
      crowd->other++;
      break;
    }
  crowd->last_end = MAX (crowd->last_end, now);
  crowd->pending--;
  g_object_unref (msg);
  g_free (attempt);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* 200 sign-in attempts at once: the pool takes what it can hash, the
 * rest get 503 with Retry-After, and another page answers meanwhile. */
static void
test_crowd (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GString) cookie = g_string_new (NULL);
  g_autofree char *csrf = NULL;
  g_autofree char *uri = g_strconcat (fixture->url, "/connexion", NULL);
  Crowd crowd = { 0 };
  gint64 before, page_time;
  double seconds, p95;
  GHashTableIter iter;
  gpointer key, value;

  crowd.latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  request (fixture, "GET", "/connexion", NULL, &reply);
  csrf = csrf_of (reply.body);
  g_hash_table_iter_init (&iter, fixture->cookies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (cookie, "%s%s=%s", cookie->len > 0 ? "; " : "", (char *) key, (char *) value);

  session = soup_session_new_with_options ("max-conns", 400, "max-conns-per-host", 400, "timeout", 120, NULL);
  crowd.first_start = g_get_monotonic_time ();
  for (guint i = 0; i < 200; i++)
    {
      SoupMessage *msg = soup_message_new ("POST", uri);
      g_autofree char *form = g_strdup_printf ("csrf=%s&login=crowd%u&password=guess-%u", csrf, i, i);
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));
      Attempt *attempt = g_new0 (Attempt, 1);

      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie->str);
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
      attempt->crowd = &crowd;
      attempt->start = g_get_monotonic_time ();
      crowd.pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, attempt_done, attempt);
    }
  /* Let the crowd reach the server, then ask for another page. */
  while (crowd.pending > 150 && crowd.busy == 0)
    g_main_context_iteration (NULL, TRUE);
  before = g_get_monotonic_time ();
  request (fixture, "GET", "/mot-de-passe-oublie", NULL, &reply);
  page_time = g_get_monotonic_time () - before;
  g_assert_cmpuint (reply.status, ==, 200);

  while (crowd.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (crowd.other, ==, 0);
  g_assert_cmpuint (crowd.ok + crowd.busy + crowd.throttled, ==, 200);
  g_assert_cmpuint (crowd.busy, >, 0);
  g_assert_cmpuint (crowd.ok, >=, 2);
  /* It did not wait for the crowd's hashing: a fraction of the time the
   * crowd took (relative, so that it holds under the sanitizers too). */
  g_assert_cmpint (page_time, <, (crowd.last_end - crowd.first_start) / 2);

  g_array_sort (crowd.latencies, compare_gint64);
  seconds = (crowd.last_end - crowd.first_start) / (double) G_USEC_PER_SEC;
  p95 = g_array_index (crowd.latencies, gint64, (guint) (crowd.latencies->len * 95 / 100)) / 1000.0;
  g_test_message ("200 attempts at once: %u hashed (%.1f sign-ins/s, p95 %.0f ms), %u refused with 503, "
                  "%u throttled; another page answered in %.0f ms meanwhile",
                  crowd.ok, crowd.ok / seconds, p95, crowd.busy, crowd.throttled, page_time / 1000.0);
  g_array_unref (crowd.latencies);
}

/* Where the server listens: every socket, `*` included, keeps the backlog
 * for a crowd (`*` had GSocket's 10), and `*` on port 0 listens on one
 * port for IPv4 and IPv6. */
static void
test_listen (void)
{
  const char *hosts[] = { "*", "localhost", "127.0.0.1" };
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  guint16 port = 1;

  g_assert_true (sesame_server_parse_listen ("0.0.0.0:8443", &host, &port, &error));
  g_assert_cmpstr (host, ==, "0.0.0.0");
  g_assert_cmpuint (port, ==, 8443);
  g_clear_pointer (&host, g_free);
  g_assert_true (sesame_server_parse_listen ("[::1]:0", &host, &port, &error));
  g_assert_cmpstr (host, ==, "::1");
  g_assert_cmpuint (port, ==, 0);
  g_clear_pointer (&host, g_free);
  g_assert_false (sesame_server_parse_listen ("8443", &host, &port, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (sesame_server_parse_listen ("0.0.0.0:65536", &host, &port, &error));
  g_clear_error (&error);

  g_assert_true (sesame_server_host_is_loopback ("localhost"));
  g_assert_true (sesame_server_host_is_loopback ("127.0.0.1"));
  g_assert_true (sesame_server_host_is_loopback ("::1"));
  g_assert_false (sesame_server_host_is_loopback ("0.0.0.0"));
  g_assert_false (sesame_server_host_is_loopback ("*"));
  g_assert_false (sesame_server_host_is_loopback ("192.168.1.10"));

  for (gsize h = 0; h < G_N_ELEMENTS (hosts); h++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      GSList *listeners;
      guint16 first_port = 0;

      g_assert_true (sesame_server_listen (server, hosts[h], 0, TRUE, &error));
      g_assert_no_error (error);
      listeners = soup_server_get_listeners (server);
      g_assert_nonnull (listeners);
      for (GSList *l = listeners; l != NULL; l = l->next)
        {
          g_autoptr(GSocketAddress) local = g_socket_get_local_address (l->data, NULL);
          guint16 local_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

          g_assert_cmpint (g_socket_get_listen_backlog (l->data), ==, SESAME_SERVER_LISTEN_BACKLOG);
          if (first_port == 0)
            first_port = local_port;
          g_assert_cmpuint (local_port, ==, first_port);
        }
      g_slist_free (listeners);
      soup_server_disconnect (server);
    }

  {
    g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);

    g_assert_false (sesame_server_listen (server, "ecole.example", 0, TRUE, &error));
    g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    g_assert_nonnull (strstr (error->message, "ecole.example"));
  }
}

/* Plain HTTP anywhere but on loopback is refused. */
static void
test_plain_http_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *store = g_build_filename (dir, "store.db", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                                     g_getenv ("SESAME_SERVER"), "--store", store,
                                                     "--listen", "0.0.0.0:0", "--plain-http", NULL);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  assert_contains (err, "--plain-http");
  sesame_test_remove_tree (dir);
}

/* What CAS calls to check `retour`. */
static void
test_return_is_valid (void)
{
  g_autofree char *path = NULL;

  g_assert_true (sesame_server_pages_return_is_valid ("/cas/login?service=https%3A%2F%2Fent"));
  g_assert_true (sesame_server_pages_return_is_valid ("/compte"));
  g_assert_false (sesame_server_pages_return_is_valid (NULL));
  g_assert_false (sesame_server_pages_return_is_valid (""));
  g_assert_false (sesame_server_pages_return_is_valid ("//evil.example.org/"));
  g_assert_false (sesame_server_pages_return_is_valid ("/\\evil.example.org/"));
  g_assert_false (sesame_server_pages_return_is_valid ("https://evil.example.org/"));
  g_assert_false (sesame_server_pages_return_is_valid ("javascript:alert(1)"));
  g_assert_false (sesame_server_pages_return_is_valid ("/a\r\nSet-Cookie: x=y"));
  g_assert_false (sesame_server_pages_return_is_valid ("compte"));

  path = sesame_server_pages_sign_in_path ("/cas/login?service=x&y", TRUE);
  g_assert_cmpstr (path, ==, "/connexion?retour=%2Fcas%2Flogin%3Fservice%3Dx%26y&renouveler=1");
  g_clear_pointer (&path, g_free);
  path = sesame_server_pages_sign_in_path ("//evil", FALSE);
  g_assert_cmpstr (path, ==, "/connexion");
}

static GMutex block_lock;
static GCond block_cond;
static gboolean block_released;
static guint block_done;

static void
block_work (SesameStore *store,
            gpointer     data)
{
  g_mutex_lock (&block_lock);
  while (!block_released)
    g_cond_wait (&block_cond, &block_lock);
  g_mutex_unlock (&block_lock);
}

static void
block_finished (gpointer data)
{
  block_done++;
}

/* The hashing pool refuses beyond its queue, and runs what it took. */
static void
test_pool_bounded (SesameTestFixture *fixture,
                   gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  SesameServerPool *pool = sesame_server_pool_new (fixture->store, 2, 3, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    g_assert_true (sesame_server_pool_push (pool, block_work, block_finished, NULL));
  g_assert_false (sesame_server_pool_push (pool, block_work, block_finished, NULL));
  g_assert_cmpuint (sesame_server_pool_get_pending (pool), ==, 5);

  g_mutex_lock (&block_lock);
  block_released = TRUE;
  g_cond_broadcast (&block_cond);
  g_mutex_unlock (&block_lock);
  while (block_done < 5)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sesame_server_pool_get_pending (pool), ==, 0);
  g_assert_true (sesame_server_pool_push (pool, block_work, block_finished, NULL));
  while (block_done < 6)
    g_main_context_iteration (NULL, TRUE);
  sesame_server_pool_free (pool);
}

int
main (int   argc,
      char *argv[])
{
  /* Loopback needs no proxy, and GIO's GNOME resolver would read
   * GSettings schemas the tests do not install. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sesame_test_init (&argc, &argv);
  g_mime_init ();

  g_test_add ("/sesame/server-pages/first-sign-in", Fixture, NULL, fixture_set_up, test_first_sign_in, fixture_tear_down);
  g_test_add ("/sesame/server-pages/return", Fixture, NULL, fixture_set_up, test_return, fixture_tear_down);
  g_test_add ("/sesame/server-pages/activation", Fixture, NULL, fixture_set_up, test_activation, fixture_tear_down);
  g_test_add ("/sesame/server-pages/forgotten", Fixture, NULL, fixture_set_up, test_forgotten, fixture_tear_down);
  g_test_add ("/sesame/server-pages/throttle", Fixture, NULL, fixture_set_up, test_throttle, fixture_tear_down);
  g_test_add ("/sesame/server-pages/crowd", Fixture, NULL, fixture_set_up, test_crowd, fixture_tear_down);
  g_test_add_func ("/sesame/server-pages/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/sesame/server-pages/listen", test_listen);
  g_test_add_func ("/sesame/server-pages/return-is-valid", test_return_is_valid);
  g_test_add ("/sesame/server-pages/pool-bounded", SesameTestFixture, NULL, sesame_test_fixture_set_up,
              test_pool_bounded, sesame_test_fixture_tear_down);

  return g_test_run ();
}
