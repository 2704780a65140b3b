/* sesame-import-links.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sets of links a person carries: classes and groups, guardians,
 * functions, classes taught, subjects taught. Each is compared with what is
 * stored; links that appear are written, links that went away get a
 * tombstone, and nothing is written when nothing changed.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-import-private.h"

const SesameImportLinkTable _sesame_import_memberships = {
  "SELECT structure, kind, code, deleted_at IS NOT NULL FROM memberships WHERE person_key = ?1",
  "INSERT INTO memberships (person_key, structure, kind, code) VALUES (?1, ?2, ?3, ?4)"
  " ON CONFLICT (person_key, structure, kind, code) DO UPDATE SET deleted_at = NULL",
  "UPDATE memberships SET deleted_at = ?5 WHERE person_key = ?1 AND structure = ?2 AND kind = ?3 AND code = ?4",
  3, 3,
};

const SesameImportLinkTable _sesame_import_guardians = {
  "SELECT parent_key, relationship, legal, financial, contact, deleted_at IS NOT NULL FROM guardians WHERE pupil_key = ?1",
  "INSERT INTO guardians (pupil_key, parent_key, relationship, legal, financial, contact) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
  " ON CONFLICT (pupil_key, parent_key) DO UPDATE SET relationship = excluded.relationship, legal = excluded.legal,"
  " financial = excluded.financial, contact = excluded.contact, deleted_at = NULL",
  "UPDATE guardians SET deleted_at = ?3 WHERE pupil_key = ?1 AND parent_key = ?2",
  1, 5,
};

const SesameImportLinkTable _sesame_import_functions = {
  "SELECT structure, code, discipline, label, discipline_label, deleted_at IS NOT NULL FROM functions WHERE person_key = ?1",
  "INSERT INTO functions (person_key, structure, code, discipline, label, discipline_label) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
  " ON CONFLICT (person_key, structure, code, discipline) DO UPDATE SET label = excluded.label,"
  " discipline_label = excluded.discipline_label, deleted_at = NULL",
  "UPDATE functions SET deleted_at = ?5 WHERE person_key = ?1 AND structure = ?2 AND code = ?3 AND discipline = ?4",
  3, 5,
};

const SesameImportLinkTable _sesame_import_teachings = {
  "SELECT structure, kind, code, deleted_at IS NOT NULL FROM teachings WHERE person_key = ?1",
  "INSERT INTO teachings (person_key, structure, kind, code) VALUES (?1, ?2, ?3, ?4)"
  " ON CONFLICT (person_key, structure, kind, code) DO UPDATE SET deleted_at = NULL",
  "UPDATE teachings SET deleted_at = ?5 WHERE person_key = ?1 AND structure = ?2 AND kind = ?3 AND code = ?4",
  3, 3,
};

const SesameImportLinkTable _sesame_import_staff_subjects = {
  "SELECT structure, label, deleted_at IS NOT NULL FROM staff_subjects WHERE person_key = ?1",
  "INSERT INTO staff_subjects (person_key, structure, label) VALUES (?1, ?2, ?3)"
  " ON CONFLICT (person_key, structure, label) DO UPDATE SET deleted_at = NULL",
  "UPDATE staff_subjects SET deleted_at = ?4 WHERE person_key = ?1 AND structure = ?2 AND label = ?3",
  2, 2,
};

const char * const _sesame_import_digits[10] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };

/* Relationship codes, old (1 father, 2 mother, 3 guardian…) and new
 * (10 mother, 20 father, 50 guardian…), are stored in the new coding. */
static int
relationship_code (const char *text)
{
  static const int old_to_new[] = { 0, 20, 10, 50, 39, 51, 90, 70 };
  gint64 code;

  if (!g_ascii_string_to_signed (text, 10, 0, 99, &code, NULL))
    return 0;
  if (code < (gint64) G_N_ELEMENTS (old_to_new))
    return old_to_new[code];
  return (int) code;
}

