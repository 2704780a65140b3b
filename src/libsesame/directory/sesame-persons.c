/* sesame-persons.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Persons as the store holds them: the queries that fill a #SesamePerson
 * from the directory's tables and the account beside it, and the key a
 * person is known by outside Sésame. Accounts, roles, letters and the
 * window all show the same person; reading them in one place keeps what
 * they show the same.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-directory"

#include <glib/gi18n-lib.h>

#include "sesame-person-private.h"
#include "sesame-persons-private.h"

/**
 * _sesame_persons_list_values:
 * @self: a #SesameStore
 * @sql: a statement whose first parameter is the person's key
 * @key: the person's directory key
 *
 * Reads the first column of every row that @sql gives for one person:
 * their classes, groups, relatives or subjects. A statement that fails
 * gives no row.
 *
 * Returns: (transfer full) (array zero-terminated=1): the values, in the
 *   order of @sql
 */
char **
_sesame_persons_list_values (SesameStore *self,
                             const char  *sql,
                             const char  *key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = _sesame_store_prepare (self, sql, NULL);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, _sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return g_strv_builder_end (builder);
}

/**
 * _sesame_persons_load:
 * @self: a #SesameStore
 * @person_key: a directory key
 * @error: return location for a #GError
 *
 * Reads a person as the store holds them now: identity, address,
 * establishment, account and its state, classes and groups (a parent's
 * are their children's, staff's those they teach). Checks no permission:
 * the callers check the operator's reach first.
 *
 * Returns: (transfer full): the person, or %NULL with @error set
 */
SesamePerson *
_sesame_persons_load (SesameStore  *self,
                      const char   *person_key,
                      GError      **error)
{
  g_autoptr(SesamePerson) person = NULL;
  g_auto(GStrv) classes = NULL;
  g_auto(GStrv) groups = NULL;
  sqlite3_stmt *stmt;
  gint64 now = sesame_store_now (self);

  stmt = _sesame_store_prepare (self,
                                "SELECT p.key, p.kind, p.profile, p.title, p.last_name, p.first_name, p.birth_name,"
                                " p.birth_date, p.ine, p.structure, p.address, p.postal_code, p.city, p.country,"
                                " p.email, p.home_phone, p.work_phone, p.mobile, p.is_head, p.left_at,"
                                " a.login, a.created_at, a.first_sign_in_at, a.last_sign_in_at, a.disabled_at,"
                                " e.uai, e.name, e.academy,"
                                " EXISTS (SELECT 1 FROM credentials c WHERE c.person_key = p.key AND c.used_at IS NOT NULL"
                                "   AND c.used_at > COALESCE (a.password_changed_at, 0)),"
                                " EXISTS (SELECT 1 FROM credentials c WHERE c.person_key = p.key AND c.password IS NOT NULL"
                                "   AND c.used_at IS NULL AND c.revoked_at IS NULL AND c.expires_at > ?2)"
                                " FROM persons p"
                                " LEFT JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                                " LEFT JOIN establishments e ON e.jointure = CASE WHEN p.structure <> '' THEN p.structure ELSE"
                                "   (SELECT c.structure FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                "    WHERE g.parent_key = p.key AND g.deleted_at IS NULL ORDER BY c.left_at IS NOT NULL LIMIT 1) END"
                                " WHERE p.key = ?1 AND p.deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("No person has the directory key “%s”."), person_key);
      return NULL;
    }

  person = sesame_person_new ();
  _sesame_person_set_field (person, SESAME_PERSON_KEY, _sesame_column_text (stmt, 0));
  _sesame_person_set_field (person, SESAME_PERSON_KIND, _sesame_column_text (stmt, 1));
  _sesame_person_set_profile (person, sqlite3_column_int (stmt, 2));
  _sesame_person_set_field (person, SESAME_PERSON_TITLE, _sesame_column_text (stmt, 3));
  _sesame_person_set_field (person, SESAME_PERSON_LAST_NAME, _sesame_column_text (stmt, 4));
  _sesame_person_set_field (person, SESAME_PERSON_FIRST_NAME, _sesame_column_text (stmt, 5));
  _sesame_person_set_field (person, SESAME_PERSON_BIRTH_NAME, _sesame_column_text (stmt, 6));
  _sesame_person_set_field (person, SESAME_PERSON_BIRTH_DATE, _sesame_column_text (stmt, 7));
  _sesame_person_set_field (person, SESAME_PERSON_INE, _sesame_column_text (stmt, 8));
  _sesame_person_set_field (person, SESAME_PERSON_STRUCTURE, _sesame_column_text (stmt, 9));
  _sesame_person_set_field (person, SESAME_PERSON_ADDRESS, _sesame_column_text (stmt, 10));
  _sesame_person_set_field (person, SESAME_PERSON_POSTAL_CODE, _sesame_column_text (stmt, 11));
  _sesame_person_set_field (person, SESAME_PERSON_CITY, _sesame_column_text (stmt, 12));
  _sesame_person_set_field (person, SESAME_PERSON_COUNTRY, _sesame_column_text (stmt, 13));
  _sesame_person_set_field (person, SESAME_PERSON_EMAIL, _sesame_column_text (stmt, 14));
  _sesame_person_set_field (person, SESAME_PERSON_HOME_PHONE, _sesame_column_text (stmt, 15));
  _sesame_person_set_field (person, SESAME_PERSON_WORK_PHONE, _sesame_column_text (stmt, 16));
  _sesame_person_set_field (person, SESAME_PERSON_MOBILE, _sesame_column_text (stmt, 17));
  _sesame_person_set_has_left (person, sqlite3_column_type (stmt, 19) != SQLITE_NULL);
  _sesame_person_set_field (person, SESAME_PERSON_LOGIN, _sesame_column_text (stmt, 20));
  _sesame_person_set_times (person,
                           sqlite3_column_int64 (stmt, 21),
                           sqlite3_column_int64 (stmt, 22),
                           sqlite3_column_int64 (stmt, 23));
  if (sqlite3_column_type (stmt, 24) != SQLITE_NULL || sqlite3_column_type (stmt, 19) != SQLITE_NULL)
    _sesame_person_set_state (person, SESAME_ACCOUNT_STATE_DISABLED);
  else if (sqlite3_column_type (stmt, 22) != SQLITE_NULL)
    _sesame_person_set_state (person, SESAME_ACCOUNT_STATE_ACTIVE);
  else
    _sesame_person_set_state (person, SESAME_ACCOUNT_STATE_PENDING);
  _sesame_person_set_field (person, SESAME_PERSON_ESTABLISHMENT, _sesame_column_text (stmt, 25));
  _sesame_person_set_field (person, SESAME_PERSON_ESTABLISHMENT_NAME, _sesame_column_text (stmt, 26));
  _sesame_person_set_field (person, SESAME_PERSON_ACADEMY, _sesame_column_text (stmt, 27));
  /* Signed in with a first password and not changed it yet, or holding a
   * regenerated password: either way a change is due at the next sign-in. */
  _sesame_person_set_must_change_password (person,
                                          sqlite3_column_int (stmt, 28) != 0 ||
                                          (sqlite3_column_int (stmt, 29) != 0 &&
                                           sqlite3_column_type (stmt, 22) != SQLITE_NULL));
  sqlite3_reset (stmt);

  if (sesame_profile_is_distributable (sesame_person_get_profile (person)))
    {
      classes = _sesame_persons_list_values (self,
                                             "SELECT DISTINCT code FROM memberships WHERE person_key = ? AND kind = 'class' "
                                             "AND deleted_at IS NULL ORDER BY code",
                                             person_key);
      groups = _sesame_persons_list_values (self,
                                            "SELECT DISTINCT code FROM memberships WHERE person_key = ? AND kind = 'group' "
                                            "AND deleted_at IS NULL ORDER BY code",
                                            person_key);
      /* A parent's classes are their children's. */
      if (sesame_person_get_profile (person) == SESAME_PROFILE_PARENT)
        {
          g_strfreev (classes);
          classes = _sesame_persons_list_values (self,
                                                 "SELECT DISTINCT m.code FROM guardians g JOIN memberships m"
                                                 " ON m.person_key = g.pupil_key AND m.kind = 'class' AND m.deleted_at IS NULL"
                                                 " WHERE g.parent_key = ? AND g.deleted_at IS NULL ORDER BY m.code",
                                                 person_key);
        }
    }
  else
    {
      classes = _sesame_persons_list_values (self,
                                             "SELECT DISTINCT code FROM teachings WHERE person_key = ? AND kind IN ('class', 'principal') "
                                             "AND deleted_at IS NULL ORDER BY code",
                                             person_key);
      groups = _sesame_persons_list_values (self,
                                            "SELECT DISTINCT code FROM teachings WHERE person_key = ? AND kind = 'group' "
                                            "AND deleted_at IS NULL ORDER BY code",
                                            person_key);
    }
  _sesame_person_set_classes (person, (const char * const *) classes);
  _sesame_person_set_groups (person, (const char * const *) groups);

  return g_steal_pointer (&person);
}

