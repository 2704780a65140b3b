/* sesame-server-api.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP API desks speak (README.md, "The server"), JSON both ways:
 * hello and join are open (join needs a one-time code); everything else is
 * signed by an enrolled desk, and refused at once when the desk was
 * revoked. The checks on each pushed change, the apply and the feed are
 * the sync core's; this file carries them over HTTP and answers with the
 * reason when it refuses.
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sesame-server-api.h"

/* The largest body a desk may send (a push of a day's work is tens of kB). */
#define MAX_BODY (16 * 1024 * 1024)
#define MAX_FEED_PAGE 2000

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (msg, status, root);
}

static guint
status_for (const GError *error)
{
  if (error->domain == SESAME_ERROR)
    switch ((SesameError) error->code)
      {
      case SESAME_ERROR_PERMISSION_DENIED:
        return SOUP_STATUS_FORBIDDEN;
      case SESAME_ERROR_NOT_FOUND:
        return SOUP_STATUS_NOT_FOUND;
      case SESAME_ERROR_INVALID:
        return SOUP_STATUS_BAD_REQUEST;
      case SESAME_ERROR_REFUSED:
        return SOUP_STATUS_CONFLICT;
      case SESAME_ERROR_BUSY:
        return SOUP_STATUS_SERVICE_UNAVAILABLE;
      default:
        break;
      }
  return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

static GBytes *
request_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  return soup_message_body_flatten (body);
}

