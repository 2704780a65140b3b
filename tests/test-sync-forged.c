/* test-sync-forged.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pushes a desk never makes, sent to a real sesame-server on loopback by
 * a test client that holds a joined desk's key (as whoever copied the
 * desk's keyring would): signed like the desk's own requests, carrying
 * changesets forged on a copy of the desk's store. Each must be refused
 * with a reason and leave the server's synced tables as they were: a
 * manager granting a role, a change in another establishment, a password
 * for academy staff, a change to a person's name, a push from a revoked
 * desk, a replayed entry, a changeset with a wrong column count, an entry
 * of the store's owner with no operator signed in. The reasons come back
 * in the language the desk asks for (Accept-Language), the desk's own
 * sync included. Runs in a keyring of its own (run-with-keyring.sh).
 */
#include "config.h"

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include <curl/curl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <sodium.h>
#include <string.h>

#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-ctl.h"
#include "sesame-test-permissions.h"
#include "sesame-test-server.h"
#include "sesame-test-trials.h"
#include "sesame-test-util.h"

typedef struct
{
  char             *dir;
  SesameTestServer  server;
  char             *desk_path;
  char             *desk_id;
  guint8            secret_key[crypto_sign_SECRETKEYBYTES];
} Fixture;

static const SecretSchema desk_key_schema = {
  "fr.sesame.Sesame.Desk", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "desk", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static char *
query_text (const char *store_path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/* The desk's key, as a thief of its keyring would have it. */
static void
read_desk_key (Fixture    *fixture,
               const char *desk_path,
               char      **desk_id,
               guint8     *secret_key)
{
  g_autoptr(GError) error = NULL;
  char *hex;
  size_t length = 0;

  *desk_id = query_text (desk_path, "SELECT desk_id FROM sync_server");
  g_assert_nonnull (*desk_id);
  hex = secret_password_lookup_sync (&desk_key_schema, NULL, &error, "server", fixture->server.url,
                                     "desk", *desk_id, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (hex);
  g_assert_cmpint (sodium_hex2bin (secret_key, crypto_sign_SECRETKEYBYTES, hex, strlen (hex), NULL, &length, NULL), ==, 0);
  secret_password_free (hex);
}

static void
sign_in (const char *desk_path,
         const char *operator)
{
  g_auto(SesameTestRun) run = { 0 };

  sesame_test_ctl_run_on (desk_path, operator, NULL, &run, "audit", "--mine", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SesameStore) store = NULL;
  g_autofree char *store_path = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  store = perm_fixture_store (fixture->dir, NULL, NULL);
  store_path = g_strdup (sesame_store_get_path (store));
  g_clear_object (&store);
  sesame_test_server_start (&fixture->server, store_path);
  fixture->desk_path = sesame_test_server_join (&fixture->server, "Accueil", fixture->dir);
  read_desk_key (fixture, fixture->desk_path, &fixture->desk_id, fixture->secret_key);
  sign_in (fixture->desk_path, "alice.noel");
  sign_in (fixture->desk_path, PERM_MANAGER_A);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sodium_memzero (fixture->secret_key, sizeof fixture->secret_key);
  sesame_test_server_stop (&fixture->server);
  sesame_test_server_clear (&fixture->server);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->desk_path);
  g_free (fixture->desk_id);
}

/* A changeset made by hand on a copy of the desk's store: @sql run under
 * a session of every table. */
static GBytes *
forge (Fixture    *fixture,
       const char *sql)
{
  g_autofree char *path = g_build_filename (fixture->dir, "forge.db", NULL);
  g_autofree char *vacuum = g_strdup_printf ("VACUUM INTO '%s'", path);
  sqlite3 *db = NULL;
  sqlite3_session *session = NULL;
  void *changeset = NULL;
  int size = 0;
  GBytes *bytes;

  g_remove (path);
  g_assert_cmpint (sqlite3_open_v2 (fixture->desk_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, vacuum, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3session_create (db, "main", &session), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3session_attach (session, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3session_changeset (session, &size, &changeset), ==, SQLITE_OK);
  g_assert_cmpint (size, >, 0);
  bytes = g_bytes_new (changeset, size);
  sqlite3_free (changeset);
  sqlite3session_delete (session);
  sqlite3_close (db);
  g_remove (path);
  return bytes;
}

static size_t
collect (char   *data,
         size_t  size,
         size_t  count,
         void   *user_data)
{
  g_string_append_len (user_data, data, (gssize) (size * count));
  return size * count;
}

/* What the server answered to one pushed entry. */
typedef struct
{
  long    status;
  char   *verdict;
  char   *reason;
  gint64  seq;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->verdict, g_free);
  g_clear_pointer (&answer->reason, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

/* POSTs one entry to /api/v1/push, signed with @desk_id's key, with the
 * ticket the server gave @ticket_of when they signed in on the desk. */
static void
push_entry (Fixture      *fixture,
            const char   *desk_id,
            const guint8 *secret_key,
            const char   *id,
            const char   *operator,
            const char   *ticket_of,
            GBytes       *changeset,
            const char   *accept_language,
            Answer       *answer)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *request = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *url = g_strconcat (fixture->server.url, "/api/v1/push", NULL);
  g_autofree char *message = NULL;
  g_autofree char *signature_text = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  guint8 raw_nonce[16];
  char nonce[sizeof raw_nonce * 2 + 1];
  guint8 signature[crypto_sign_BYTES];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  struct curl_slist *headers = NULL;
  CURL *curl = curl_easy_init ();
  gsize size;
  gconstpointer data = g_bytes_get_data (changeset, &size);

  if (ticket_of != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT ticket FROM sync_tickets WHERE login = '%s'", ticket_of);

      ticket = query_text (fixture->desk_path, sql);
      g_assert_nonnull (ticket);
    }
  encoded = g_base64_encode (data, size);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "base");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "operator");
  json_builder_add_string_value (builder, operator);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, "forged");
  json_builder_set_member_name (builder, "desk_time");
  json_builder_add_int_value (builder, now);
  json_builder_set_member_name (builder, "base_seq");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "changeset");
  json_builder_add_string_value (builder, encoded);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "tickets");
  json_builder_begin_object (builder);
  if (ticket != NULL && operator[0] != '\0')
    {
      json_builder_set_member_name (builder, operator);
      json_builder_add_string_value (builder, ticket);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  request = json_generator_to_data (generator, NULL);

  randombytes_buf (raw_nonce, sizeof raw_nonce);
  sodium_bin2hex (nonce, sizeof nonce, raw_nonce, sizeof raw_nonce);
  message = sesame_sync_desks_request_message ("POST", "/api/v1/push", desk_id, now, nonce,
                                               request, strlen (request));
  crypto_sign_detached (signature, NULL, (const guint8 *) message, strlen (message), secret_key);
  signature_text = g_base64_encode (signature, sizeof signature);
  g_ptr_array_add (lines, g_strdup_printf ("Sesame-Desk: %s", desk_id));
  g_ptr_array_add (lines, g_strdup_printf ("Sesame-Time: %" G_GINT64_FORMAT, now));
  g_ptr_array_add (lines, g_strdup_printf ("Sesame-Nonce: %s", nonce));
  g_ptr_array_add (lines, g_strdup_printf ("Sesame-Signature: %s", signature_text));
  g_ptr_array_add (lines, g_strdup ("Content-Type: application/json"));
  if (accept_language != NULL)
    g_ptr_array_add (lines, g_strdup_printf ("Accept-Language: %s", accept_language));
  for (guint i = 0; i < lines->len; i++)
    headers = curl_slist_append (headers, g_ptr_array_index (lines, i));

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt (curl, CURLOPT_POST, 1L);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDS, request);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (request));
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, body);
  g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &answer->status);
  curl_easy_cleanup (curl);
  curl_slist_free_all (headers);

  {
    g_autoptr(JsonNode) reply = sesame_test_parse_json (body->str);
    JsonObject *object = json_node_get_object (reply);

    if (answer->status != 200)
      {
        answer->verdict = g_strdup ("refused");
        answer->reason = g_strdup (json_object_get_string_member_with_default (object, "error", ""));
      }
    else
      {
        JsonArray *results = json_object_get_array_member (object, "results");
        JsonObject *result;

        g_assert_cmpuint (json_array_get_length (results), ==, 1);
        result = json_array_get_object_element (results, 0);
        g_assert_cmpstr (json_object_get_string_member (result, "id"), ==, id);
        answer->verdict = g_strdup (json_object_get_string_member (result, "verdict"));
        answer->reason = g_strdup (json_object_get_string_member_with_default (result, "reason", NULL));
        answer->seq = json_object_get_int_member_with_default (result, "seq", 0);
      }
  }
}

