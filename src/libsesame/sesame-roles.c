/* sesame-roles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Gestionnaire des identifiants" role. Grants and revocations are
 * insert-only rows, so that two desks granting and revoking at once merge:
 * the newest row for a person and a role says whether it is held.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-roles"

#include <glib/gi18n-lib.h>

#include "sesame-accounts-private.h"
#include "sesame-roles.h"

G_DEFINE_BOXED_TYPE (SesameRoleGrant, sesame_role_grant,
                     sesame_role_grant_copy, sesame_role_grant_free)

SesameRoleGrant *
sesame_role_grant_copy (const SesameRoleGrant *grant)
{
  SesameRoleGrant *copy;

  g_return_val_if_fail (grant != NULL, NULL);

  copy = g_memdup2 (grant, sizeof *grant);
  copy->login = g_strdup (grant->login);
  copy->key = g_strdup (grant->key);
  copy->name = g_strdup (grant->name);
  copy->role = g_strdup (grant->role);
  copy->granted_by = g_strdup (grant->granted_by);
  return copy;
}

void
sesame_role_grant_free (SesameRoleGrant *grant)
{
  if (grant == NULL)
    return;
  g_free (grant->login);
  g_free (grant->key);
  g_free (grant->name);
  g_free (grant->role);
  g_free (grant->granted_by);
  g_free (grant);
}

/**
 * sesame_role_to_label:
 * @role: "admin" or "manager"
 *
 * Returns: the translated name of the role
 */
const char *
sesame_role_to_label (const char *role)
{
  if (g_strcmp0 (role, "admin") == 0)
    return _("Administrator");
  return _("Identifier manager");
}

/**
 * sesame_store_list_roles:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * The summary table of rights: who holds which role, with which scope,
 * granted by whom and when. Heads of establishment are administrators by
 * function and are listed too.
 *
 * Returns: (transfer full) (element-type SesameRoleGrant): the grants held
 */
GPtrArray *
sesame_store_list_roles (SesameStore  *self,
                         GError      **error)
{
  g_autoptr(GPtrArray) grants = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_role_grant_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_can (self, SESAME_PERMISSION_SEARCH))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           _("Only administrators and identifier managers can read the table of rights."));
      return NULL;
    }

  stmt = _sesame_store_prepare (self,
                                "SELECT a.login, p.key, p.first_name, p.last_name, r.role, r.scope, r.operator, r.at"
                                " FROM role_events r"
                                " JOIN persons p ON p.key = r.person_key AND p.deleted_at IS NULL"
                                " LEFT JOIN accounts a ON a.person_key = p.key"
                                " WHERE r.granted = 1 AND NOT EXISTS (SELECT 1 FROM role_events n"
                                "   WHERE n.person_key = r.person_key AND n.role = r.role"
                                "   AND (n.at > r.at OR (n.at = r.at AND n.rowid > r.rowid)))"
                                " UNION ALL"
                                " SELECT a.login, p.key, p.first_name, p.last_name, 'admin', 'establishment', '', p.first_seen_at"
                                " FROM persons p LEFT JOIN accounts a ON a.person_key = p.key"
                                " WHERE p.is_head = 1 AND p.left_at IS NULL AND p.deleted_at IS NULL"
                                " ORDER BY 5, 4 COLLATE NAME, 3 COLLATE NAME",
                                error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameRoleGrant *grant = g_new0 (SesameRoleGrant, 1);
      g_autofree char *last = g_utf8_strup (_sesame_column_text (stmt, 3), -1);

      grant->login = g_strdup (_sesame_column_text (stmt, 0));
      grant->key = g_strdup (_sesame_column_text (stmt, 1));
      grant->name = g_strdup_printf ("%s %s", _sesame_column_text (stmt, 2), last);
      grant->role = g_strdup (_sesame_column_text (stmt, 4));
      sesame_role_scope_from_token (_sesame_column_text (stmt, 5), &grant->scope);
      grant->granted_by = g_strdup (*_sesame_column_text (stmt, 6) ? _sesame_column_text (stmt, 6)
                                                                   : _("the directory (head of establishment)"));
      grant->granted_at = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (grants, grant);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&grants);
}

