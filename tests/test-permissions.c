/* test-permissions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who may do what, held by the core: the permission matrix of
 * sesame-test-permissions.c run through the core's API, one fresh store
 * per cell, and the refusals it cannot show on its own: a role that ends
 * when its holder leaves, a revocation on a desk whose clock is behind,
 * the relatives outside a manager's scope, a head's import of another
 * establishment's records, and the one definition of who is distributed.
 */
#include "config.h"

#include <string.h>

#include "sesame.h"
#include "sesame-campaign.h"
#include "sesame-letters-private.h"
#include "sesame-smtp-settings.h"
#include "sesame-store-private.h"
#include "sesame-test-permissions.h"
#include "sesame-test-util.h"

typedef PermFixture Fixture;

/* Who acts in the tests of one rule (NULL: the store's owner), without
 * their passphrase: these check the core's permission checks themselves,
 * which hold even for an operator who could not sign in. */
static gboolean
act_as_login (SesameStore  *store,
              const char   *login,
              GError      **error)
{
  return _sesame_store_set_operator_trusted (store, login, error);
}

static gboolean
act_as (SesameStore  *store,
        PermOperator  op,
        GError      **error)
{
  return act_as_login (store, perm_operator_login (op), error);
}

/* How the matrix's operators come in: signing in with their passphrase,
 * or a wrong one for the column that tries it. */
static gboolean
sign_in_as (SesameStore  *store,
            PermOperator  op,
            GError      **error)
{
  const char *login = perm_operator_login (op);

  if (login == NULL)
    return _sesame_store_set_operator_trusted (store, NULL, error);
  return sesame_operators_sign_in (store, login,
                                   op == OP_WRONG_PASSPHRASE ? "not the passphrase at all" : SESAME_TEST_PASSPHRASE,
                                   error);
}