#define FEED_HEAD "SELECT COALESCE (MAX (seq), 0) FROM sync_feed"

/* Pushes @sql's changeset as @operator; it must be refused with a reason
 * holding @expected, and change nothing on the server. */
static void
assert_refused_ticket (Fixture    *fixture,
                       const char *operator,
                       const char *ticket_of,
                       const char *sql,
                const char *accept_language,
                const char *expected)
{
  g_autoptr(GBytes) changeset = forge (fixture, sql);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *before = sesame_trial_dump_synced (fixture->server.store_path);
  g_autofree char *after = NULL;
  g_auto(Answer) answer = { 0 };
  int head = sesame_trial_count_rows (fixture->server.store_path, FEED_HEAD);

  push_entry (fixture, fixture->desk_id, fixture->secret_key, id, operator, ticket_of, changeset,
              accept_language, &answer);
  g_assert_cmpint (answer.status, ==, 200);
  g_assert_cmpstr (answer.verdict, ==, "rejected");
  g_assert_nonnull (answer.reason);
  if (strstr (answer.reason, expected) == NULL)
    g_error ("“%s” refused as “%s”, not “%s”", sql, answer.reason, expected);
  g_assert_cmpint (answer.seq, ==, 0);
  after = sesame_trial_dump_synced (fixture->server.store_path);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path, FEED_HEAD), ==, head);
}

