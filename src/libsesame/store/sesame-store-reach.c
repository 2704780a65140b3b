/* sesame-store-reach.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the acting operator reaches: the whole store, some establishments,
 * or the pupils of some classes and their guardians. It is read from the
 * directory and the roles at each check (a head of establishment who left
 * loses their rights at once), and turned into the SQL conditions that
 * searches, letters and files add to their queries, so that a listing
 * and a check of one person never disagree.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

#include <string.h>

#include "sesame-store-internal-private.h"

/* Role grants and revocations are ordered by the store's own sequence
 * (role_events.seq), never by their timestamps: a desk whose clock is
 * behind must still be able to revoke what it granted a moment before. */
static gboolean
holds_role (SesameStore     *self,
            const char      *key,
            const char      *role,
            SesameRoleScope *scope)
{
  sqlite3_stmt *stmt;
  gboolean granted = FALSE;

  if (key == NULL)
    return FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT granted, scope FROM role_events WHERE person_key = ? AND role = ? "
                                "ORDER BY seq DESC LIMIT 1",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      granted = sqlite3_column_int (stmt, 0) != 0;
      if (scope != NULL)
        sesame_role_scope_from_token (_sesame_column_text (stmt, 1), scope);
    }
  sqlite3_reset (stmt);
  return granted;
}

/* Whether the person is still in the directory: someone who left (a
 * deleteRequest, or absent from a complete export) holds no right. */
static gboolean
is_present (SesameStore *self,
            const char  *key)
{
  sqlite3_stmt *stmt;
  gboolean present = FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT 1 FROM persons WHERE key = ? AND left_at IS NULL AND deleted_at IS NULL",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  present = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return present;
}

/* The UAIs, as a JSON array, of the establishments that exist in the
 * store where the person is head (function DIR) and, with @own, those
 * they belong to or work in. A DIR function for a structure the store
 * does not know grants nothing. */
static char *
dup_establishments (SesameStore *self,
                    const char  *key,
                    gboolean     own)
{
  sqlite3_stmt *stmt;
  char *uais = NULL;

  stmt = _sesame_store_prepare (self,
                                "SELECT json_group_array (DISTINCT e.uai) FROM establishments e"
                                " WHERE e.deleted_at IS NULL AND e.jointure IN ("
                                "  SELECT structure FROM functions WHERE person_key = ?1 AND code = 'DIR'"
                                "   AND deleted_at IS NULL"
                                "  UNION SELECT structure FROM persons WHERE key = ?1 AND ?2"
                                "  UNION SELECT structure FROM functions WHERE person_key = ?1"
                                "   AND deleted_at IS NULL AND ?2)",
                                NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, own ? 1 : 0);
  if (sqlite3_step (stmt) == SQLITE_ROW && g_strcmp0 (_sesame_column_text (stmt, 0), "[]") != 0)
    uais = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return uais;
}

/**
 * _sesame_operator_reach_clear:
 * @reach: a reach filled by _sesame_store_get_reach()
 *
 * Frees what @reach holds, not @reach itself.
 */
void
_sesame_operator_reach_clear (SesameOperatorReach *reach)
{
  g_clear_pointer (&reach->uais, g_free);
}

/**
 * _sesame_store_get_reach:
 * @self: a #SesameStore
 * @reach: (out caller-allocates): what the acting operator reaches; clear
 *   it with _sesame_operator_reach_clear()
 *
 * The one place that decides what an operator may reach. The store's
 * owner and the administrators of every establishment reach the whole
 * store; heads of establishment (function DIR) and administrators of
 * their establishment reach the accounts of their establishments, as
 * identifier managers of an establishment do; identifier managers of
 * classes reach the pupils of their classes and their guardians. Whoever
 * left the directory reaches nothing, whatever role they were granted.
 */
void
_sesame_store_get_reach (SesameStore         *self,
                         SesameOperatorReach *reach)
{
  SesameRoleScope scope = SESAME_ROLE_SCOPE_ESTABLISHMENT;
  const char *key = self->operator_key;

  reach->kind = SESAME_REACH_NONE;
  reach->admin = FALSE;
  reach->uais = NULL;

  if (key == NULL)
    {
      reach->kind = SESAME_REACH_ALL;
      reach->admin = TRUE;
      return;
    }
  if (!is_present (self, key))
    return;

  if (holds_role (self, key, "admin", &scope))
    {
      if (scope == SESAME_ROLE_SCOPE_ALL)
        {
          reach->kind = SESAME_REACH_ALL;
          reach->admin = TRUE;
          return;
        }
      reach->uais = dup_establishments (self, key, TRUE);
    }
  else
    reach->uais = dup_establishments (self, key, FALSE);

  if (reach->uais != NULL)
    {
      reach->kind = SESAME_REACH_ESTABLISHMENTS;
      reach->admin = TRUE;
      return;
    }

  if (holds_role (self, key, "manager", &scope))
    {
      if (scope == SESAME_ROLE_SCOPE_CLASSES)
        reach->kind = SESAME_REACH_CLASSES;
      else if ((reach->uais = dup_establishments (self, key, TRUE)) != NULL)
        reach->kind = SESAME_REACH_ESTABLISHMENTS;
    }
}

