/* sesame-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts: what the import does to them (creates them, disables those of
 * persons who left, enables them again), and what an operator at the desk
 * does with one, within their reach: find it, read it, correct its login,
 * regenerate its first password, record that they showed it. Each desk
 * operation checks the operator's permission and writes the audit trail;
 * logins and passwords follow the rules of sesame-login.c and
 * sesame-credentials.c.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-accounts"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-audit.h"
#include "sesame-credentials-private.h"
#include "sesame-login-private.h"
#include "sesame-notices-private.h"
#include "sesame-person-private.h"
#include "sesame-persons-private.h"

/**
 * _sesame_accounts_create:
 * @self: a #SesameStore
 * @logins: (nullable): every login of the store, from
 *   _sesame_login_set_load(), or %NULL to look the new login up
 * @person_key: the directory key of a person written by an import, who has
 *   no account
 * @profile: the person's profile
 * @first_name: (nullable): their first name
 * @last_name: (nullable): their last name
 * @import_id: (nullable): the import that creates the account
 * @error: return location for a #GError
 *
 * Creates a person's account inside the caller's transaction: a unique
 * login from the names, and for a distributable profile a first password.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_accounts_create (SesameStore    *self,
                         SesameLoginSet *logins,
                         const char     *person_key,
                         SesameProfile   profile,
                         const char     *first_name,
                         const char     *last_name,
                         const char     *import_id,
                         GError        **error)
{
  g_autofree char *login = NULL;
  sqlite3_stmt *stmt;

  g_assert (SESAME_IS_STORE (self));
  g_assert (person_key != NULL);

  if (logins != NULL)
    login = _sesame_login_set_take (logins, first_name, last_name);
  else
    login = _sesame_login_find_free (self, first_name, last_name);

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO accounts (person_key, login, created_at, created_by_import) "
                                "VALUES (?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  if (import_id != NULL)
    sqlite3_bind_text (stmt, 4, import_id, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;

  /* Academy staff sign in with their academic credentials: no password. */
  return !sesame_profile_is_distributable (profile) ||
         _sesame_credentials_insert (self, person_key, NULL, error);
}

/**
 * _sesame_accounts_disable:
 * @self: a #SesameStore
 * @person_key: the directory key of a person who left
 * @error: return location for a #GError
 *
 * Disables a person's account inside the caller's transaction; an account
 * already disabled keeps the day it was.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_accounts_disable (SesameStore  *self,
                          const char   *person_key,
                          GError      **error)
{
  sqlite3_stmt *stmt;

  /* The first password is kept: a disabled account signs in with nothing
   * (every check refuses it), and a person listed again by a later import
   * gets their account back as it was. It expires as it would have. */
  stmt = _sesame_store_prepare (self,
                                "UPDATE accounts SET disabled_at = ?2 WHERE person_key = ?1 AND disabled_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

/**
 * _sesame_accounts_enable:
 * @self: a #SesameStore
 * @person_key: the directory key of a person who came back
 * @error: return location for a #GError
 *
 * Enables again a person's account inside the caller's transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_accounts_enable (SesameStore  *self,
                         const char   *person_key,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "UPDATE accounts SET disabled_at = NULL WHERE person_key = ? AND disabled_at IS NOT NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}

/* What an operator who does not reach the whole store sees of a person:
 * a parent's classes are those of their children within reach. */
static SesamePerson *
load_within_reach (SesameStore  *self,
                   const char   *key,
                   GError      **error)
{
  g_autoptr(SesamePerson) person = _sesame_persons_load (self, key, error);
  g_autoptr(GStrvBuilder) classes = NULL;
  g_auto(GStrv) children = NULL;
  g_auto(GStrv) kept = NULL;

  if (person == NULL || sesame_person_get_profile (person) != SESAME_PROFILE_PARENT ||
      sesame_store_operator_administers_all (self))
    return g_steal_pointer (&person);

  classes = g_strv_builder_new ();
  children = _sesame_persons_list_values (self,
                                          "SELECT g.pupil_key FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                          " WHERE g.parent_key = ? AND g.deleted_at IS NULL AND c.deleted_at IS NULL",
                                          key);
  for (guint i = 0; children[i] != NULL; i++)
    {
      g_auto(GStrv) codes = NULL;

      if (!_sesame_store_in_scope (self, children[i]))
        continue;
      codes = _sesame_persons_list_values (self,
                                           "SELECT DISTINCT code FROM memberships WHERE person_key = ? AND kind = 'class'"
                                           " AND deleted_at IS NULL ORDER BY code",
                                           children[i]);
      for (guint j = 0; codes[j] != NULL; j++)
        g_strv_builder_add (classes, codes[j]);
    }
  kept = g_strv_builder_end (classes);
  _sesame_person_set_classes (person, (const char * const *) kept);
  return g_steal_pointer (&person);
}

static char *
key_for_login (SesameStore  *self,
               const char   *login,
               GError      **error)
{
  sqlite3_stmt *stmt;
  char *key = NULL;

  if (login == NULL || *login == '\0')
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID, _("No login was given."));
      return NULL;
    }

  stmt = _sesame_store_prepare (self,
                                "SELECT a.person_key FROM accounts a JOIN persons p ON p.key = a.person_key "
                                "WHERE a.login = ? AND a.deleted_at IS NULL AND p.deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (key == NULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                 _("No account has the login “%s”."), login);
  return key;
}