/* As the desk sends it: with the ticket of the entry's operator. */
static void
assert_refused (Fixture    *fixture,
                const char *operator,
                const char *sql,
                const char *accept_language,
                const char *expected)
{
  assert_refused_ticket (fixture, operator, operator[0] != '\0' ? operator : NULL, sql, accept_language, expected);
}

#define GRANT_BY_MANAGER \
  "INSERT INTO role_events (id, person_key, role, scope, granted, operator, at, seq)" \
  " VALUES ('r1', 'S4', 'manager', 'establishment', 1, 'sophie.garnier', 1780000000, 99)"
#define LOGIN_IN_B \
  "UPDATE accounts SET login = 'jd2', login_changed_at = 1780000000 WHERE person_key = 'P8'"
#define STAFF_PASSWORD \
  "INSERT INTO credentials (id, person_key, password, created_at, expires_at, created_by)" \
  " VALUES ('c1', 'S4', 'abcdefgh', 1780000000, 1790000000, 'alice.noel')"
#define PERSON_NAME \
  "UPDATE persons SET last_name = 'Durand' WHERE key = 'P2'"
#define SHORT_AUDIT \
  "ALTER TABLE audit RENAME TO audit_full;" \
  "CREATE TABLE audit (id TEXT PRIMARY KEY NOT NULL, at INTEGER NOT NULL, operator TEXT NOT NULL," \
  " action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');" \
  "INSERT INTO audit VALUES ('a2', 1780000000, 'alice.noel', 'reset-password', 'jean.dupont', '')"