/**
 * _sesame_store_reach_has_uai:
 * @reach: the operator's reach, from _sesame_store_get_reach()
 * @uai: (nullable): an establishment's UAI
 *
 * Returns: whether the establishment is within the reach
 */
gboolean
_sesame_store_reach_has_uai (const SesameOperatorReach *reach,
                             const char                *uai)
{
  g_autofree char *quoted = NULL;

  if (reach->kind == SESAME_REACH_ALL)
    return TRUE;
  if (reach->kind != SESAME_REACH_ESTABLISHMENTS || reach->uais == NULL || uai == NULL)
    return FALSE;
  /* UAIs are 7 digits and a letter: no quoting to undo. */
  quoted = g_strdup_printf ("\"%s\"", uai);
  return strstr (reach->uais, quoted) != NULL;
}

/**
 * _sesame_store_get_manager_scope:
 * @self: a #SesameStore
 * @scope: (out): where the role's scope goes
 *
 * Returns: whether the acting operator, still in the directory, holds the
 *   identifier manager role
 */
gboolean
_sesame_store_get_manager_scope (SesameStore     *self,
                                 SesameRoleScope *scope)
{
  if (self->operator_key == NULL || !is_present (self, self->operator_key))
    return FALSE;
  return holds_role (self, self->operator_key, "manager", scope);
}

/**
 * _sesame_store_scope_condition:
 * @self: a #SesameStore
 * @reach: the operator's reach, from _sesame_store_get_reach()
 * @person: the SQL name of the persons row to test, e.g. "p"
 * @params: (element-type utf8): where the condition's parameters go, one
 *   string for each `?` it holds, in order
 *
 * The SQL condition that a person is within the operator's reach: for an
 * establishment, the person belongs to it, works in it, or is the
 * guardian of a pupil in it; for classes, the person is a pupil of a
 * class or group the operator teaches or leads, or a guardian of one.
 *
 * Returns: (transfer full): the condition, in parentheses
 */
char *
_sesame_store_scope_condition (SesameStore               *self,
                               const SesameOperatorReach *reach,
                               const char                *person,
                               GPtrArray                 *params)
{
  switch (reach->kind)
    {
    case SESAME_REACH_ALL:
      return g_strdup ("(1)");

    case SESAME_REACH_ESTABLISHMENTS:
      for (guint i = 0; i < 3; i++)
        g_ptr_array_add (params, g_strdup (reach->uais));
      return g_strdup_printf ("(%1$s.structure IN (SELECT jointure FROM establishments"
                              "   WHERE uai IN (SELECT value FROM json_each (?)))"
                              " OR EXISTS (SELECT 1 FROM functions sf WHERE sf.person_key = %1$s.key"
                              "   AND sf.deleted_at IS NULL AND sf.structure IN (SELECT jointure FROM establishments"
                              "   WHERE uai IN (SELECT value FROM json_each (?))))"
                              " OR EXISTS (SELECT 1 FROM guardians sg JOIN persons sc ON sc.key = sg.pupil_key"
                              "   WHERE sg.parent_key = %1$s.key AND sg.deleted_at IS NULL"
                              "   AND sc.structure IN (SELECT jointure FROM establishments"
                              "   WHERE uai IN (SELECT value FROM json_each (?)))))",
                              person);

    case SESAME_REACH_CLASSES:
      for (guint i = 0; i < 2; i++)
        g_ptr_array_add (params, g_strdup (self->operator_key));
      return g_strdup_printf ("(%1$s.key IN (SELECT m.person_key FROM teachings t JOIN memberships m"
                              "   ON m.code = t.code COLLATE NOCASE AND m.structure = t.structure AND m.code = t.code"
                              "   AND m.deleted_at IS NULL WHERE t.person_key = ? AND t.deleted_at IS NULL)"
                              " OR EXISTS (SELECT 1 FROM guardians sg WHERE sg.parent_key = %1$s.key"
                              "   AND sg.deleted_at IS NULL AND sg.pupil_key IN (SELECT m.person_key"
                              "   FROM teachings t JOIN memberships m ON m.code = t.code COLLATE NOCASE"
                              "   AND m.structure = t.structure AND m.code = t.code AND m.deleted_at IS NULL"
                              "   WHERE t.person_key = ? AND t.deleted_at IS NULL)))",
                              person);

    case SESAME_REACH_NONE:
    default:
      return g_strdup ("(0)");
    }
}