/**
 * sesame_accounts_find:
 * @self: a #SesameStore
 * @login: a login
 * @error: return location for a #GError
 *
 * Finds an account by its login, for an administrator or an identifier
 * manager within their scope. Sets %SESAME_ERROR_NOT_FOUND when no account
 * has @login, %SESAME_ERROR_PERMISSION_DENIED when the person is out of
 * the operator's reach. A parent's classes are
 * those of their children within reach.
 *
 * Returns: (transfer full): the person, or %NULL with @error set
 */
SesamePerson *
sesame_accounts_find (SesameStore  *self,
                      const char   *login,
                      GError      **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, NULL, error))
    return NULL;
  key = key_for_login (self, login, error);
  if (key == NULL)
    return NULL;
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return NULL;
  return load_within_reach (self, key, error);
}

/**
 * sesame_accounts_find_person:
 * @self: a #SesameStore
 * @key: a directory key, with or without the academy prefix
 * @error: return location for a #GError
 *
 * Finds a person by their directory key, as sesame_accounts_find() does
 * by login: "AC-GRENOBLE$2605692" names the same person as "2605692".
 * Sets %SESAME_ERROR_NOT_FOUND when the directory holds no such person.
 *
 * Returns: (transfer full): the person, or %NULL with @error set
 */
SesamePerson *
sesame_accounts_find_person (SesameStore  *self,
                             const char   *key,
                             GError      **error)
{
  const char *dollar;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  /* "AC-GRENOBLE$2605692" names the same person as "2605692". */
  if ((dollar = strrchr (key, '$')) != NULL)
    key = dollar + 1;

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, NULL, error))
    return NULL;
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return NULL;
  return load_within_reach (self, key, error);
}

/**
 * sesame_accounts_list_relatives:
 * @self: a #SesameStore
 * @key: the directory key of a pupil or a parent
 * @error: return location for a #GError
 *
 * Lists a person's relatives. Relatives outside the operator's reach are
 * given by name and profile only: their key, login, classes and
 * establishment are left empty.
 *
 * Returns: (transfer full): a #GListModel of #SesamePerson: a pupil's
 *   guardians, or a parent's children; %NULL with @error set when the
 *   operator may not see the person
 */
GListModel *
sesame_accounts_list_relatives (SesameStore  *self,
                                const char   *key,
                                GError      **error)
{
  g_autoptr(GListStore) relatives = NULL;
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return NULL;

  keys = _sesame_persons_list_values (self,
                                      "SELECT g.parent_key FROM guardians g JOIN persons p ON p.key = g.parent_key"
                                      " WHERE g.pupil_key = ?1 AND g.deleted_at IS NULL AND p.deleted_at IS NULL"
                                      " UNION SELECT g.pupil_key FROM guardians g JOIN persons p ON p.key = g.pupil_key"
                                      " WHERE g.parent_key = ?1 AND g.deleted_at IS NULL AND p.deleted_at IS NULL",
                                      key);

  relatives = g_list_store_new (SESAME_TYPE_PERSON);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(SesamePerson) person = _sesame_persons_load (self, keys[i], NULL);

      if (person == NULL)
        continue;
      /* A relative outside the operator's reach (a parent's other child in
       * another establishment or class) is named, nothing more: no login,
       * key, class or establishment. */
      if (!_sesame_store_in_scope (self, keys[i]))
        {
          g_autoptr(SesamePerson) name_only = sesame_person_new ();

          _sesame_person_set_profile (name_only, sesame_person_get_profile (person));
          _sesame_person_set_state (name_only, sesame_person_get_state (person));
          _sesame_person_set_field (name_only, SESAME_PERSON_KIND,
                                   sesame_person_get_field (person, SESAME_PERSON_KIND));
          _sesame_person_set_field (name_only, SESAME_PERSON_TITLE,
                                   sesame_person_get_field (person, SESAME_PERSON_TITLE));
          _sesame_person_set_field (name_only, SESAME_PERSON_FIRST_NAME, sesame_person_get_first_name (person));
          _sesame_person_set_field (name_only, SESAME_PERSON_LAST_NAME, sesame_person_get_last_name (person));
          g_list_store_append (relatives, name_only);
          continue;
        }
      g_list_store_append (relatives, person);
    }
  return G_LIST_MODEL (g_steal_pointer (&relatives));
}