#define LOGIN_IN_A \
  "UPDATE accounts SET login = 'jean.neuf', login_changed_at = 1780000000 WHERE person_key = 'P2'"

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  /* A manager granting a role. */
  assert_refused (fixture, PERM_MANAGER_A, GRANT_BY_MANAGER, "en", "Only an administrator");
  /* A change in another establishment. */
  assert_refused (fixture, PERM_MANAGER_A, LOGIN_IN_B, "en", "outside");
  /* A password for academy staff. */
  assert_refused (fixture, "alice.noel", STAFF_PASSWORD, "en", "academy staff");
  /* A change to a person's name. */
  assert_refused (fixture, "alice.noel", PERSON_NAME, "en", "imports");
  /* A changeset with a wrong column count: a desk whose audit table
   * lacks two columns. */
  assert_refused (fixture, "alice.noel", SHORT_AUDIT, "en", "columns");
  /* The store's owner, nobody signed in: the entry names no operator. */
  assert_refused (fixture, "", LOGIN_IN_A, "en", "no operator signed in");
  /* An operator who never signed in on this desk, with someone else's
   * ticket. */
  assert_refused_ticket (fixture, "helene.roche", "alice.noel", LOGIN_IN_A, NULL, "never signed in");
}

/* The same refusals, read by a French desk: in French, whatever the
 * server's own locale. */
static void
test_refused_french (Fixture       *fixture,
                     gconstpointer  data)
{
  assert_refused (fixture, PERM_MANAGER_A, GRANT_BY_MANAGER, "fr-FR, fr;q=0.9, en;q=0.5",
                  "Seul un administrateur");
  assert_refused (fixture, PERM_MANAGER_A, LOGIN_IN_B, "fr", "hors");
  assert_refused (fixture, "alice.noel", STAFF_PASSWORD, "fr-CA", "personnels académiques");
  assert_refused (fixture, "alice.noel", PERSON_NAME, "fr", "imports");
  assert_refused (fixture, "alice.noel", SHORT_AUDIT, "fr", "colonnes");
  assert_refused (fixture, "", LOGIN_IN_A, "fr", "aucun opérateur");
  /* A language Sésame does not speak: the server's own (English here). */
  assert_refused (fixture, "alice.noel", STAFF_PASSWORD, "de-DE, de;q=0.9", "academy staff");
  /* English preferred over French by quality. */
  assert_refused (fixture, "alice.noel", STAFF_PASSWORD, "fr;q=0.3, en;q=0.8", "academy staff");
}

/* An entry pushed twice is applied once and answered the same; its key
 * with another content is refused. */
static void
test_replayed (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) change = forge (fixture,
                                    LOGIN_IN_A ";"
                                    "INSERT INTO audit (id, at, operator, action, target, detail)"
                                    " VALUES ('a-replay', 1780000000, 'alice.noel', 'set-login', 'jean.neuf', 'jean.dupont')");
  g_autoptr(GBytes) other = forge (fixture,
                                   "UPDATE accounts SET login = 'jean.autre', login_changed_at = 1780000001"
                                   " WHERE person_key = 'P2'");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *after_first = NULL;
  g_autofree char *after_second = NULL;
  g_auto(Answer) first = { 0 };
  g_auto(Answer) second = { 0 };
  g_auto(Answer) third = { 0 };

  push_entry (fixture, fixture->desk_id, fixture->secret_key, id, "alice.noel", "alice.noel", change, "en", &first);
  g_assert_cmpstr (first.verdict, ==, "accepted");
  g_assert_cmpint (first.seq, >, 0);
  after_first = sesame_trial_dump_synced (fixture->server.store_path);

  push_entry (fixture, fixture->desk_id, fixture->secret_key, id, "alice.noel", "alice.noel", change, "en", &second);
  g_assert_cmpstr (second.verdict, ==, "accepted");
  g_assert_cmpint (second.seq, ==, first.seq);
  after_second = sesame_trial_dump_synced (fixture->server.store_path);
  g_assert_cmpstr (after_second, ==, after_first);
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM audit WHERE id = 'a-replay'"), ==, 1);
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM sync_feed WHERE entry_id IN"
                                           " (SELECT entry_id FROM sync_verdicts WHERE verdict = 'accepted')"), ==, 1);

  /* The same key with another change. */
  push_entry (fixture, fixture->desk_id, fixture->secret_key, id, "alice.noel", "alice.noel", other, "en", &third);
  g_assert_cmpstr (third.verdict, ==, "rejected");
  g_assert_nonnull (strstr (third.reason, "already used"));
  g_assert_cmpint (sesame_trial_count_rows (fixture->server.store_path,
                                           "SELECT count(*) FROM accounts WHERE login = 'jean.autre'"), ==, 0);
}

