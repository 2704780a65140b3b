/* sesame-roles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Gestionnaire des identifiants" and administrator roles. Grants and
 * revocations are insert-only rows, so that two desks granting and
 * revoking at once merge: the last row the store received for a person and
 * a role (its sequence, never its clock) says whether it is held, and only
 * while the person is still in the directory.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-roles"

#include <glib/gi18n-lib.h>

#include "sesame-accounts-private.h"
#include "sesame-persons-private.h"
#include "sesame-roles.h"

G_DEFINE_BOXED_TYPE (SesameRoleGrant, sesame_role_grant,
                     sesame_role_grant_copy, sesame_role_grant_free)

/**
 * sesame_role_grant_copy:
 * @grant: a #SesameRoleGrant
 *
 * Copies a grant with its strings.
 *
 * Returns: (transfer full): a copy of @grant, freed with
 *   sesame_role_grant_free()
 */
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
  copy->granted_by_name = g_strdup (grant->granted_by_name);
  copy->establishments = g_strdup (grant->establishments);
  return copy;
}

/**
 * sesame_role_grant_free:
 * @grant: (nullable) (transfer full): a #SesameRoleGrant
 *
 * Frees @grant and its strings. %NULL is ignored.
 */
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
  g_free (grant->granted_by_name);
  g_free (grant->establishments);
  g_free (grant);
}

/**
 * sesame_role_to_label:
 * @role: "admin" or "manager"
 *
 * Names a role for people, in the language of the interface; any role but
 * "admin" reads as an identifier manager.
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
 * sesame_role_grant_dup_status:
 * @grant: a #SesameRoleGrant
 *
 * Says in words where a grant stands, for the table of rights.
 *
 * Returns: (transfer full): whether the role is held, or why it ended,
 *   e.g. "Left the establishment on 06/12/2026", for people to read
 */
char *
sesame_role_grant_dup_status (const SesameRoleGrant *grant)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *date = NULL;

  g_return_val_if_fail (grant != NULL, NULL);

  if (grant->ended_at == 0)
    return g_strdup (_("Held"));
  when = g_date_time_new_from_unix_local (grant->ended_at);
  date = when ? g_date_time_format (when, "%d/%m/%Y") : g_strdup ("?");
  /* Translators: the role ended because its holder left; %s is a date */
  return g_strdup_printf (_("Ended: left the establishment on %s"), date);
}

static void
bind_params (sqlite3_stmt *stmt,
             GPtrArray    *params)
{
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
}

/* The establishments of a role's holder: where they belong and where they
 * hold a function. */
#define ESTABLISHMENTS_SQL \
  "(SELECT group_concat (e.name || ' (' || e.uai || ')', char (10)) FROM establishments e" \
  " WHERE e.deleted_at IS NULL AND e.jointure IN (SELECT p.structure" \
  "  UNION SELECT fn.structure FROM functions fn WHERE fn.person_key = p.key AND fn.deleted_at IS NULL))"

/* One line each, without the repeats of a structure exported under two
 * keys; NULL for none. */
static char *
dup_establishments (const char *lines)
{
  g_auto(GStrv) split = NULL;
  g_autoptr(GStrvBuilder) unique = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) result = NULL;

  if (lines == NULL || *lines == '\0')
    return NULL;
  split = g_strsplit (lines, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    if (g_hash_table_add (seen, split[i]))
      g_strv_builder_add (unique, split[i]);
  result = g_strv_builder_end (unique);
  return g_strjoinv ("\n", result);
}

/* Who granted a role, for people to read (columns 9 to 11 of the list):
 * an operator's name rather than their login, and for the computer's own
 * account, what it did rather than its user name. */
