/* sesame-store-grower.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Grows a store for benchmarks: a search has to be measured on a million
 * persons, and generating then importing a directory that size would take
 * most of the benchmark's time. Instead the persons already imported are
 * copied with SQL, round after round, into copies of their establishments,
 * until the store holds the number asked for:
 *
 * - directory keys and establishment jointures get a "-<round>" suffix, the
 *   copied establishments new valid UAIs;
 * - each copy takes the first name (and title) of another person of the
 *   same kind, rotated by round, so copies are new name pairs rather than
 *   exact duplicates; last names keep their real frequencies;
 * - classes, groups, guardian links, functions and teachings are copied
 *   with the persons; accounts get logins made by the store's own rule
 *   (sesame_login_make() plus a numeric suffix for homonyms), pending first
 *   passwords for the profiles Sésame distributes, and their rows in the
 *   free-text index (the columns _sesame_search_index_person() fills).
 *
 * Benchmarks and their tests only: it writes directory data outside an
 * import, which the product never does, so it lives beside the benchmarks
 * rather than in the core.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-bench"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-credentials.h"
#include "sesame-demo-directory-private.h"
#include "sesame-store-grower.h"

#define ROTATION 7919

/* Copies of the establishments, with UAIs no other establishment has. */
static gboolean
clone_establishments (SesameStore  *store,
                      GPtrArray    *jointures,
                      GHashTable   *uais,
                      const char   *suffix,
                      GError      **error)
{
  for (guint i = 0; i < jointures->len; i++)
    {
      const char *jointure = g_ptr_array_index (jointures, i);
      g_autofree char *uai = NULL;
      g_autofree char *new_jointure = g_strconcat (jointure, suffix, NULL);
      sqlite3_stmt *stmt;
      char digits[8];
      guint number;

      stmt = _sesame_store_prepare (store, "SELECT uai FROM establishments WHERE jointure = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, jointure, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        uai = g_strdup (_sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (uai == NULL || strlen (uai) < 7)
        continue;

      /* Same department, another number. */
      number = (guint) g_ascii_strtoull (uai + 3, NULL, 10);
      do
        {
          char candidate[9];

          number = (number + 1013) % 10000;
          g_snprintf (digits, sizeof digits, "%.3s%04u", uai, number);
          g_snprintf (candidate, sizeof candidate, "%s%c", digits, _sesame_demo_uai_letter (digits));
          g_free (uai);
          uai = g_strdup (candidate);
        }
      while (g_hash_table_contains (uais, uai));
      g_hash_table_add (uais, g_strdup (uai));

      stmt = _sesame_store_prepare (store,
                                    "INSERT INTO establishments (jointure, uai, name, street, postal_code, city,"
                                    " academy, phone, first_seen_at)"
                                    " SELECT ?1, ?2, name, street, postal_code, city, academy, phone, first_seen_at"
                                    " FROM establishments WHERE jointure = ?3",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, new_jointure, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, uai, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, jointure, -1, SQLITE_TRANSIENT);
      if (!_sesame_store_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
step_with_suffix (SesameStore  *store,
                  const char   *sql,
                  const char   *suffix,
                  GError      **error)
{
  sqlite3_stmt *stmt = _sesame_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, suffix, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (store, stmt, error);
}

/* Accounts (when the original had one) and first passwords of the persons
 * copied in this round. */
static gboolean
clone_accounts (SesameStore     *store,
                SesameLoginSet  *logins,
                const char      *suffix,
                GCancellable    *cancellable,
                GError         **error)
{
  gint64 now = sesame_store_now (store);
  int length = sesame_store_settings_get_int (store, SESAME_SETTING_PASSWORD_LENGTH, 8);
  int days = sesame_store_settings_get_int (store, SESAME_SETTING_PASSWORD_EXPIRY_DAYS, 60);
  const char *operator_name = _sesame_store_operator_name (store);
  sqlite3_stmt *rows;
  sqlite3 *db = _sesame_store_get_db (store);
  guint n = 0;
  int rc;

  /* A statement of its own: the loop below uses the store's cached ones. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT c.key, c.profile, c.first_name, c.last_name, a.person_key IS NOT NULL"
                          " FROM demo_round r JOIN persons c ON c.key = r.key || ?1"
                          " LEFT JOIN accounts a ON a.person_key = r.key ORDER BY c.rowid",
                          -1, &rows, NULL) != SQLITE_OK)
    {
      _sesame_store_set_error (store, error);
      return FALSE;
    }
  sqlite3_bind_text (rows, 1, suffix, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      const char *key = _sesame_column_text (rows, 0);
      SesameProfile profile = sqlite3_column_int (rows, 1);
      const char *first = _sesame_column_text (rows, 2);
      const char *last = _sesame_column_text (rows, 3);
      g_autofree char *login = NULL;
      sqlite3_stmt *stmt;

      if (++n % 4096 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;

      if (sqlite3_column_int (rows, 4))
        {
          login = _sesame_login_set_take (logins, first, last);
          stmt = _sesame_store_prepare (store,
                                        "INSERT INTO accounts (person_key, login, created_at) VALUES (?, ?, ?)",
                                        error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, login, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, now);
          if (!_sesame_store_step_done (store, stmt, error))
            goto fail;

          if (sesame_profile_is_distributable (profile))
            {
              g_autofree char *id = _sesame_new_id ();
              g_autofree char *password = sesame_credentials_generate_password (CLAMP (length, 6, 32));

              stmt = _sesame_store_prepare (store,
                                            "INSERT INTO credentials (id, person_key, password, created_at,"
                                            " expires_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                                            error);
              if (stmt == NULL)
                goto fail;
              sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (stmt, 3, password, -1, SQLITE_TRANSIENT);
              sqlite3_bind_int64 (stmt, 4, now);
              sqlite3_bind_int64 (stmt, 5, now + (gint64) MAX (days, 1) * 24 * 3600);
              sqlite3_bind_text (stmt, 6, operator_name, -1, SQLITE_TRANSIENT);
              if (!_sesame_store_step_done (store, stmt, error))
                goto fail;
              sodium_memzero (password, strlen (password));
            }
        }
    }

  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (store, error);
      goto fail;
    }
  sqlite3_finalize (rows);
  return TRUE;

fail:
  sqlite3_finalize (rows);
  return FALSE;
}

static gboolean
clone_round (SesameStore     *store,
             guint            round,
             guint            limit,
             GPtrArray       *jointures,
             GHashTable      *uais,
             SesameLoginSet  *logins,
             GCancellable    *cancellable,
             GError         **error)
{
  g_autofree char *suffix = g_strdup_printf ("-%u", round);
  sqlite3_stmt *stmt;

  if (!_sesame_store_exec (store, "DELETE FROM demo_round", error))
    return FALSE;
  stmt = _sesame_store_prepare (store,
                                "INSERT INTO demo_round SELECT r, key, kind, ord, n FROM demo_base ORDER BY r LIMIT ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, limit);
  if (!_sesame_store_step_done (store, stmt, error))
    return FALSE;

  if (!clone_establishments (store, jointures, uais, suffix, error))
    return FALSE;

  stmt = _sesame_store_prepare (store,
                                "INSERT INTO persons (key, kind, profile, title, last_name, first_name, birth_name,"
                                " birth_date, ine, structure, address, postal_code, city, country, email, home_phone,"
                                " work_phone, mobile, is_head, first_seen_at, last_import, left_at)"
                                " SELECT p.key || ?1, p.kind, p.profile, o.title, p.last_name, o.first_name,"
                                " p.birth_name, p.birth_date, p.ine,"
                                " CASE WHEN p.structure <> '' THEN p.structure || ?1 ELSE '' END,"
                                " p.address, p.postal_code, p.city, p.country, p.email, p.home_phone, p.work_phone,"
                                " p.mobile, p.is_head, p.first_seen_at, p.last_import, p.left_at"
                                " FROM demo_round b JOIN persons p ON p.rowid = b.r"
                                " JOIN demo_base ob ON ob.kind = b.kind AND ob.ord = (b.ord + ?2) % b.n"
                                " JOIN persons o ON o.rowid = ob.r"
                                " ORDER BY b.r",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, suffix, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) round * ROTATION);
  if (!_sesame_store_step_done (store, stmt, error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!step_with_suffix (store,
                         "INSERT INTO memberships (person_key, structure, kind, code)"
                         " SELECT m.person_key || ?1, m.structure || ?1, m.kind, m.code"
                         " FROM demo_round r JOIN memberships m ON m.person_key = r.key WHERE m.deleted_at IS NULL",
                         suffix, error) ||
      !step_with_suffix (store,
                         "INSERT INTO guardians (pupil_key, parent_key, relationship, legal, financial, contact)"
                         " SELECT g.pupil_key || ?1, g.parent_key || ?1, g.relationship, g.legal, g.financial, g.contact"
                         " FROM demo_round r JOIN guardians g ON g.pupil_key = r.key"
                         " WHERE g.deleted_at IS NULL AND g.parent_key IN (SELECT key FROM demo_round)",
                         suffix, error) ||
      !step_with_suffix (store,
                         "INSERT INTO functions (person_key, structure, code, label, discipline, discipline_label)"
                         " SELECT f.person_key || ?1, f.structure || ?1, f.code, f.label, f.discipline, f.discipline_label"
                         " FROM demo_round r JOIN functions f ON f.person_key = r.key WHERE f.deleted_at IS NULL",
                         suffix, error) ||
      !step_with_suffix (store,
                         "INSERT INTO teachings (person_key, structure, kind, code)"
                         " SELECT t.person_key || ?1, t.structure || ?1, t.kind, t.code"
                         " FROM demo_round r JOIN teachings t ON t.person_key = r.key WHERE t.deleted_at IS NULL",
                         suffix, error) ||
      !step_with_suffix (store,
                         "INSERT INTO staff_subjects (person_key, structure, label)"
                         " SELECT s.person_key || ?1, s.structure || ?1, s.label"
                         " FROM demo_round r JOIN staff_subjects s ON s.person_key = r.key WHERE s.deleted_at IS NULL",
                         suffix, error))
    return FALSE;

  /* The search index in one statement per round, as
   * _sesame_search_index_person() fills it: row by row, FTS5 spends seven
   * times as long. */
  return clone_accounts (store, logins, suffix, cancellable, error) &&
         step_with_suffix (store,
                           "INSERT INTO persons_fts (rowid, first_name, last_name, other_names)"
                           " SELECT c.rowid, c.first_name, c.last_name, c.birth_name"
                           " FROM demo_round r JOIN persons c ON c.key = r.key || ?1 ORDER BY c.rowid",
                           suffix, error);
}

static gboolean
count_persons (SesameStore  *store,
               guint        *count,
               GError      **error)
{
  sqlite3_stmt *stmt = _sesame_store_prepare (store, "SELECT count(*) FROM persons WHERE deleted_at IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  *count = sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
sesame_store_grower_clone_persons (SesameStore   *store,
                                   guint          target_persons,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(GPtrArray) jointures = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) uais = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(SesameLoginSet) logins = NULL;
  sqlite3_stmt *stmt;
  guint base = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);

  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_IMPORT, NULL, error) ||
      !count_persons (store, &base, error))
    goto out;
  if (base >= target_persons)
    {
      ok = TRUE;
      goto out;
    }
  if (base == 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("The store holds no person to copy: import a directory first."));
      goto out;
    }

  if (!_sesame_store_begin (store, error))
    goto out;

  stmt = _sesame_store_prepare (store, "SELECT jointure, uai FROM establishments WHERE deleted_at IS NULL", error);
  if (stmt == NULL)
    goto rollback;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (jointures, g_strdup (_sesame_column_text (stmt, 0)));
      g_hash_table_add (uais, g_strdup (_sesame_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);

  logins = _sesame_login_set_load (store, error);
  if (logins == NULL ||
      !_sesame_store_exec (store,
                           "DROP TABLE IF EXISTS temp.demo_base;"
                           "DROP TABLE IF EXISTS temp.demo_round;"
                           /* Each person, its rank among those of its kind
                            * and how many they are: a copy takes the first
                            * name of the person ranked a few thousand after. */
                           "CREATE TEMP TABLE demo_base AS SELECT rowid AS r, key, kind,"
                           " row_number () OVER (PARTITION BY kind ORDER BY rowid) - 1 AS ord,"
                           " count (*) OVER (PARTITION BY kind) AS n"
                           " FROM persons WHERE deleted_at IS NULL;"
                           "CREATE INDEX temp.demo_base_kind ON demo_base (kind, ord);"
                           "CREATE TEMP TABLE demo_round (r INTEGER PRIMARY KEY, key TEXT UNIQUE, kind TEXT,"
                           " ord INTEGER, n INTEGER);",
                           error))
    goto rollback;

  for (guint round = 1, count = base; count < target_persons; round++)
    {
      guint limit = MIN (base, target_persons - count);

      if (!clone_round (store, round, limit, jointures, uais, logins, cancellable, error))
        goto rollback;
      count += limit;
    }

  if (!_sesame_store_exec (store,
                           "DROP TABLE temp.demo_base; DROP TABLE temp.demo_round;",
                           error) ||
      !_sesame_store_commit (store, error))
    goto rollback;

  ok = TRUE;
  goto out;

rollback:
  _sesame_store_rollback (store);
  _sesame_store_exec (store,
                      "DROP TABLE IF EXISTS temp.demo_base; DROP TABLE IF EXISTS temp.demo_round;",
                      NULL);
out:
  return ok;
}
