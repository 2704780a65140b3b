/* test-sync-desks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desks of a server, in the core: adding and revoking them (the
 * administrator's alone, audited), their one-time code (single use,
 * 24 hours), the signature of their requests (forged, unsigned, replayed,
 * late and revoked requests refused), operators' tickets, and the
 * snapshot a desk starts from (its establishments only, no secrets).
 */
#include "config.h"

#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

typedef struct
{
  char        *dir;
  SesameStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = sesame_test_make_tmpdir ();
  fixture->store = sesame_test_fixture_store (fixture->dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A desk enrolled with a fresh key pair. */
typedef struct
{
  SesameSyncDesk *desk;
  guint8          public_key[crypto_sign_PUBLICKEYBYTES];
  guint8          secret_key[crypto_sign_SECRETKEYBYTES];
} Desk;

static void
enrol_desk (SesameStore *store,
            const char  *name,
            Desk        *desk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSyncDesk) added = NULL;
  g_autofree char *code = NULL;
  char hex[crypto_sign_PUBLICKEYBYTES * 2 + 1];

  added = sesame_sync_desks_add (store, name, NULL, &code, &error);
  g_assert_no_error (error);
  crypto_sign_keypair (desk->public_key, desk->secret_key);
  sodium_bin2hex (hex, sizeof hex, desk->public_key, sizeof desk->public_key);
  desk->desk = sesame_sync_desks_enrol (store, code, hex, &error);
  g_assert_no_error (error);
}

/* The headers of a request signed with @secret_key at @time. */
static char *
sign (const Desk   *desk,
      const guint8 *secret_key,
      const char   *method,
      const char   *path,
      gint64        time,
      const char   *nonce,
      const char   *body)
{
  g_autofree char *message = sesame_sync_desks_request_message (method, path, desk->desk->id, time, nonce,
                                                                body, body != NULL ? strlen (body) : 0);
  guint8 signature[crypto_sign_BYTES];

  crypto_sign_detached (signature, NULL, (const guint8 *) message, strlen (message), secret_key);
  return g_base64_encode (signature, sizeof signature);
}

static SesameSyncDesk *
verify (SesameStore *store,
        const Desk  *desk,
        const char  *path,
        gint64       time,
        const char  *nonce,
        const char  *signature,
        const char  *body,
        GError     **error)
{
  g_autofree char *time_text = g_strdup_printf ("%" G_GINT64_FORMAT, time);

  return sesame_sync_desks_verify_request (store, "POST", path, desk->desk->id, time_text, nonce, signature,
                                           body, body != NULL ? strlen (body) : 0, error);
}

static void
test_add_list_revoke (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(SesameSyncDesk) again = NULL;
  g_autoptr(GPtrArray) desks = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree char *code = NULL;
  g_autofree char *other = NULL;
  const char *uais[] = { "0740017S", NULL };
  const char *unknown[] = { "0999999Z", NULL };
  gboolean add_seen = FALSE;
  gboolean revoke_seen = FALSE;

  desk = sesame_sync_desks_add (fixture->store, "Secrétariat", uais, &code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk->name, ==, "Secrétariat");
  g_assert_cmpstrv (desk->establishments, uais);
  g_assert_cmpint (desk->code_expires_at, ==, sesame_store_now (fixture->store) + 24 * 3600);
  g_assert_cmpuint (strlen (code), ==, 19);

  /* Names are unique among the desks not revoked; UAIs must be known. */
  again = sesame_sync_desks_add (fixture->store, "Secrétariat", NULL, &other, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_null (again);
  g_clear_error (&error);
  again = sesame_sync_desks_add (fixture->store, "Accueil", unknown, &other, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "0999999Z"));
  g_clear_error (&error);
  again = sesame_sync_desks_add (fixture->store, "", NULL, &other, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  desks = sesame_sync_desks_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (desks->len, ==, 1);

  g_assert_true (sesame_sync_desks_revoke (fixture->store, "Secrétariat", &error));
  g_assert_no_error (error);
  g_assert_false (sesame_sync_desks_revoke (fixture->store, "Secrétariat", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A revoked desk's code enrols nothing. */
  g_assert_null (sesame_sync_desks_enrol (fixture->store, code,
                                          "0000000000000000000000000000000000000000000000000000000000000000", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Audited, never with the code. */
  audit = sesame_audit_list (fixture->store, FALSE, 50, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      SesameAuditEntry *entry = g_ptr_array_index (audit, i);

      if (g_str_equal (entry->action, "desk-revoke"))
        {
          g_autofree char *said = sesame_journal_describe_entry (NULL, entry);

          g_assert_cmpstr (said, ==, "Revoked the desk “Secrétariat”: the server refuses it from now on");
        }
      add_seen |= g_str_equal (entry->action, "desk-add") && g_str_equal (entry->target, "Secrétariat");
      revoke_seen |= g_str_equal (entry->action, "desk-revoke") && g_str_equal (entry->target, "Secrétariat");
      g_assert_null (strstr (entry->detail, code));
    }
  g_assert_true (add_seen);
  g_assert_true (revoke_seen);
}

static void
test_administrators_only (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autofree char *code = NULL;

  /* The head of one establishment administers it, not the store. */
  sesame_test_enrol_operator (fixture->store, "helene.roche");
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_no_error (error);
  desk = sesame_sync_desks_add (fixture->store, "Accueil", NULL, &code, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_null (desk);
  g_clear_error (&error);
  g_assert_null (sesame_sync_desks_list (fixture->store, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* The owner, administrator of the whole store, may. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, NULL, &error));
  desk = sesame_sync_desks_add (fixture->store, "Accueil", NULL, &code, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_false (sesame_sync_desks_revoke (fixture->store, "Accueil", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
}

static void
test_code_single_use (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(SesameSyncDesk) enrolled = NULL;
  g_autoptr(SesameSyncDesk) twice = NULL;
  g_autofree char *code = NULL;
  g_autofree char *sloppy = NULL;
  const char *key = "1111111111111111111111111111111111111111111111111111111111111111";

  desk = sesame_sync_desks_add (fixture->store, "Vie scolaire", NULL, &code, &error);
  g_assert_no_error (error);

  /* A malformed key is refused before the code is spent. */
  g_assert_null (sesame_sync_desks_enrol (fixture->store, code, "not a key", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sesame_sync_desks_enrol (fixture->store, "AAAA-BBBB-CCCC-DDDD", key, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Typed in lower case with spaces, it still works: once. */
  sloppy = g_ascii_strdown (code, -1);
  g_strdelimit (sloppy, "-", ' ');
  enrolled = sesame_sync_desks_enrol (fixture->store, sloppy, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enrolled->id, ==, desk->id);
  g_assert_cmpstr (enrolled->public_key, ==, key);
  g_assert_cmpint (enrolled->enrolled_at, >, 0);

  twice = sesame_sync_desks_enrol (fixture->store, code, key, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_null (twice);
}

static void
test_code_expires (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(SesameSyncDesk) late = NULL;
  g_autoptr(SesameSyncDesk) in_time = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code2 = NULL;
  const char *key = "2222222222222222222222222222222222222222222222222222222222222222";
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  sesame_store_set_now (fixture->store, now);
  desk = sesame_sync_desks_add (fixture->store, "CPE", NULL, &code, &error);
  g_assert_no_error (error);
  g_clear_pointer (&desk, sesame_sync_desk_free);
  desk = sesame_sync_desks_add (fixture->store, "Direction", NULL, &code2, &error);
  g_assert_no_error (error);

  /* One second short of 24 hours it works; at 24 hours it no longer does. */
  sesame_store_set_now (fixture->store, now + 24 * 3600);
  late = sesame_sync_desks_enrol (fixture->store, code, key, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_null (late);
  g_clear_error (&error);
  sesame_store_set_now (fixture->store, now + 24 * 3600 - 1);
  in_time = sesame_sync_desks_enrol (fixture->store, code2, key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (in_time);
}

static void
test_signed_requests (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSyncDesk) accepted = NULL;
  g_autoptr(SesameSyncDesk) refused = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *late = NULL;
  g_autofree char *other_desk = NULL;
  guint8 other_public[crypto_sign_PUBLICKEYBYTES];
  guint8 other_secret[crypto_sign_SECRETKEYBYTES];
  const char *body = "{\"entries\":[]}";
  gint64 now = sesame_store_now (fixture->store);
  Desk desk = { 0 };
  Desk second = { 0 };

  enrol_desk (fixture->store, "Secrétariat", &desk);
  enrol_desk (fixture->store, "Accueil", &second);

  signature = sign (&desk, desk.secret_key, "POST", "/api/v1/push", now, "00112233445566778899aabbccddeeff", body);
  accepted = verify (fixture->store, &desk, "/api/v1/push", now, "00112233445566778899aabbccddeeff", signature, body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (accepted->name, ==, "Secrétariat");

  /* The same request again: replayed. */
  refused = verify (fixture->store, &desk, "/api/v1/push", now, "00112233445566778899aabbccddeeff", signature, body, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "already"));
  g_clear_error (&error);

  /* Another body, path or time under the same signature: forged. */
  refused = verify (fixture->store, &desk, "/api/v1/push", now, "10112233445566778899aabbccddeeff", signature,
                    "{\"entries\":[1]}", &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "signature"));
  g_clear_error (&error);
  refused = verify (fixture->store, &desk, "/api/v1/feed", now, "00112233445566778899aabbccddeeff", signature, body, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Signed with another key (another desk's, or a thief's). */
  crypto_sign_keypair (other_public, other_secret);
  forged = sign (&desk, other_secret, "POST", "/api/v1/push", now, "20112233445566778899aabbccddeeff", body);
  refused = verify (fixture->store, &desk, "/api/v1/push", now, "20112233445566778899aabbccddeeff", forged, body, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  other_desk = sign (&desk, second.secret_key, "POST", "/api/v1/push", now, "30112233445566778899aabbccddeeff", body);
  refused = verify (fixture->store, &desk, "/api/v1/push", now, "30112233445566778899aabbccddeeff", other_desk, body, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Unsigned. */
  refused = sesame_sync_desks_verify_request (fixture->store, "POST", "/api/v1/push", desk.desk->id, NULL, NULL, NULL,
                                              body, strlen (body), &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Signed long ago, so that its nonce may be forgotten: too late. */
  late = sign (&desk, desk.secret_key, "POST", "/api/v1/push", now - 301, "40112233445566778899aabbccddeeff", body);
  refused = verify (fixture->store, &desk, "/api/v1/push", now - 301, "40112233445566778899aabbccddeeff", late, body, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "clock"));
  g_clear_error (&error);

  /* Revoked: the next request is refused, however well signed. */
  g_clear_pointer (&signature, g_free);
  g_assert_true (sesame_sync_desks_revoke (fixture->store, "Secrétariat", &error));
  signature = sign (&desk, desk.secret_key, "POST", "/api/v1/push", now, "50112233445566778899aabbccddeeff", body);
  refused = verify (fixture->store, &desk, "/api/v1/push", now, "50112233445566778899aabbccddeeff", signature, body, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "revoked"));
  g_assert_null (refused);

  sesame_sync_desk_free (desk.desk);
  sesame_sync_desk_free (second.desk);
}

static void
test_tickets (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *login = NULL;
  g_autofree char *tampered = NULL;
  gint64 expires_at = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Desk desk = { 0 };
  Desk second = { 0 };

  sesame_store_set_now (fixture->store, now);
  enrol_desk (fixture->store, "Secrétariat", &desk);
  enrol_desk (fixture->store, "Accueil", &second);
  ticket = sesame_sync_desks_issue_ticket (fixture->store, desk.desk->id, "helene.roche", &expires_at, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expires_at, ==, now + SESAME_SYNC_TICKET_SECONDS);

  login = sesame_sync_desks_check_ticket (fixture->store, desk.desk->id, ticket, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (login, ==, "helene.roche");

  /* Another desk cannot show it; a changed ticket is refused. */
  g_assert_null (sesame_sync_desks_check_ticket (fixture->store, second.desk->id, ticket, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  tampered = g_strdup (ticket);
  tampered[0] = tampered[0] == 'M' ? 'N' : 'M';
  g_assert_null (sesame_sync_desks_check_ticket (fixture->store, desk.desk->id, tampered, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  sesame_store_set_now (fixture->store, expires_at);
  g_assert_null (sesame_sync_desks_check_ticket (fixture->store, desk.desk->id, ticket, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);

  sesame_sync_desk_free (desk.desk);
  sesame_sync_desk_free (second.desk);
}

static gint64
count (sqlite3    *db,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_snapshot (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(SesameSyncDesk) all = NULL;
  g_autoptr(SesameStore) copy = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autofree char *code = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "desk.db", NULL);
  g_autofree char *all_path = g_build_filename (fixture->dir, "desk-all.db", NULL);
  const char *uais[] = { "0740017S", NULL };
  sqlite3 *db = NULL;

  sesame_test_enrol_operator (fixture->store, "helene.roche");
  desk = sesame_sync_desks_add (fixture->store, "Collège", uais, &code, &error);
  g_assert_no_error (error);
  g_clear_pointer (&code, g_free);
  all = sesame_sync_desks_add (fixture->store, "Rectorat", NULL, &code, &error);
  g_assert_no_error (error);
  ticket = sesame_sync_desks_issue_ticket (fixture->store, desk->id, "helene.roche", NULL, &error);
  g_assert_no_error (error);

  g_assert_true (sesame_sync_snapshot_write (fixture->store, desk, 42, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* The college's pupils, parents and staff; not the lycée's. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM persons"), ==, 11);
  g_assert_cmpint (count (db, "SELECT count(*) FROM persons WHERE key IN ('P8', 'P9')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM establishments"), ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM memberships WHERE structure = '52007'"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM accounts WHERE person_key IN ('P8', 'P9')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM persons_fts"), ==, 11);
  /* No secret of the server. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM operator_passphrases"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM enrolment_codes"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM sync_desks"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM meta WHERE key = 'sync-ticket-key'"), ==, 0);
  g_assert_cmpint (count (db, "SELECT value FROM meta WHERE key = '" SESAME_SYNC_SNAPSHOT_HEAD_META "'"), ==, 42);
  sqlite3_close (db);

  /* It opens as a store, and its search finds the college only. */
  copy = sesame_store_open (path, &error);
  g_assert_no_error (error);
  query->text = g_strdup ("Dupont");
  found = sesame_search_run (copy, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 4);
  g_clear_object (&copy);

  /* A desk of every establishment gets them all. */
  g_assert_true (sesame_sync_snapshot_write (fixture->store, all, 0, all_path, &error));
  g_assert_cmpint (sqlite3_open_v2 (all_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count (db, "SELECT count(*) FROM persons"), ==, 13);
  g_assert_cmpint (count (db, "SELECT count(*) FROM operator_passphrases"), ==, 0);
  sqlite3_close (db);

  /* Nothing is left behind when the path is taken. */
  g_assert_false (sesame_sync_snapshot_write (fixture->store, all, 0, all_path, &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/sync-desks/add-list-revoke", test_add_list_revoke);
  ADD ("/sesame/sync-desks/administrators-only", test_administrators_only);
  ADD ("/sesame/sync-desks/code-single-use", test_code_single_use);
  ADD ("/sesame/sync-desks/code-expires", test_code_expires);
  ADD ("/sesame/sync-desks/signed-requests", test_signed_requests);
  ADD ("/sesame/sync-desks/tickets", test_tickets);
  ADD ("/sesame/sync-desks/snapshot", test_snapshot);
#undef ADD

  return g_test_run ();
}