static char *
dup_granted_by_name (sqlite3_stmt    *stmt,
                     SesameRoleGrant *grant)
{
  const char *operator = _sesame_column_text (stmt, 6);

  if (*operator == '\0')
    return g_strdup (grant->granted_by);
  if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
    {
      g_autofree char *last = g_utf8_strup (_sesame_column_text (stmt, 10), -1);

      return g_strdup_printf ("%s %s", _sesame_column_text (stmt, 9), last);
    }
  /* Not a login: the store's owner, who sets the store up and runs
   * scripts without signing in. */
  if (g_strcmp0 (grant->role, "admin") == 0 && sqlite3_column_int (stmt, 11))
    return g_strdup (_("Set-up of Sésame"));
  return g_strdup (_("This computer's account, without signing in"));
}

/**
 * sesame_roles_list:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * The summary table of rights: who holds which role, with which scope,
 * granted by whom and when. Heads of establishment are administrators by
 * function and are listed too. A role whose holder left the directory is
 * listed as ended (see #SesameRoleGrant.ended_at): it grants nothing.
 * Administrators of some establishments and identifier managers see the
 * roles of the staff of their establishments, and their own.
 *
 * It reads the store, which is used by one thread at a time. It fails with
 * %SESAME_ERROR_PERMISSION_DENIED when the acting operator may not see the
 * table of rights, or with the store's (%SESAME_ERROR_BUSY,
 * %SESAME_ERROR_FAILED) errors.
 *
 * Returns: (transfer full) (element-type SesameRoleGrant): the grants
 */