static const char *
relationship_text (SesameImportJob *job,
                   int              code)
{
  char text[8];

  if (code >= 0 && code < 10)
    return _sesame_import_digits[code];
  g_snprintf (text, sizeof text, "%d", code);
  return g_string_chunk_insert_const (job->scratch, text);
}

static SesameImportLink *
find_row (GArray     *rows,
          const char *const *key,
          guint       n_keys)
{
  for (guint i = 0; i < rows->len; i++)
    {
      SesameImportLink *row = &g_array_index (rows, SesameImportLink, i);
      guint k;

      for (k = 0; k < n_keys; k++)
        if (strcmp (row->col[k], key[k]) != 0)
          break;
      if (k == n_keys)
        return row;
    }
  return NULL;
}

/* Adds a row unless one with the same key is there. */
SesameImportLink *
_sesame_import_add_link (GArray     *rows,
         guint       n_keys,
         const char *c0,
         const char *c1,
         const char *c2,
         const char *c3,
         const char *c4)
{
  SesameImportLink row = { { c0, c1, c2, c3, c4 } };
  SesameImportLink *existing = find_row (rows, row.col, n_keys);

  if (existing != NULL)
    return existing;
  g_array_append_val (rows, row);
  return &g_array_index (rows, SesameImportLink, rows->len - 1);
}

/* The pupil's guardians: ENTElevePersRelEleve
 * (parentId$relationship$financial$legal$contact$payment), or in older
 * files ENTElevePere, ENTEleveMere, ENTEleveParents and
 * ENTEleveAutoriteParentale. A parent listed twice counts once. */
void
_sesame_import_collect_guardians (SesameImportJob       *job,
                   const SesameAafRecord *record,
                   GArray                *rows)
{
  const char * const *values = sesame_aaf_record_get_values (record, "ENTElevePersRelEleve");
  const char * const *autorite;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *f[6];
      SesameImportLink *row;

      if (*values[i] == '\0')
        continue;
      if (!_sesame_import_split_value (job, record, "ENTElevePersRelEleve", values[i],
                                       "parent$relationship$financial$legal$contact$payment", f, 6, 1 << 0))
        continue;
      row = _sesame_import_add_link (rows, 1, f[0],
                     relationship_text (job, relationship_code (f[1])),
                     _sesame_import_digits[g_strcmp0 (f[3], "0") != 0 && *f[3] != '\0'],
                     _sesame_import_digits[g_str_equal (f[2], "1")],
                     _sesame_import_digits[g_str_equal (f[4], "1")]);
      /* Listed twice: keep what either line says. */
      if (g_str_equal (row->col[1], "0"))
        row->col[1] = relationship_text (job, relationship_code (f[1]));
      if (g_strcmp0 (f[3], "0") != 0 && *f[3] != '\0')
        row->col[2] = _sesame_import_digits[1];
      if (g_str_equal (f[2], "1"))
        row->col[3] = _sesame_import_digits[1];
      if (g_str_equal (f[4], "1"))
        row->col[4] = _sesame_import_digits[1];
    }
  if (rows->len > 0)
    return;

  values = sesame_aaf_record_get_values (record, "ENTElevePere");
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (*values[i] != '\0')
      _sesame_import_add_link (rows, 1, values[i], "20", _sesame_import_digits[0], _sesame_import_digits[0], _sesame_import_digits[0]);
  values = sesame_aaf_record_get_values (record, "ENTEleveMere");
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (*values[i] != '\0')
      _sesame_import_add_link (rows, 1, values[i], "10", _sesame_import_digits[0], _sesame_import_digits[0], _sesame_import_digits[0]);
  values = sesame_aaf_record_get_values (record, "ENTEleveParents");
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (*values[i] != '\0')
      _sesame_import_add_link (rows, 1, values[i], _sesame_import_digits[0], _sesame_import_digits[0], _sesame_import_digits[0], _sesame_import_digits[0]);
  autorite = sesame_aaf_record_get_values (record, "ENTEleveAutoriteParentale");
  for (guint i = 0; autorite != NULL && autorite[i] != NULL; i++)
    if (*autorite[i] != '\0')
      _sesame_import_add_link (rows, 1, autorite[i], _sesame_import_digits[0], _sesame_import_digits[0], _sesame_import_digits[0], _sesame_import_digits[0])->col[2] = _sesame_import_digits[1];
}

