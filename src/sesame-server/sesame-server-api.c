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
#include "sesame-server-jobs.h"

/* The largest body a desk may send (a push of a day's work is tens of kB;
 * an import's files come in pieces of SESAME_SERVER_CHUNK bytes). */
#define MAX_BODY (16 * 1024 * 1024)
#define MAX_FEED_PAGE 2000
/* Requests that touch the store run on these threads, each with a
 * connection of its own, so that the main loop keeps answering while a
 * snapshot is written or an import holds the store. */
#define WORKERS 4

struct _SesameServerApi
{
  SesameStore      *store;        /* the main loop's */
  GAsyncQueue      *connections;  /* the workers' */
  GThreadPool      *pool;
  SesameServerJobs *jobs;
  guint             schema;       /* read once: it does not change under a running server */
};

typedef void (*Handler) (SesameServerCall *call);

typedef struct
{
  SesameServerCall  call;
  Handler           handler;
} Work;

static void
work_free (Work *work)
{
  SesameServerCall *call = &work->call;

  g_clear_object (&call->msg);
  g_free (call->method);
  g_free (call->path);
  g_free (call->signed_path);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_free (call->desk_id);
  g_free (call->time);
  g_free (call->nonce);
  g_free (call->signature);
  g_free (call->accept_language);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->content_type);
  g_clear_pointer (&call->reply, g_bytes_unref);
  g_free (work);
}

/**
 * sesame_server_call_reply_json:
 * @call: a request
 * @status: the HTTP status
 * @node: the answer
 *
 * Answers @call with @node as JSON.
 */
void
sesame_server_call_reply_json (SesameServerCall *call,
                               guint             status,
                               JsonNode         *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  call->status = status;
  g_free (call->content_type);
  call->content_type = g_strdup ("application/json");
  g_clear_pointer (&call->reply, g_bytes_unref);
  call->reply = g_bytes_new_take (text, length);
}

/**
 * sesame_server_call_reply_error:
 * @call: a request
 * @status: the HTTP status
 * @code: (nullable): a token the desk may act on ("busy"), or %NULL
 * @message: why, for the person at the desk
 *
 * Answers @call with an error: `{"error": message, "code": code}`.
 */
