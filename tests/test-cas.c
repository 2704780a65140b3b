/* test-cas.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's CAS, as a service and a browser see it: the endpoints of
 * src/sesame-server/sesame-server-cas.c on a libsoup server of this
 * process, plain HTTP on loopback, with a session that the test sets
 * itself (a cookie naming the login) in place of the families' pages.
 * Tickets are used once, bound to their service and expire (the store's
 * clock); renew and gateway behave as CAS 3.0 says; a service that is not
 * registered never gets a redirect; the XML carries the attributes,
 * escaped. Then the registry's URL rules, and the sesamectl commands with
 * their permission.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <signal.h>
#include <sys/prctl.h>
#include <libxml/tree.h>
#include <string.h>

#include "sesame.h"
#include "sesame-credentials-private.h"
#include "sesame-server-cas.h"
#include "sesame-store-private.h"
#include "sesame-test-ctl.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

#define SERVICE "http://127.0.0.1:9/app/"
#define OTHER_SERVICE "https://ent.example.fr/portail"

typedef struct
{
  SesameTestFixture  base;
  SoupServer        *server;
  SoupSession       *session;
  char              *url;
  /* The test's stand-in for the families' sessions. */
  char              *fresh_retour;
  guint              sign_outs;
  char              *last_force_retour;
} Fixture;

/* The session cookie names the login; the pages would keep a random id. */
static char *
fake_dup_login (SoupServerMessage *msg,
                gpointer           user_data)
{
  const char *cookie = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Cookie");

  if (cookie == NULL || !g_str_has_prefix (cookie, "session="))
    return NULL;
  return g_strdup (cookie + strlen ("session="));
}

static gboolean
fake_take_fresh_sign_in (SoupServerMessage *msg,
                         const char        *retour,
                         gpointer           user_data)
{
  Fixture *fixture = user_data;

  if (fixture->fresh_retour == NULL || !g_str_equal (fixture->fresh_retour, retour))
    return FALSE;
  g_clear_pointer (&fixture->fresh_retour, g_free);
  return TRUE;
}

static char *
fake_sign_in_location (const char *retour,
                       gboolean    force,
                       gpointer    user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *escaped = g_uri_escape_string (retour, NULL, FALSE);

  if (force)
    {
      g_free (fixture->last_force_retour);
      fixture->last_force_retour = g_strdup (retour);
    }
  return g_strdup_printf ("/connexion?retour=%s%s", escaped, force ? "&renouveler=1" : "");
}

static void
fake_sign_out (SoupServerMessage *msg,
               gpointer           user_data)
{
  Fixture *fixture = user_data;

  fixture->sign_outs++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  SesameServerCasSessions sessions = {
    .dup_login = fake_dup_login,
    .take_fresh_sign_in = fake_take_fresh_sign_in,
    .sign_in_location = fake_sign_in_location,
    .sign_out = fake_sign_out,
    .user_data = fixture,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameCasService) service = NULL;
  g_autoptr(SesameCasService) other = NULL;

  sesame_test_fixture_set_up (&fixture->base, data);
  service = sesame_cas_services_add (fixture->base.store, SERVICE, &error);
  g_assert_no_error (error);
  other = sesame_cas_services_add (fixture->base.store, OTHER_SERVICE, &error);
  g_assert_no_error (error);

  fixture->server = soup_server_new (NULL, NULL);
  sesame_server_cas_install (fixture->server, fixture->base.store, &sessions);
  /* soup_server_listen() on an address, and the port read from the
   * listener: soup_server_listen_local() and soup_server_get_uris() of
   * libsoup 3.2 each keep a socket address they read (as sesame-server.c
   * says). */
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) local = NULL;
    GSList *listeners;

    g_assert_true (soup_server_listen (fixture->server, address, 0, &error));
    g_assert_no_error (error);
    listeners = soup_server_get_listeners (fixture->server);
    g_assert_nonnull (listeners);
    local = g_socket_get_local_address (listeners->data, &error);
    g_assert_no_error (error);
    fixture->url = g_strdup_printf ("http://127.0.0.1:%u",
                                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
    g_slist_free (listeners);
  }
  /* Straight to loopback: no system proxy settings to read. */
  fixture->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  /* Each handler's destroy runs when the server goes: the store is free. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (fixture->url);
  g_free (fixture->fresh_retour);
  g_free (fixture->last_force_retour);
  sesame_test_fixture_tear_down (&fixture->base, data);
}

typedef struct
{
  guint    status;
  char    *location;
  char    *content_type;
  char    *body;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->location, g_free);
  g_clear_pointer (&reply->content_type, g_free);
  g_clear_pointer (&reply->body, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **bytes = user_data;
  g_autoptr(GError) error = NULL;

  *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
accept_pinned (SoupMessage          *msg,
               GTlsCertificate      *certificate,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  const char *fingerprint = user_data;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  g_autoptr(GString) pairs = g_string_new (NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  for (guint i = 0; hex[i] != '\0'; i += 2)
    g_string_append_printf (pairs, "%s%c%c", i > 0 ? ":" : "", g_ascii_toupper (hex[i]), g_ascii_toupper (hex[i + 1]));
  return g_str_equal (pairs->str, fingerprint);
}

/* GET BASE + PATH with SESSION, trusting only the certificate of
 * FINGERPRINT when there is one, without following redirects. */
