/* test-notices.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The operator's copy of a regenerated password by email: recorded with
 * the regeneration, sent afterwards without the password, tried again when
 * the mail server is out of reach (tests/smtp-server.py on localhost).
 */
#include "config.h"

#include <string.h>

#include "sesame-accounts.h"
#include "sesame-mail-message.h"
#include "sesame-notices.h"
#include "sesame-smtp-client.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-smtp.h"
#include "sesame-test-util.h"

#define OPERATOR_ADDRESS "helene.roche@ac-grenoble.example.org"

typedef struct
{
  SesameTestFixture     base;  /* the small school */
  SesameTestSmtpServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_fixture_set_up (&fixture->base, data);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "helene.roche", &error));
  g_assert_no_error (error);
  fixture->server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                                   "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  /* The test server's own certificate. */
  g_setenv (SESAME_SMTP_CA_FILE_ENV, fixture->server->cert, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->server, sesame_test_smtp_server_free);
  sesame_test_fixture_tear_down (&fixture->base, data);
}

static GPtrArray *
notices (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = sesame_notices_list (fixture->base.store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static char *
body_of (GMimeMessage *message)
{
  GMimeObject *part = g_mime_message_get_mime_part (message);

  g_assert_true (GMIME_IS_TEXT_PART (part));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (part));
}

static void
test_notice_sent (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SesameSmtpSettings) settings = sesame_test_smtp_server_settings (fixture->server);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *other = NULL;
  g_autofree char *body = NULL;
  SesameNotice *notice;
  guint sent = 0;

  /* No address in the directory: nowhere to send, so refused. */
  g_assert_true (_sesame_store_exec (fixture->base.store,
                                     "UPDATE persons SET email = '' WHERE key ="
                                     " (SELECT person_key FROM accounts WHERE login = 'helene.roche')",
                                     &error));
  g_assert_null (sesame_notices_dup_operator_address (fixture->base.store));
  g_assert_false (sesame_notices_set_wanted (fixture->base.store, TRUE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (sesame_notices_get_wanted (fixture->base.store));

  g_assert_true (_sesame_store_exec (fixture->base.store,
                                     "UPDATE persons SET email = '" OPERATOR_ADDRESS "' WHERE key ="
                                     " (SELECT person_key FROM accounts WHERE login = 'helene.roche')",
                                     &error));
  {
    g_autofree char *address = sesame_notices_dup_operator_address (fixture->base.store);
    g_assert_cmpstr (address, ==, OPERATOR_ADDRESS);
  }

  /* Not wished: a regeneration queues nothing. */
  other = sesame_accounts_reset_password (fixture->base.store, "eloise.dupont", &error);
  g_assert_no_error (error);
  list = notices (fixture);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Wished: the regeneration is recorded for a notice. */
  g_assert_true (sesame_notices_set_wanted (fixture->base.store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_notices_get_wanted (fixture->base.store));
  password = sesame_accounts_reset_password (fixture->base.store, "zoe.martin", &error);
  g_assert_no_error (error);
  g_assert_nonnull (password);
  list = notices (fixture);
  g_assert_cmpuint (list->len, ==, 1);
  notice = g_ptr_array_index (list, 0);
  g_assert_cmpstr (notice->login, ==, "zoe.martin");
  g_assert_cmpstr (notice->operator, ==, "helene.roche");
  g_assert_cmpstr (notice->address, ==, OPERATOR_ADDRESS);
  g_assert_cmpint (notice->state, ==, SESAME_NOTICE_PENDING);
  g_assert_cmpuint (sesame_notices_count_pending (fixture->base.store), ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Sent without the password. */
  g_assert_true (sesame_notices_send (fixture->base.store, settings, SESAME_TEST_SMTP_PASSWORD, NULL, &sent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sent, ==, 1);
  log = sesame_test_smtp_server_read_log (fixture->server);
  g_assert_cmpuint (log->len, ==, 1);
  message = sesame_test_smtp_server_parse (fixture->server,
                                           json_object_get_string_member (g_ptr_array_index (log, 0), "file"));
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (
                     internet_address_list_get_address (g_mime_message_get_to (message), 0))), ==, OPERATOR_ADDRESS);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Sésame: password regenerated for zoe.martin");
  body = body_of (message);
  g_assert_nonnull (strstr (body, "you regenerated the password of Zoé MARTIN (login: zoe.martin)"));
  g_assert_null (strstr (body, password));
  g_assert_null (strstr (body, other));

  list = notices (fixture);
  g_assert_cmpint (((SesameNotice *) g_ptr_array_index (list, 0))->state, ==, SESAME_NOTICE_SENT);
  g_assert_cmpuint (sesame_notices_count_pending (fixture->base.store), ==, 0);

  /* Nothing is sent twice. */
  g_assert_true (sesame_notices_send (fixture->base.store, settings, SESAME_TEST_SMTP_PASSWORD, NULL, &sent, &error));
  g_assert_cmpuint (sent, ==, 0);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 1);
}

static void
test_notice_retried (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SesameSmtpSettings) settings = sesame_test_smtp_server_settings (fixture->server);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  SesameNotice *notice;
  guint sent = 0;

  g_assert_true (_sesame_store_exec (fixture->base.store,
                                     "UPDATE persons SET email = '" OPERATOR_ADDRESS "' WHERE key ="
                                     " (SELECT person_key FROM accounts WHERE login = 'helene.roche')",
                                     &error));
  g_assert_true (sesame_notices_set_wanted (fixture->base.store, TRUE, &error));

  /* The mail server is away: the regeneration still goes through. */
  sesame_test_smtp_server_stop (fixture->server);
  password = sesame_accounts_reset_password (fixture->base.store, "zoe.martin", &error);
  g_assert_no_error (error);
  g_assert_nonnull (password);

  /* The try fails, is recorded and reported, and the notice waits. */
  g_assert_false (sesame_notices_send (fixture->base.store, settings, SESAME_TEST_SMTP_PASSWORD, NULL, &sent, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "tried again"));
  g_clear_error (&error);
  g_assert_cmpuint (sent, ==, 0);
  list = notices (fixture);
  notice = g_ptr_array_index (list, 0);
  g_assert_cmpint (notice->state, ==, SESAME_NOTICE_PENDING);
  g_assert_cmpuint (notice->attempts, ==, 1);
  g_assert_nonnull (notice->last_error);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Back: sent on the next try. */
  sesame_test_smtp_server_restart (fixture->server, "--user", SESAME_TEST_SMTP_USER,
                                   "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  g_assert_true (sesame_notices_send (fixture->base.store, settings, SESAME_TEST_SMTP_PASSWORD, NULL, &sent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sent, ==, 1);
  list = notices (fixture);
  notice = g_ptr_array_index (list, 0);
  g_assert_cmpint (notice->state, ==, SESAME_NOTICE_SENT);
  g_assert_cmpuint (notice->attempts, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Out of reach too often: reported as failed, no longer tried. */
  g_assert_true (sesame_notices_set_wanted (fixture->base.store, TRUE, &error));
  g_free (password);
  password = sesame_accounts_reset_password (fixture->base.store, "eloise.dupont", &error);
  sesame_test_smtp_server_stop (fixture->server);
  for (guint i = 0; i < SESAME_NOTICE_MAX_ATTEMPTS; i++)
    {
      g_assert_false (sesame_notices_send (fixture->base.store, settings, SESAME_TEST_SMTP_PASSWORD, NULL, &sent, &error));
      g_clear_error (&error);
    }
  list = notices (fixture);
  notice = g_ptr_array_index (list, 1);
  g_assert_cmpstr (notice->login, ==, "eloise.dupont");
  g_assert_cmpint (notice->state, ==, SESAME_NOTICE_FAILED);
  g_assert_cmpuint (sesame_notices_count_pending (fixture->base.store), ==, 0);
  g_assert_true (sesame_notices_send (fixture->base.store, settings, SESAME_TEST_SMTP_PASSWORD, NULL, &sent, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);
  sesame_mail_init ();

  g_test_add ("/sesame/notices/sent", Fixture, NULL, fixture_set_up, test_notice_sent, fixture_tear_down);
  g_test_add ("/sesame/notices/retried", Fixture, NULL, fixture_set_up, test_notice_retried, fixture_tear_down);

  return g_test_run ();
}