GPtrArray *
sesame_roles_list (SesameStore  *self,
                   GError      **error)
{
  g_autoptr(GPtrArray) grants = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_role_grant_free);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_auto(SesameOperatorReach) reach = { 0, };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *sql = NULL;
  const char *me;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_OPERATE, NULL, NULL))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                           _("Only administrators and identifier managers can read the table of rights."));
      return NULL;
    }

  _sesame_store_get_reach (self, &reach);
  me = sesame_store_operator_get_key (self);
  /* A manager of classes reads the rights of their establishments' staff:
   * who administers them, who else helps. */
  if (reach.kind == SESAME_REACH_CLASSES)
    {
      stmt = _sesame_store_prepare (self,
                                    "SELECT json_group_array (DISTINCT e.uai) FROM establishments e"
                                    " WHERE e.deleted_at IS NULL AND e.jointure IN ("
                                    "  SELECT structure FROM persons WHERE key = ?1"
                                    "  UNION SELECT structure FROM functions WHERE person_key = ?1 AND deleted_at IS NULL)",
                                    error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, me, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_free (reach.uais);
          reach.uais = g_strdup (_sesame_column_text (stmt, 0));
          reach.kind = SESAME_REACH_ESTABLISHMENTS;
        }
      sqlite3_reset (stmt);
      stmt = NULL;
    }
  first = _sesame_store_scope_condition (self, &reach, "p", params);
  g_ptr_array_add (params, g_strdup (me ? me : ""));
  second = _sesame_store_scope_condition (self, &reach, "p", params);
  g_ptr_array_add (params, g_strdup (me ? me : ""));

  /* The newest event of each person and role, by the store's sequence. */
  sql = g_strdup_printf ("WITH latest AS (SELECT r.person_key, r.role, r.scope, r.operator, r.at, r.granted"
                         "  FROM role_events r WHERE r.seq = (SELECT MAX (n.seq) FROM role_events n"
                         "  WHERE n.person_key = r.person_key AND n.role = r.role))"
                         " SELECT a.login, p.key, p.first_name, p.last_name, l.role, l.scope, l.operator, l.at,"
                         "  p.left_at,"
                         "  (SELECT gp.first_name FROM accounts ga JOIN persons gp ON gp.key = ga.person_key"
                         "   WHERE ga.login = l.operator LIMIT 1),"
                         "  (SELECT gp.last_name FROM accounts ga JOIN persons gp ON gp.key = ga.person_key"
                         "   WHERE ga.login = l.operator LIMIT 1),"
                         "  EXISTS (SELECT 1 FROM operator_passphrases o WHERE o.person_key = p.key AND o.via = 'setup'),"
                         "  " ESTABLISHMENTS_SQL
                         " FROM latest l"
                         " JOIN persons p ON p.key = l.person_key AND p.deleted_at IS NULL"
                         " LEFT JOIN accounts a ON a.person_key = p.key"
                         " WHERE l.granted = 1 AND (%s OR p.key = ?)"
                         " UNION ALL"
                         " SELECT a.login, p.key, p.first_name, p.last_name, 'admin', 'establishment', '',"
                         "  p.first_seen_at, p.left_at, NULL, NULL, 0, " ESTABLISHMENTS_SQL
                         " FROM persons p LEFT JOIN accounts a ON a.person_key = p.key"
                         " WHERE p.deleted_at IS NULL AND EXISTS (SELECT 1 FROM functions f"
                         "   JOIN establishments e ON e.jointure = f.structure AND e.deleted_at IS NULL"
                         "   WHERE f.person_key = p.key AND f.code = 'DIR'"
                         "   AND (f.deleted_at IS NULL OR p.left_at IS NOT NULL))"
                         " AND NOT EXISTS (SELECT 1 FROM latest l WHERE l.person_key = p.key"
                         "   AND l.role = 'admin' AND l.granted = 1)"
                         " AND (%s OR p.key = ?)"
                         " ORDER BY 5, 4 COLLATE NAME, 3 COLLATE NAME",
                         first, second);
  db = _sesame_store_get_db (self);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _sesame_store_set_error (self, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  bind_params (stmt, params);

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
      grant->granted_by_name = dup_granted_by_name (stmt, grant);
      grant->establishments = dup_establishments (_sesame_column_text (stmt, 12));
      grant->granted_at = sqlite3_column_int64 (stmt, 7);
      grant->ended_at = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (grants, grant);
    }
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
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

  person = _sesame_persons_load (self, key, error);
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
 * sesame_roles_grant:
 * @self: a #SesameStore
 * @login: a member of staff's login
 * @scope: the whole establishment, or the pupils of their classes and their
 *   guardians
 * @error: return location for a #GError
 *
 * Grants the "Gestionnaire des identifiants" role; administrators only.
 * Granting again changes the scope.
 *
 * It fails with %SESAME_ERROR_PERMISSION_DENIED when the acting operator
 * may not manage roles or not for that person, %SESAME_ERROR_NOT_FOUND when
 * no account has @login, %SESAME_ERROR_REFUSED when @login is not a member
 * of staff or has left, %SESAME_ERROR_INVALID for a scope a manager cannot
 * have, or with the store's (%SESAME_ERROR_BUSY, %SESAME_ERROR_FAILED)
 * errors. The audit trail records the grant.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_roles_grant (SesameStore      *self,
                    const char       *login,
                    SesameRoleScope   scope,
                    GError          **error)
{
  g_autoptr(SesamePerson) person = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, NULL, error))
    return FALSE;
  if (scope != SESAME_ROLE_SCOPE_ESTABLISHMENT && scope != SESAME_ROLE_SCOPE_CLASSES)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("An identifier manager acts on their establishment or on their classes."));
      return FALSE;
    }
  person = staff_for_login (self, login, error);
  if (person == NULL)
    return FALSE;
  /* Administrators of some establishments grant roles to their staff only. */
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, sesame_person_get_key (person), error))
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