static void
get_from (SoupSession *session,
          const char  *base,
          const char  *fingerprint,
          const char  *path,
          const char  *login,
          Reply       *reply)
{
  g_autofree char *uri = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, uri);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (fingerprint != NULL)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_pinned), (gpointer) fingerprint);
  if (login != NULL)
    {
      g_autofree char *cookie = g_strconcat ("session=", login, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_read, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);

  headers = soup_message_get_response_headers (msg);
  reply->status = soup_message_get_status (msg);
  reply->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* GET PATH (with the query) as a browser signed in as LOGIN (or not). */
static void
get (Fixture    *fixture,
     const char *path,
     const char *login,
     Reply      *reply)
{
  get_from (fixture->session, fixture->url, NULL, path, login, reply);
}

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

/* Whether TICKET holds only what CAS 3.0 allows in a service ticket
 * (section 3.7: A-Z, a-z, 0-9 and the hyphen), at most 256 characters. A
 * client checks that before it takes a "ticket" parameter for one: Apache's
 * mod_auth_cas 1.2 ignores any other and sends the browser back to the
 * CAS server, with that parameter still in its address. */
static gboolean
is_protocol_ticket (const char *ticket)
{
  if (ticket == NULL || !g_str_has_prefix (ticket, "ST-") || strlen (ticket) > 256)
    return FALSE;
  for (const char *p = ticket; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/* The first parameter "ticket=" of ADDRESS that holds a ticket, as a
 * client looks for it, or NULL. */
static char *
find_client_ticket (const char *address)
{
  const char *query = strchr (address, '?');
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return NULL;
  pairs = g_strsplit (query + 1, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    if (g_str_has_prefix (pairs[i], "ticket=") && is_protocol_ticket (pairs[i] + strlen ("ticket=")))
      return g_strdup (pairs[i] + strlen ("ticket="));
  return NULL;
}

/* /cas/login for SERVICE with EXTRA parameters, signed in as LOGIN:
 * the ticket of the redirect back to the service. */
static char *
login_for_ticket (Fixture    *fixture,
                  const char *service,
                  const char *extra,
                  const char *login)
{
  g_auto(Reply) reply = { 0 };
  g_autofree char *escaped = escape (service);
  g_autofree char *path = g_strdup_printf ("/cas/login?service=%s%s", escaped, extra != NULL ? extra : "");
  g_autofree char *prefix = g_strconcat (service, strchr (service, '?') != NULL ? "&" : "?", "ticket=", NULL);
  const char *ticket;

  get (fixture, path, login, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  g_assert_nonnull (reply.location);
  g_assert_true (g_str_has_prefix (reply.location, prefix));
  ticket = reply.location + strlen (prefix);
  /* ST- and at least 32 random characters, of those the protocol allows. */
  g_assert_true (g_str_has_prefix (ticket, "ST-"));
  g_assert_cmpuint (strlen (ticket), >=, 3 + 32);
  g_assert_true (is_protocol_ticket (ticket));
  return g_strdup (ticket);
}

typedef struct
{
  char       *failure_code;
  char       *user;
  GHashTable *attributes;  /* name → GPtrArray of values */
} Validation;

static void
validation_clear (Validation *validation)
{
  g_clear_pointer (&validation->failure_code, g_free);
  g_clear_pointer (&validation->user, g_free);
  g_clear_pointer (&validation->attributes, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Validation, validation_clear)

static gboolean
is_cas (xmlNodePtr  node,
        const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL &&
         g_str_equal ((const char *) node->ns->href, "http://www.yale.edu/tp/cas") &&
         g_str_equal ((const char *) node->name, name);
}

static char *
node_text (xmlNodePtr node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strstrip (g_strdup ((const char *) content));

  xmlFree (content);
  return text;
}

/* Reads a cas:serviceResponse as a client does, by namespace. */
static void
parse_validation (const char *xml,
                  Validation *validation)
{
  xmlDocPtr doc = xmlReadMemory (xml, strlen (xml), "response.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
  xmlNodePtr root;
  xmlNodePtr child;

  g_assert_nonnull (doc);
  root = xmlDocGetRootElement (doc);
  g_assert_true (is_cas (root, "serviceResponse"));
  validation->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  for (child = root->children; child != NULL; child = child->next)
    {
      if (is_cas (child, "authenticationFailure"))
        {
          xmlChar *code = xmlGetProp (child, BAD_CAST "code");

          validation->failure_code = g_strdup ((const char *) code);
          xmlFree (code);
        }
      else if (is_cas (child, "authenticationSuccess"))
        {
          for (xmlNodePtr part = child->children; part != NULL; part = part->next)
            if (is_cas (part, "user"))
              validation->user = node_text (part);
            else if (is_cas (part, "attributes"))
              for (xmlNodePtr a = part->children; a != NULL; a = a->next)
                {
                  GPtrArray *values;

                  if (a->type != XML_ELEMENT_NODE)
                    continue;
                  values = g_hash_table_lookup (validation->attributes, a->name);
                  if (values == NULL)
                    {
                      values = g_ptr_array_new_with_free_func (g_free);
                      g_hash_table_insert (validation->attributes, g_strdup ((const char *) a->name), values);
                    }
                  g_ptr_array_add (values, node_text (a));
                }
        }
    }
  xmlFreeDoc (doc);
  /* One or the other. */
  g_assert_true ((validation->failure_code == NULL) != (validation->user == NULL));
}

static void
validate (Fixture    *fixture,
          const char *endpoint,
          const char *ticket,
          const char *service,
          const char *extra,
          Validation *validation)
{
  g_auto(Reply) reply = { 0 };
  g_autoptr(GString) path = g_string_new (endpoint);
  char separator = '?';

  if (ticket != NULL)
    {
      g_autofree char *escaped = escape (ticket);

      g_string_append_printf (path, "%cticket=%s", separator, escaped);
      separator = '&';
    }
  if (service != NULL)
    {
      g_autofree char *escaped = escape (service);

      g_string_append_printf (path, "%cservice=%s", separator, escaped);
      separator = '&';
    }
  if (extra != NULL)
    g_string_append_printf (path, "%c%s", separator, extra);

  get (fixture, path->str, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (reply.content_type, ==, "application/xml");
  parse_validation (reply.body, validation);
}

static const char *
attribute (Validation *validation,
           const char *name)
{
  GPtrArray *values = g_hash_table_lookup (validation->attributes, name);

  g_assert_nonnull (values);
  g_assert_cmpuint (values->len, ==, 1);
  return g_ptr_array_index (values, 0);
}

static char *
login_of (Fixture    *fixture,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesamePerson) person = sesame_accounts_find_person (fixture->base.store, key, &error);

  g_assert_no_error (error);
  return g_strdup (sesame_person_get_login (person));
}

static void
test_single_use (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *login = login_of (fixture, "P1");
  g_autofree char *ticket = login_for_ticket (fixture, SERVICE, NULL, login);
  g_autofree char *other = login_for_ticket (fixture, SERVICE, NULL, login);
  g_auto(Validation) first = { 0 };
  g_auto(Validation) second = { 0 };
  g_auto(Validation) third = { 0 };

  /* Two sign-ins, two different tickets. */
  g_assert_cmpstr (ticket, !=, other);
  validate (fixture, "/cas/serviceValidate", ticket, SERVICE, NULL, &first);
  g_assert_null (first.failure_code);
  g_assert_cmpstr (first.user, ==, login);
  validate (fixture, "/cas/serviceValidate", ticket, SERVICE, NULL, &second);
  g_assert_cmpstr (second.failure_code, ==, "INVALID_TICKET");
  /* Nor at the other endpoint. */
  validate (fixture, "/cas/p3/serviceValidate", ticket, SERVICE, NULL, &third);
  g_assert_cmpstr (third.failure_code, ==, "INVALID_TICKET");
}

/* What Apache's mod_auth_cas does with the address the server sends the
 * browser back to: it takes the first "ticket" parameter made as the
 * protocol says, validates it and strips it; when there is none, it sends
 * the browser back to /cas/login with its whole address, the parameter it
 * did not recognise included, as the service. Under load the browser test
 * showed four tickets in the address. Every sign-in must come back with a
 * ticket the client takes at the first try. */
static void
test_client_sequence (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *login = login_of (fixture, "P1");
  const char *page = SERVICE "whoami";
  guint sign_ins = 64;

  for (guint i = 0; i < sign_ins; i++)
    {
      g_autofree char *address = g_strdup (page);
      g_autofree char *ticket = NULL;
      g_auto(Validation) validation = { 0 };
      guint trips = 0;

      while (ticket == NULL && trips < 5)
        {
          g_auto(Reply) reply = { 0 };
          g_autofree char *escaped = escape (address);
          g_autofree char *path = g_strdup_printf ("/cas/login?service=%s", escaped);

          get (fixture, path, login, &reply);
          g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
          g_assert_nonnull (reply.location);
          g_free (address);
          address = g_strdup (reply.location);
          trips++;
          ticket = find_client_ticket (address);
        }
      if (trips != 1)
        g_test_message ("sign-in %u of %u: the client went to /cas/login %u times and came back to %s",
                        i + 1, sign_ins, trips, address);
      g_assert_cmpuint (trips, ==, 1);
      /* The one ticket the client took validates for the page. */
      validate (fixture, "/cas/serviceValidate", ticket, page, NULL, &validation);
      g_assert_null (validation.failure_code);
      g_assert_cmpstr (validation.user, ==, login);
    }
}

static void
test_wrong_service (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *login = login_of (fixture, "P1");
  g_autofree char *ticket = login_for_ticket (fixture, SERVICE, NULL, login);
  g_autofree char *below = login_for_ticket (fixture, SERVICE "page?x=1", NULL, login);
  g_auto(Validation) wrong = { 0 };
  g_auto(Validation) after = { 0 };
  g_auto(Validation) prefix = { 0 };

  validate (fixture, "/cas/serviceValidate", ticket, OTHER_SERVICE, NULL, &wrong);
  g_assert_cmpstr (wrong.failure_code, ==, "INVALID_SERVICE");
  /* The attempt used it up, as the protocol requires. */
  validate (fixture, "/cas/serviceValidate", ticket, SERVICE, NULL, &after);
  g_assert_cmpstr (after.failure_code, ==, "INVALID_TICKET");
  /* Bound to the exact address it was issued for, query included. */
  validate (fixture, "/cas/serviceValidate", below, SERVICE "page", NULL, &prefix);
  g_assert_cmpstr (prefix.failure_code, ==, "INVALID_SERVICE");
}

static void
test_expiry (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *login = login_of (fixture, "P2");
  g_autofree char *late = NULL;
  g_autofree char *in_time = NULL;
  g_auto(Validation) expired = { 0 };
  g_auto(Validation) valid = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  sesame_store_set_now (fixture->base.store, now);
  late = login_for_ticket (fixture, SERVICE, NULL, login);
  in_time = login_for_ticket (fixture, SERVICE, NULL, login);

  sesame_store_set_now (fixture->base.store, now + SESAME_CAS_TICKET_SECONDS);
  validate (fixture, "/cas/serviceValidate", late, SERVICE, NULL, &expired);
  g_assert_cmpstr (expired.failure_code, ==, "INVALID_TICKET");

  sesame_store_set_now (fixture->base.store, now + SESAME_CAS_TICKET_SECONDS - 1);
  validate (fixture, "/cas/serviceValidate", in_time, SERVICE, NULL, &valid);
  g_assert_null (valid.failure_code);
  g_assert_cmpstr (valid.user, ==, login);
  /* Never longer than the protocol's five minutes. */
  g_assert_cmpint (SESAME_CAS_TICKET_SECONDS, <=, 300);
}

static void
test_renew (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *login = login_of (fixture, "P3");
  g_autofree char *escaped = escape (SERVICE);
  g_autofree char *path = g_strdup_printf ("/cas/login?service=%s&renew=true", escaped);
  g_autofree char *retour = g_strdup_printf ("/cas/login?service=%s&renew=true", escaped);
  g_autofree char *fresh = NULL;
  g_autofree char *from_session = NULL;
  g_auto(Reply) reply = { 0 };
  g_auto(Validation) renewed = { 0 };
  g_auto(Validation) refused = { 0 };
  g_auto(Validation) plain = { 0 };

  /* A session is not enough: the form again, forced, back to this request. */
  get (fixture, path, login, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  g_assert_true (g_str_has_prefix (reply.location, "/connexion?retour="));
  g_assert_cmpstr (fixture->last_force_retour, ==, retour);

  /* The form signed the person in for this request: a ticket, marked. */
  fixture->fresh_retour = g_strdup (retour);
  fresh = login_for_ticket (fixture, SERVICE, "&renew=true", login);
  g_assert_null (fixture->fresh_retour);
  validate (fixture, "/cas/serviceValidate", fresh, SERVICE, "renew=true", &renewed);
  g_assert_null (renewed.failure_code);
  g_assert_cmpstr (attribute (&renewed, "isFromNewLogin"), ==, "true");

  /* A ticket from the session alone does not satisfy renew. */
  from_session = login_for_ticket (fixture, SERVICE, NULL, login);
  validate (fixture, "/cas/serviceValidate", from_session, SERVICE, "renew=true", &refused);
  g_assert_cmpstr (refused.failure_code, ==, "INVALID_TICKET");

  /* The marker was used once: the same request again goes to the form. */
  reply_clear (&reply);
  get (fixture, path, login, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  g_assert_true (g_str_has_prefix (reply.location, "/connexion?"));

  /* Without renew, a session ticket validates and says so. */
  g_clear_pointer (&from_session, g_free);
  from_session = login_for_ticket (fixture, SERVICE, NULL, login);
  validate (fixture, "/cas/serviceValidate", from_session, SERVICE, NULL, &plain);
  g_assert_null (plain.failure_code);
  g_assert_cmpstr (attribute (&plain, "isFromNewLogin"), ==, "false");
}

static void
test_gateway (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *login = login_of (fixture, "P1");
  g_autofree char *escaped = escape (SERVICE);
  g_autofree char *path = g_strdup_printf ("/cas/login?service=%s&gateway=true", escaped);
  g_autofree char *ticket = NULL;
  g_auto(Reply) reply = { 0 };
  g_auto(Reply) plain = { 0 };
  g_autofree char *expected = NULL;
  g_autofree char *retour = NULL;

  /* No session: straight back to the service, without a ticket. */
  get (fixture, path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  g_assert_cmpstr (reply.location, ==, SERVICE);

  /* With one: back with a ticket. */
  ticket = login_for_ticket (fixture, SERVICE, "&gateway=true", login);
  g_assert_nonnull (ticket);

  /* Without gateway and without a session: the sign-in form, which comes
   * back to this request. */
  reply_clear (&plain);
  g_free (path);
  path = g_strdup_printf ("/cas/login?service=%s", escaped);
  get (fixture, path, NULL, &plain);
  g_assert_cmpuint (plain.status, ==, SOUP_STATUS_FOUND);
  retour = escape (path);
  expected = g_strdup_printf ("/connexion?retour=%s", retour);
  g_assert_cmpstr (plain.location, ==, expected);
}

static void
test_unregistered (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *login = login_of (fixture, "P1");
  const char *services[] = {
    "https://evil.example/",
    "http://127.0.0.1:9/application",          /* not a whole segment */
    "http://127.0.0.1:9/app/../admin",         /* resolves outside */
    "http://127.0.0.1:9/app/%2e%2e/admin",
    "http://127.0.0.1:9@evil.example/app/",    /* the host is evil.example */
    "http://127.0.0.1:10/app/",                /* another port */
    "https://127.0.0.1:9/app/",                /* another scheme */
    "http://127.0.0.1:9/app/#x",
    "//evil.example/app/",
    "javascript:alert(1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    for (guint signed_in = 0; signed_in < 2; signed_in++)
      {
        g_auto(Reply) reply = { 0 };
        g_autofree char *escaped = escape (services[i]);
        g_autofree char *path = g_strdup_printf ("/cas/login?service=%s&gateway=true", escaped);

        g_test_message ("%s", services[i]);
        get (fixture, path, signed_in ? login : NULL, &reply);
        g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FORBIDDEN);
        g_assert_null (reply.location);
        g_assert_cmpstr (reply.content_type, ==, "text/html");
        g_assert_nonnull (strstr (reply.body, "Unknown service"));
        g_assert_null (strstr (reply.body, "evil"));
      }
}

static void
test_attributes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pupil = login_of (fixture, "P4");
  g_autofree char *parent = login_of (fixture, "P5");
  g_autofree char *ticket = NULL;
  g_autofree char *parent_ticket = NULL;
  g_auto(Validation) validation = { 0 };
  g_auto(Validation) of_parent = { 0 };
  GPtrArray *classes;

  /* Names come from the directory: anything, markup included. */
  g_assert_true (_sesame_store_exec (fixture->base.store,
                                     "UPDATE persons SET first_name = 'Anne <b>&amp;</b> \"Sophie\"' WHERE key = 'P4'",
                                     &error));
  g_assert_no_error (error);

  ticket = login_for_ticket (fixture, SERVICE "page?lang=fr&x=<1>", NULL, pupil);
  validate (fixture, "/cas/p3/serviceValidate", ticket, SERVICE "page?lang=fr&x=<1>", NULL, &validation);
  g_assert_null (validation.failure_code);
  g_assert_cmpstr (validation.user, ==, pupil);
  g_assert_cmpstr (attribute (&validation, "login"), ==, pupil);
  g_assert_cmpstr (attribute (&validation, "firstName"), ==, "Anne <b>&amp;</b> \"Sophie\"");
  g_assert_cmpstr (attribute (&validation, "lastName"), ==, "D'Almeida");
  g_assert_cmpstr (attribute (&validation, "profile"), ==, "eleve");
  g_assert_cmpstr (attribute (&validation, "uai"), ==, "0740017S");
  g_assert_cmpstr (attribute (&validation, "classes"), ==, "5 B");

  /* A parent: the classes of their children, each once. */
  parent_ticket = login_for_ticket (fixture, SERVICE, NULL, parent);
  validate (fixture, "/cas/serviceValidate", parent_ticket, SERVICE, NULL, &of_parent);
  g_assert_null (of_parent.failure_code);
  g_assert_cmpstr (attribute (&of_parent, "profile"), ==, "parent");
  g_assert_cmpstr (attribute (&of_parent, "firstName"), ==, "Marie");
  classes = g_hash_table_lookup (of_parent.attributes, "classes");
  g_assert_nonnull (classes);
  g_assert_cmpuint (classes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (classes, 0), ==, "6A");
}

static void
test_invalid_request (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *login = login_of (fixture, "P1");
  g_autofree char *ticket = login_for_ticket (fixture, SERVICE, NULL, login);
  g_auto(Validation) no_ticket = { 0 };
  g_auto(Validation) no_service = { 0 };
  g_auto(Validation) forged = { 0 };
  g_auto(Validation) still = { 0 };
  g_autoptr(GError) error = NULL;

  validate (fixture, "/cas/serviceValidate", NULL, SERVICE, NULL, &no_ticket);
  g_assert_cmpstr (no_ticket.failure_code, ==, "INVALID_REQUEST");
  validate (fixture, "/cas/serviceValidate", ticket, NULL, NULL, &no_service);
  g_assert_cmpstr (no_service.failure_code, ==, "INVALID_REQUEST");
  validate (fixture, "/cas/serviceValidate", "ST-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", SERVICE, NULL, &forged);
  g_assert_cmpstr (forged.failure_code, ==, "INVALID_TICKET");

  /* A service removed since: its tickets stop working. */
  g_assert_true (sesame_cas_services_remove (fixture->base.store, SERVICE, &error));
  g_assert_no_error (error);
  validate (fixture, "/cas/serviceValidate", ticket, SERVICE, NULL, &still);
  g_assert_cmpstr (still.failure_code, ==, "UNAUTHORIZED_SERVICE");
}

static void
test_disabled_account (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *login = login_of (fixture, "P2");
  g_autofree char *ticket = login_for_ticket (fixture, SERVICE, NULL, login);
  g_autofree char *escaped = escape (SERVICE);
  g_autofree char *path = g_strdup_printf ("/cas/login?service=%s", escaped);
  g_auto(Validation) validation = { 0 };
  g_auto(Reply) reply = { 0 };
  g_autoptr(GError) error = NULL;

  /* The pupil left between the sign-in and the validation. */
  g_assert_true (_sesame_store_exec (fixture->base.store, "UPDATE persons SET left_at = 1 WHERE key = 'P2'", &error));
  g_assert_no_error (error);
  validate (fixture, "/cas/serviceValidate", ticket, SERVICE, NULL, &validation);
  g_assert_cmpstr (validation.failure_code, ==, "INVALID_TICKET");
  /* And no new ticket for them. */
  get (fixture, path, login, &reply);
  g_assert_cmpuint (reply.status, !=, SOUP_STATUS_FOUND);
  g_assert_null (reply.location);
}

static void
test_logout (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *escaped = escape (SERVICE);
  g_autofree char *evil = escape ("https://evil.example/");
  g_autofree char *path = g_strdup_printf ("/cas/logout?service=%s", escaped);
  g_autofree char *evil_path = g_strdup_printf ("/cas/logout?service=%s", evil);
  g_auto(Reply) back = { 0 };
  g_auto(Reply) refused = { 0 };
  g_auto(Reply) plain = { 0 };

  get (fixture, path, "eloise.dupont", &back);
  g_assert_cmpuint (back.status, ==, SOUP_STATUS_FOUND);
  g_assert_cmpstr (back.location, ==, SERVICE);
  g_assert_cmpuint (fixture->sign_outs, ==, 1);

  get (fixture, evil_path, "eloise.dupont", &refused);
  g_assert_cmpuint (refused.status, ==, SOUP_STATUS_OK);
  g_assert_null (refused.location);
  g_assert_nonnull (strstr (refused.body, "You are signed out"));
  g_assert_cmpuint (fixture->sign_outs, ==, 2);

  get (fixture, "/cas/logout", NULL, &plain);
  g_assert_cmpuint (plain.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (fixture->sign_outs, ==, 3);
}

static void
test_signed_in_page (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Reply) in = { 0 };
  g_auto(Reply) out = { 0 };
  g_auto(Reply) french = { 0 };

  get (fixture, "/cas/login", "eloise.dupont", &in);
  g_assert_cmpuint (in.status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (in.body, "signed in as eloise.dupont"));
  g_assert_nonnull (strstr (in.body, "<html lang=\"en\">"));

  get (fixture, "/cas/login", NULL, &out);
  g_assert_cmpuint (out.status, ==, SOUP_STATUS_FOUND);
  g_assert_cmpstr (out.location, ==, "/connexion?retour=%2Fcas%2Flogin");

  /* The families' language: the store's document language. */
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_DOCUMENT_LANGUAGE, "fr", &error));
  g_assert_no_error (error);
  get (fixture, "/cas/logout", NULL, &french);
  g_assert_nonnull (strstr (french.body, "<html lang=\"fr\">"));
  g_assert_nonnull (strstr (french.body, "Vous êtes déconnecté"));
}

/* The registry's address rules, without a server. */
static void
test_url_rules (void)
{
  const struct { const char *registered; const char *service; gboolean matches; } cases[] = {
    { "https://ent.example.fr/", "https://ent.example.fr/", TRUE },
    { "https://ent.example.fr/", "https://ENT.example.fr:443/any/page?x=1", TRUE },
    { "https://ent.example.fr/app", "https://ent.example.fr/app", TRUE },
    { "https://ent.example.fr/app", "https://ent.example.fr/app/", TRUE },
    { "https://ent.example.fr/app", "https://ent.example.fr/app?ticket=1", TRUE },
    { "https://ent.example.fr/app", "https://ent.example.fr/application", FALSE },
    { "https://ent.example.fr/app/", "https://ent.example.fr/app", FALSE },
    { "https://ent.example.fr/app", "https://ent.example.fr/app/../admin", FALSE },
    { "https://ent.example.fr/", "https://ent.example.fr.evil.example/", FALSE },
    { "https://ent.example.fr/", "https://ent.example.fr@evil.example/", FALSE },
    { "https://ent.example.fr/", "https://ent.example.fr:8443/", FALSE },
    { "https://ent.example.fr/", "http://ent.example.fr/", FALSE },
    { "https://ent.example.fr/", "https://ent.example.fr/\\evil", FALSE },
    { "https://ent.example.fr/", "https://ent.example.fr/ x", FALSE },
    { "https://ent.example.fr/", "https://ent.example.fr/#x", FALSE },
    { "https://ent.example.fr/", NULL, FALSE },
  };
  const struct { const char *url; const char *normalized; } forms[] = {
    { "HTTPS://Ent.Example.FR", "https://ent.example.fr/" },
    { "https://ent.example.fr:443/app", "https://ent.example.fr/app" },
    { "https://ent.example.fr:8443/app/", "https://ent.example.fr:8443/app/" },
    { "http://127.0.0.1:8080/", "http://127.0.0.1:8080/" },
    { "http://[::1]/x", "http://[::1]/x" },
    { "http://localhost/x", "http://localhost/x" },
    { "http://ent.example.fr/", NULL },          /* plain http off loopback */
    { "https://ent.example.fr/?a=1", NULL },
    { "https://ent.example.fr/#a", NULL },
    { "https://user@ent.example.fr/", NULL },
    { "ftp://ent.example.fr/", NULL },
    { "ent.example.fr", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s against %s", cases[i].service, cases[i].registered);
      g_assert_cmpint (sesame_cas_services_url_matches (cases[i].registered, cases[i].service), ==, cases[i].matches);
    }
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = sesame_cas_services_normalize (forms[i].url, &error);

      g_test_message ("%s", forms[i].url);
      g_assert_cmpstr (normalized, ==, forms[i].normalized);
      if (forms[i].normalized == NULL)
        g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
    }
}

/* Only an administrator of the whole store registers or removes; the
 * check is the core's, so the CLI and any other caller get it. */
static void
test_permission (SesameTestFixture *fixture,
                 gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameCasService) service = NULL;
  g_autoptr(GPtrArray) services = NULL;

  g_assert_true (sesame_roles_grant (fixture->store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);
  service = sesame_cas_services_add (fixture->store, SERVICE, &error);
  g_assert_no_error (error);

  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "luc.bernard", &error));
  g_assert_null (sesame_cas_services_add (fixture->store, OTHER_SERVICE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (sesame_cas_services_remove (fixture->store, SERVICE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  services = sesame_cas_services_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, 1);
}

static void
test_cli (SesameTestFixture *fixture,
          gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(SesameTestRun) add = { 0 };
  g_auto(SesameTestRun) again = { 0 };
  g_auto(SesameTestRun) bad = { 0 };
  g_auto(SesameTestRun) list = { 0 };
  g_auto(SesameTestRun) refused = { 0 };
  g_auto(SesameTestRun) refused_remove = { 0 };
  g_auto(SesameTestRun) remove = { 0 };
  g_auto(SesameTestRun) gone = { 0 };
  g_auto(SesameTestRun) empty = { 0 };
  g_auto(SesameTestRun) audit = { 0 };
  JsonArray *array;
  JsonObject *object;

  g_assert_true (sesame_roles_grant (fixture->store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);
  sesame_test_enrol_operator (fixture->store, "luc.bernard");
  sesame_test_fixture_close (fixture);

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &add, "cas", "services", "add", "HTTPS://ENT.example.fr:443/portail", NULL);
  g_assert_cmpstr (add.err, ==, "");
  g_assert_cmpint (add.status, ==, 0);
  g_assert_nonnull (strstr (add.out, "https://ent.example.fr/portail"));

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &again, "cas", "services", "add", "https://ent.example.fr/portail", NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "already registered"));

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &bad, "cas", "services", "add", "http://ent.example.fr/", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "http://ent.example.fr/"));

  sesame_test_ctl_run_on (fixture->store_path, "luc.bernard", NULL, &refused, "cas", "services", "add", "https://other.example.fr/", NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_cmpstr (refused.out, ==, "");
  sesame_test_ctl_run_on (fixture->store_path, "luc.bernard", NULL, &refused_remove, "cas", "services", "remove", "https://ent.example.fr/portail", NULL);
  g_assert_cmpint (refused_remove.status, ==, 1);

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &list, "cas", "services", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  root = sesame_test_parse_json (list.out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "url"), ==, "https://ent.example.fr/portail");
  g_assert_true (json_object_has_member (object, "added_at"));
  g_assert_true (json_object_has_member (object, "added_by"));
  g_assert_true (json_object_has_member (object, "id"));

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &remove, "cas", "services", "remove", "https://ent.example.fr/portail", NULL);
  g_assert_cmpint (remove.status, ==, 0);
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &gone, "cas", "services", "remove", "https://ent.example.fr/portail", NULL);
  g_assert_cmpint (gone.status, ==, 1);
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &empty, "cas", "services", "list", NULL);
  g_assert_cmpint (empty.status, ==, 0);
  g_assert_nonnull (strstr (empty.out, "No service yet"));

  /* The audit trail names both. */
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &audit, "audit", "--json", NULL);
  g_assert_cmpint (audit.status, ==, 0);
  g_assert_nonnull (strstr (audit.out, "cas-service-add"));
  g_assert_nonnull (strstr (audit.out, "cas-service-remove"));
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* The endpoints are those of the real sesame-server too, over its HTTPS. */
static void
test_real_server (SesameTestFixture *fixture,
                  gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameCasService) service = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *login = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *url = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *evil = NULL;
  g_auto(Reply) validated = { 0 };
  g_auto(Reply) again = { 0 };
  g_auto(Reply) refused = { 0 };
  g_auto(Reply) sign_in = { 0 };
  g_auto(Validation) success = { 0 };
  g_auto(Validation) used = { 0 };
  g_autoptr(SesamePerson) person = NULL;

  service = sesame_cas_services_add (fixture->store, SERVICE, &error);
  g_assert_no_error (error);
  person = sesame_accounts_find_person (fixture->store, "P1", &error);
  g_assert_no_error (error);
  login = g_strdup (sesame_person_get_login (person));
  ticket = sesame_cas_tickets_issue (fixture->store, login, SERVICE, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&person);
  sesame_test_fixture_close (fixture);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SESAME_SERVER"),
                                        "--store", fixture->store_path, "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "Listening on https://127.0.0.1:"))
        {
          url = g_strdup (line + strlen ("Listening on "));
          if (g_str_has_suffix (url, "/"))
            url[strlen (url) - 1] = '\0';
        }
      else if (i == 2)
        fingerprint = g_strdup (line);
    }
  g_assert_nonnull (url);
  g_assert_nonnull (fingerprint);

  escaped = escape (SERVICE);
  path = g_strdup_printf ("/cas/p3/serviceValidate?service=%s&ticket=%s", escaped, ticket);
  get_from (session, url, fingerprint, path, NULL, &validated);
  g_assert_cmpuint (validated.status, ==, SOUP_STATUS_OK);
  g_test_message ("%s", validated.body);
  parse_validation (validated.body, &success);
  g_assert_cmpstr (success.user, ==, login);
  g_assert_cmpstr (attribute (&success, "uai"), ==, "0740017S");
  get_from (session, url, fingerprint, path, NULL, &again);
  parse_validation (again.body, &used);
  g_assert_cmpstr (used.failure_code, ==, "INVALID_TICKET");

  evil = g_strdup_printf ("/cas/login?service=%s", "https%3A%2F%2Fevil.example%2F");
  get_from (session, url, fingerprint, evil, NULL, &refused);
  g_assert_cmpuint (refused.status, ==, SOUP_STATUS_FORBIDDEN);
  g_assert_null (refused.location);

  g_free (path);
  path = g_strdup_printf ("/cas/login?service=%s", escaped);
  get_from (session, url, fingerprint, path, NULL, &sign_in);
  g_assert_cmpuint (sign_in.status, ==, SOUP_STATUS_FOUND);
  g_assert_true (g_str_has_prefix (sign_in.location, "/connexion?retour="));

  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
}