/* A copy of the template store, for one cell of the matrix. */
static SesameStore *
open_copy (Fixture    *fixture,
           const char *name)
{
  g_autofree char *path = perm_fixture_copy_store (fixture, name);
  g_autoptr(GError) error = NULL;
  SesameStore *store;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

static gboolean
person_found (GListModel *results,
              const char *login)
{
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(SesamePerson) person = g_list_model_get_item (results, i);

      if (g_strcmp0 (sesame_person_get_login (person), login) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Does @action on the target in A or B; %TRUE if it was allowed. A
 * refusal is a permission error, or for a listing, the target left out. */
static gboolean
run_action (Fixture     *fixture,
            SesameStore *store,
            PermAction   action,
            gboolean     in_b,
            GError     **error)
{
  const char *uai = in_b ? PERM_UAI_B : PERM_UAI_A;
  const char *pupil = in_b ? PERM_PUPIL_B : PERM_PUPIL_A;
  const char *file = in_b ? fixture->file_b : fixture->file_a;

  switch (action)
    {
    case ACT_SEARCH:
      {
        g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
        g_autoptr(GListModel) results = NULL;

        query->login = g_strdup (pupil);
        results = sesame_search_run (store, query, NULL, error);
        return results != NULL && person_found (results, pupil);
      }
    case ACT_SHOW:
      {
        g_autoptr(SesamePerson) person = sesame_accounts_find (store, pupil, error);
        return person != NULL;
      }
    case ACT_SET_LOGIN:
      return sesame_accounts_set_login (store, pupil, "renamed.pupil", error);
    case ACT_RESET_PASSWORD:
      {
        g_autofree char *password = sesame_accounts_reset_password (store, pupil, error);
        return password != NULL;
      }
    case ACT_LETTERS:
      {
        g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
        g_autoptr(SesameLetterBatch) batch = NULL;
        const char *logins[] = { pupil, NULL };

        query->logins = g_strdupv ((char **) logins);
        batch = sesame_letter_batch_new (store, query, NULL, error);
        return batch != NULL && sesame_letter_batch_get_n_items (batch) == 1;
      }
    case ACT_FILES_LIST:
      {
        g_autoptr(GPtrArray) files = sesame_identifier_files_list (store, error);

        for (guint i = 0; files != NULL && i < files->len; i++)
          if (g_str_equal (((SesameIdentifierFile *) g_ptr_array_index (files, i))->id, file))
            return TRUE;
        return FALSE;
      }
    case ACT_FILES_GENERATE:
      {
        g_autoptr(SesameIdentifierFile) generated = sesame_identifier_files_generate (store, uai, 0, error);
        return generated != NULL;
      }
    case ACT_FILES_EXPORT:
      {
        g_autoptr(GBytes) bytes = sesame_identifier_files_render (store, file, error);
        return bytes != NULL;
      }
    case ACT_FILES_DELETE:
      return sesame_identifier_files_delete (store, file, error);
    case ACT_IMPORT:
      {
        const char *paths[] = { fixture->import_path, NULL };
        const char *establishments[] = { uai, NULL };
        g_autoptr(SesameImportSummary) summary = NULL;

        summary = sesame_import_run (store, paths, establishments, SESAME_IMPORT_FLAGS_DRY_RUN,
                                     NULL, NULL, NULL, error);
        return summary != NULL;
      }
    case ACT_DIFFUSION:
      {
        g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();

        sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT));
        sesame_campaign_set_establishment (campaign, uai);
        sesame_campaign_set_subject (campaign, "Vos identifiants");
        return sesame_campaigns_check (store, campaign, error) &&
               sesame_campaigns_create (store, campaign, error);
      }
    case ACT_ROLES_GRANT:
      return sesame_roles_grant (store, in_b ? PERM_STAFF_B : PERM_STAFF_A,
                                 SESAME_ROLE_SCOPE_ESTABLISHMENT, error);
    case ACT_ROLES_REVOKE:
      return sesame_roles_revoke (store, in_b ? PERM_MANAGER_B : PERM_MANAGER_A, error);
    case ACT_ROLES_LIST:
      {
        g_autoptr(GPtrArray) grants = sesame_roles_list (store, error);
        return grants != NULL;
      }
    case ACT_SETTINGS_LIST:
    case ACT_SMTP_SHOW:
      /* What sesamectl checks before it reads them. */
      return sesame_store_operator_check_permission (store, SESAME_PERMISSION_OPERATE, NULL, error);
    case ACT_SETTINGS_SET:
      return sesame_store_settings_set (store, SESAME_SETTING_PASSWORD_LENGTH, "10", error);
    case ACT_SMTP_SET:
      {
        g_autoptr(SesameSmtpSettings) settings = sesame_smtp_settings_new ();

        sesame_smtp_settings_set_host (settings, "smtp.example.org");
        sesame_smtp_settings_set_from_address (settings, "ent@example.org");
        return sesame_smtp_settings_save (settings, store, error);
      }
    case ACT_AUDIT:
    case ACT_AUDIT_MINE:
      {
        g_autoptr(GPtrArray) entries = sesame_audit_list (store, action == ACT_AUDIT_MINE, 10, error);
        return entries != NULL;
      }
    case N_ACTIONS:
    default:
      g_assert_not_reached ();
    }
}

static void
test_matrix (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) wrong = g_string_new (NULL);
  GError *sign_in_errors[N_OPERATORS] = { NULL, };
  guint cells = 0;

  /* Each operator signs in once, on a copy of the store (a passphrase
   * check costs a tenth of a second by design); every cell then acts as
   * whoever signed in, and refuses everything to whoever could not. */
  for (PermOperator op = 0; op < N_OPERATORS; op++)
    {
      g_autofree char *name = g_strdup_printf ("sign-in-%u", op);
      g_autoptr(SesameStore) store = open_copy (fixture, name);

      sign_in_as (store, op, &sign_in_errors[op]);
    }

  for (guint row = 0; row < N_ACTIONS; row++)
    for (guint side = 0; side < 2; side++)
      for (PermOperator op = 0; op < N_OPERATORS; op++)
        {
          const PermRow *entry = &perm_matrix[row];
          char expected = (side ? entry->in_b : entry->in_a)[op];
          g_autofree char *name = g_strdup_printf ("cell-%u-%u-%u", row, side, op);
          g_autoptr(SesameStore) store = NULL;
          g_autoptr(GError) error = NULL;
          gboolean allowed;

          g_assert_cmpint (entry->action, ==, row);
          if (expected == '.')
            continue;
          store = open_copy (fixture, name);
          if (sign_in_errors[op] != NULL)
            {
              allowed = FALSE;
              error = g_error_copy (sign_in_errors[op]);
            }
          else
            allowed = _sesame_store_set_operator_trusted (store, perm_operator_login (op), &error) &&
                      run_action (fixture, store, entry->action, side, &error);
          cells++;
          if (allowed != (expected == 'y'))
            g_string_append_printf (wrong, "%s in %s by the %s: expected %s, got %s%s%s\n",
                                    entry->name, side ? "B" : "A", perm_operator_name (op),
                                    expected == 'y' ? "allowed" : "refused",
                                    allowed ? "allowed" : "refused",
                                    error ? ": " : "", error ? error->message : "");
          /* A refusal says why, as a permission error or "not found". */
          if (!allowed && error != NULL && op != OP_UNKNOWN)
            g_assert_true (g_error_matches (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED) ||
                           g_error_matches (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND));
        }

  for (PermOperator op = 0; op < N_OPERATORS; op++)
    g_clear_error (&sign_in_errors[op]);
  if (wrong->len > 0)
    g_error ("The permission matrix does not hold:\n%s", wrong->str);
  g_assert_cmpuint (cells, ==, 2 * N_ACTIONS * N_OPERATORS);
}

