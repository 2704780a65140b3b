/* test-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesame-server and its desks on loopback, through the real programs:
 * the server starts on a free port and prints its certificate's
 * fingerprint, which desks pin (a wrong one is refused before anything
 * is sent); a desk joins with a one-time code that works once and not
 * after 24 hours; requests unsigned, forged or played twice are refused,
 * and so is every request of a revoked desk; operators sign in against
 * the server and, once they did, offline; sync says when the server
 * cannot be reached; first passwords are sealed on the server and on the
 * desks, which get the key at sign-in and keep it in the keyring. Runs in
 * a keyring of its own (run-with-keyring.sh), where desks keep their keys.
 */
#include "config.h"

#include <curl/curl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <sodium.h>
#include <string.h>

#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-ctl.h"
#include "sesame-test-fixture.h"
#include "sesame-test-server.h"
#include "sesame-test-util.h"



typedef struct
{
  char             *dir;
  SesameTestServer  server;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  SesameStore *store;
  g_autofree char *store_path = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  store = sesame_test_fixture_store (fixture->dir);
  sesame_test_enrol_operator (store, "helene.roche");
  store_path = g_strdup (sesame_store_get_path (store));
  g_assert_finalize_object (store);
  sesame_test_server_start (&fixture->server, store_path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sesame_test_server_clear (&fixture->server);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
ctl (const char *store,
     const char *operator,
     const char * const *env,
     SesameTestRun *run,
     ...)
{
  SesameTestCtl options = { 0 };
  va_list ap;

  options.store = store;
  options.operator = operator;
  options.env = env;
  va_start (ap, run);
  sesame_test_ctl_run_va (&options, run, ap);
  va_end (ap);
}

static char *
add_desk (Fixture    *fixture,
          const char *name)
{
  return sesame_test_server_add_desk (&fixture->server, name);
}

static char *
join (Fixture    *fixture,
      const char *name)
{
  return sesame_test_server_join (&fixture->server, name, fixture->dir);
}

static void
test_start_fingerprint (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *crt = g_strconcat (fixture->server.store_path, ".crt", NULL);
  g_autofree char *key = g_strconcat (fixture->server.store_path, ".key", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *first = g_strdup (fixture->server.fingerprint);
  GStatBuf st;

  /* Made on first start, beside the store, the key private. */
  g_assert_true (fixture->server.made_certificate);
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  certificate = g_tls_certificate_new_from_file (crt, &error);
  g_assert_no_error (error);
  g_object_get (certificate, "certificate", &der, NULL);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);

  /* 64 hexadecimal digits with colons, alone on their line. */
  g_assert_cmpuint (strlen (fixture->server.fingerprint), ==, 95);
  printed = sesame_sync_client_normalize_fingerprint (fixture->server.fingerprint);
  g_assert_cmpstr (printed, ==, hex);

  /* The next start keeps it: desks pinned it. */
  sesame_test_server_stop (&fixture->server);
  sesame_test_server_start (&fixture->server, fixture->server.store_path);
  g_assert_false (fixture->server.made_certificate);
  g_assert_cmpstr (fixture->server.fingerprint, ==, first);
}

static void
test_join_pins (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(SesameTestRun) wrong = { 0 };
  g_auto(SesameTestRun) unknown = { 0 };
  g_auto(SesameTestRun) right = { 0 };
  g_auto(SesameTestRun) again = { 0 };
  g_auto(SesameTestRun) list = { 0 };
  g_auto(SesameTestRun) search = { 0 };
  g_autofree char *code = add_desk (fixture, "Secrétariat");
  g_autofree char *path = g_build_filename (fixture->dir, "desk.db", NULL);
  g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);
  g_autofree char *typed = sesame_sync_client_normalize_fingerprint (fixture->server.fingerprint);
  g_autofree char *mistyped = g_strdup (typed);

  /* A fingerprint that is not the server's: refused, nothing made, and
   * the code not spent (nothing was sent). */
  mistyped[10] = mistyped[10] == 'a' ? 'b' : 'a';
  ctl (path, NULL, NULL, &wrong, "join", fixture->server.url, "--code", code, "--fingerprint", mistyped, NULL);
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_nonnull (strstr (wrong.err, "fingerprint"));
  g_assert_nonnull (strstr (wrong.err, "Nothing was sent"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* No fingerprint for a certificate no authority signed: the message
   * gives the one to check. */
  ctl (path, NULL, NULL, &unknown, "join", fixture->server.url, "--code", code, NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, fixture->server.fingerprint));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Right, typed without colons: joined. */
  ctl (path, NULL, NULL, &right, "join", fixture->server.url, "--code", code, "--fingerprint", typed, "--json", NULL);
  g_assert_cmpstr (right.err, ==, "");
  g_assert_cmpint (right.status, ==, 0);
  g_assert_nonnull (strstr (right.out, "\"desk\" : \"Secrétariat\""));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  /* The desk's store answers searches from its snapshot. */
  ctl (path, NULL, NULL, &search, "search", "Dupont", "--json", NULL);
  g_assert_cmpint (search.status, ==, 0);
  g_assert_nonnull (strstr (search.out, "Éloïse"));

  /* The code worked once. */
  ctl (other, NULL, NULL, &again, "join", fixture->server.url, "--code", code, "--fingerprint", fixture->server.fingerprint, NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "wrong, used, expired or revoked"));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  ctl (fixture->server.store_path, NULL, NULL, &list, "desks", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "\"state\" : \"enrolled\""));
}

