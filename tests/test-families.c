/* test-families.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core of the families' pages on the small school: the password
 * policy in words and on submit, web sessions (only a hash stored, idle
 * and absolute expiry, sign-out, the forced change, the one-time renew
 * marker), throttling that survives reopening the store, activation
 * links (unknown, used, expired, the policy, the first sign-in recorded)
 * and who may receive a reset link.
 */
#include "config.h"

#include <string.h>

#include "sesame.h"
#include "sesame-activation-tokens-private.h"
#include "sesame-credentials-private.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

#define NOW 1790000000

typedef SesameTestFixture Fixture;

static void
test_policy (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *words = sesame_password_policy_describe (fixture->store);

  g_assert_nonnull (strstr (words, "6"));
  g_assert_cmpint (sesame_password_policy_get_min_length (fixture->store), ==, 6);

  g_assert_false (sesame_password_policy_check (fixture->store, "marie.dupont", "montagne74", "montagne75", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "differ"));
  g_clear_error (&error);

  g_assert_false (sesame_password_policy_check (fixture->store, "marie.dupont", "abc12", "abc12", &error));
  g_assert_nonnull (strstr (error->message, "too short"));
  g_clear_error (&error);

  /* Five characters with accents are five, not seven bytes. */
  g_assert_false (sesame_password_policy_check (fixture->store, "marie.dupont", "éèàçù", "éèàçù", &error));
  g_clear_error (&error);
  g_assert_true (sesame_password_policy_check (fixture->store, "marie.dupont", "éèàçùx", "éèàçùx", &error));
  g_assert_no_error (error);

  g_assert_false (sesame_password_policy_check (fixture->store, "marie.dupont", "Marie.Dupont", "Marie.Dupont", &error));
  g_assert_nonnull (strstr (error->message, "login"));
  g_clear_error (&error);

  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_PASSWORD_MIN_LENGTH, "10", &error));
  g_assert_true (sesame_password_policy_check (fixture->store, "marie.dupont", "montagne74", "montagne74", &error));
  g_assert_no_error (error);
  g_assert_false (sesame_password_policy_check (fixture->store, "marie.dupont", "montagne7", "montagne7", &error));
  g_clear_error (&error);
  g_clear_pointer (&words, g_free);
  words = sesame_password_policy_describe (fixture->store);
  g_assert_nonnull (strstr (words, "10"));
}