static gboolean
revoke_role_event (SesameStore  *self,
                   const char   *login,
                   const char   *role,
                   GError      **error)
{
  g_autofree char *key = NULL;
  g_autofree char *scope_token = NULL;
  sqlite3_stmt *stmt;

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, NULL, error))
    return FALSE;

  /* The last event the store received for this person and role. */
  stmt = _sesame_store_prepare (self,
                                "SELECT r.person_key, r.scope FROM accounts a"
                                " JOIN role_events r ON r.person_key = a.person_key AND r.role = ?2"
                                " WHERE a.login = ?1 AND a.deleted_at IS NULL AND r.granted = 1"
                                " AND r.seq = (SELECT MAX (n.seq) FROM role_events n"
                                "   WHERE n.person_key = r.person_key AND n.role = r.role)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      key = g_strdup (_sesame_column_text (stmt, 0));
      scope_token = g_strdup (_sesame_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (key == NULL)
    {
      if (g_str_equal (role, "admin"))
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                     _("%s does not hold an administrator role granted in Sésame (heads of establishment"
                       " are administrators as long as the directory says so)."), login);
      else
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                     _("%s does not hold the identifier manager role."), login);
      return FALSE;
    }
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, key, error))
    return FALSE;
  if (g_strcmp0 (scope_token, "all") == 0 &&
      !sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  if (!insert_role_event (self, key, role, SESAME_ROLE_SCOPE_ESTABLISHMENT, FALSE, error) ||
      !_sesame_store_audit (self, g_str_equal (role, "admin") ? "revoke-admin" : "revoke-role", login, NULL, error))
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  return _sesame_store_commit (self, error);
}

/**
 * sesame_roles_revoke:
 * @self: a #SesameStore
 * @login: a member of staff's login
 * @error: return location for a #GError
 *
 * Revokes the "Gestionnaire des identifiants" role; administrators of the
 * holder's establishment only. The revocation takes effect whatever the
 * clocks of the desks say: events are ordered by the store's sequence.
 *
 * Returns: %TRUE on success, or %FALSE with %SESAME_ERROR_NOT_FOUND if the
 *   role was not held
 */
gboolean
sesame_roles_revoke (SesameStore  *self,
                     const char   *login,
                     GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  return revoke_role_event (self, login, "manager", error);
}

/**
 * sesame_roles_grant_admin:
 * @self: a #SesameStore
 * @login: a member of staff's login
 * @scope: %SESAME_ROLE_SCOPE_ALL for every establishment of the store, or
 *   %SESAME_ROLE_SCOPE_ESTABLISHMENT for the establishments they work in
 * @error: return location for a #GError
 *
 * Makes a member of staff an administrator. Only the store's owner and
 * the administrators of every establishment can make an administrator of
 * every establishment; the administrators of an establishment can make
 * one of its staff an administrator of it.
 *
 * It fails with the errors of sesame_roles_grant(); the audit trail records
 * the grant.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_roles_grant_admin (SesameStore      *self,
                          const char       *login,
                          SesameRoleScope   scope,
                          GError          **error)
{
  g_autoptr(SesamePerson) person = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, NULL, error))
    return FALSE;
  if (scope != SESAME_ROLE_SCOPE_ALL && scope != SESAME_ROLE_SCOPE_ESTABLISHMENT)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("An administrator administers their establishment or all establishments."));
      return FALSE;
    }
  if (scope == SESAME_ROLE_SCOPE_ALL &&
      !sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
    return FALSE;
  person = staff_for_login (self, login, error);
  if (person == NULL)
    return FALSE;
  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_ROLES, sesame_person_get_key (person), error))
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  if (!insert_role_event (self, sesame_person_get_key (person), "admin", scope, TRUE, error) ||
      !_sesame_store_audit (self, "grant-admin", login, sesame_role_scope_to_token (scope), error))
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  return _sesame_store_commit (self, error);
}

/**
 * sesame_roles_revoke_admin:
 * @self: a #SesameStore
 * @login: a member of staff's login
 * @error: return location for a #GError
 *
 * Revokes an administrator role granted in Sésame. Heads of establishment
 * stay administrators of their establishment as long as the directory
 * says they are heads.
 *
 * It fails with %SESAME_ERROR_NOT_FOUND when @login holds no administrator
 * role granted in Sésame, %SESAME_ERROR_PERMISSION_DENIED when the acting
 * operator may not revoke it, or with the store's (%SESAME_ERROR_BUSY,
 * %SESAME_ERROR_FAILED) errors. The audit trail records the revocation.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_roles_revoke_admin (SesameStore  *self,
                           const char   *login,
                           GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  return revoke_role_event (self, login, "admin", error);
}