static void
test_code_expires (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(SesameTestRun) add = { 0 };
  g_auto(SesameTestRun) late = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = g_build_filename (fixture->dir, "desk.db", NULL);
  const char * const prefix[] = { "faketime", "-f", "-1d", NULL };
  g_autofree char *faketime = g_find_program_in_path ("faketime");
  SesameTestCtl yesterday = { 0 };
  const char *code;

  if (faketime == NULL)
    {
      g_test_skip ("faketime is not installed");
      return;
    }
#ifdef SESAME_TEST_ASAN
  /* libfaketime, preloaded ahead of the AddressSanitizer runtime, hangs
   * the process in its first clock call. The suite runs this test without
   * sanitizers, and test-sync-desks checks the expiry on the store's clock
   * under both. */
  g_test_skip ("faketime cannot run a program built with AddressSanitizer");
  return;
#endif
  /* A code made 24 hours ago no longer enrols. */
  yesterday.prefix = prefix;
  yesterday.store = fixture->server.store_path;
  sesame_test_ctl_run (&yesterday, &add, "desks", "add", "Accueil", "--json", NULL);
  g_assert_cmpint (add.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, add.out, -1, NULL));
  code = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "code");

  ctl (path, NULL, NULL, &late, "join", fixture->server.url, "--code", code, "--fingerprint", fixture->server.fingerprint, NULL);
  g_assert_cmpint (late.status, ==, 1);
  g_assert_nonnull (strstr (late.err, "expired"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
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

/* A request sent by hand, as a test client would forge it. */
static long
send_raw (Fixture            *fixture,
          const char         *path,
          const char * const *headers,
          char              **answer)
{
  g_autofree char *url = g_strconcat (fixture->server.url, path, NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  struct curl_slist *list = NULL;
  CURL *curl = curl_easy_init ();
  long status = 0;

  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    list = curl_slist_append (list, headers[i]);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, body);
  g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup (curl);
  curl_slist_free_all (list);
  if (answer != NULL)
    *answer = g_strdup (body->str);
  return status;
}

static const SecretSchema desk_key_schema = {
  "fr.sesame.Sesame.Desk", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "desk", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* The desk's key, as a thief of the keyring would have it. */
static void
desk_key (Fixture    *fixture,
          const char *desk_path,
          char      **desk_id,
          guint8      secret_key[crypto_sign_SECRETKEYBYTES])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) desk = sesame_store_open (desk_path, &error);
  sqlite3_stmt *stmt;
  char *hex;
  size_t length = 0;

  g_assert_no_error (error);
  stmt = _sesame_store_prepare (desk, "SELECT desk_id FROM sync_server", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *desk_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  hex = secret_password_lookup_sync (&desk_key_schema, NULL, &error, "server", fixture->server.url, "desk", *desk_id, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (hex);
  g_assert_cmpint (sodium_hex2bin (secret_key, crypto_sign_SECRETKEYBYTES, hex, strlen (hex), NULL, &length, NULL), ==, 0);
  secret_password_free (hex);
}

static GStrv
signed_headers (const char   *desk_id,
                const guint8 *secret_key,
                const char   *path,
                gint64        time,
                const char   *nonce)
{
  g_autofree char *message = sesame_sync_desks_request_message ("GET", path, desk_id, time, nonce, NULL, 0);
  guint8 signature[crypto_sign_BYTES];
  g_autofree char *encoded = NULL;
  GStrv headers = g_new0 (char *, 5);

  crypto_sign_detached (signature, NULL, (const guint8 *) message, strlen (message), secret_key);
  encoded = g_base64_encode (signature, sizeof signature);
  headers[0] = g_strdup_printf ("Sesame-Desk: %s", desk_id);
  headers[1] = g_strdup_printf ("Sesame-Time: %" G_GINT64_FORMAT, time);
  headers[2] = g_strdup_printf ("Sesame-Nonce: %s", nonce);
  headers[3] = g_strdup_printf ("Sesame-Signature: %s", encoded);
  return headers;
}

static void
test_forged_requests (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *desk_path = join (fixture, "Accueil");
  g_autofree char *desk_id = NULL;
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
  guint8 thief_public[crypto_sign_PUBLICKEYBYTES];
  guint8 thief_secret[crypto_sign_SECRETKEYBYTES];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_auto(GStrv) good = NULL;
  g_auto(GStrv) forged = NULL;
  g_auto(GStrv) stale = NULL;
  g_auto(GStrv) moved = NULL;

  desk_key (fixture, desk_path, &desk_id, secret_key);

  /* Unsigned. */
  g_assert_cmpint (send_raw (fixture, "/api/v1/desk", NULL, NULL), ==, 401);
  g_assert_cmpint (send_raw (fixture, "/api/v1/snapshot", NULL, NULL), ==, 401);
  g_assert_cmpint (send_raw (fixture, "/api/v1/feed?since=0", NULL, NULL), ==, 401);

  /* Well signed: accepted once; the same request again is refused. */
  good = signed_headers (desk_id, secret_key, "/api/v1/desk", now, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  g_assert_cmpint (send_raw (fixture, "/api/v1/desk", (const char * const *) good, NULL), ==, 200);
  g_assert_cmpint (send_raw (fixture, "/api/v1/desk", (const char * const *) good, NULL), ==, 401);

  /* Signed for another path, or with another key, or too long ago. */
  moved = signed_headers (desk_id, secret_key, "/api/v1/desk", now, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  g_assert_cmpint (send_raw (fixture, "/api/v1/snapshot", (const char * const *) moved, NULL), ==, 401);
  crypto_sign_keypair (thief_public, thief_secret);
  forged = signed_headers (desk_id, thief_secret, "/api/v1/desk", now, "cccccccccccccccccccccccccccccccc");
  g_assert_cmpint (send_raw (fixture, "/api/v1/desk", (const char * const *) forged, NULL), ==, 401);
  stale = signed_headers (desk_id, secret_key, "/api/v1/desk", now - 3600, "dddddddddddddddddddddddddddddddd");
  g_assert_cmpint (send_raw (fixture, "/api/v1/desk", (const char * const *) stale, NULL), ==, 401);
  sodium_memzero (secret_key, sizeof secret_key);
}

static void
test_revoked_desk (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *desk_path = join (fixture, "Vie scolaire");
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) desk = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_auto(SesameTestRun) revoke = { 0 };
  g_auto(SesameTestRun) sync = { 0 };
  g_auto(SesameTestRun) list = { 0 };
  guint status = 0;

  desk = sesame_store_open (desk_path, &error);
  g_assert_no_error (error);
  answer = sesame_sync_client_request (desk, "GET", "/api/v1/desk", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, g_bytes_unref);

  /* Only an administrator revokes; then the very next request fails. */
  ctl (fixture->server.store_path, "helene.roche", NULL, &revoke, "desks", "revoke", "Vie scolaire", NULL);
  g_assert_cmpint (revoke.status, ==, 1);
  sesame_test_run_clear (&revoke);
  ctl (fixture->server.store_path, NULL, NULL, &revoke, "desks", "revoke", "Vie scolaire", NULL);
  g_assert_cmpint (revoke.status, ==, 0);

  answer = sesame_sync_client_request (desk, "GET", "/api/v1/desk", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), "revoked"));

  ctl (desk_path, NULL, NULL, &sync, "sync", NULL);
  g_assert_cmpint (sync.status, ==, 1);
  g_assert_nonnull (strstr (sync.err, "revoked"));

  ctl (fixture->server.store_path, NULL, NULL, &list, "desks", "list", "--json", NULL);
  g_assert_nonnull (strstr (list.out, "\"state\" : \"revoked\""));
}

static void
test_sign_in_online_then_offline (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *desk_path = join (fixture, "Direction");
  g_autofree char *never_path = join (fixture, "Salle des profs");
  const char * const wrong[] = { "SESAME_PASSPHRASE", "pas la bonne phrase du tout", NULL };
  g_auto(SesameTestRun) online = { 0 };
  g_auto(SesameTestRun) refused = { 0 };
  g_auto(SesameTestRun) offline = { 0 };
  g_auto(SesameTestRun) offline_wrong = { 0 };
  g_auto(SesameTestRun) no_verifier = { 0 };
  g_auto(SesameTestRun) unreachable = { 0 };
  g_auto(SesameTestRun) status = { 0 };

  /* The desk's snapshot holds no passphrase: the server decides. */
  ctl (desk_path, "helene.roche", wrong, &refused, "audit", "--mine", NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "The server refused"));
  ctl (desk_path, "helene.roche", NULL, &online, "audit", "--mine", NULL);
  g_assert_cmpstr (online.err, ==, "");
  g_assert_cmpint (online.status, ==, 0);

  /* The server is gone: the verifier the desk kept decides. */
  sesame_test_server_stop (&fixture->server);
  ctl (desk_path, "helene.roche", NULL, &offline, "audit", "--mine", NULL);
  g_assert_cmpint (offline.status, ==, 0);
  ctl (desk_path, "helene.roche", wrong, &offline_wrong, "audit", "--mine", NULL);
  g_assert_cmpint (offline_wrong.status, ==, 1);
  /* Not on a desk where she never signed in while the server answered. */
  ctl (never_path, "helene.roche", NULL, &no_verifier, "audit", "--mine", NULL);
  g_assert_cmpint (no_verifier.status, ==, 1);

  /* sync says the server cannot be reached, and status remembers. */
  ctl (desk_path, NULL, NULL, &unreachable, "sync", NULL);
  g_assert_cmpint (unreachable.status, ==, 2);
  g_assert_nonnull (strstr (unreachable.err, "cannot be reached"));
  ctl (desk_path, NULL, NULL, &status, "sync", "status", "--json", NULL);
  g_assert_cmpint (status.status, ==, 0);
  g_assert_nonnull (strstr (status.out, "\"server\" : \"https://127.0.0.1:"));
  g_assert_nonnull (strstr (status.out, "\"pending\""));
  g_assert_nonnull (strstr (status.out, "\"last_sync\""));
  g_assert_nonnull (strstr (status.out, "\"conflicts\""));
}

static void
test_sync_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *a = join (fixture, "Secrétariat");
  g_autofree char *b = join (fixture, "CPE");
  g_auto(SesameTestRun) sign_in = { 0 };
  g_auto(SesameTestRun) change = { 0 };
  g_auto(SesameTestRun) push = { 0 };
  g_auto(SesameTestRun) pull = { 0 };
  g_auto(SesameTestRun) show = { 0 };
  g_auto(SesameTestRun) status = { 0 };

  ctl (a, "helene.roche", NULL, &sign_in, "audit", "--mine", NULL);
  g_assert_cmpint (sign_in.status, ==, 0);
  ctl (a, "helene.roche", NULL, &change, "account", "set-login", "zoe.martin", "zoe.martin7", NULL);
  g_assert_cmpint (change.status, ==, 0);
  ctl (a, NULL, NULL, &push, "sync", "--json", NULL);
  g_assert_cmpstr (push.err, ==, "");
  g_assert_cmpint (push.status, ==, 0);
  ctl (b, NULL, NULL, &pull, "sync", "--json", NULL);
  g_assert_cmpint (pull.status, ==, 0);
  ctl (b, NULL, NULL, &show, "account", "show", "zoe.martin7", "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  ctl (a, NULL, NULL, &status, "sync", "status", "--json", NULL);
  g_assert_nonnull (strstr (status.out, "\"pending\" : 0"));
}

/* Whether @length bytes at @data hold @text anywhere. */
static gboolean
bytes_hold (gconstpointer  data,
            gsize          length,
            const char    *text)
{
  const guint8 *bytes = data;
  gsize n = strlen (text);

  for (gsize i = 0; n > 0 && i + n <= length; i++)
    if (memcmp (bytes + i, text, n) == 0)
      return TRUE;
  return FALSE;
}

/* The bytes of a store's file and its write-ahead log. */
static GByteArray *
store_bytes (const char *path)
{
  const char *suffixes[] = { "", "-wal" };
  GByteArray *bytes = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (file, &contents, &length, NULL))
        g_byte_array_append (bytes, (const guint8 *) contents, length);
    }
  return bytes;
}