static gboolean
refuse_academy_staff (SesamePerson  *person,
                      GError       **error)
{
  if (sesame_person_is_distributable (person))
    return FALSE;
  g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
               _("%s is academy staff: their credentials come from the academy and are never handed out by Sésame."),
               sesame_person_get_login (person));
  return TRUE;
}

/**
 * sesame_accounts_check_new_login:
 * @self: a #SesameStore
 * @person_key: (nullable): the person the login is for
 * @new_login: the login to check
 * @error: return location for a #GError
 *
 * Checks a login as it is typed: well-formed (see sesame_login_is_valid())
 * and not held by anyone else, or %SESAME_ERROR_REFUSED. Reads only.
 *
 * Returns: %TRUE if @new_login may be given to the person
 */
gboolean
sesame_accounts_check_new_login (SesameStore  *self,
                                 const char   *person_key,
                                 const char   *new_login,
                                 GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_login_is_valid (new_login, error))
    return FALSE;
  if (_sesame_login_is_taken (self, new_login, person_key))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("The login “%s” is already taken."), new_login);
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_accounts_set_login:
 * @self: a #SesameStore
 * @login: the current login
 * @new_login: the new login
 * @error: return location for a #GError
 *
 * Changes a login; the old one stops working at once, and the person stays
 * findable by it. Refused for academy staff, whose logins come from the
 * academy. Audited; needs the permission to change logins within the
 * operator's reach.
 *
 * Returns: %TRUE on success, or %FALSE with @error set
 */