static int
count_rows (SesameStore *store,
            const char  *sql,
            const char  *value)
{
  sqlite3_stmt *stmt = _sesame_store_prepare (store, sql, NULL);
  int count;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

static void
test_sessions (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameWebSession) session = NULL;
  g_autoptr(SesameWebSession) found = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *other_cookie = NULL;

  sesame_store_set_now (fixture->store, NOW);
  session = sesame_web_sessions_open (fixture->store, "P5", TRUE, &cookie, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->login, ==, "marie.dupont");
  g_assert_true (session->must_change);
  g_assert_cmpuint (strlen (cookie), ==, 43);
  g_assert_cmpuint (strlen (session->csrf_secret), ==, 43);
  /* Only the hash is stored. */
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM web_sessions WHERE cookie_hash = ?1 OR id = ?1", cookie), ==, 0);

  found = sesame_web_sessions_lookup (fixture->store, cookie, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->id, ==, session->id);
  g_assert_true (found->must_change);
  g_clear_pointer (&found, sesame_web_sessions_free);

  g_assert_true (sesame_web_sessions_clear_must_change (fixture->store, session->id, &error));
  found = sesame_web_sessions_lookup (fixture->store, cookie, &error);
  g_assert_false (found->must_change);
  g_clear_pointer (&found, sesame_web_sessions_free);

  /* The renew marker is taken once. */
  g_assert_false (sesame_web_sessions_take_reauth_marker (fixture->store, session->id));
  g_assert_true (sesame_web_sessions_set_reauth_marker (fixture->store, session->id, &error));
  g_assert_true (sesame_web_sessions_take_reauth_marker (fixture->store, session->id));
  g_assert_false (sesame_web_sessions_take_reauth_marker (fixture->store, session->id));

  /* Idle: each request pushes it back; 30 minutes of silence end it. */
  sesame_store_set_now (fixture->store, NOW + SESAME_WEB_SESSION_IDLE_SECONDS - 10);
  found = sesame_web_sessions_lookup (fixture->store, cookie, &error);
  g_assert_nonnull (found);
  g_clear_pointer (&found, sesame_web_sessions_free);
  sesame_store_set_now (fixture->store, NOW + 2 * SESAME_WEB_SESSION_IDLE_SECONDS - 20);
  found = sesame_web_sessions_lookup (fixture->store, cookie, &error);
  g_assert_nonnull (found);
  g_clear_pointer (&found, sesame_web_sessions_free);
  sesame_store_set_now (fixture->store, NOW + 3 * SESAME_WEB_SESSION_IDLE_SECONDS);
  found = sesame_web_sessions_lookup (fixture->store, cookie, &error);
  g_assert_null (found);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Absolute: however busy, 12 hours end it. */
  sesame_store_set_now (fixture->store, NOW);
  g_clear_pointer (&session, sesame_web_sessions_free);
  session = sesame_web_sessions_open (fixture->store, "P5", FALSE, &other_cookie, &error);
  for (gint64 t = NOW; t < NOW + SESAME_WEB_SESSION_ABSOLUTE_SECONDS; t += 20 * 60)
    {
      sesame_store_set_now (fixture->store, t);
      found = sesame_web_sessions_lookup (fixture->store, other_cookie, &error);
      g_assert_no_error (error);
      g_clear_pointer (&found, sesame_web_sessions_free);
    }
  sesame_store_set_now (fixture->store, NOW + SESAME_WEB_SESSION_ABSOLUTE_SECONDS);
  g_assert_null (sesame_web_sessions_lookup (fixture->store, other_cookie, NULL));

  /* Sign-out. */
  sesame_store_set_now (fixture->store, NOW);
  g_clear_pointer (&session, sesame_web_sessions_free);
  g_clear_pointer (&cookie, g_free);
  session = sesame_web_sessions_open (fixture->store, "P5", FALSE, &cookie, &error);
  g_assert_true (sesame_web_sessions_end (fixture->store, session->id, &error));
  g_assert_null (sesame_web_sessions_lookup (fixture->store, cookie, NULL));

  /* Garbage and a lookalike cookie open nothing. */
  g_assert_null (sesame_web_sessions_lookup (fixture->store, "x", NULL));
  g_assert_null (sesame_web_sessions_lookup (fixture->store, NULL, NULL));
  cookie[0] = cookie[0] == 'A' ? 'B' : 'A';
  g_assert_null (sesame_web_sessions_lookup (fixture->store, cookie, NULL));
}