/* First passwords through the real programs: the desk gets the key at an
 * online sign-in, keeps none in clear, prints with the key, still has it
 * offline from the keyring, refuses and says why without it; sesamectl
 * on the server's store reads the key file and authenticates the sealed
 * password the desk made. */
static void
test_sealed_first_passwords (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *desk = NULL;
  g_autofree char *pdf = g_build_filename (fixture->dir, "slip.pdf", NULL);
  g_autofree char *key_path = sesame_seal_dup_key_path (fixture->server.store_path);
  g_autofree char *password = NULL;
  g_autofree char *input = NULL;
  g_autofree char *store_id = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(SesameTestRun) sign_in = { 0 };
  g_auto(SesameTestRun) ent = { 0 };
  g_auto(SesameTestRun) reset = { 0 };
  g_auto(SesameTestRun) printed = { 0 };
  g_auto(SesameTestRun) pushed = { 0 };
  g_auto(SesameTestRun) offline = { 0 };
  g_auto(SesameTestRun) refused = { 0 };
  g_auto(SesameTestRun) authenticated = { 0 };
  GStatBuf st;

  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Slips say where families sign in. */
  ctl (fixture->server.store_path, NULL, NULL, &ent, "settings", "set", "ent-url", "https://ent.example.org", NULL);
  g_assert_cmpint (ent.status, ==, 0);
  sesame_test_run_clear (&ent);
  ctl (fixture->server.store_path, NULL, NULL, &ent, "settings", "set", "ent-name", "Mon ENT", NULL);
  g_assert_cmpint (ent.status, ==, 0);
  desk = join (fixture, "Accueil");
  ctl (desk, "helene.roche", NULL, &sign_in, "audit", "--mine", NULL);
  g_assert_cmpint (sign_in.status, ==, 0);
  ctl (desk, "helene.roche", NULL, &reset, "account", "reset-password", "zoe.martin", NULL);
  g_assert_cmpint (reset.status, ==, 0);
  password = g_strstrip (g_strdup (reset.out));
  g_assert_cmpuint (strlen (password), >=, 6);
  bytes = store_bytes (desk);
  g_assert_false (bytes_hold (bytes->data, bytes->len, password));

  ctl (desk, "helene.roche", NULL, &printed, "letters", "--output", pdf, "--login", "zoe.martin", NULL);
  g_assert_cmpint (printed.status, ==, 0);
  g_assert_nonnull (strstr (printed.err, "(1 slip, 0 letters)"));
  ctl (desk, NULL, NULL, &pushed, "sync", NULL);
  g_assert_cmpint (pushed.status, ==, 0);

  /* Offline, a new process finds the key in the keyring. */
  sesame_test_server_stop (&fixture->server);
  g_unlink (pdf);
  ctl (desk, "helene.roche", NULL, &offline, "letters", "--output", pdf, "--login", "zoe.martin", NULL);
  g_assert_cmpint (offline.status, ==, 0);
  g_assert_nonnull (strstr (offline.err, "(1 slip, 0 letters)"));
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));

  /* Without it, the desk says why. */
  {
    g_autoptr(SesameStore) store = sesame_store_open_full (desk, SESAME_STORE_OPEN_READ, &error);

    g_assert_no_error (error);
    store_id = g_strdup (sesame_store_get_id (store));
  }
  secret_password_clear_sync (sesame_secrets_get_seal_key_schema (), NULL, &error, "store", store_id, NULL);
  g_assert_no_error (error);
  ctl (desk, "helene.roche", NULL, &refused, "letters", "--output", pdf, "--login", "zoe.martin", NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "Sign in once while the server is reachable to see first passwords."));

  /* The server's store authenticates the sealed password. */
  input = g_strdup_printf ("%s\n", password);
  sesame_test_ctl_run_on (fixture->server.store_path, NULL, input, &authenticated,
                          "account", "authenticate", "zoe.martin", NULL);
  g_assert_cmpint (authenticated.status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);
  curl_global_init (CURL_GLOBAL_DEFAULT);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/server/start-fingerprint", test_start_fingerprint);
  ADD ("/sesame/server/join-pins", test_join_pins);
  ADD ("/sesame/server/code-expires", test_code_expires);
  ADD ("/sesame/server/forged-requests", test_forged_requests);
  ADD ("/sesame/server/revoked-desk", test_revoked_desk);
  ADD ("/sesame/server/sign-in-online-then-offline", test_sign_in_online_then_offline);
  ADD ("/sesame/server/sync-round-trip", test_sync_round_trip);
  ADD ("/sesame/server/sealed-first-passwords", test_sealed_first_passwords);
#undef ADD

  return g_test_run ();
}