static JsonObject *
parse_object (SoupServerMessage *msg,
              GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  JsonNode *root;

  if (length == 0 || !json_parser_load_from_data (parser, data, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("The request's body is not a JSON object."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* The path and query as the desk signed them. */
static char *
signed_path (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  return query != NULL ? g_strconcat (g_uri_get_path (uri), "?", query, NULL) : g_strdup (g_uri_get_path (uri));
}

/* The desk that signed the request, or NULL once refused. */
static SesameSyncDesk *
authenticate (SoupServerMessage *msg,
              SesameStore       *store,
              GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = signed_path (msg);
  gsize length = 0;
  gconstpointer data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  SesameSyncDesk *desk;

  desk = sesame_sync_desks_verify_request (store, soup_server_message_get_method (msg), path,
                                           soup_message_headers_get_one (headers, SESAME_SYNC_HEADER_DESK),
                                           soup_message_headers_get_one (headers, SESAME_SYNC_HEADER_TIME),
                                           soup_message_headers_get_one (headers, SESAME_SYNC_HEADER_NONCE),
                                           soup_message_headers_get_one (headers, SESAME_SYNC_HEADER_SIGNATURE),
                                           data, length, &error);
  if (desk == NULL)
    {
      g_info ("Refused %s %s: %s", soup_server_message_get_method (msg), path, error->message);
      reply_error (msg, error->domain == SESAME_ERROR && error->code == SESAME_ERROR_PERMISSION_DENIED
                   ? SOUP_STATUS_UNAUTHORIZED : status_for (error), error->message);
    }
  return desk;
}

static void
handle_hello (SoupServerMessage *msg,
              SesameStore       *store)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, "sesame-server");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, sesame_store_get_schema_version (store));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static void
add_desk_members (JsonBuilder          *builder,
                  const SesameSyncDesk *desk)
{
  json_builder_set_member_name (builder, "desk_id");
  json_builder_add_string_value (builder, desk->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, desk->name);
  json_builder_set_member_name (builder, "establishments");
  json_builder_begin_array (builder);
  for (guint i = 0; desk->establishments[i] != NULL; i++)
    json_builder_add_string_value (builder, desk->establishments[i]);
  json_builder_end_array (builder);
}

static void
handle_join (SoupServerMessage *msg,
             SesameStore       *store)
{
  g_autoptr(GBytes) body = request_body (msg);
  g_autoptr(JsonObject) object = parse_object (msg, body);
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (object == NULL)
    return;
  desk = sesame_sync_desks_enrol (store,
                                  json_object_get_string_member_with_default (object, "code", ""),
                                  json_object_get_string_member_with_default (object, "public_key", ""),
                                  &error);
  if (desk == NULL)
    {
      g_info ("Refused an enrolment: %s", error->message);
      reply_error (msg, status_for (error), error->message);
      return;
    }
  g_message ("Desk “%s” enrolled", desk->name);
  json_builder_begin_object (builder);
  add_desk_members (builder, desk);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_desk (SoupServerMessage *msg,
             SesameStore       *store)
{
  g_autoptr(SesameSyncDesk) desk = authenticate (msg, store, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (desk == NULL)
    return;
  json_builder_begin_object (builder);
  add_desk_members (builder, desk);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_snapshot (SoupServerMessage *msg,
                 SesameStore       *store)
{
  g_autoptr(SesameSyncDesk) desk = authenticate (msg, store, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gint64 head = 0;
  int fd;

  if (desk == NULL)
    return;
  head = sesame_sync_server_get_head (store, &error);
  if (head < 0 || error != NULL)
    {
      reply_error (msg, status_for (error), error->message);
      return;
    }
  /* Beside the store: same disk, same permissions, no other user's /tmp. */
  dir = g_path_get_dirname (sesame_store_get_path (store));
  path = g_build_filename (dir, ".sesame-snapshot-XXXXXX", NULL);
  fd = g_mkstemp_full (path, O_RDWR, 0600);
  if (fd < 0)
    {
      reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, _("The server cannot write a copy of its store."));
      return;
    }
  close (fd);
  g_unlink (path);
  if (!sesame_sync_snapshot_write (store, desk, head, path, &error))
    {
      g_warning ("Cannot make a snapshot for desk “%s”: %s", desk->name, error->message);
      reply_error (msg, status_for (error), error->message);
      return;
    }
  mapped = g_mapped_file_new (path, FALSE, &error);
  g_unlink (path);
  if (mapped == NULL)
    {
      reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  g_message ("Snapshot of %" G_GSIZE_FORMAT " bytes sent to desk “%s”", g_bytes_get_size (bytes), desk->name);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/vnd.sqlite3", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

static void
handle_sign_in (SoupServerMessage *msg,
                SesameStore       *store)
{
  g_autoptr(GBytes) body = request_body (msg);
  g_autoptr(SesameSyncDesk) desk = authenticate (msg, store, body);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(SesameStore) session = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *seal_key = NULL;
  const char *login;
  const char *passphrase;
  gint64 expires_at = 0;

  if (desk == NULL || (object = parse_object (msg, body)) == NULL)
    return;
  login = json_object_get_string_member_with_default (object, "login", "");
  passphrase = json_object_get_string_member_with_default (object, "passphrase", "");

  /* A connection of its own: the sign-in makes it act as the operator. */
  session = sesame_store_dup (store, &error);
  if (session == NULL ||
      !sesame_operators_sign_in (session, login, passphrase, &error) ||
      (ticket = sesame_sync_desks_issue_ticket (store, desk->id, sesame_store_operator_get_login (session),
                                                &expires_at, &error)) == NULL)
    {
      reply_error (msg, status_for (error), error->message);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, sesame_store_operator_get_login (session));
  json_builder_set_member_name (builder, "ticket");
  json_builder_add_string_value (builder, ticket);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, expires_at);
  /* The establishment's key, sealed to this desk alone: the desk needs it
   * to show, print and make first passwords, which it keeps sealed. */
  seal_key = sesame_seal_dup_key_for_desk (store, desk->public_key, &error);
  if (seal_key != NULL)
    {
      json_builder_set_member_name (builder, "seal_key");
      json_builder_add_string_value (builder, seal_key);
    }
  else
    g_message ("Desk “%s” signed in without the key of the first passwords: %s", desk->name, error->message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static void
add_entry (JsonBuilder           *builder,
           const SesameSyncEntry *entry)
{
  gsize length = 0;
  gconstpointer data = entry->changeset != NULL ? g_bytes_get_data (entry->changeset, &length) : NULL;
  g_autofree char *encoded = g_base64_encode (data, length);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, entry->id);
  json_builder_set_member_name (builder, "operator");
  json_builder_add_string_value (builder, entry->operator != NULL ? entry->operator : "");
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, entry->action != NULL ? entry->action : "");
  json_builder_set_member_name (builder, "desk");
  json_builder_add_string_value (builder, entry->desk != NULL ? entry->desk : "");
  json_builder_set_member_name (builder, "desk_time");
  json_builder_add_int_value (builder, entry->desk_time);
  json_builder_set_member_name (builder, "server_time");
  json_builder_add_int_value (builder, entry->server_time);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, entry->seq);
  json_builder_set_member_name (builder, "base_seq");
  json_builder_add_int_value (builder, entry->base_seq);
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, entry->scope != NULL ? entry->scope : "");
  json_builder_set_member_name (builder, "changeset");
  json_builder_add_string_value (builder, encoded);
  json_builder_end_object (builder);
}

static void
handle_feed (SoupServerMessage *msg,
             SesameStore       *store,
             GHashTable        *query)
{
  g_autoptr(SesameSyncDesk) desk = authenticate (msg, store, NULL);
  const char *since_text = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 since = 0;
  guint64 limit = 500;

  if (desk == NULL)
    return;
  if ((since_text != NULL && !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL)) ||
      (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_FEED_PAGE, &limit, NULL)))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("since must be a feed position and limit a number from 1 to 2000."));
      return;
    }
  {
    g_autoptr(GPtrArray) feed = NULL;
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(GError) error = NULL;
    const char * const *scopes = desk->establishments[0] != NULL ? (const char * const *) desk->establishments : NULL;

    feed = sesame_sync_server_read_feed (store, scopes, (gint64) since, (guint) limit, &error);
    if (feed == NULL)
      {
        reply_error (msg, status_for (error), error->message);
        return;
      }
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "entries");
    json_builder_begin_array (builder);
    for (guint i = 0; i < feed->len; i++)
      add_entry (builder, g_ptr_array_index (feed, i));
    json_builder_end_array (builder);
    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    reply_json (msg, SOUP_STATUS_OK, root);
  }
}