/* A browser for the end-to-end test: its cookies, kept as the server
 * sets them. */
typedef struct
{
  SoupSession *session;
  char        *url;
  GHashTable  *cookies;
} Browser;

static void
browser_get_or_post (Browser    *browser,
                     const char *path,
                     const char *form,
                     Reply      *reply)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GString) cookie = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  GHashTableIter cookies;
  const char *name, *value;
  gpointer key, data;

  /* The pages send back to the configured ENT address: the same server. */
  if (g_str_has_prefix (path, "https://ent.mon-ent-74.example.fr"))
    path += strlen ("https://ent.mon-ent-74.example.fr");
  uri = g_strconcat (browser->url, path, NULL);
  msg = soup_message_new (form != NULL ? SOUP_METHOD_POST : SOUP_METHOD_GET, uri);
  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_hash_table_iter_init (&cookies, browser->cookies);
  while (g_hash_table_iter_next (&cookies, &key, &data))
    g_string_append_printf (cookie, "%s%s=%s", cookie->len > 0 ? "; " : "", (char *) key, (char *) data);
  if (cookie->len > 0)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie->str);
  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  body = soup_session_send_and_read (browser->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply_clear (reply);
  reply->status = soup_message_get_status (msg);
  reply->location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"));
  reply->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_auto(GStrv) parts = NULL;
      char *equal;

      if (g_ascii_strcasecmp (name, "Set-Cookie") != 0)
        continue;
      parts = g_strsplit (value, ";", 2);
      equal = strchr (parts[0], '=');
      g_assert_nonnull (equal);
      *equal = '\0';
      if (strstr (value, "Max-Age=0") != NULL || equal[1] == '\0')
        g_hash_table_remove (browser->cookies, parts[0]);
      else
        g_hash_table_replace (browser->cookies, g_strdup (parts[0]), g_strdup (equal + 1));
    }
}