gboolean
sesame_accounts_set_login (SesameStore  *self,
                           const char   *login,
                           const char   *new_login,
                           GError      **error)
{
  g_autofree char *key = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(SesamePerson) person = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_CHANGE_LOGIN, NULL, error))
    return FALSE;
  key = key_for_login (self, login, error);
  if (key == NULL)
    return FALSE;
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_CHANGE_LOGIN, key, error))
    return FALSE;
  person = _sesame_persons_load (self, key, error);
  if (person == NULL || refuse_academy_staff (person, error))
    return FALSE;
  if (g_strcmp0 (login, new_login) == 0)
    return TRUE;
  if (!sesame_accounts_check_new_login (self, key, new_login, error))
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  stmt = _sesame_store_prepare (self,
                                "UPDATE accounts SET login = ?2, login_changed_at = ?3 WHERE person_key = ?1",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, new_login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  detail = g_strconcat (login, SESAME_AUDIT_LOGIN_CHANGE, new_login, NULL);
  if (!_sesame_store_step_done (self, stmt, error))
    goto fail;

  /* The person stays findable by the login they had: people at the desk
   * quote what is written on their old slip. */
  stmt = _sesame_store_prepare (self,
                                "INSERT OR IGNORE INTO former_logins (person_key, login, replaced_at)"
                                " VALUES (?1, ?2, ?3)",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  if (!_sesame_store_step_done (self, stmt, error) ||
      !_sesame_store_audit (self, "set-login", new_login, detail, error))
    goto fail;
  return _sesame_store_commit (self, error);

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

static char *reset_password (SesameStore  *self,
                             const char   *login,
                             const char   *detail,
                             GError      **error);

/**
 * sesame_accounts_reset_password:
 * @self: a #SesameStore
 * @login: the account's login
 * @error: return location for a #GError
 *
 * Regenerates a first password: the previous one and any chosen password
 * stop working, and the person must choose a new password at the next
 * sign-in. The operator's history records it, without the password.
 *
 * Returns: (transfer full): the new password, to be shown once, or %NULL
 *   with @error set
 */
char *
sesame_accounts_reset_password (SesameStore  *self,
                                const char   *login,
                                GError      **error)
{
  return reset_password (self, login, NULL, error);
}

/**
 * sesame_accounts_reset_password_checked:
 * @self: a #SesameStore
 * @login: the account's login
 * @identity_checked: whether the operator checked the person's identity
 *   before regenerating
 * @error: return location for a #GError
 *
 * Like sesame_accounts_reset_password(), for the desk: the audit trail also
 * says whether the operator checked the identity of the person.
 *
 * Returns: (transfer full): the new password, to be shown once, or %NULL
 *   with @error set
 */
char *
sesame_accounts_reset_password_checked (SesameStore  *self,
                                        const char   *login,
                                        gboolean      identity_checked,
                                        GError      **error)
{
  return reset_password (self, login,
                         identity_checked ? SESAME_AUDIT_IDENTITY_CHECKED : SESAME_AUDIT_IDENTITY_NOT_CHECKED,
                         error);
}

/**
 * sesame_accounts_record_login_shown:
 * @self: a #SesameStore
 * @login: the account's login
 * @identity_checked: whether the operator checked the person's identity
 *   before showing it
 * @error: return location for a #GError
 *
 * Records in the audit trail that the operator showed a login at the
 * desk, and whether they checked the identity of the person first.
 *
 * Returns: %TRUE if recorded
 */
gboolean
sesame_accounts_record_login_shown (SesameStore  *self,
                                    const char   *login,
                                    gboolean      identity_checked,
                                    GError      **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, NULL, error))
    return FALSE;
  key = key_for_login (self, login, error);
  if (key == NULL ||
      !sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return FALSE;
  if (!_sesame_store_begin (self, error))
    return FALSE;
  if (!_sesame_store_audit (self, "show-login", login,
                            identity_checked ? SESAME_AUDIT_IDENTITY_CHECKED : SESAME_AUDIT_IDENTITY_NOT_CHECKED,
                            error))
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  return _sesame_store_commit (self, error);
}

/**
 * sesame_accounts_list_subjects_taught:
 * @self: a #SesameStore
 * @key: a staff member's directory key
 * @error: return location for a #GError
 *
 * Lists the subjects a member of staff teaches, merging the subjects the
 * directory records for them with the disciplines of their functions.
 *
 * Returns: (transfer full): the subjects the person teaches, as the
 *   directory names them, sorted; empty for anyone else; %NULL with
 *   @error set when the operator may not see the person
 */
char **
sesame_accounts_list_subjects_taught (SesameStore  *self,
                                      const char   *key,
                                      GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_VIEW_ACCOUNT, key, error))
    return NULL;
  return _sesame_persons_list_values (self,
                                      "SELECT label FROM staff_subjects WHERE person_key = ?1 AND deleted_at IS NULL AND label <> ''"
                                      " UNION SELECT discipline_label FROM functions"
                                      " WHERE person_key = ?1 AND deleted_at IS NULL AND discipline_label <> ''"
                                      " ORDER BY 1",
                                      key);
}

static char *
reset_password (SesameStore  *self,
                const char   *login,
                const char   *detail,
                GError      **error)
{
  g_autofree char *key = NULL;
  g_autoptr(SesamePerson) person = NULL;
  g_autofree char *password = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_RESET_PASSWORD, NULL, error))
    return NULL;
  key = key_for_login (self, login, error);
  if (key == NULL)
    return NULL;
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_RESET_PASSWORD, key, error))
    return NULL;
  person = _sesame_persons_load (self, key, error);
  if (person == NULL || refuse_academy_staff (person, error))
    return NULL;
  if (sesame_person_get_state (person) == SESAME_ACCOUNT_STATE_DISABLED)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("The account %s is disabled: the person has left the establishment."), login);
      return NULL;
    }

  if (!_sesame_store_begin (self, error))
    return NULL;

  if (!_sesame_credentials_revoke (self, key, error))
    goto fail;

  stmt = _sesame_store_prepare (self, "UPDATE accounts SET password_hash = NULL WHERE person_key = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error) ||
      !_sesame_credentials_insert (self, key, &password, error) ||
      !_sesame_store_audit (self, "reset-password", login, detail, error))
    goto fail;

  if (!_sesame_store_commit (self, error))
    return NULL;
  /* The operator's copy by email: it never stands in the way. */
  {
    g_autoptr(GError) notice_error = NULL;

    if (!_sesame_store_queue_notice (self, login, &notice_error))
      g_message ("The notice of the regenerated password of %s was not recorded: %s", login, notice_error->message);
  }
  return g_steal_pointer (&password);

fail:
  _sesame_store_rollback (self);
  return NULL;
}