static void
test_throttle (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 retry_after = 0;

  sesame_store_set_now (fixture->store, NOW);
  for (int i = 0; i < SESAME_THROTTLE_SIGN_IN_PER_LOGIN; i++)
    {
      g_assert_true (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, "marie.dupont", "192.0.2.1", NULL, &error));
      g_assert_true (sesame_sign_in_throttle_record (fixture->store, SESAME_THROTTLE_SIGN_IN, "marie.dupont", "192.0.2.1", FALSE, &error));
    }
  /* The login is locked, from any address and in any case… */
  g_assert_false (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, "Marie.Dupont", "192.0.2.9", &retry_after, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_BUSY);
  g_assert_cmpint (retry_after, ==, SESAME_THROTTLE_SIGN_IN_WINDOW);
  g_clear_error (&error);
  /* …another login is not. */
  g_assert_true (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, "paul.dupont", "192.0.2.1", NULL, &error));

  /* A restart forgets nothing. */
  {
    g_autofree char *path = g_strdup (sesame_store_get_path (fixture->store));

    g_clear_object (&fixture->store);
    fixture->store = sesame_store_open (path, &error);
    g_assert_no_error (error);
    sesame_store_set_now (fixture->store, NOW + 60);
  }
  g_assert_false (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, "marie.dupont", "192.0.2.1", &retry_after, NULL));
  g_assert_cmpint (retry_after, ==, SESAME_THROTTLE_SIGN_IN_WINDOW - 60);

  /* Once the window passed, it opens again; a success clears the count. */
  sesame_store_set_now (fixture->store, NOW + SESAME_THROTTLE_SIGN_IN_WINDOW + 1);
  g_assert_true (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, "marie.dupont", "192.0.2.1", NULL, &error));
  for (int i = 0; i < SESAME_THROTTLE_SIGN_IN_PER_LOGIN - 1; i++)
    g_assert_true (sesame_sign_in_throttle_record (fixture->store, SESAME_THROTTLE_SIGN_IN, "marie.dupont", "192.0.2.1", FALSE, &error));
  g_assert_true (sesame_sign_in_throttle_record (fixture->store, SESAME_THROTTLE_SIGN_IN, "marie.dupont", "192.0.2.1", TRUE, &error));
  g_assert_true (sesame_sign_in_throttle_record (fixture->store, SESAME_THROTTLE_SIGN_IN, "marie.dupont", "192.0.2.1", FALSE, &error));
  g_assert_true (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, "marie.dupont", "192.0.2.1", NULL, &error));

  /* Per address: many logins from one address. */
  sesame_store_set_now (fixture->store, NOW + 10000);
  for (int i = 0; i < SESAME_THROTTLE_SIGN_IN_PER_CLIENT; i++)
    {
      g_autofree char *login = g_strdup_printf ("guess%d", i);

      g_assert_true (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, login, "198.51.100.7", NULL, &error));
      g_assert_true (sesame_sign_in_throttle_record (fixture->store, SESAME_THROTTLE_SIGN_IN, login, "198.51.100.7", FALSE, &error));
    }
  g_assert_false (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, "new.login", "198.51.100.7", NULL, NULL));
  g_assert_true (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, "new.login", "198.51.100.8", NULL, &error));

  /* Reset requests count whether they "succeed" or not. */
  for (int i = 0; i < SESAME_THROTTLE_RESET_PER_LOGIN; i++)
    {
      g_assert_true (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_RESET, "paul.dupont", "192.0.2.5", NULL, &error));
      g_assert_true (sesame_sign_in_throttle_record (fixture->store, SESAME_THROTTLE_RESET, "paul.dupont", "192.0.2.5", TRUE, &error));
    }
  g_assert_false (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_RESET, "paul.dupont", "192.0.2.5", NULL, NULL));
  /* The kinds are apart. */
  g_assert_true (sesame_sign_in_throttle_allows (fixture->store, SESAME_THROTTLE_SIGN_IN, "paul.dupont", "192.0.2.5", NULL, &error));
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
test_activation (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesamePerson) person = NULL;
  g_autofree char *token = NULL;
  g_autofree char *old_token = NULL;
  g_autofree char *key = NULL;

  sesame_store_set_now (fixture->store, NOW);
  old_token = issue_activation (fixture->store, "P5");
  token = issue_activation (fixture->store, "P5");

  person = sesame_activation_links_peek (fixture->store, token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_person_get_login (person), ==, "marie.dupont");
  /* Peeking uses nothing. */
  g_clear_object (&person);
  person = sesame_activation_links_peek (fixture->store, token, &error);
  g_assert_nonnull (person);

  g_assert_null (sesame_activation_links_complete (fixture->store, token, "montagne74", "montagne47", &error));
  g_assert_nonnull (strstr (error->message, "differ"));
  g_clear_error (&error);
  g_assert_null (sesame_activation_links_complete (fixture->store, token, "abc", "abc", &error));
  g_assert_nonnull (strstr (error->message, "too short"));
  g_clear_error (&error);
  g_assert_null (sesame_activation_links_complete (fixture->store, token, "marie.dupont", "marie.dupont", &error));
  g_assert_nonnull (strstr (error->message, "login"));
  g_clear_error (&error);

  key = sesame_activation_links_complete (fixture->store, token, "montagne74", "montagne74", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "P5");
  g_assert_cmpint (sesame_passwords_authenticate (fixture->store, "marie.dupont", "montagne74", &error), ==, SESAME_AUTH_ACCEPTED);
  /* The first password stopped working. */
  g_assert_null (_sesame_credentials_dup_first_password (fixture->store, "P5"));
  g_clear_object (&person);
  person = sesame_accounts_find (fixture->store, "marie.dupont", &error);
  g_assert_cmpint (sesame_person_get_first_sign_in_at (person), ==, NOW);
  g_assert_cmpint (sesame_person_get_state (person), ==, SESAME_ACCOUNT_STATE_ACTIVE);

  /* Used, and the person's other link with it. */
  g_assert_null (sesame_activation_links_peek (fixture->store, token, &error));
  g_assert_nonnull (strstr (error->message, "already used"));
  g_clear_error (&error);
  g_assert_null (sesame_activation_links_complete (fixture->store, token, "autre-mot", "autre-mot", &error));
  g_assert_nonnull (strstr (error->message, "already used"));
  g_clear_error (&error);
  g_assert_null (sesame_activation_links_peek (fixture->store, old_token, &error));
  g_clear_error (&error);

  /* Unknown. */
  g_assert_null (sesame_activation_links_peek (fixture->store, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "contact the establishment"));
  g_clear_error (&error);
  g_assert_null (sesame_activation_links_peek (fixture->store, "short", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Expired after 60 days. */
  g_clear_pointer (&token, g_free);
  token = issue_activation (fixture->store, "P6");
  sesame_store_set_now (fixture->store, NOW + 60 * 24 * 3600 + 1);
  g_assert_null (sesame_activation_links_peek (fixture->store, token, &error));
  g_assert_nonnull (strstr (error->message, "expired"));
  g_assert_nonnull (strstr (error->message, "60 days"));
  g_clear_error (&error);
  g_assert_null (sesame_activation_links_complete (fixture->store, token, "montagne74", "montagne74", &error));
  g_assert_nonnull (strstr (error->message, "expired"));
}

static void
test_reset_eligibility (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSmtpSettings) settings = sesame_smtp_settings_new ();
  gboolean sent = TRUE;

  /* A pupil, a parent without address, staff, an unknown login: nothing,
   * and no error even though no mail server is set. */
  const char *logins[] = { "eloise.dupont", "claire.martin", "luc.bernard", "nobody.here", "" };

  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_assert_true (sesame_reset_tokens_request (fixture->store, logins[i], settings, NULL, &sent, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (sent);
    }
  /* A parent with an address would get one: here the missing mail
   * server is the error. */
  g_assert_false (sesame_reset_tokens_request (fixture->store, "marie.dupont", settings, NULL, &sent, NULL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_false (sent);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add ("/sesame/families/policy", Fixture, NULL, sesame_test_fixture_set_up, test_policy, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/families/sessions", Fixture, NULL, sesame_test_fixture_set_up, test_sessions, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/families/throttle", Fixture, NULL, sesame_test_fixture_set_up, test_throttle, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/families/activation", Fixture, NULL, sesame_test_fixture_set_up, test_activation, sesame_test_fixture_tear_down);
  g_test_add ("/sesame/families/reset-eligibility", Fixture, NULL, sesame_test_fixture_set_up, test_reset_eligibility, sesame_test_fixture_tear_down);

  return g_test_run ();
}