/* A form of PAGE, with its CSRF token and NAME, VALUE pairs. */
static char *
form_of (const char *page,
         ...)
{
  const char *start = strstr (page, "name=\"csrf\" value=\"");
  const char *end;
  GString *form = g_string_new ("csrf=");
  g_autofree char *csrf = NULL;
  const char *name;
  va_list args;

  g_assert_nonnull (start);
  start += strlen ("name=\"csrf\" value=\"");
  end = strchr (start, '"');
  csrf = g_strndup (start, end - start);
  g_string_append_uri_escaped (form, csrf, NULL, FALSE);
  va_start (args, page);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_string_append_printf (form, "&%s=", name);
      g_string_append_uri_escaped (form, va_arg (args, const char *), NULL, FALSE);
    }
  va_end (args);
  return g_string_free (form, FALSE);
}

static char *
ticket_of (const char *location)
{
  const char *ticket;

  g_assert_nonnull (location);
  g_assert_true (g_str_has_prefix (location, SERVICE "?ticket=ST-"));
  ticket = location + strlen (SERVICE "?ticket=");
  return g_strdup (ticket);
}

/* The whole journey through the real server and the families' pages: a
 * pupil with a first password, sent by a service, signs in, must choose a
 * password, comes back to the service with a ticket; renew asks for the
 * password again; logout ends the session. */
