/* test-operators.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Operators who sign in: setting up a store, enrolment codes, passphrases,
 * the throttle, and one test for each way the core refuses.
 */
#include "config.h"

#include <string.h>

#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

#define HEAD_PASSPHRASE "le col des Aravis en hiver"
#define LUC_PASSPHRASE "trois craies et un tableau"

typedef SesameTestFixture Fixture;

/* The head of establishment sets up the store; the owner acts again. */
static void
set_up_head (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sesame_operators_set_up (fixture->store, "helene.roche", HEAD_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, NULL, &error));
}

/* Grants Luc the manager role and returns his enrolment code. */
static SesameEnrolment *
grant_luc (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SesameEnrolment *enrolment = NULL;

  g_assert_true (sesame_enrolment_grant_role (fixture->store, "luc.bernard",
                                              SESAME_ROLE_SCOPE_CLASSES, &enrolment, &error));
  g_assert_no_error (error);
  g_assert_nonnull (enrolment);
  return enrolment;
}

static void
enrol_luc (Fixture *fixture)
{
  g_autoptr(SesameEnrolment) enrolment = grant_luc (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_true (sesame_enrolment_enrol (fixture->store, "luc.bernard", enrolment->code, LUC_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, NULL, &error));
}

static gboolean
audit_has (SesameStore *store,
           const char  *action,
           const char  *target,
           const char  *detail)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *operator = g_strdup (sesame_store_operator_get_login (store));
  gboolean found = FALSE;

  /* Read as the owner, then act again as before. */
  g_assert_true (_sesame_store_set_operator_trusted (store, NULL, &error));
  entries = sesame_audit_list (store, FALSE, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      SesameAuditEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->action, action) && g_str_equal (entry->target, target) &&
          (detail == NULL || g_str_equal (entry->detail, detail)))
        found = TRUE;
    }
  g_assert_true (_sesame_store_set_operator_trusted (store, operator, &error));
  return found;
}

/* Whether TEXT occurs in the bytes of the store's files. */
static gboolean
store_files_contain (SesameStore *store,
                     const char  *text)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (sesame_store_get_path (store), suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      for (gsize at = 0; at + strlen (text) <= length; at++)
        if (memcmp (contents + at, text, strlen (text)) == 0)
          return TRUE;
    }
  return FALSE;
}

static void
test_setup (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) logins = NULL;

  g_assert_false (sesame_operators_exist (fixture->store));
  g_assert_true (sesame_operators_set_up (fixture->store, "Helene.Roche ", HEAD_PASSPHRASE, &error));
  g_assert_no_error (error);

  /* Signed in at once, as an administrator. */
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, "helene.roche");
  g_assert_true (sesame_store_operator_is_admin (fixture->store));
  g_assert_true (sesame_operators_exist (fixture->store));
  logins = sesame_operators_dup_logins (fixture->store);
  g_assert_cmpuint (g_strv_length (logins), ==, 1);
  g_assert_cmpstr (logins[0], ==, "helene.roche");
  g_assert_true (audit_has (fixture->store, "operator-setup", "helene.roche", NULL));

  /* The passphrase is nowhere in clear: only its Argon2id hash. */
  g_assert_false (store_files_contain (fixture->store, HEAD_PASSPHRASE));
  g_assert_true (store_files_contain (fixture->store, "$argon2id$v=19$m=65536,t=3,p=1$"));
}