/* "structure$code" values; a value without structure is in the person's. */
void
_sesame_import_collect_codes (SesameImportJob       *job,
               const SesameAafRecord *record,
               const char            *attribute,
               const char            *kind,
               const char            *person_structure,
               GArray                *rows)
{
  const char * const *values = sesame_aaf_record_get_values (record, attribute);
  guint line = 0;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *f[2];

      if (*values[i] == '\0')
        continue;
      if (strchr (values[i], '$') == NULL)
        {
          f[0] = person_structure;
          f[1] = values[i];
        }
      else if (!_sesame_import_split_value (job, record, attribute, values[i], "structure$code", f, 2, 1 << 1))
        continue;
      else if (*f[0] == '\0')
        f[0] = person_structure;
      if (line == 0)
        line = sesame_aaf_record_get_value_line (record, attribute);
      _sesame_import_note_structure (job, f[0], line);
      _sesame_import_add_link (rows, 3, f[0], kind, f[1], NULL, NULL);
    }
}

gboolean
_sesame_import_sync_links (SesameImportJob   *job,
               const SesameImportLinkTable  *table,
               const char        *key,
               GArray            *rows,
               gboolean           existing,
               gboolean          *changed,
               GError           **error)
{
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GArray) deleted = NULL;
  sqlite3_stmt *stmt;
  gboolean *matched;

  if (existing)
    {
      stored = g_array_new (FALSE, FALSE, sizeof (SesameImportLink));
      deleted = g_array_new (FALSE, FALSE, sizeof (gboolean));
      stmt = _sesame_import_prepare (job, table->select_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          SesameImportLink row = { { NULL } };
          gboolean is_deleted = sqlite3_column_int (stmt, table->n_cols) != 0;

          for (guint c = 0; c < table->n_cols; c++)
            row.col[c] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, c));
          g_array_append_val (stored, row);
          g_array_append_val (deleted, is_deleted);
        }
      sqlite3_reset (stmt);
    }

  matched = g_newa (gboolean, (stored ? stored->len : 0) + 1);
  for (guint s = 0; stored != NULL && s < stored->len; s++)
    matched[s] = FALSE;

  for (guint r = 0; r < rows->len; r++)
    {
      const SesameImportLink *row = &g_array_index (rows, SesameImportLink, r);
      gboolean write = TRUE;

      for (guint s = 0; stored != NULL && s < stored->len; s++)
        {
          const SesameImportLink *old = &g_array_index (stored, SesameImportLink, s);
          guint c;

          for (c = 0; c < table->n_keys; c++)
            if (strcmp (old->col[c], row->col[c]) != 0)
              break;
          if (c < table->n_keys)
            continue;

          matched[s] = TRUE;
          write = g_array_index (deleted, gboolean, s);
          for (c = table->n_keys; c < table->n_cols && !write; c++)
            write = strcmp (old->col[c], row->col[c]) != 0;
          break;
        }
      if (!write)
        continue;

      stmt = _sesame_import_prepare (job, table->upsert_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      for (guint c = 0; c < table->n_cols; c++)
        sqlite3_bind_text (stmt, c + 2, row->col[c], -1, SQLITE_STATIC);
      if (!_sesame_store_step_done (job->store, stmt, error))
        return FALSE;
      *changed = TRUE;
    }

  for (guint s = 0; stored != NULL && s < stored->len; s++)
    {
      const SesameImportLink *old = &g_array_index (stored, SesameImportLink, s);

      if (matched[s] || g_array_index (deleted, gboolean, s))
        continue;
      stmt = _sesame_import_prepare (job, table->tombstone_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      for (guint c = 0; c < table->n_keys; c++)
        sqlite3_bind_text (stmt, c + 2, old->col[c], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, table->n_keys + 2, job->now);
      if (!_sesame_store_step_done (job->store, stmt, error))
        return FALSE;
      *changed = TRUE;
    }

  return TRUE;
}