/**
 * sesame_persons_dup_qualified_key:
 * @self: a #SesameStore
 * @person_key: a directory key
 *
 * The key as the identifier files write it: with the academy's prefix,
 * e.g. `AC-GRENOBLE$2605692`, when the academy is known. The prefix is
 * the one set for the store when there is one, otherwise "AC-" and the
 * academy of the person's establishment, or for a parent of their
 * child's.
 *
 * Returns: (transfer full): the key, prefixed when it can be
 */
char *
sesame_persons_dup_qualified_key (SesameStore *self,
                                  const char  *person_key)
{
  g_autofree char *prefix = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (person_key != NULL, NULL);

  prefix = sesame_store_settings_dup (self, SESAME_SETTING_ACADEMY_PREFIX, NULL);

  if (prefix == NULL)
    {
      /* The person's academy, or for a parent their child's. */
      stmt = _sesame_store_prepare (self,
                                    "SELECT e.academy FROM persons p JOIN establishments e ON e.jointure = p.structure"
                                    " WHERE p.key = ?1 AND e.academy <> ''"
                                    " UNION ALL SELECT e.academy FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                    " JOIN establishments e ON e.jointure = c.structure WHERE g.parent_key = ?1"
                                    " AND g.deleted_at IS NULL AND e.academy <> '' LIMIT 1",
                                    NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            prefix = g_strdup_printf ("AC-%s", _sesame_column_text (stmt, 0));
          sqlite3_reset (stmt);
        }
    }

  if (prefix == NULL || *prefix == '\0')
    return g_strdup (person_key);
  return g_strdup_printf ("%s$%s", prefix, person_key);
}