void
sesame_server_call_reply_error (SesameServerCall *call,
                                guint             status,
                                const char       *code,
                                const char       *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  if (code != NULL)
    {
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sesame_server_call_reply_json (call, status, root);
}

static void
reply_json (SesameServerCall *call,
            guint             status,
            JsonNode         *node)
{
  sesame_server_call_reply_json (call, status, node);
}

static void
reply_error (SesameServerCall *call,
             guint             status,
             const char       *message)
{
  sesame_server_call_reply_error (call, status, NULL, message);
}

/**
 * sesame_server_status_for:
 * @error: a #GError of the core
 *
 * The HTTP status that says @error to a desk.
 *
 * Returns: an HTTP status
 */
guint
sesame_server_status_for (const GError *error)
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

static guint
status_for (const GError *error)
{
  return sesame_server_status_for (error);
}

/**
 * sesame_server_call_parse_object:
 * @call: a request
 *
 * Reads the body of @call as a JSON object, or answers that it is not one.
 *
 * Returns: (transfer full) (nullable): the object, or %NULL once answered
 */
JsonObject *
sesame_server_call_parse_object (SesameServerCall *call)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = call->body != NULL ? g_bytes_get_data (call->body, &length) : NULL;
  JsonNode *root;

  if (length == 0 || !json_parser_load_from_data (parser, data, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_error (call, SOUP_STATUS_BAD_REQUEST, _("The request's body is not a JSON object."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
parse_object (SesameServerCall *call)
{
  return sesame_server_call_parse_object (call);
}

/* The desk that signed the request, or NULL once refused. */
static SesameSyncDesk *
authenticate (SesameServerCall *call)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  gconstpointer data = call->body != NULL ? g_bytes_get_data (call->body, &length) : NULL;
  SesameSyncDesk *desk;

  desk = sesame_sync_desks_verify_request (call->store, call->method, call->signed_path,
                                           call->desk_id, call->time, call->nonce, call->signature,
                                           data, length, &error);
  if (desk == NULL)
    {
      g_info ("Refused %s %s: %s", call->method, call->signed_path, error->message);
      reply_error (call, error->domain == SESAME_ERROR && error->code == SESAME_ERROR_PERMISSION_DENIED
                   ? SOUP_STATUS_UNAUTHORIZED : status_for (error), error->message);
    }
  return desk;
}

static void
handle_hello (SesameServerCall *call)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, "sesame-server");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, call->api->schema);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (call, SOUP_STATUS_OK, root);
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
handle_join (SesameServerCall *call)
{
    g_autoptr(JsonObject) object = parse_object (call);
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (object == NULL)
    return;
  desk = sesame_sync_desks_enrol (call->store,
                                  json_object_get_string_member_with_default (object, "code", ""),
                                  json_object_get_string_member_with_default (object, "public_key", ""),
                                  &error);
  if (desk == NULL)
    {
      g_info ("Refused an enrolment: %s", error->message);
      reply_error (call, status_for (error), error->message);
      return;
    }
  g_message ("Desk “%s” enrolled", desk->name);
  json_builder_begin_object (builder);
  add_desk_members (builder, desk);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (call, SOUP_STATUS_OK, root);
}

static void
handle_desk (SesameServerCall *call)
{
  g_autoptr(SesameSyncDesk) desk = authenticate (call);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (desk == NULL)
    return;
  json_builder_begin_object (builder);
  add_desk_members (builder, desk);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (call, SOUP_STATUS_OK, root);
}

static void
handle_snapshot (SesameServerCall *call)
{
  g_autoptr(SesameSyncDesk) desk = authenticate (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gint64 head = 0;
  int fd;

  if (desk == NULL)
    return;
  head = sesame_sync_server_get_head (call->store, &error);
  if (head < 0 || error != NULL)
    {
      reply_error (call, status_for (error), error->message);
      return;
    }
  /* Beside the store: same disk, same permissions, no other user's /tmp. */
  dir = g_path_get_dirname (sesame_store_get_path (call->store));
  path = g_build_filename (dir, ".sesame-snapshot-XXXXXX", NULL);
  fd = g_mkstemp_full (path, O_RDWR, 0600);
  if (fd < 0)
    {
      reply_error (call, SOUP_STATUS_INTERNAL_SERVER_ERROR, _("The server cannot write a copy of its store."));
      return;
    }
  close (fd);
  g_unlink (path);
  if (!sesame_sync_snapshot_write (call->store, desk, head, path, &error))
    {
      g_warning ("Cannot make a snapshot for desk “%s”: %s", desk->name, error->message);
      reply_error (call, status_for (error), error->message);
      return;
    }
  mapped = g_mapped_file_new (path, FALSE, &error);
  g_unlink (path);
  if (mapped == NULL)
    {
      reply_error (call, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  g_message ("Snapshot of %" G_GSIZE_FORMAT " bytes sent to desk “%s”", g_bytes_get_size (bytes), desk->name);
  call->status = SOUP_STATUS_OK;
  g_free (call->content_type);
  call->content_type = g_strdup ("application/vnd.sqlite3");
  call->reply = g_steal_pointer (&bytes);
}

static void
handle_sign_in (SesameServerCall *call)
{
    g_autoptr(SesameSyncDesk) desk = authenticate (call);
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

  if (desk == NULL || (object = parse_object (call)) == NULL)
    return;
  login = json_object_get_string_member_with_default (object, "login", "");
  passphrase = json_object_get_string_member_with_default (object, "passphrase", "");

  /* A connection of its own: the sign-in makes it act as the operator. */
  session = sesame_store_dup (call->store, &error);
  if (session == NULL ||
      !sesame_operators_sign_in (session, login, passphrase, &error) ||
      (ticket = sesame_sync_desks_issue_ticket (call->store, desk->id, sesame_store_operator_get_login (session),
                                                &expires_at, &error)) == NULL)
    {
      reply_error (call, status_for (error), error->message);
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
  seal_key = sesame_seal_dup_key_for_desk (call->store, desk->public_key, &error);
  if (seal_key != NULL)
    {
      json_builder_set_member_name (builder, "seal_key");
      json_builder_add_string_value (builder, seal_key);
    }
  else
    g_message ("Desk “%s” signed in without the key of the first passwords: %s", desk->name, error->message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (call, SOUP_STATUS_OK, root);
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
handle_feed (SesameServerCall *call)
{
  g_autoptr(SesameSyncDesk) desk = authenticate (call);
  const char *since_text = call->query != NULL ? g_hash_table_lookup (call->query, "since") : NULL;
  const char *limit_text = call->query != NULL ? g_hash_table_lookup (call->query, "limit") : NULL;
  guint64 since = 0;
  guint64 limit = 500;

  if (desk == NULL)
    return;
  if ((since_text != NULL && !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL)) ||
      (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_FEED_PAGE, &limit, NULL)))
    {
      reply_error (call, SOUP_STATUS_BAD_REQUEST, _("since must be a feed position and limit a number from 1 to 2000."));
      return;
    }
  {
    g_autoptr(GPtrArray) feed = NULL;
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(GError) error = NULL;
    const char * const *scopes = desk->establishments[0] != NULL ? (const char * const *) desk->establishments : NULL;

    feed = sesame_sync_server_read_feed (call->store, scopes, (gint64) since, (guint) limit, &error);
    if (feed == NULL)
      {
        reply_error (call, status_for (error), error->message);
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
    reply_json (call, SOUP_STATUS_OK, root);
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
handle_push (SesameServerCall *call)
{
  g_autoptr(SesameSyncDesk) desk = authenticate (call);
  g_autoptr(JsonObject) object = NULL;

  if (desk == NULL || (object = parse_object (call)) == NULL)
    return;
  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    JsonArray *entries = json_object_has_member (object, "entries") ? json_object_get_array_member (object, "entries") : NULL;
    JsonObject *tickets = json_object_has_member (object, "tickets") ? json_object_get_object_member (object, "tickets") : NULL;
    /* Reasons are for the desk's operator: in the desk's language. */
    const char *language = sesame_sync_server_pick_language (call->accept_language);

    if (entries == NULL)
      {
        reply_error (call, SOUP_STATUS_BAD_REQUEST, _("A push carries an array of entries."));
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

        verdict = sesame_sync_server_apply_pushed (call->store, entry, desk, ticket, language, &seq, &reason, &error);
        if (error != NULL)
          {
            reply_error (call, status_for (error), error->message);
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
    reply_json (call, SOUP_STATUS_OK, root);
  }
}

/* The jobs never wait for the store's writer, but they read the desks:
 * off the main loop too. */
static void
handle_jobs (SesameServerCall *call)
{
  if (!sesame_server_jobs_handle (call->api->jobs, call))
    reply_error (call, SOUP_STATUS_NOT_FOUND, _("No such request: see the README's list of the server's API."));
}

static void
set_reply (SesameServerCall *call)
{
  soup_server_message_set_status (call->msg, call->status != 0 ? call->status : SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
  if (call->reply != NULL)
    {
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (call->msg),
                                             call->content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (call->msg), call->reply);
    }
}

/* Back on the main loop: the answer goes out. */
static gboolean
finish_work (gpointer user_data)
{
  Work *work = user_data;

  set_reply (&work->call);
  soup_server_message_unpause (work->call.msg);
  work_free (work);
  return G_SOURCE_REMOVE;
}

static void
run_work (gpointer data,
          gpointer user_data)
{
  Work *work = data;
  SesameServerApi *api = user_data;

  work->call.store = g_async_queue_pop (api->connections);
  work->handler (&work->call);
  g_async_queue_push (api->connections, g_steal_pointer (&work->call.store));
  g_main_context_invoke (NULL, finish_work, work);
}

static char *
dup_header (SoupServerMessage *msg,
            const char        *name)
{
  return g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), name));
}

static void
handle_api (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SesameServerApi *api = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_str_equal (method, "GET");
  gboolean post = g_str_equal (method, "POST");
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  Work *work;
  Handler handler = NULL;

  if (body->length > MAX_BODY)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
      return;
    }

  work = g_new0 (Work, 1);
  work->call.api = api;
  work->call.msg = g_object_ref (msg);
  work->call.method = g_strdup (method);
  work->call.path = g_strdup (path);
  /* The path and query as the desk signed them. */
  work->call.signed_path = g_uri_get_query (uri) != NULL
                           ? g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri), NULL)
                           : g_strdup (g_uri_get_path (uri));
  work->call.query = query != NULL ? g_hash_table_ref (query) : NULL;
  work->call.desk_id = dup_header (msg, SESAME_SYNC_HEADER_DESK);
  work->call.time = dup_header (msg, SESAME_SYNC_HEADER_TIME);
  work->call.nonce = dup_header (msg, SESAME_SYNC_HEADER_NONCE);
  work->call.signature = dup_header (msg, SESAME_SYNC_HEADER_SIGNATURE);
  work->call.accept_language = dup_header (msg, "Accept-Language");
  work->call.body = soup_message_body_flatten (body);

  if (get && g_str_equal (path, "/api/v1/hello"))
    handler = handle_hello;
  else if (post && g_str_equal (path, "/api/v1/join"))
    handler = handle_join;
  else if (get && g_str_equal (path, "/api/v1/desk"))
    handler = handle_desk;
  else if (get && g_str_equal (path, "/api/v1/snapshot"))
    handler = handle_snapshot;
  else if (post && g_str_equal (path, "/api/v1/sign-in"))
    handler = handle_sign_in;
  else if (get && g_str_equal (path, "/api/v1/feed"))
    handler = handle_feed;
  else if (post && g_str_equal (path, "/api/v1/push"))
    handler = handle_push;
  else if ((post && (g_str_equal (path, "/api/v1/imports") || g_str_equal (path, "/api/v1/campaigns"))) ||
           g_str_has_prefix (path, "/api/v1/jobs/"))
    handler = handle_jobs;

  if (handler == NULL || handler == handle_hello)
    {
      /* Answered at once, without the store: the main loop never reads
       * it, so that nothing the import does can hold it up. */
      if (handler != NULL)
        handler (&work->call);
      else
        reply_error (&work->call, SOUP_STATUS_NOT_FOUND, _("No such request: see the README's list of the server's API."));
      set_reply (&work->call);
      work_free (work);
      return;
    }
  /* The others wait for the store, and a snapshot takes a while: off the
   * main loop, which goes on answering the other desks. */
  work->handler = handler;
  soup_server_message_pause (msg);
  g_thread_pool_push (api->pool, work, NULL);
}

/**
 * sesame_server_api_install:
 * @server: a #SoupServer
 * @store: the server's store, owned by the caller for as long as @server
 * @error: return location for a #GError
 *
 * Installs the handlers of /api/v1/, with the threads and connections
 * that answer the requests that touch the store.
 *
 * Returns: (transfer full): the API's state, freed with
 *   sesame_server_api_free() once @server is disconnected; or %NULL with
 *   @error set when the store cannot be opened again
 */
SesameServerApi *
sesame_server_api_install (SoupServer   *server,
                           SesameStore  *store,
                           GError      **error)
{
  SesameServerApi *api = g_new0 (SesameServerApi, 1);

  api->store = g_object_ref (store);
  api->schema = sesame_store_get_schema_version (store);
  api->connections = g_async_queue_new_full (g_object_unref);
  for (guint i = 0; i < WORKERS; i++)
    {
      SesameStore *connection = sesame_store_dup (store, error);

      if (connection == NULL)
        {
          sesame_server_api_free (api);
          return NULL;
        }
      g_async_queue_push (api->connections, connection);
    }
  api->jobs = sesame_server_jobs_new (store, error);
  if (api->jobs == NULL)
    {
      sesame_server_api_free (api);
      return NULL;
    }
  api->pool = g_thread_pool_new (run_work, api, WORKERS, FALSE, NULL);
  soup_server_add_handler (server, "/api/v1", handle_api, api, NULL);
  return api;
}

/**
 * sesame_server_api_free:
 * @api: (transfer full): what sesame_server_api_install() returned
 *
 * Cancels the jobs under way, waits for the requests in progress and
 * closes the connections.
 */
void
sesame_server_api_free (SesameServerApi *api)
{
  if (api == NULL)
    return;
  g_clear_pointer (&api->jobs, sesame_server_jobs_free);
  if (api->pool != NULL)
    g_thread_pool_free (api->pool, FALSE, TRUE);
  /* Answers still queued for the main loop are dropped with it. */
  g_clear_pointer (&api->connections, g_async_queue_unref);
  g_clear_object (&api->store);
  g_free (api);
}