/* A role ends when its holder leaves: it grants nothing and the table of
 * rights says so, with the date. */
static void
test_departed_role_ended (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SesameStore) store = open_copy (fixture, "departed");
  g_autoptr(GPtrArray) grants = NULL;
  g_autoptr(GError) error = NULL;
  gboolean seen = FALSE;

  grants = sesame_roles_list (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < grants->len; i++)
    {
      SesameRoleGrant *grant = g_ptr_array_index (grants, i);
      g_autofree char *status = sesame_role_grant_dup_status (grant);

      if (g_strcmp0 (grant->login, "denis.leroy") == 0)
        {
          seen = TRUE;
          g_assert_cmpstr (grant->role, ==, "manager");
          g_assert_cmpint (grant->ended_at, ==, 1780000000);
          g_assert_nonnull (strstr (status, "left the establishment on "));
        }
      else
        g_assert_cmpint (grant->ended_at, ==, 0);
      /* A revoked role is no longer listed. */
      g_assert_cmpstr (grant->login, !=, "remi.petit");
    }
  g_assert_true (seen);

  g_assert_true (act_as (store, OP_DEPARTED_MANAGER, &error));
  g_assert_false (sesame_store_operator_can (store, SESAME_PERMISSION_RESET_PASSWORD));
  g_assert_null (sesame_accounts_reset_password (store, PERM_PUPIL_A, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* A head of establishment who left is no administrator any more. */
  g_assert_true (act_as (store, OP_OWNER, &error));
  g_assert_true (_sesame_store_exec (store, "UPDATE persons SET left_at = 1780000000 WHERE key = 'S1'", &error));
  g_clear_pointer (&grants, g_ptr_array_unref);
  grants = sesame_roles_list (store, &error);
  g_assert_no_error (error);
  seen = FALSE;
  for (guint i = 0; i < grants->len; i++)
    {
      SesameRoleGrant *grant = g_ptr_array_index (grants, i);

      if (g_strcmp0 (grant->login, "helene.roche") == 0)
        {
          seen = TRUE;
          g_assert_cmpstr (grant->role, ==, "admin");
          g_assert_cmpint (grant->ended_at, ==, 1780000000);
        }
    }
  g_assert_true (seen);
  g_assert_true (act_as (store, OP_HEAD_A, &error));
  g_assert_false (sesame_store_operator_is_admin (store));
  g_assert_null (sesame_identifier_files_list (store, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* So is the administrator who set the store up. */
  g_assert_true (act_as (store, OP_OWNER, &error));
  g_assert_true (_sesame_store_exec (store, "UPDATE persons SET left_at = 1780000000 WHERE key = 'S6'", &error));
  g_assert_true (act_as (store, OP_ADMIN_ALL, &error));
  g_assert_false (sesame_store_operator_is_admin (store));
  g_assert_false (sesame_store_operator_can (store, SESAME_PERMISSION_SEARCH));
  g_assert_false (sesame_store_settings_set (store, SESAME_SETTING_PASSWORD_LENGTH, "12", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (act_as (store, OP_OWNER, &error));
  g_clear_pointer (&grants, g_ptr_array_unref);
  grants = sesame_roles_list (store, &error);
  g_assert_no_error (error);
  seen = FALSE;
  for (guint i = 0; i < grants->len; i++)
    {
      SesameRoleGrant *grant = g_ptr_array_index (grants, i);

      if (g_strcmp0 (grant->login, "alice.noel") == 0)
        {
          seen = TRUE;
          g_assert_cmpint (grant->scope, ==, SESAME_ROLE_SCOPE_ALL);
          g_assert_cmpint (grant->ended_at, ==, 1780000000);
        }
    }
  g_assert_true (seen);
}

/* Grants and revocations follow the store's sequence, not the clock. */
static void
test_revoke_clock_behind (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SesameStore) store = open_copy (fixture, "clock");
  g_autoptr(GError) error = NULL;

  /* Granted at noon, revoked at eleven by a desk an hour behind, granted
   * again at ten by a desk two hours behind: the last word holds. */
  sesame_store_set_now (store, 1780000000);
  g_assert_true (sesame_roles_grant (store, PERM_STAFF_A, SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  sesame_store_set_now (store, 1780000000 - 3600);
  g_assert_true (sesame_roles_revoke (store, PERM_STAFF_A, &error));
  g_assert_no_error (error);

  g_assert_true (act_as_login (store, PERM_STAFF_A, &error));
  g_assert_false (sesame_store_operator_can (store, SESAME_PERMISSION_SEARCH));
  g_assert_true (act_as_login (store, NULL, &error));
  g_assert_false (sesame_roles_revoke (store, PERM_STAFF_A, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_clear_error (&error);

  sesame_store_set_now (store, 1780000000 - 7200);
  g_assert_true (sesame_roles_grant (store, PERM_STAFF_A, SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_true (act_as_login (store, PERM_STAFF_A, &error));
  g_assert_true (sesame_store_operator_can (store, SESAME_PERMISSION_SEARCH));
}

/* A classes manager sees a parent of their class, and that parent's child
 * elsewhere by name only. */
static void
test_relatives_outside_scope (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SesameStore) store = open_copy (fixture, "relatives");
  g_autoptr(SesamePerson) parent = NULL;
  g_autoptr(GListModel) relatives = NULL;
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;
  guint outside = 0;

  g_assert_true (act_as (store, OP_CLASSES_MANAGER, &error));
  parent = sesame_accounts_find (store, "marie.dupont", &error);
  g_assert_no_error (error);
  /* Her classes are those of her children in scope: 6A, not 2NDE1. */
  g_assert_true (g_strv_contains (sesame_person_get_classes (parent), "6A"));
  g_assert_false (g_strv_contains (sesame_person_get_classes (parent), "2NDE1"));

  relatives = sesame_accounts_list_relatives (store, sesame_person_get_key (parent), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (relatives), ==, 3);
  for (guint i = 0; i < g_list_model_get_n_items (relatives); i++)
    {
      g_autoptr(SesamePerson) child = g_list_model_get_item (relatives, i);

      if (g_strcmp0 (sesame_person_get_key (child), "P8") == 0 ||
          g_strcmp0 (sesame_person_get_login (child), PERM_PUPIL_B) == 0)
        g_error ("A child outside the scope is shown with their key or login");
      if (*sesame_person_get_key (child) == '\0')
        {
          outside++;
          g_assert_cmpstr (sesame_person_get_first_name (child), ==, "Jean");
          g_assert_cmpstr (sesame_person_get_login (child), ==, "");
          g_assert_cmpstr (sesame_person_get_establishment (child), ==, "");
          g_assert_null (sesame_person_get_classes (child) ? sesame_person_get_classes (child)[0] : NULL);
        }
    }
  g_assert_cmpuint (outside, ==, 1);

  /* The child elsewhere is not found by searching either, nor shown
   * through his mother's classes. */
  query->text = g_strdup ("Dupont");
  results = sesame_search_run (store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (person_found (results, "marie.dupont"));
  g_assert_false (person_found (results, PERM_PUPIL_B));
  g_assert_false (person_found (results, "nathalie.dupont"));
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(SesamePerson) person = g_list_model_get_item (results, i);
      const char * const *classes = sesame_person_get_classes (person);

      if (g_strcmp0 (sesame_person_get_login (person), "marie.dupont") != 0)
        continue;
      g_assert_true (classes != NULL && g_strv_contains (classes, "6A"));
      g_assert_false (g_strv_contains (classes, "2NDE1"));
      g_assert_cmpstr (sesame_person_get_establishment (person), ==, PERM_UAI_A);
    }

  /* Her letter names the children he may print for, not the other one. */
  {
    g_autoptr(SesameLetterQuery) letters = sesame_letter_query_new ();
    g_autoptr(SesameLetterContent) content = NULL;
    const char *logins[] = { "marie.dupont", NULL };
    SesameLetterItem *item;

    letters->logins = g_strdupv ((char **) logins);
    content = _sesame_letter_content_collect (store, letters, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (content->items->len, ==, 1);
    item = g_ptr_array_index (content->items, 0);
    g_assert_cmpuint (item->children->len, ==, 2);
    for (guint i = 0; i < item->children->len; i++)
      {
        SesameLetterChild *child = g_ptr_array_index (item->children, i);

        g_assert_cmpstr (child->class_name, ==, "6A");
        g_assert_null (child->elsewhere);
      }
  }

  /* The head of B sees the child of B, and Marie through him. */
  g_clear_object (&relatives);
  g_assert_true (act_as (store, OP_HEAD_B, &error));
  relatives = sesame_accounts_list_relatives (store, "P5", &error);
  g_assert_no_error (error);
  outside = 0;
  for (guint i = 0; i < g_list_model_get_n_items (relatives); i++)
    {
      g_autoptr(SesamePerson) child = g_list_model_get_item (relatives, i);

      outside += *sesame_person_get_login (child) == '\0';
    }
  g_assert_cmpuint (outside, ==, 2);
}

static char *
establishment_name (SesameStore *store,
                    const char  *uai)
{
  sqlite3_stmt *stmt = _sesame_store_prepare (store, "SELECT name FROM establishments WHERE uai = ?", NULL);
  char *name;

  sqlite3_bind_text (stmt, 1, uai, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  name = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return name;
}

/* A head's import keeps the records of their establishments and leaves
 * the others out; naming another establishment is refused. */
static void
test_import_filtered (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SesameStore) store = open_copy (fixture, "import");
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { fixture->import_path, NULL };
  const char *other[] = { PERM_UAI_B, NULL };
  g_autofree char *name_a = NULL;
  g_autofree char *name_b = NULL;

  g_assert_true (act_as (store, OP_HEAD_A, &error));
  summary = sesame_import_run (store, paths, other, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, PERM_UAI_B));
  g_assert_null (summary);
  g_clear_error (&error);

  summary = sesame_import_run (store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  name_a = establishment_name (store, PERM_UAI_A);
  name_b = establishment_name (store, PERM_UAI_B);
  g_assert_cmpstr (name_a, ==, "NEW A");
  g_assert_cmpstr (name_b, ==, "Lycée Berthollet");
}

/* Administrators granted in Sésame: of their establishment, by its head;
 * of all, by the administrators of all only. */
static void
test_grant_admin (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SesameStore) store = open_copy (fixture, "admin");
  g_autoptr(GError) error = NULL;

  g_assert_true (act_as (store, OP_HEAD_A, &error));
  g_assert_false (sesame_roles_grant_admin (store, PERM_STAFF_A, SESAME_ROLE_SCOPE_ALL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (sesame_roles_grant_admin (store, PERM_STAFF_B, SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (sesame_roles_grant_admin (store, PERM_STAFF_A, SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (sesame_roles_grant_admin (store, PERM_STAFF_A, SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_no_error (error);
  /* Nor can she revoke the administrator of all. */
  g_assert_false (sesame_roles_revoke_admin (store, "alice.noel", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Marc FAURE now administers the Collège, and it only. */
  g_assert_true (act_as_login (store, PERM_STAFF_A, &error));
  g_assert_true (sesame_store_operator_is_admin (store));
  g_assert_false (sesame_store_operator_administers_all (store));
  g_assert_true (sesame_store_operator_administers (store, PERM_UAI_A));
  g_assert_false (sesame_store_operator_administers (store, PERM_UAI_B));
  g_assert_null (sesame_accounts_reset_password (store, PERM_PUPIL_B, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* The administrator of all makes an administrator of all, and unmakes. */
  g_assert_true (act_as (store, OP_ADMIN_ALL, &error));
  g_assert_true (sesame_roles_grant_admin (store, PERM_STAFF_B, SESAME_ROLE_SCOPE_ALL, &error));
  g_assert_true (act_as_login (store, PERM_STAFF_B, &error));
  g_assert_true (sesame_store_operator_administers_all (store));
  g_assert_true (act_as (store, OP_ADMIN_ALL, &error));
  g_assert_true (sesame_roles_revoke_admin (store, PERM_STAFF_B, &error));
  g_assert_true (sesame_roles_revoke_admin (store, PERM_STAFF_A, &error));
  g_assert_no_error (error);
  g_assert_true (act_as_login (store, PERM_STAFF_A, &error));
  g_assert_false (sesame_store_operator_is_admin (store));

  /* A head is an administrator by the directory's word: not revocable. */
  g_assert_true (act_as (store, OP_OWNER, &error));
  g_assert_false (sesame_roles_revoke_admin (store, "helene.roche", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
}

/* A DIR function for a structure the store does not know grants nothing. */
static void
test_head_of_nowhere (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SesameStore) store = open_copy (fixture, "nowhere");
  g_autoptr(GError) error = NULL;

  g_assert_true (act_as (store, OP_HEAD_NOWHERE, &error));
  g_assert_false (sesame_store_operator_is_admin (store));
  for (SesamePermission p = SESAME_PERMISSION_IMPORT; p <= SESAME_PERMISSION_MANAGE_STORE; p++)
    g_assert_false (sesame_store_operator_can (store, p));
}

/* Who receives passwords comes from sesame_profile_is_distributable()
 * alone: no statement of the core writes a profile number. */
static void
test_distributable_sql (void)
{
  g_autofree char *src = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "src", "libsesame", NULL);
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRegex) number = g_regex_new ("profile\\s*(IN\\s*\\(\\s*[0-9]|(=|<>|!=|<|>)\\s*[0-9])|WHEN\\s+[0-9]+\\s+THEN",
                                          G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GString) expected = g_string_new ("(");
  g_autoptr(GString) offenders = g_string_new (NULL);
  g_autofree char *list = NULL;
  g_autofree char *pair = NULL;
  guint users = 0;

  /* The core's folder and its domain folders, one level down. */
  g_ptr_array_add (folders, g_strdup (src));
  for (guint f = 0; f < folders->len; f++)
    {
      const char *folder = g_ptr_array_index (folders, f);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (folder, name, NULL);
          g_autofree char *text = NULL;
          g_auto(GStrv) lines = NULL;

          if (f == 0 && g_file_test (path, G_FILE_TEST_IS_DIR))
            g_ptr_array_add (folders, g_steal_pointer (&path));
          if (path == NULL || !g_str_has_suffix (name, ".c") || g_str_equal (name, "sesame-store-schema.c"))
            continue;
          g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
          lines = g_strsplit (text, "\n", -1);
          for (guint i = 0; lines[i] != NULL; i++)
            {
              if (g_regex_match (number, lines[i], 0, NULL))
                g_string_append_printf (offenders, "%s:%u: %s\n", name, i + 1, lines[i]);
              if (strstr (lines[i], "SESAME_SQL_DISTRIBUTABLE") != NULL)
                users++;
            }
        }
    }
  if (offenders->len > 0)
    g_error ("Profile numbers written in SQL:\n%s", offenders->str);
  /* The identifier files (2) and the letters (1) ask who is distributed. */
  g_assert_cmpuint (users, >=, 3);

  for (SesameProfile p = SESAME_PROFILE_NONE; p < SESAME_N_PROFILES; p++)
    if (sesame_profile_is_distributable (p))
      g_string_append_printf (expected, "%s%d", expected->len > 1 ? ", " : "", (int) p);
  g_string_append_c (expected, ')');
  list = g_strconcat ("x IN ", expected->str, NULL);
  g_assert_cmpstr (_sesame_profile_sql ("x IN " SESAME_SQL_DISTRIBUTABLE), ==, list);
  pair = g_strdup_printf ("p = %d OR p = %d", SESAME_PROFILE_PARENT, SESAME_PROFILE_ELEVE);
  g_assert_cmpstr (_sesame_profile_sql ("p = " SESAME_SQL_PARENT " OR p = " SESAME_SQL_PUPIL), ==, pair);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add ("/sesame/permissions/matrix", Fixture, NULL, perm_fixture_set_up, test_matrix, perm_fixture_tear_down);
  g_test_add ("/sesame/permissions/departed-role-ended", Fixture, NULL,
              perm_fixture_set_up, test_departed_role_ended, perm_fixture_tear_down);
  g_test_add ("/sesame/permissions/revoke-clock-behind", Fixture, NULL,
              perm_fixture_set_up, test_revoke_clock_behind, perm_fixture_tear_down);
  g_test_add ("/sesame/permissions/relatives-outside-scope", Fixture, NULL,
              perm_fixture_set_up, test_relatives_outside_scope, perm_fixture_tear_down);
  g_test_add ("/sesame/permissions/import-filtered", Fixture, NULL,
              perm_fixture_set_up, test_import_filtered, perm_fixture_tear_down);
  g_test_add ("/sesame/permissions/grant-admin", Fixture, NULL,
              perm_fixture_set_up, test_grant_admin, perm_fixture_tear_down);
  g_test_add ("/sesame/permissions/head-of-nowhere", Fixture, NULL,
              perm_fixture_set_up, test_head_of_nowhere, perm_fixture_tear_down);
  g_test_add_func ("/sesame/permissions/distributable-sql", test_distributable_sql);

  return g_test_run ();
}