/**
 * _sesame_store_scope_set_condition:
 * @self: a #SesameStore
 * @reach: the operator's reach, from _sesame_store_get_reach()
 * @person: the SQL name of the persons row to test, e.g. "p"
 * @params: (element-type utf8): where the condition's parameters go
 *
 * The condition of _sesame_store_scope_condition() for a listing: the
 * persons of the operator's establishments are gathered once per
 * statement, and each row read is looked up among them, instead of each
 * row looking for its structure, functions and children. Searches of a
 * head of establishment read every match of the academy to find theirs.
 *
 * Returns: (transfer full): the condition, in parentheses
 */
char *
_sesame_store_scope_set_condition (SesameStore               *self,
                                   const SesameOperatorReach *reach,
                                   const char                *person,
                                   GPtrArray                 *params)
{
  if (reach->kind != SESAME_REACH_ESTABLISHMENTS)
    return _sesame_store_scope_condition (self, reach, person, params);

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (params, g_strdup (reach->uais));
  return g_strdup_printf ("(%s.key IN ("
                          "  SELECT key FROM persons WHERE structure IN (SELECT jointure FROM establishments"
                          "   WHERE uai IN (SELECT value FROM json_each (?)))"
                          "  UNION SELECT person_key FROM functions WHERE deleted_at IS NULL"
                          "   AND structure IN (SELECT jointure FROM establishments"
                          "   WHERE uai IN (SELECT value FROM json_each (?)))"
                          "  UNION SELECT sg.parent_key FROM guardians sg JOIN persons sc ON sc.key = sg.pupil_key"
                          "   WHERE sg.deleted_at IS NULL AND sc.structure IN (SELECT jointure FROM establishments"
                          "   WHERE uai IN (SELECT value FROM json_each (?)))))",
                          person);
}

/**
 * _sesame_store_reach_has_person:
 * @self: a #SesameStore
 * @reach: the operator's reach, from _sesame_store_get_reach()
 * @target_key: a person's directory key
 *
 * _sesame_store_in_scope() for a reach read once, when many persons are
 * checked in a row.
 *
 * Returns: whether the person is within the reach
 */
gboolean
_sesame_store_reach_has_person (SesameStore               *self,
                                const SesameOperatorReach *reach,
                                const char                *target_key)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *condition = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean found;

  if (reach->kind == SESAME_REACH_ALL)
    return TRUE;
  if (reach->kind == SESAME_REACH_NONE)
    return FALSE;

  /* The statement depends on the kind of reach only, its parameters on
   * the operator: interned, it is prepared once and cached. Letters check
   * every person they print. */
  condition = _sesame_store_scope_condition (self, reach, "t", params);
  sql = g_strdup_printf ("SELECT 1 FROM persons t WHERE t.key = ? AND %s", condition);
  stmt = _sesame_store_prepare (self, g_intern_string (sql), NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target_key, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, i + 2, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/**
 * _sesame_store_in_scope:
 * @self: a #SesameStore
 * @target_key: (nullable): a person's directory key
 *
 * Returns: whether the person is within the acting operator's reach, or
 *   with %NULL, whether the operator reaches anyone
 */
gboolean
_sesame_store_in_scope (SesameStore *self,
                        const char  *target_key)
{
  g_auto(SesameOperatorReach) reach = { 0, };

  _sesame_store_get_reach (self, &reach);
  if (target_key == NULL)
    return reach.kind != SESAME_REACH_NONE;
  return _sesame_store_reach_has_person (self, &reach, target_key);
}

/**
 * _sesame_store_reach_can:
 * @reach: the operator's reach, from _sesame_store_get_reach()
 * @permission: what the operator wants to do
 *
 * Which permissions each reach holds: one table for every check.
 *
 * Returns: whether the permission is held, whoever the target
 */
gboolean
_sesame_store_reach_can (const SesameOperatorReach *reach,
                         SesamePermission           permission)
{
  switch (permission)
    {
    case SESAME_PERMISSION_OPERATE:
    case SESAME_PERMISSION_SEARCH:
    case SESAME_PERMISSION_VIEW_ACCOUNT:
    case SESAME_PERMISSION_CHANGE_LOGIN:
    case SESAME_PERMISSION_RESET_PASSWORD:
    case SESAME_PERMISSION_PRINT:
      return reach->kind != SESAME_REACH_NONE;
    case SESAME_PERMISSION_IMPORT:
    case SESAME_PERMISSION_MANAGE_FILES:
    case SESAME_PERMISSION_MANAGE_ROLES:
    case SESAME_PERMISSION_SEND_MAIL:
      return reach->admin;
    case SESAME_PERMISSION_VIEW_AUDIT:
    case SESAME_PERMISSION_MANAGE_STORE:
      return reach->admin && reach->kind == SESAME_REACH_ALL;
    default:
      return FALSE;
    }
}