static gboolean
insert_role_event (SesameStore      *self,
                   const char       *key,
                   const char       *role,
                   SesameRoleScope   scope,
                   gboolean          granted,
                   GError          **error)
{
  g_autofree char *uuid = _sesame_new_id ();
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO role_events (id, person_key, role, scope, granted, operator, at)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, sesame_role_scope_to_token (scope), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, granted ? 1 : 0);
  sqlite3_bind_text (stmt, 6, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

static SesamePerson *
staff_for_login (SesameStore  *self,
                 const char   *login,
                 GError      **error)
{
  g_autoptr(SesamePerson) person = NULL;
  sqlite3_stmt *stmt;
  g_autofree char *key = NULL;

  stmt = _sesame_store_prepare (self, "SELECT person_key FROM accounts WHERE login = ? AND deleted_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (key == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("No account has the login “%s”."), login);
      return NULL;
    }

  person = _sesame_store_load_person (self, key, error);
  if (person == NULL)
    return NULL;

  /* Pupils and parents are never operators. */
  if (sesame_person_get_profile (person) == SESAME_PROFILE_ELEVE ||
      sesame_person_get_profile (person) == SESAME_PROFILE_PARENT)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("%s is not a member of staff: only staff can manage identifiers."), login);
      return NULL;
    }
  if (sesame_person_get_has_left (person))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("%s has left the establishment."), login);
      return NULL;
    }
  return g_steal_pointer (&person);
}

/**
 * sesame_store_grant_role:
 * @self: a #SesameStore
 * @login: a member of staff's login
 * @scope: the whole establishment, or the pupils of their classes and their
 *   guardians
 * @error: return location for a #GError
 *
 * Grants the "Gestionnaire des identifiants" role; administrators only.
 * Granting again changes the scope.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_store_grant_role (SesameStore      *self,
                         const char       *login,
                         SesameRoleScope   scope,
                         GError          **error)
{
  g_autoptr(SesamePerson) person = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_store_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, NULL, error))
    return FALSE;
  person = staff_for_login (self, login, error);
  if (person == NULL)
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  if (!insert_role_event (self, sesame_person_get_key (person), "manager", scope, TRUE, error) ||
      !_sesame_store_audit (self, "grant-role", login, sesame_role_scope_to_token (scope), error))
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  return _sesame_store_commit (self, error);
}

/**
 * sesame_store_revoke_role:
 * @self: a #SesameStore
 * @login: a member of staff's login
 * @error: return location for a #GError
 *
 * Revokes the "Gestionnaire des identifiants" role; administrators only.
 *
 * Returns: %TRUE on success, or %FALSE with %SESAME_ERROR_NOT_FOUND if the
 *   role was not held
 */
gboolean
sesame_store_revoke_role (SesameStore  *self,
                          const char   *login,
                          GError      **error)
{
  g_autoptr(GPtrArray) grants = NULL;
  const char *key = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_store_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, NULL, error))
    return FALSE;

  grants = sesame_store_list_roles (self, error);
  if (grants == NULL)
    return FALSE;
  for (guint i = 0; i < grants->len; i++)
    {
      SesameRoleGrant *grant = g_ptr_array_index (grants, i);

      if (g_strcmp0 (grant->login, login) == 0 && g_str_equal (grant->role, "manager"))
        key = grant->key;
    }
  if (key == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("%s does not hold the identifier manager role."), login);
      return FALSE;
    }

  if (!_sesame_store_begin (self, error))
    return FALSE;
  if (!insert_role_event (self, key, "manager", SESAME_ROLE_SCOPE_ESTABLISHMENT, FALSE, error) ||
      !_sesame_store_audit (self, "revoke-role", login, NULL, error))
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  return _sesame_store_commit (self, error);
}
