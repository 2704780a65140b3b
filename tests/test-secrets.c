/* test-secrets.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mail server's password in the keyring (sesame-secrets): stored,
 * read, replaced and forgotten, keyed by server and user, in the calls
 * sesamectl makes and in the asynchronous ones the Preferences make.
 * Runs inside its own session bus with gnome-keyring-daemon
 * (tests/run-with-keyring.sh).
 */
#include "config.h"

#include "sesame.h"
#include "sesame-secrets.h"
#include "sesame-test-util.h"

static gboolean stored;

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  sesame_secrets_store_smtp_password_finish (result, error);
  stored = TRUE;
  g_main_context_wakeup (NULL);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **password = user_data;
  g_autoptr(GError) error = NULL;

  *password = sesame_secrets_lookup_smtp_password_finish (result, &error);
  g_assert_no_error (error);
  g_main_context_wakeup (NULL);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (sesame_secrets_clear_smtp_password_finish (result, NULL));
  *done = TRUE;
  g_main_context_wakeup (NULL);
}

static void
test_secrets_keyring (void)
{
  g_autoptr(GError) error = NULL;
  GError *async_error = NULL;
  char *password;
  gboolean done = FALSE;

  g_assert_cmpstr (sesame_secrets_get_smtp_schema ()->name, ==, "fr.sesame.Sesame.Smtp");

  /* Sync: store, read, replace, forget. */
  g_assert_null (sesame_secrets_lookup_smtp_password ("smtp.example.org", "ce", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_secrets_store_smtp_password ("smtp.example.org", "ce", "first", NULL, &error));
  g_assert_no_error (error);
  sesame_secrets_store_smtp_password ("smtp.example.org", "ce", "second", NULL, &error);
  g_assert_no_error (error);
  password = sesame_secrets_lookup_smtp_password ("smtp.example.org", "ce", NULL, &error);
  g_assert_cmpstr (password, ==, "second");
  sesame_secrets_free_password (password);
  /* Keyed by server and user. */
  g_assert_null (sesame_secrets_lookup_smtp_password ("smtp.example.org", "other", NULL, &error));
  g_assert_null (sesame_secrets_lookup_smtp_password ("smtp2.example.org", "ce", NULL, &error));
  g_assert_true (sesame_secrets_clear_smtp_password ("smtp.example.org", "ce", NULL, &error));
  g_assert_null (sesame_secrets_lookup_smtp_password ("smtp.example.org", "ce", NULL, &error));
  g_assert_no_error (error);

  /* Async, as the Preferences do. */
  password = NULL;
  sesame_secrets_store_smtp_password_async ("smtp.example.org", "ce", "third", NULL, on_stored, &async_error);
  while (!stored)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (async_error);
  sesame_secrets_lookup_smtp_password_async ("smtp.example.org", "ce", NULL, on_looked_up, &password);
  while (password == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (password, ==, "third");
  sesame_secrets_free_password (password);
  sesame_secrets_clear_smtp_password_async ("smtp.example.org", "ce", NULL, on_cleared, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (sesame_secrets_lookup_smtp_password ("smtp.example.org", "ce", NULL, &error));

  /* A server is needed to key it. */
  g_assert_false (sesame_secrets_store_smtp_password ("", "ce", "x", NULL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add_func ("/sesame/secrets/keyring", test_secrets_keyring);

  return g_test_run ();
}