static void
test_setup_twice (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set_up_head (fixture);
  /* Even the owner cannot name a second first administrator. */
  g_assert_false (sesame_operators_set_up (fixture->store, "sophie.garnier", "une autre phrase de passe", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "enrolment code"));
  g_clear_error (&error);
  g_assert_null (sesame_store_operator_get_login (fixture->store));

  /* Nor can a signed-in operator. */
  g_assert_true (sesame_operators_sign_in (fixture->store, "helene.roche", HEAD_PASSPHRASE, &error));
  g_assert_false (sesame_operators_set_up (fixture->store, "sophie.garnier", "une autre phrase de passe", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
}

static void
test_setup_not_staff (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sesame_operators_set_up (fixture->store, "jean.dupont", "une phrase de passe solide", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (sesame_operators_set_up (fixture->store, "nobody.here", "une phrase de passe solide", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_assert_false (sesame_operators_exist (fixture->store));
}

static void
test_weak_passphrase (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SesameEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_password = NULL;

  /* Too short. */
  g_assert_false (sesame_operators_set_up (fixture->store, "helene.roche", "court9car", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "at least 10"));
  g_clear_error (&error);

  /* The login, or the login with something around it. */
  g_assert_false (sesame_operators_set_up (fixture->store, "helene.roche", "helene.roche", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "login"));
  g_clear_error (&error);
  g_assert_false (sesame_operators_set_up (fixture->store, "helene.roche", "HELENE.ROCHE2026", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);

  /* A first password handed out to somebody, still waiting. */
  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_PASSWORD_LENGTH, "12", &error));
  first_password = sesame_accounts_reset_password (fixture->store, "jean.dupont", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (first_password), ==, 12);
  g_assert_false (sesame_operators_check_passphrase (fixture->store, "helene.roche", first_password, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "first password"));
  g_clear_error (&error);
  g_assert_false (sesame_operators_set_up (fixture->store, "helene.roche", first_password, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (sesame_operators_exist (fixture->store));

  /* The same policy at enrolment; the code survives a refused passphrase. */
  set_up_head (fixture);
  enrolment = grant_luc (fixture);
  g_assert_false (sesame_enrolment_enrol (fixture->store, "luc.bernard", enrolment->code, "luc.bernard", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (sesame_enrolment_enrol (fixture->store, "luc.bernard", enrolment->code, first_password, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (sesame_enrolment_enrol (fixture->store, "luc.bernard", enrolment->code, LUC_PASSPHRASE, &error));
  g_assert_no_error (error);
}

/* A sign-in made in a thread, on a connection of its own, is adopted by
 * the connection it was opened from; a connection opened on its own
 * proves nothing to another. */
static void
test_adopt_operator (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) copy = NULL;
  g_autoptr(SesameStore) stranger = NULL;

  set_up_head (fixture);
  enrol_luc (fixture);
  g_assert_true (sesame_operators_sign_in (fixture->store, "helene.roche", HEAD_PASSPHRASE, &error));
  g_assert_no_error (error);

  stranger = sesame_store_open (sesame_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  g_assert_true (sesame_operators_sign_in (stranger, "luc.bernard", LUC_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_false (sesame_store_adopt_operator (fixture->store, stranger, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, "helene.roche");

  copy = sesame_store_dup (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_operators_sign_in (copy, "luc.bernard", LUC_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_store_adopt_operator (fixture->store, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, "luc.bernard");
  g_assert_false (sesame_store_operator_is_admin (fixture->store));
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) operators = NULL;

  set_up_head (fixture);
  enrol_luc (fixture);

  g_assert_true (sesame_operators_sign_in (fixture->store, "luc.bernard", LUC_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, "luc.bernard");
  g_assert_false (sesame_store_operator_is_admin (fixture->store));
  g_assert_true (sesame_store_operator_can (fixture->store, SESAME_PERMISSION_RESET_PASSWORD));
  g_assert_true (audit_has (fixture->store, "operator-sign-in", "luc.bernard", NULL));

  /* One operator replaces the other. */
  g_assert_true (sesame_operators_sign_in (fixture->store, "helene.roche", HEAD_PASSPHRASE, &error));
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, "helene.roche");
  g_assert_true (sesame_store_operator_is_admin (fixture->store));

  /* The table of operators knows when each last signed in. */
  operators = sesame_operators_list (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < operators->len; i++)
    {
      SesameOperatorInfo *info = g_ptr_array_index (operators, i);

      if (g_str_equal (info->login, "luc.bernard") || g_str_equal (info->login, "helene.roche"))
        {
          g_assert_true (info->has_passphrase);
          g_assert_cmpint (info->last_sign_in_at, >, 0);
        }
    }
}

static void
test_wrong_passphrase (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  set_up_head (fixture);
  enrol_luc (fixture);
  g_assert_true (sesame_operators_sign_in (fixture->store, "luc.bernard", LUC_PASSPHRASE, &error));

  /* A wrong passphrase leaves the operator as they were. */
  g_assert_false (sesame_operators_sign_in (fixture->store, "helene.roche", "pas la bonne phrase", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, "luc.bernard");

  /* It is audited, never with what was typed. */
  g_assert_true (audit_has (fixture->store, "operator-sign-in-refused", "helene.roche", "wrong passphrase"));
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, NULL, &error));
  entries = sesame_audit_list (fixture->store, FALSE, 1000, &error);
  for (guint i = 0; i < entries->len; i++)
    {
      SesameAuditEntry *entry = g_ptr_array_index (entries, i);

      g_assert_null (strstr (entry->detail, "pas la bonne"));
      g_assert_null (strstr (entry->detail, LUC_PASSPHRASE));
    }
  g_assert_false (store_files_contain (fixture->store, "pas la bonne phrase"));
  /* Told in words in the journal. */
  {
    gboolean described = FALSE;

    for (guint i = 0; i < entries->len; i++)
      {
        g_autofree char *text = sesame_journal_describe_entry (NULL, g_ptr_array_index (entries, i));

        if (g_str_equal (text, "Refused a sign-in as helene.roche: wrong passphrase"))
          described = TRUE;
      }
    g_assert_true (described);
  }

  /* An empty passphrase, no passphrase at all. */
  g_assert_false (sesame_operators_sign_in (fixture->store, "helene.roche", "", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (sesame_operators_sign_in (fixture->store, "helene.roche", NULL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
}

/* Nobody can sign in as someone who is not an operator. */
static void
test_no_operator (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SesameEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;

  /* A store nobody set up. */
  g_assert_false (sesame_operators_sign_in (fixture->store, "helene.roche", HEAD_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (sesame_store_operator_get_login (fixture->store));

  set_up_head (fixture);

  /* Unknown, a teacher without any role, a pupil. */
  g_assert_false (sesame_operators_sign_in (fixture->store, "nobody.here", HEAD_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (audit_has (fixture->store, "operator-sign-in-refused", "", "unknown login"));
  /* What was typed as an unknown login may be a passphrase: never kept. */
  g_assert_false (store_files_contain (fixture->store, "nobody.here"));
  g_assert_false (sesame_operators_sign_in (fixture->store, "marc.faure", HEAD_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (audit_has (fixture->store, "operator-sign-in-refused", "marc.faure", "no passphrase"));
  g_assert_false (sesame_operators_sign_in (fixture->store, "jean.dupont", HEAD_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* No code for someone without a role. */
  enrolment = sesame_enrolment_invite_operator (fixture->store, "marc.faure", &error);
  g_assert_null (enrolment);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "roles grant"));
  g_clear_error (&error);
  enrolment = sesame_enrolment_invite_operator (fixture->store, "eloise.dupont", &error);
  g_assert_null (enrolment);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);

  /* A manager whose role was revoked keeps a passphrase that opens nothing. */
  enrol_luc (fixture);
  g_assert_true (sesame_roles_revoke (fixture->store, "luc.bernard", &error));
  g_assert_false (sesame_operators_sign_in (fixture->store, "luc.bernard", LUC_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "no longer holds a role"));
  g_clear_error (&error);
  g_assert_null (sesame_store_operator_get_login (fixture->store));
  g_assert_true (audit_has (fixture->store, "operator-sign-in-refused", "luc.bernard", "no role"));
}

static void
test_throttle (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) again = NULL;
  gint64 now = 1800000000;

  set_up_head (fixture);
  sesame_store_set_now (fixture->store, now);

  for (guint i = 0; i < SESAME_SIGN_IN_FREE_FAILURES; i++)
    {
      g_assert_cmpint (sesame_operators_get_sign_in_wait (fixture->store, "helene.roche"), ==, 0);
      g_assert_false (sesame_operators_sign_in (fixture->store, "helene.roche", "une mauvaise phrase", &error));
      g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);
    }

  /* Now even the right passphrase must wait. */
  g_assert_cmpint (sesame_operators_get_sign_in_wait (fixture->store, "helene.roche"), ==, 30);
  g_assert_false (sesame_operators_sign_in (fixture->store, "helene.roche", HEAD_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "wait 30 seconds"));
  g_clear_error (&error);
  g_assert_null (sesame_store_operator_get_login (fixture->store));
  g_assert_true (audit_has (fixture->store, "operator-sign-in-refused", "helene.roche", "throttled"));

  /* Starting again resets nothing: the failures are in the store. */
  again = sesame_store_open (sesame_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  sesame_store_set_now (again, now + 10);
  g_assert_cmpint (sesame_operators_get_sign_in_wait (again, "Helene.Roche"), ==, 20);
  g_assert_false (sesame_operators_sign_in (again, "helene.roche", HEAD_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Each further failure doubles the delay. */
  sesame_store_set_now (again, now + 31);
  g_assert_false (sesame_operators_sign_in (again, "helene.roche", "encore une mauvaise", &error));
  g_clear_error (&error);
  g_assert_cmpint (sesame_operators_get_sign_in_wait (again, "helene.roche"), ==, 60);
  sesame_store_set_now (again, now + 31 + 61);
  g_assert_true (sesame_operators_sign_in (again, "helene.roche", HEAD_PASSPHRASE, &error));
  g_assert_no_error (error);
  /* A success starts the count again. */
  g_assert_cmpint (sesame_operators_get_sign_in_wait (again, "helene.roche"), ==, 0);

  /* Unknown logins are throttled the same, and wrong codes count too. */
  for (guint i = 0; i < SESAME_SIGN_IN_FREE_FAILURES; i++)
    {
      g_assert_false (sesame_enrolment_enrol (again, "nobody.here", "AAAA-BBBB-CCCC", LUC_PASSPHRASE, &error));
      g_clear_error (&error);
    }
  g_assert_cmpint (sesame_operators_get_sign_in_wait (again, "nobody.here"), ==, 30);
  g_assert_false (sesame_operators_sign_in (again, "nobody.here", "peu importe laquelle", &error));
  g_assert_nonnull (strstr (error->message, "wait"));
  g_assert_finalize_object (g_steal_pointer (&again));
}

static gboolean
code_is_readable (const char *code)
{
  if (strlen (code) != 14 || code[4] != '-' || code[9] != '-')
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (*p != '-' && strchr ("23456789ABCDEFGHJKMNPQRSTUVWXYZ", *p) == NULL)
      return FALSE;
  return TRUE;
}

static void
test_enrol (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SesameEnrolment) enrolment = NULL;
  g_autoptr(SesameEnrolment) none = NULL;
  g_autoptr(GPtrArray) operators = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = NULL;
  gint64 now = 1800000000;

  set_up_head (fixture);
  sesame_store_set_now (fixture->store, now);
  enrolment = grant_luc (fixture);
  g_assert_cmpstr (enrolment->login, ==, "luc.bernard");
  g_assert_cmpstr (enrolment->name, ==, "Luc BERNARD");
  g_assert_true (code_is_readable (enrolment->code));
  g_assert_cmpint (enrolment->expires_at, ==, now + 7 * 24 * 3600);
  /* Kept only as a hash, and the audit trail never shows it. */
  g_assert_false (store_files_contain (fixture->store, enrolment->code));
  g_assert_true (audit_has (fixture->store, "operator-invite", "luc.bernard", NULL));

  /* Listed as waiting, without the code. */
  operators = sesame_operators_list (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < operators->len; i++)
    {
      SesameOperatorInfo *info = g_ptr_array_index (operators, i);

      if (g_str_equal (info->login, "luc.bernard"))
        {
          g_assert_false (info->has_passphrase);
          g_assert_true (info->code_pending);
          g_assert_cmpint (info->code_expires_at, ==, now + 7 * 24 * 3600);
          g_assert_cmpstr (info->role, ==, "manager");
        }
      else if (g_str_equal (info->login, "helene.roche"))
        g_assert_true (info->has_passphrase);
    }

  /* Typed as people type: lower case, spaces instead of hyphens. */
  sesame_store_set_now (fixture->store, now + 6 * 24 * 3600);
  typed = g_ascii_strdown (enrolment->code, -1);
  typed[4] = ' ';
  g_assert_true (sesame_enrolment_enrol (fixture->store, "luc.bernard", typed, LUC_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, "luc.bernard");
  g_assert_true (audit_has (fixture->store, "operator-enrol", "luc.bernard", NULL));

  /* Granting again (a new scope) makes no code: he has a passphrase. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, NULL, &error));
  g_assert_true (sesame_enrolment_grant_role (fixture->store, "luc.bernard", SESAME_ROLE_SCOPE_ESTABLISHMENT,
                                              &none, &error));
  g_assert_null (none);

  /* Only administrators invite. */
  g_assert_true (sesame_operators_sign_in (fixture->store, "luc.bernard", LUC_PASSPHRASE, &error));
  none = sesame_enrolment_invite_operator (fixture->store, "helene.roche", &error);
  g_assert_null (none);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (sesame_operators_list (fixture->store, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
}

static void
test_wrong_code (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SesameEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;

  set_up_head (fixture);
  enrolment = grant_luc (fixture);

  g_assert_false (sesame_enrolment_enrol (fixture->store, "luc.bernard", "2345-6789-ABCD", LUC_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "not the one given"));
  g_clear_error (&error);
  g_assert_true (audit_has (fixture->store, "operator-enrol-refused", "luc.bernard", "wrong code"));

  /* A code is good for one login only. */
  g_assert_false (sesame_enrolment_enrol (fixture->store, "sophie.garnier", enrolment->code, LUC_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (sesame_enrolment_enrol (fixture->store, "nobody.here", enrolment->code, LUC_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (sesame_enrolment_enrol (fixture->store, "luc.bernard", NULL, LUC_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (sesame_store_operator_get_login (fixture->store));
}

static void
test_expired_code (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SesameEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = 1800000000;

  set_up_head (fixture);
  sesame_store_set_now (fixture->store, now);
  enrolment = grant_luc (fixture);

  sesame_store_set_now (fixture->store, now + 7 * 24 * 3600);
  g_assert_false (sesame_enrolment_enrol (fixture->store, "luc.bernard", enrolment->code, LUC_PASSPHRASE, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_clear_error (&error);
  g_assert_true (audit_has (fixture->store, "operator-enrol-refused", "luc.bernard", "code expired"));
  g_assert_null (sesame_store_operator_get_login (fixture->store));
}

static void
test_reused_code (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SesameEnrolment) enrolment = NULL;
  g_autoptr(SesameEnrolment) first = NULL;
  g_autoptr(SesameEnrolment) second = NULL;
  g_autoptr(GError) error = NULL;

  set_up_head (fixture);
  enrolment = grant_luc (fixture);
  g_assert_true (sesame_enrolment_enrol (fixture->store, "luc.bernard", enrolment->code, LUC_PASSPHRASE, &error));
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, NULL, &error));

  g_assert_false (sesame_enrolment_enrol (fixture->store, "luc.bernard", enrolment->code, "une phrase de remplacement", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "already used"));
  g_clear_error (&error);
  /* The passphrase did not change. */
  g_assert_true (sesame_operators_sign_in (fixture->store, "luc.bernard", LUC_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, NULL, &error));

  /* A new code revokes the one before it. */
  first = sesame_enrolment_invite_operator (fixture->store, "helene.roche", &error);
  g_assert_no_error (error);
  second = sesame_enrolment_invite_operator (fixture->store, "helene.roche", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->code, !=, second->code);
  g_assert_false (sesame_enrolment_enrol (fixture->store, "helene.roche", first->code, "une phrase toute neuve", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "replaced"));
  g_clear_error (&error);

  /* A forgotten passphrase is replaced with the newest code. */
  g_assert_true (sesame_enrolment_enrol (fixture->store, "helene.roche", second->code, "une phrase toute neuve", &error));
  g_assert_no_error (error);
  g_assert_false (sesame_operators_sign_in (fixture->store, "helene.roche", HEAD_PASSPHRASE, &error));
  g_clear_error (&error);
  g_assert_true (sesame_operators_sign_in (fixture->store, "helene.roche", "une phrase toute neuve", &error));
  g_assert_no_error (error);
}

/* A second connection keeps the operator of the first, who proved it. */
static void
test_dup (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) copy = NULL;

  set_up_head (fixture);
  enrol_luc (fixture);
  g_assert_true (sesame_operators_sign_in (fixture->store, "luc.bernard", LUC_PASSPHRASE, &error));
  copy = sesame_store_dup (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_store_operator_get_login (copy), ==, "luc.bernard");
  g_assert_false (sesame_store_operator_is_admin (copy));
  g_assert_finalize_object (g_steal_pointer (&copy));
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static gint64
median (gint64 *samples,
        guint   n)
{
  qsort (samples, n, sizeof *samples, compare_gint64);
  return samples[n / 2];
}

#define TIMING_SAMPLES 7

/* The time to refuse does not tell whether a login exists or has a
 * passphrase. Medians of interleaved runs, with a generous ratio, hold on
 * a loaded machine; the leak they catch is an order of magnitude. */
static void
test_refusal_timing (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *logins[] = { "nobody.here", "sophie.garnier", "helene.roche" };
  gint64 samples[G_N_ELEMENTS (logins)][TIMING_SAMPLES];
  gint64 medians[G_N_ELEMENTS (logins)];
  gint64 fastest = G_MAXINT64, slowest = 0;
  gint64 now = 1800000000;
  g_autoptr(GError) error = NULL;

  set_up_head (fixture);
  g_assert_true (sesame_roles_grant (fixture->store, "sophie.garnier", SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));

  for (guint s = 0; s < TIMING_SAMPLES; s++)
    {
      /* A day apart: the throttle forgets, every attempt is checked. */
      sesame_store_set_now (fixture->store, now + (gint64) s * 2 * 24 * 3600);
      for (guint k = 0; k < G_N_ELEMENTS (logins); k++)
        {
          guint l = (k + s) % G_N_ELEMENTS (logins);
          gint64 start = g_get_monotonic_time ();

          g_assert_false (sesame_operators_sign_in (fixture->store, logins[l], "une phrase qui ne va pas", &error));
          samples[l][s] = g_get_monotonic_time () - start;
          g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
          g_clear_error (&error);
        }
    }

  for (guint l = 0; l < G_N_ELEMENTS (logins); l++)
    {
      medians[l] = median (samples[l], TIMING_SAMPLES);
      g_test_message ("%s: median %" G_GINT64_FORMAT " µs", logins[l], medians[l]);
      fastest = MIN (fastest, medians[l]);
      slowest = MAX (slowest, medians[l]);
    }
  g_assert_cmpint (slowest * 10, <, fastest * 18);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, sesame_test_fixture_set_up, func, sesame_test_fixture_tear_down)

  ADD ("/sesame/operators/setup", test_setup);
  ADD ("/sesame/operators/adopt-operator", test_adopt_operator);
  ADD ("/sesame/operators/setup-twice", test_setup_twice);
  ADD ("/sesame/operators/setup-not-staff", test_setup_not_staff);
  ADD ("/sesame/operators/weak-passphrase", test_weak_passphrase);
  ADD ("/sesame/operators/sign-in", test_sign_in);
  ADD ("/sesame/operators/wrong-passphrase", test_wrong_passphrase);
  ADD ("/sesame/operators/no-operator", test_no_operator);
  ADD ("/sesame/operators/throttle", test_throttle);
  ADD ("/sesame/operators/enrol", test_enrol);
  ADD ("/sesame/operators/wrong-code", test_wrong_code);
  ADD ("/sesame/operators/expired-code", test_expired_code);
  ADD ("/sesame/operators/reused-code", test_reused_code);
  ADD ("/sesame/operators/dup", test_dup);
  ADD ("/sesame/operators/refusal-timing", test_refusal_timing);

#undef ADD

  return g_test_run ();
}