static SesameSyncEntry *
entry_from_json (JsonObject *object)
{
  g_autofree guint8 *data = NULL;
  g_autoptr(GBytes) changeset = NULL;
  gsize length = 0;

  data = g_base64_decode (json_object_get_string_member_with_default (object, "changeset", ""), &length);
  changeset = g_bytes_new_take (g_steal_pointer (&data), length);
  return sesame_sync_entry_new (json_object_get_string_member_with_default (object, "id", ""),
                                json_object_get_string_member_with_default (object, "operator", ""),
                                json_object_get_string_member_with_default (object, "action", ""),
                                json_object_get_int_member_with_default (object, "desk_time", 0),
                                json_object_get_int_member_with_default (object, "base_seq", 0),
                                changeset);
}

static void
handle_push (SoupServerMessage *msg,
             SesameStore       *store)
{
  g_autoptr(GBytes) body = request_body (msg);
  g_autoptr(SesameSyncDesk) desk = authenticate (msg, store, body);
  g_autoptr(JsonObject) object = NULL;

  if (desk == NULL || (object = parse_object (msg, body)) == NULL)
    return;
  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    JsonArray *entries = json_object_has_member (object, "entries") ? json_object_get_array_member (object, "entries") : NULL;
    JsonObject *tickets = json_object_has_member (object, "tickets") ? json_object_get_object_member (object, "tickets") : NULL;
    /* Reasons are for the desk's operator: in the desk's language. */
    const char *language = sesame_sync_server_pick_language (
      soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Accept-Language"));

    if (entries == NULL)
      {
        reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("A push carries an array of entries."));
        return;
      }
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "results");
    json_builder_begin_array (builder);
    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        g_autoptr(SesameSyncEntry) entry = entry_from_json (json_array_get_object_element (entries, i));
        g_autoptr(GError) error = NULL;
        g_autofree char *reason = NULL;
        const char *ticket = tickets != NULL && entry->operator[0] != '\0'
                             ? json_object_get_string_member_with_default (tickets, entry->operator, NULL) : NULL;
        SesameSyncVerdict verdict;
        gint64 seq = 0;

        verdict = sesame_sync_server_apply_pushed (store, entry, desk, ticket, language, &seq, &reason, &error);
        if (error != NULL)
          {
            reply_error (msg, status_for (error), error->message);
            return;
          }
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "id");
        json_builder_add_string_value (builder, entry->id);
        json_builder_set_member_name (builder, "verdict");
        json_builder_add_string_value (builder, sesame_sync_verdict_to_string (verdict));
        if (verdict == SESAME_SYNC_VERDICT_ACCEPTED)
          {
            json_builder_set_member_name (builder, "seq");
            json_builder_add_int_value (builder, seq);
          }
        if (reason != NULL)
          {
            json_builder_set_member_name (builder, "reason");
            json_builder_add_string_value (builder, reason);
          }
        json_builder_end_object (builder);
      }
    json_builder_end_array (builder);
    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    reply_json (msg, SOUP_STATUS_OK, root);
  }
}

static void
handle_api (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SesameStore *store = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_str_equal (method, "GET");
  gboolean post = g_str_equal (method, "POST");
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length > MAX_BODY)
    {
      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, _("The request is too large."));
      return;
    }
  if (get && g_str_equal (path, "/api/v1/hello"))
    handle_hello (msg, store);
  else if (post && g_str_equal (path, "/api/v1/join"))
    handle_join (msg, store);
  else if (get && g_str_equal (path, "/api/v1/desk"))
    handle_desk (msg, store);
  else if (get && g_str_equal (path, "/api/v1/snapshot"))
    handle_snapshot (msg, store);
  else if (post && g_str_equal (path, "/api/v1/sign-in"))
    handle_sign_in (msg, store);
  else if (get && g_str_equal (path, "/api/v1/feed"))
    handle_feed (msg, store, query);
  else if (post && g_str_equal (path, "/api/v1/push"))
    handle_push (msg, store);
  else
    reply_error (msg, SOUP_STATUS_NOT_FOUND, _("No such request: see the README's list of the server's API."));
}

/**
 * sesame_server_api_install:
 * @server: a #SoupServer
 * @store: the server's store, owned by the caller for as long as @server
 *
 * Installs the handlers of /api/v1/.
 */
void
sesame_server_api_install (SoupServer  *server,
                           SesameStore *store)
{
  soup_server_add_handler (server, "/api/v1", handle_api, store, NULL);
}