static void
test_through_pages (SesameTestFixture *fixture,
                    gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameCasService) service = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *first = NULL;
  g_autofree char *escaped = escape (SERVICE);
  g_autofree char *login_path = g_strdup_printf ("/cas/login?service=%s", escaped);
  g_autofree char *renew_path = g_strdup_printf ("/cas/login?service=%s&renew=true", escaped);
  g_autofree char *logout_path = g_strdup_printf ("/cas/logout?service=%s", escaped);
  g_autofree char *gateway_path = g_strdup_printf ("/cas/login?service=%s&gateway=true", escaped);
  g_autofree char *form = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *page = NULL;
  g_autofree char *validate_path = NULL;
  g_auto(Reply) reply = { 0 };
  g_auto(Validation) validation = { 0 };
  g_auto(Validation) renewed = { 0 };
  Browser browser = { 0 };

  sesame_test_name_ent (fixture->store);
  service = sesame_cas_services_add (fixture->store, SERVICE, &error);
  g_assert_no_error (error);
  first = _sesame_credentials_dup_first_password (fixture->store, "P1");
  g_assert_nonnull (first);
  sesame_test_fixture_close (fixture);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SESAME_SERVER"), "--store", fixture->store_path,
                                        "--listen", "127.0.0.1:0", "--plain-http", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while (browser.url == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "Listening on http://127.0.0.1:"))
        {
          browser.url = g_strdup (line + strlen ("Listening on "));
          if (g_str_has_suffix (browser.url, "/"))
            browser.url[strlen (browser.url) - 1] = '\0';
        }
    }
  browser.session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  browser.cookies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Sent by the service: to the sign-in form, which will come back. */
  browser_get_or_post (&browser, login_path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  g_assert_true (g_str_has_prefix (reply.location, "/connexion?retour="));
  page = g_strdup (reply.location);
  browser_get_or_post (&browser, page, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_OK);
  form = form_of (reply.body, "login", "eloise.dupont", "password", first, "retour", login_path, NULL);
  browser_get_or_post (&browser, "/connexion", form, &reply);

  /* The first password: a password of one's own first, then back. */
  g_assert_cmpuint (reply.status, ==, 303);
  g_assert_nonnull (strstr (reply.location, "/changer-mot-de-passe"));
  g_free (page);
  page = g_strdup (reply.location);
  browser_get_or_post (&browser, page, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_OK);
  g_free (form);
  form = form_of (reply.body, "password", "montagne74", "confirmation", "montagne74", "retour", login_path, NULL);
  browser_get_or_post (&browser, "/changer-mot-de-passe", form, &reply);
  g_assert_cmpuint (reply.status, ==, 303);
  g_assert_true (g_str_has_suffix (reply.location, login_path));
  g_free (page);
  page = g_strdup (reply.location);
  browser_get_or_post (&browser, page, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  ticket = ticket_of (reply.location);

  validate_path = g_strdup_printf ("/cas/serviceValidate?service=%s&ticket=%s", escaped, ticket);
  browser_get_or_post (&browser, validate_path, NULL, &reply);
  parse_validation (reply.body, &validation);
  g_assert_cmpstr (validation.user, ==, "eloise.dupont");
  g_assert_cmpstr (attribute (&validation, "firstName"), ==, "Éloïse");

  /* Renew: the form again even with the session, and a marked ticket. */
  browser_get_or_post (&browser, renew_path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  g_assert_nonnull (strstr (reply.location, "renouveler=1"));
  g_free (page);
  page = g_strdup (reply.location);
  browser_get_or_post (&browser, page, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_OK);
  g_free (form);
  form = form_of (reply.body, "login", "eloise.dupont", "password", "montagne74", "retour", renew_path,
                  "renouveler", "1", NULL);
  browser_get_or_post (&browser, "/connexion", form, &reply);
  g_assert_cmpuint (reply.status, ==, 303);
  g_free (page);
  page = g_strdup (reply.location);
  browser_get_or_post (&browser, page, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  g_free (ticket);
  ticket = ticket_of (reply.location);
  g_free (validate_path);
  validate_path = g_strdup_printf ("/cas/p3/serviceValidate?service=%s&ticket=%s&renew=true", escaped, ticket);
  browser_get_or_post (&browser, validate_path, NULL, &reply);
  parse_validation (reply.body, &renewed);
  g_assert_cmpstr (renewed.user, ==, "eloise.dupont");
  g_assert_cmpstr (attribute (&renewed, "isFromNewLogin"), ==, "true");

  /* Logout: back to the registered service, the session ended. */
  browser_get_or_post (&browser, logout_path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  g_assert_cmpstr (reply.location, ==, SERVICE);
  g_assert_false (g_hash_table_contains (browser.cookies, "sesame_session"));
  browser_get_or_post (&browser, gateway_path, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_FOUND);
  g_assert_cmpstr (reply.location, ==, SERVICE);

  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_clear_object (&browser.session);
  g_clear_pointer (&browser.cookies, g_hash_table_unref);
  g_free (browser.url);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/cas/ticket/single-use", test_single_use);
  ADD ("/sesame/cas/ticket/client-sequence", test_client_sequence);
  ADD ("/sesame/cas/ticket/wrong-service", test_wrong_service);
  ADD ("/sesame/cas/ticket/expiry", test_expiry);
  ADD ("/sesame/cas/ticket/invalid-request", test_invalid_request);
  ADD ("/sesame/cas/ticket/disabled-account", test_disabled_account);
  ADD ("/sesame/cas/login/renew", test_renew);
  ADD ("/sesame/cas/login/gateway", test_gateway);
  ADD ("/sesame/cas/login/unregistered", test_unregistered);
  ADD ("/sesame/cas/login/signed-in-page", test_signed_in_page);
  ADD ("/sesame/cas/logout", test_logout);
  ADD ("/sesame/cas/validate/attributes", test_attributes);
#undef ADD
  g_test_add_func ("/sesame/cas/services/url-rules", test_url_rules);
  g_test_add ("/sesame/cas/services/permission", SesameTestFixture, NULL,
              sesame_test_fixture_set_up, test_permission, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/cas/real-server", SesameTestFixture, NULL,
              sesame_test_fixture_set_up, test_real_server, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/cas/through-pages", SesameTestFixture, NULL,
              sesame_test_fixture_set_up, test_through_pages, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/cas/services/cli", SesameTestFixture, NULL,
              sesame_test_fixture_set_up, test_cli, sesame_test_fixture_tear_down);

  return g_test_run ();
}