/* A revoked desk's push is refused at once, even well signed. */
static void
test_revoked_desk (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *other_path = sesame_test_server_join (&fixture->server, "Portable", fixture->dir);
  g_autofree char *other_id = NULL;
  g_autoptr(GBytes) change = forge (fixture, LOGIN_IN_A);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(SesameTestRun) revoke = { 0 };
  g_auto(Answer) answer = { 0 };
  guint8 other_key[crypto_sign_SECRETKEYBYTES];

  read_desk_key (fixture, other_path, &other_id, other_key);
  sesame_test_ctl_run_on (fixture->server.store_path, NULL, NULL, &revoke, "desks", "revoke", "Portable", NULL);
  g_assert_cmpint (revoke.status, ==, 0);
  before = sesame_trial_dump_synced (fixture->server.store_path);

  push_entry (fixture, other_id, other_key, id, "alice.noel", NULL, change, "en", &answer);
  g_assert_cmpint (answer.status, ==, 401);
  g_assert_nonnull (strstr (answer.reason, "revoked"));
  after = sesame_trial_dump_synced (fixture->server.store_path);
  g_assert_cmpstr (after, ==, before);
  sodium_memzero (other_key, sizeof other_key);
}

/* A desk's own sync sends its language: the owner's change, made with
 * nobody signed in, comes back refused in French on a French desk, is
 * undone there and kept as a conflict in French. */
#define OWNER_ENTRIES "SELECT count(*) FROM sync_outbox WHERE operator = ''"

static void
test_desk_language (Fixture       *fixture,
                    gconstpointer  data)
{
  const char * const french[] = { "LANGUAGE", "fr", "LC_ALL", "fr_FR.UTF-8", "LANG", "fr_FR.UTF-8", NULL };
  SesameTestCtl options = { 0 };
  g_auto(SesameTestRun) change = { 0 };
  g_auto(SesameTestRun) sync = { 0 };
  g_auto(SesameTestRun) conflicts = { 0 };
  g_autofree char *login = NULL;

  sesame_test_ctl_run_on (fixture->desk_path, NULL, NULL, &change, "account", "set-login", PERM_PUPIL_A, "jean.proprio", NULL);
  if (change.status != 0)
    g_error ("the owner's change on the desk failed: %s", change.err);
  g_assert_cmpint (sesame_trial_count_rows (fixture->desk_path, OWNER_ENTRIES), ==, 1);

  options.store = fixture->desk_path;
  options.env = french;
  sesame_test_ctl_run (&options, &sync, "sync", NULL);
  g_assert_cmpint (sync.status, ==, 1);
  if (strstr (sync.out, "aucun opérateur") == NULL)
    g_error ("the desk shows “%s” “%s”", sync.out, sync.err);

  /* Undone on the desk, kept as a conflict with the French reason. */
  login = query_text (fixture->desk_path, "SELECT login FROM accounts WHERE person_key = 'P2'");
  g_assert_cmpstr (login, ==, PERM_PUPIL_A);
  g_assert_cmpint (sesame_trial_count_rows (fixture->desk_path, OWNER_ENTRIES), ==, 0);
  sesame_test_ctl_run (&options, &conflicts, "sync", "conflicts", "--json", NULL);
  g_assert_cmpint (conflicts.status, ==, 0);
  g_assert_nonnull (strstr (conflicts.out, "aucun opérateur"));
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  g_assert_cmpint (sodium_init (), >=, 0);

#define ADD(path, func) \
  g_test_add ("/sesame/sync-forged/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("refused", test_refused);
  ADD ("refused-french", test_refused_french);
  ADD ("replayed", test_replayed);
  ADD ("revoked-desk", test_revoked_desk);
  ADD ("desk-language", test_desk_language);
#undef ADD

  return g_test_run ();
}
