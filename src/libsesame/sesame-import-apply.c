/* sesame-import-apply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How one AAF record changes the store. A row is written only when
 * something in it changed, so that importing the same files twice changes
 * nothing; sets of links (classes, guardians, functions…) are compared
 * with what is stored and the links that went away get a tombstone.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-import-private.h"

typedef struct
{
  guint first_line;
  guint count;
} MissingStructure;

/* The columns of persons that come from the directory, in the order of
 * the statements below. */
enum
{
  COL_KIND,
  COL_PROFILE,
  COL_TITLE,
  COL_LAST_NAME,
  COL_FIRST_NAME,
  COL_BIRTH_NAME,
  COL_BIRTH_DATE,
  COL_INE,
  COL_STRUCTURE,
  COL_ADDRESS,
  COL_POSTAL_CODE,
  COL_CITY,
  COL_COUNTRY,
  COL_EMAIL,
  COL_HOME_PHONE,
  COL_WORK_PHONE,
  COL_MOBILE,
  COL_IS_HEAD,
  N_COLS
};

/* The attribute each column comes from: a modifyRequest that does not
 * name it leaves the stored value alone. */
static const char * const column_attributes[N_COLS] = {
  [COL_PROFILE] = "ENTPersonFonctions",
  [COL_TITLE] = "personalTitle",
  [COL_LAST_NAME] = "sn",
  [COL_FIRST_NAME] = "givenName",
  [COL_BIRTH_NAME] = "ENTPersonNomPatro",
  [COL_BIRTH_DATE] = "ENTPersonDateNaissance",
  [COL_INE] = "ENTEleveINE",
  [COL_STRUCTURE] = "ENTPersonStructRattach",
  [COL_ADDRESS] = "ENTPersonAdresse",
  [COL_POSTAL_CODE] = "ENTPersonCodePostal",
  [COL_CITY] = "ENTPersonVille",
  [COL_COUNTRY] = "ENTPersonPays",
  [COL_EMAIL] = "mail",
  [COL_HOME_PHONE] = "homePhone",
  [COL_WORK_PHONE] = "telephoneNumber",
  [COL_MOBILE] = "mobile",
  [COL_IS_HEAD] = "ENTPersonFonctions",
};

#define CHILD_MAX_COLS 5

typedef struct
{
  const char *col[CHILD_MAX_COLS];
} ChildRow;

typedef struct
{
  const char *select_sql;     /* columns, then deleted_at IS NOT NULL */
  const char *upsert_sql;     /* ?1 the person, ?2… the columns */
  const char *tombstone_sql;  /* ?1 the person, ?2… the key, then the time */
  guint       n_keys;
  guint       n_cols;
} ChildTable;

static const ChildTable memberships_table = {
  "SELECT structure, kind, code, deleted_at IS NOT NULL FROM memberships WHERE person_key = ?1",
  "INSERT INTO memberships (person_key, structure, kind, code) VALUES (?1, ?2, ?3, ?4)"
  " ON CONFLICT (person_key, structure, kind, code) DO UPDATE SET deleted_at = NULL",
  "UPDATE memberships SET deleted_at = ?5 WHERE person_key = ?1 AND structure = ?2 AND kind = ?3 AND code = ?4",
  3, 3,
};

static const ChildTable guardians_table = {
  "SELECT parent_key, relationship, legal, financial, contact, deleted_at IS NOT NULL FROM guardians WHERE pupil_key = ?1",
  "INSERT INTO guardians (pupil_key, parent_key, relationship, legal, financial, contact) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
  " ON CONFLICT (pupil_key, parent_key) DO UPDATE SET relationship = excluded.relationship, legal = excluded.legal,"
  " financial = excluded.financial, contact = excluded.contact, deleted_at = NULL",
  "UPDATE guardians SET deleted_at = ?3 WHERE pupil_key = ?1 AND parent_key = ?2",
  1, 5,
};

static const ChildTable functions_table = {
  "SELECT structure, code, discipline, label, discipline_label, deleted_at IS NOT NULL FROM functions WHERE person_key = ?1",
  "INSERT INTO functions (person_key, structure, code, discipline, label, discipline_label) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
  " ON CONFLICT (person_key, structure, code, discipline) DO UPDATE SET label = excluded.label,"
  " discipline_label = excluded.discipline_label, deleted_at = NULL",
  "UPDATE functions SET deleted_at = ?5 WHERE person_key = ?1 AND structure = ?2 AND code = ?3 AND discipline = ?4",
  3, 5,
};

static const ChildTable teachings_table = {
  "SELECT structure, kind, code, deleted_at IS NOT NULL FROM teachings WHERE person_key = ?1",
  "INSERT INTO teachings (person_key, structure, kind, code) VALUES (?1, ?2, ?3, ?4)"
  " ON CONFLICT (person_key, structure, kind, code) DO UPDATE SET deleted_at = NULL",
  "UPDATE teachings SET deleted_at = ?5 WHERE person_key = ?1 AND structure = ?2 AND kind = ?3 AND code = ?4",
  3, 3,
};

static const ChildTable staff_subjects_table = {
  "SELECT structure, label, deleted_at IS NOT NULL FROM staff_subjects WHERE person_key = ?1",
  "INSERT INTO staff_subjects (person_key, structure, label) VALUES (?1, ?2, ?3)"
  " ON CONFLICT (person_key, structure, label) DO UPDATE SET deleted_at = NULL",
  "UPDATE staff_subjects SET deleted_at = ?4 WHERE person_key = ?1 AND structure = ?2 AND label = ?3",
  2, 2,
};

static const char * const digits[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };

/* Job */

static void
free_ptr_array (gpointer data)
{
  g_ptr_array_unref (data);
}

void
_sesame_import_job_init (SesameImportJob *job)
{
  job->strings = g_string_chunk_new (64 * 1024);
  job->scratch = g_string_chunk_new (4096);
  job->structure_uai = g_hash_table_new (g_str_hash, g_str_equal);
  job->seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint k = 0; k < SESAME_AAF_N_KINDS; k++)
    job->covered[k] = g_hash_table_new (g_str_hash, g_str_equal);
  job->created_by_uai = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_ptr_array);
  job->created_parents = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_ptr_array);
  job->missing_structures = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  job->renamed = g_ptr_array_new ();
}

void
_sesame_import_job_clear (SesameImportJob *job)
{
  g_clear_pointer (&job->strings, g_string_chunk_free);
  g_clear_pointer (&job->scratch, g_string_chunk_free);
  g_clear_pointer (&job->structure_uai, g_hash_table_unref);
  g_clear_pointer (&job->keep_uais, g_hash_table_unref);
  g_clear_pointer (&job->keep_structures, g_hash_table_unref);
  g_clear_pointer (&job->keep_parents, g_hash_table_unref);
  g_clear_pointer (&job->seen, g_hash_table_unref);
  for (guint k = 0; k < SESAME_AAF_N_KINDS; k++)
    g_clear_pointer (&job->covered[k], g_hash_table_unref);
  g_clear_pointer (&job->created_by_uai, g_hash_table_unref);
  g_clear_pointer (&job->created_parents, g_hash_table_unref);
  g_clear_pointer (&job->missing_structures, g_hash_table_unref);
  g_clear_pointer (&job->renamed, g_ptr_array_unref);
}

const char *
_sesame_import_keep_string (SesameImportJob *job,
                            const char      *text)
{
  return g_string_chunk_insert_const (job->strings, text);
}

void
_sesame_import_warn (SesameImportJob *job,
                     const char      *file_name,
                     guint            line,
                     const char      *message)
{
  if (job->summary->warnings->len >= SESAME_IMPORT_MAX_WARNINGS)
    {
      job->warnings_left_out++;
      return;
    }
  if (line > 0)
    /* TRANSLATORS: a file name, a line number, what happened there */
    g_ptr_array_add (job->summary->warnings, g_strdup_printf (_("%s, line %u: %s"), file_name, line, message));
  else
    g_ptr_array_add (job->summary->warnings, g_strdup_printf (_("%s: %s"), file_name, message));
}

static void
warn_record (SesameImportJob *job,
             guint            line,
             const char      *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
warn_record (SesameImportJob *job,
             guint            line,
             const char      *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (job->summary->warnings->len >= SESAME_IMPORT_MAX_WARNINGS)
    {
      job->warnings_left_out++;
      return;
    }
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  _sesame_import_warn (job, job->file->name, line, message);
}

gboolean
_sesame_import_load_structures (SesameImportJob  *job,
                                GError          **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (job->store, "SELECT jointure, uai FROM establishments WHERE deleted_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (job->structure_uai,
                         (gpointer) _sesame_import_keep_string (job, _sesame_column_text (stmt, 0)),
                         (gpointer) _sesame_import_keep_string (job, _sesame_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  return TRUE;
}

/* Values */

static const char *
value_of (const SesameAafRecord *record,
          const char            *name)
{
  const char *value = sesame_aaf_record_get_value (record, name);

  return value != NULL ? value : "";
}

/* The first value that is not empty. */
static const char *
first_value (const SesameAafRecord *record,
             const char            *name)
{
  const char * const *values = sesame_aaf_record_get_values (record, name);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (*values[i] != '\0')
      return values[i];
  return "";
}

static gboolean
any_present (const SesameAafRecord *record,
             const char            *a,
             const char            *b,
             const char            *c)
{
  return sesame_aaf_record_get_values (record, a) != NULL ||
         (b != NULL && sesame_aaf_record_get_values (record, b) != NULL) ||
         (c != NULL && sesame_aaf_record_get_values (record, c) != NULL);
}

/* Cuts a "$"-separated value into at most max fields, kept in scratch;
 * the last field keeps the rest. Missing fields are "". */
static void
split_fields (SesameImportJob *job,
              const char      *value,
              const char     **fields,
              guint            max)
{
  const char *p = value;

  for (guint i = 0; i < max; i++)
    {
      const char *end = i + 1 < max ? strchr (p, '$') : NULL;

      if (p == NULL)
        {
          fields[i] = "";
          continue;
        }
      if (end == NULL)
        {
          fields[i] = g_strstrip (g_string_chunk_insert (job->scratch, p));
          p = NULL;
        }
      else
        {
          fields[i] = g_strstrip (g_string_chunk_insert_len (job->scratch, p, end - p));
          p = end + 1;
        }
    }
}

/* dd/MM/yyyy → YYYY-MM-DD, or "" for a date that is not one. */
static const char *
birth_date (SesameImportJob       *job,
            const SesameAafRecord *record)
{
  const char *text = value_of (record, "ENTPersonDateNaissance");
  int day, month, year;
  char date[16];

  if (*text == '\0')
    return "";
  if (strlen (text) == 10 && text[2] == '/' && text[5] == '/' &&
      g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) && g_ascii_isdigit (text[3]) &&
      g_ascii_isdigit (text[4]) && g_ascii_isdigit (text[6]) && g_ascii_isdigit (text[7]) &&
      g_ascii_isdigit (text[8]) && g_ascii_isdigit (text[9]))
    {
      day = (text[0] - '0') * 10 + (text[1] - '0');
      month = (text[3] - '0') * 10 + (text[4] - '0');
      year = atoi (text + 6);
      if (g_date_valid_dmy (day, month, year))
        {
          g_snprintf (date, sizeof date, "%04d-%02d-%02d", year, month, day);
          return g_string_chunk_insert (job->scratch, date);
        }
    }

  warn_record (job, sesame_aaf_record_get_value_line (record, "ENTPersonDateNaissance"),
               _("“%s” is not a date of birth (dd/mm/yyyy); it was left out"), text);
  return "";
}

/* One line, or up to four joined by "$": kept one per line. */
static const char *
address (SesameImportJob *job,
         const char      *value)
{
  g_auto(GStrv) parts = NULL;
  GString *joined;
  const char *kept;

  if (strchr (value, '$') == NULL)
    return value;

  parts = g_strsplit (value, "$", -1);
  joined = g_string_new (NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      if (joined->len > 0)
        g_string_append_c (joined, '\n');
      g_string_append (joined, parts[i]);
    }
  kept = g_string_chunk_insert_len (job->scratch, joined->str, joined->len);
  g_string_free (joined, TRUE);
  return kept;
}

static void
note_structure (SesameImportJob *job,
                const char      *structure,
                guint            line)
{
  MissingStructure *missing;

  if (*structure == '\0' || g_hash_table_contains (job->structure_uai, structure))
    return;

  missing = g_hash_table_lookup (job->missing_structures, structure);
  if (missing == NULL)
    {
      missing = g_new0 (MissingStructure, 1);
      missing->first_line = line;
      g_hash_table_insert (job->missing_structures, (gpointer) _sesame_import_keep_string (job, structure), missing);
    }
  missing->count++;
}

void
_sesame_import_begin_file (SesameImportJob        *job,
                           const SesameImportFile *file)
{
  job->file = file;
  job->unknown_category_warned = FALSE;
  g_hash_table_remove_all (job->missing_structures);
  if (file->info.complete && file->kind != SESAME_AAF_KIND_UNKNOWN)
    job->complete_kind[file->kind] = TRUE;
}

void
_sesame_import_end_file (SesameImportJob *job)
{
  GHashTableIter iter;
  gpointer key, value;

  if (job->file == NULL)
    return;

  /* One warning per missing structure and file, not one per person. */
  g_hash_table_iter_init (&iter, job->missing_structures);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MissingStructure *missing = value;

      warn_record (job, missing->first_line,
                   g_dngettext (GETTEXT_PACKAGE,
                                "the structure %s is neither in these files nor in the store; %u link to it was kept",
                                "the structure %s is neither in these files nor in the store; %u links to it were kept",
                                missing->count),
                   (const char *) key, missing->count);
    }
  g_hash_table_remove_all (job->missing_structures);
  job->bytes_done += job->file->size;
  job->file = NULL;
}

/* Links */

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
    return digits[code];
  g_snprintf (text, sizeof text, "%d", code);
  return g_string_chunk_insert_const (job->scratch, text);
}

static ChildRow *
find_row (GArray     *rows,
          const char *const *key,
          guint       n_keys)
{
  for (guint i = 0; i < rows->len; i++)
    {
      ChildRow *row = &g_array_index (rows, ChildRow, i);
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
static ChildRow *
add_row (GArray     *rows,
         guint       n_keys,
         const char *c0,
         const char *c1,
         const char *c2,
         const char *c3,
         const char *c4)
{
  ChildRow row = { { c0, c1, c2, c3, c4 } };
  ChildRow *existing = find_row (rows, row.col, n_keys);

  if (existing != NULL)
    return existing;
  g_array_append_val (rows, row);
  return &g_array_index (rows, ChildRow, rows->len - 1);
}

/* The pupil's guardians: ENTElevePersRelEleve
 * (parentId$relationship$financial$legal$contact$payment), or in older
 * files ENTElevePere, ENTEleveMere, ENTEleveParents and
 * ENTEleveAutoriteParentale. A parent listed twice counts once. */
static void
collect_guardians (SesameImportJob       *job,
                   const SesameAafRecord *record,
                   GArray                *rows)
{
  const char * const *values = sesame_aaf_record_get_values (record, "ENTElevePersRelEleve");
  const char * const *autorite;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *f[6];
      ChildRow *row;

      if (*values[i] == '\0')
        continue;
      split_fields (job, values[i], f, 6);
      if (*f[0] == '\0')
        continue;
      row = add_row (rows, 1, f[0],
                     relationship_text (job, relationship_code (f[1])),
                     digits[g_strcmp0 (f[3], "0") != 0 && *f[3] != '\0'],
                     digits[g_str_equal (f[2], "1")],
                     digits[g_str_equal (f[4], "1")]);
      /* Listed twice: keep what either line says. */
      if (g_str_equal (row->col[1], "0"))
        row->col[1] = relationship_text (job, relationship_code (f[1]));
      if (g_strcmp0 (f[3], "0") != 0 && *f[3] != '\0')
        row->col[2] = digits[1];
      if (g_str_equal (f[2], "1"))
        row->col[3] = digits[1];
      if (g_str_equal (f[4], "1"))
        row->col[4] = digits[1];
    }
  if (rows->len > 0)
    return;

  values = sesame_aaf_record_get_values (record, "ENTElevePere");
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (*values[i] != '\0')
      add_row (rows, 1, values[i], "20", digits[0], digits[0], digits[0]);
  values = sesame_aaf_record_get_values (record, "ENTEleveMere");
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (*values[i] != '\0')
      add_row (rows, 1, values[i], "10", digits[0], digits[0], digits[0]);
  values = sesame_aaf_record_get_values (record, "ENTEleveParents");
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (*values[i] != '\0')
      add_row (rows, 1, values[i], digits[0], digits[0], digits[0], digits[0]);
  autorite = sesame_aaf_record_get_values (record, "ENTEleveAutoriteParentale");
  for (guint i = 0; autorite != NULL && autorite[i] != NULL; i++)
    if (*autorite[i] != '\0')
      add_row (rows, 1, autorite[i], digits[0], digits[0], digits[0], digits[0])->col[2] = digits[1];
}

/* "structure$code" values; a value without structure is in the person's. */
static void
collect_codes (SesameImportJob       *job,
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
      else
        split_fields (job, values[i], f, 2);
      if (*f[1] == '\0')
        continue;
      if (line == 0)
        line = sesame_aaf_record_get_value_line (record, attribute);
      note_structure (job, f[0], line);
      add_row (rows, 3, f[0], kind, f[1], NULL, NULL);
    }
}

static gboolean
sync_children (SesameImportJob   *job,
               const ChildTable  *table,
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
      stored = g_array_new (FALSE, FALSE, sizeof (ChildRow));
      deleted = g_array_new (FALSE, FALSE, sizeof (gboolean));
      stmt = _sesame_store_prepare (job->store, table->select_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          ChildRow row = { { NULL } };
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
      const ChildRow *row = &g_array_index (rows, ChildRow, r);
      gboolean write = TRUE;

      for (guint s = 0; stored != NULL && s < stored->len; s++)
        {
          const ChildRow *old = &g_array_index (stored, ChildRow, s);
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

      stmt = _sesame_store_prepare (job->store, table->upsert_sql, error);
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
      const ChildRow *old = &g_array_index (stored, ChildRow, s);

      if (matched[s] || g_array_index (deleted, gboolean, s))
        continue;
      stmt = _sesame_store_prepare (job->store, table->tombstone_sql, error);
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

/* Whether a person is in the store or in this import. */
static gboolean
person_exists (SesameImportJob *job,
               const char      *key)
{
  sqlite3_stmt *stmt;
  gboolean exists;

  if (g_hash_table_contains (job->seen, key))
    return TRUE;
  stmt = _sesame_store_prepare (job->store, "SELECT 1 FROM persons WHERE key = ?1 AND deleted_at IS NULL", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return exists;
}

/* Establishments and subjects */

static gboolean
apply_establishment (SesameImportJob       *job,
                     const SesameAafRecord *record,
                     const char            *jointure,
                     GError               **error)
{
  g_autofree char *uai = NULL;
  const char *name, *street, *postal_code, *city, *academy, *phone;
  sqlite3_stmt *stmt;
  gboolean exists = FALSE, same = FALSE;

  uai = g_ascii_strup (*first_value (record, "ENTStructureUAI") ? first_value (record, "ENTStructureUAI")
                                                                : first_value (record, "ENTEtablissementUAI"), -1);
  if (job->keep_uais != NULL && !g_hash_table_contains (job->keep_uais, uai))
    return TRUE;
  job->summary->establishments++;

  if (sesame_aaf_record_get_operation (record) == SESAME_AAF_OPERATION_DELETE)
    {
      stmt = _sesame_store_prepare (job->store,
                                    "UPDATE establishments SET deleted_at = ?2 WHERE jointure = ?1 AND deleted_at IS NULL",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, jointure, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, job->now);
      return _sesame_store_step_done (job->store, stmt, error);
    }

  if (*uai == '\0')
    warn_record (job, sesame_aaf_record_get_line (record),
                 _("the structure %s has no UAI; its people will be in no identifier file"), jointure);

  name = first_value (record, "ENTStructureNomCourant");
  street = value_of (record, "street");
  postal_code = value_of (record, "postalCode");
  city = value_of (record, "l");
  academy = value_of (record, "ENTServAcAcademie");
  phone = value_of (record, "telephoneNumber");

  stmt = _sesame_store_prepare (job->store,
                                "SELECT uai, name, street, postal_code, city, academy, phone, deleted_at IS NOT NULL"
                                " FROM establishments WHERE jointure = ?1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, jointure, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      exists = TRUE;
      same = g_str_equal (_sesame_column_text (stmt, 0), uai) &&
             g_str_equal (_sesame_column_text (stmt, 1), name) &&
             g_str_equal (_sesame_column_text (stmt, 2), street) &&
             g_str_equal (_sesame_column_text (stmt, 3), postal_code) &&
             g_str_equal (_sesame_column_text (stmt, 4), city) &&
             g_str_equal (_sesame_column_text (stmt, 5), academy) &&
             g_str_equal (_sesame_column_text (stmt, 6), phone) &&
             sqlite3_column_int (stmt, 7) == 0;
    }
  sqlite3_reset (stmt);

  g_hash_table_insert (job->structure_uai, (gpointer) _sesame_import_keep_string (job, jointure), (gpointer) _sesame_import_keep_string (job, uai));
  if (same)
    return TRUE;

  stmt = _sesame_store_prepare (job->store,
                                exists
                                ? "UPDATE establishments SET uai = ?2, name = ?3, street = ?4, postal_code = ?5, city = ?6,"
                                  " academy = ?7, phone = ?8, deleted_at = NULL WHERE jointure = ?1"
                                : "INSERT INTO establishments (jointure, uai, name, street, postal_code, city, academy, phone,"
                                  " first_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, jointure, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, uai, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, street, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, postal_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, city, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, academy, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, phone, -1, SQLITE_STATIC);
  if (!exists)
    sqlite3_bind_int64 (stmt, 9, job->now);
  return _sesame_store_step_done (job->store, stmt, error);
}

static gboolean
apply_subject (SesameImportJob       *job,
               const SesameAafRecord *record,
               const char            *code,
               GError               **error)
{
  const char *label = first_value (record, "ENTLibelleMatiere");
  sqlite3_stmt *stmt;
  gboolean exists = FALSE, same = FALSE;

  job->summary->subjects++;

  if (sesame_aaf_record_get_operation (record) == SESAME_AAF_OPERATION_DELETE)
    {
      stmt = _sesame_store_prepare (job->store,
                                    "UPDATE subjects SET deleted_at = ?2 WHERE code = ?1 AND deleted_at IS NULL",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, job->now);
      return _sesame_store_step_done (job->store, stmt, error);
    }

  stmt = _sesame_store_prepare (job->store, "SELECT label, deleted_at IS NOT NULL FROM subjects WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      exists = TRUE;
      same = g_str_equal (_sesame_column_text (stmt, 0), label) && sqlite3_column_int (stmt, 1) == 0;
    }
  sqlite3_reset (stmt);
  if (same)
    return TRUE;

  stmt = _sesame_store_prepare (job->store,
                                exists ? "UPDATE subjects SET label = ?2, deleted_at = NULL WHERE code = ?1"
                                       : "INSERT INTO subjects (code, label) VALUES (?1, ?2)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, label, -1, SQLITE_STATIC);
  return _sesame_store_step_done (job->store, stmt, error);
}

/* Persons */

gboolean
_sesame_import_mark_left (SesameImportJob  *job,
                          const char       *key,
                          GError          **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (job->store,
                                "UPDATE persons SET left_at = ?2 WHERE key = ?1 AND left_at IS NULL AND deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, job->now);
  if (!_sesame_store_step_done (job->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (_sesame_store_get_db (job->store)) == 0)
    return TRUE;

  job->summary->persons_departed++;
  return _sesame_store_disable_account (job->store, key, error);
}

static gboolean
person_is_kept (SesameImportJob *job,
                SesameAafKind    kind,
                const char      *key,
                const char      *structure)
{
  if (job->keep_structures == NULL)
    return TRUE;
  if (g_hash_table_contains (job->keep_structures, structure))
    return TRUE;
  return kind == SESAME_AAF_KIND_PARENT && g_hash_table_contains (job->keep_parents, key);
}

static gboolean
apply_person_delete (SesameImportJob       *job,
                     const SesameAafRecord *record,
                     SesameAafKind          kind,
                     const char            *key,
                     GError               **error)
{
  if (job->keep_structures != NULL)
    {
      sqlite3_stmt *stmt;
      g_autofree char *structure = NULL;

      stmt = _sesame_store_prepare (job->store, "SELECT structure FROM persons WHERE key = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        structure = g_strdup (_sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (!person_is_kept (job, kind, key, structure ? structure : ""))
        return TRUE;
    }

  switch (kind)
    {
    case SESAME_AAF_KIND_PUPIL:
      job->summary->pupils++;
      break;
    case SESAME_AAF_KIND_PARENT:
      job->summary->parents++;
      break;
    case SESAME_AAF_KIND_STAFF:
    default:
      job->summary->staff++;
      break;
    }
  return _sesame_import_mark_left (job, key, error);
}

/* Keeps the pupil's address, or takes the address of the person named by
 * ENTEleveAdresseRel when the pupil has none of their own. */
static void
related_address (SesameImportJob       *job,
                 const SesameAafRecord *record,
                 const char            *key,
                 const char           **cols)
{
  const char *related = first_value (record, "ENTEleveAdresseRel");
  sqlite3_stmt *stmt;

  if (*related == '\0' || g_str_equal (related, key) ||
      *cols[COL_ADDRESS] != '\0' || *cols[COL_POSTAL_CODE] != '\0' || *cols[COL_CITY] != '\0')
    return;

  stmt = _sesame_store_prepare (job->store,
                                "SELECT address, postal_code, city, country FROM persons WHERE key = ?1",
                                NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, related, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      cols[COL_ADDRESS] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, 0));
      cols[COL_POSTAL_CODE] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, 1));
      cols[COL_CITY] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, 2));
      cols[COL_COUNTRY] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
}

static void
remember_created (SesameImportJob *job,
                  SesameAafKind    kind,
                  const char      *key,
                  const char      *structure)
{
  const char *uai;
  GPtrArray *keys;

  if (kind == SESAME_AAF_KIND_PARENT)
    {
      g_hash_table_insert (job->created_parents, (gpointer) _sesame_import_keep_string (job, key), g_ptr_array_new ());
      return;
    }

  uai = g_hash_table_lookup (job->structure_uai, structure);
  if (uai == NULL || *uai == '\0')
    {
      job->created_without_uai++;
      return;
    }
  keys = g_hash_table_lookup (job->created_by_uai, uai);
  if (keys == NULL)
    {
      keys = g_ptr_array_new ();
      g_hash_table_insert (job->created_by_uai, (gpointer) uai, keys);
    }
  g_ptr_array_add (keys, (gpointer) _sesame_import_keep_string (job, key));
}

/* A parent whose account this import created belongs in the identifier
 * files of their children's establishments. */
static void
link_created_parent (SesameImportJob *job,
                     const char      *parent_key,
                     const char      *pupil_structure)
{
  GPtrArray *uais = g_hash_table_lookup (job->created_parents, parent_key);
  const char *uai;

  if (uais == NULL)
    return;
  uai = g_hash_table_lookup (job->structure_uai, pupil_structure);
  if (uai == NULL || *uai == '\0')
    return;
  for (guint i = 0; i < uais->len; i++)
    if (g_ptr_array_index (uais, i) == uai)
      return;
  g_ptr_array_add (uais, (gpointer) uai);
}

static gboolean
apply_person (SesameImportJob       *job,
              const SesameAafRecord *record,
              SesameAafKind          kind,
              const char            *key,
              GError               **error)
{
  const char *cols[N_COLS];
  g_autoptr(GArray) memberships = NULL;
  g_autoptr(GArray) guardians = NULL;
  g_autoptr(GArray) functions = NULL;
  g_autoptr(GArray) teachings = NULL;
  g_autoptr(GArray) subjects = NULL;
  SesameProfile profile;
  gboolean exists = FALSE, has_account = FALSE, returned = FALSE;
  gboolean row_changed = FALSE, names_changed = FALSE, children_changed = FALSE;
  gboolean modify = sesame_aaf_record_get_operation (record) == SESAME_AAF_OPERATION_MODIFY;
  sqlite3_stmt *stmt;
  const char *structure;

  structure = first_value (record, "ENTPersonStructRattach");
  if (kind == SESAME_AAF_KIND_STAFF && *structure == '\0')
    {
      /* Staff without a main structure belong to their first function's. */
      const char *function = first_value (record, "ENTPersonFonctions");
      const char *f[2];

      split_fields (job, function, f, 2);
      structure = f[0];
    }

  if (!person_is_kept (job, kind, key, structure))
    return TRUE;

  switch (kind)
    {
    case SESAME_AAF_KIND_PUPIL:
      job->summary->pupils++;
      profile = SESAME_PROFILE_ELEVE;
      break;
    case SESAME_AAF_KIND_PARENT:
      job->summary->parents++;
      profile = SESAME_PROFILE_PARENT;
      break;
    case SESAME_AAF_KIND_STAFF:
    default:
      job->summary->staff++;
      profile = SESAME_PROFILE_NON_ENSEIGNANT;
      break;
    }

  g_hash_table_insert (job->seen, (gpointer) _sesame_import_keep_string (job, key), GINT_TO_POINTER (kind));
  if (job->file->info.complete)
    {
      job->complete_kind[kind] = TRUE;
      if (*structure != '\0')
        g_hash_table_add (job->covered[kind], (gpointer) _sesame_import_keep_string (job, structure));
    }
  note_structure (job, structure, sesame_aaf_record_get_value_line (record, "ENTPersonStructRattach"));

  cols[COL_KIND] = sesame_aaf_kind_to_category (kind);
  cols[COL_TITLE] = first_value (record, "personalTitle");
  cols[COL_LAST_NAME] = first_value (record, "sn");
  cols[COL_FIRST_NAME] = first_value (record, "givenName");
  cols[COL_BIRTH_NAME] = first_value (record, "ENTPersonNomPatro");
  cols[COL_BIRTH_DATE] = birth_date (job, record);
  cols[COL_INE] = first_value (record, "ENTEleveINE");
  cols[COL_STRUCTURE] = structure;
  cols[COL_ADDRESS] = address (job, first_value (record, "ENTPersonAdresse"));
  cols[COL_POSTAL_CODE] = first_value (record, "ENTPersonCodePostal");
  cols[COL_CITY] = first_value (record, "ENTPersonVille");
  cols[COL_COUNTRY] = first_value (record, "ENTPersonPays");
  cols[COL_EMAIL] = first_value (record, "mail");
  cols[COL_HOME_PHONE] = first_value (record, "homePhone");
  cols[COL_WORK_PHONE] = first_value (record, "telephoneNumber");
  cols[COL_MOBILE] = first_value (record, "mobile");
  cols[COL_IS_HEAD] = digits[0];

  if (kind == SESAME_AAF_KIND_PUPIL)
    {
      related_address (job, record, key, cols);
      memberships = g_array_new (FALSE, FALSE, sizeof (ChildRow));
      collect_codes (job, record, "ENTEleveClasses", "class", structure, memberships);
      collect_codes (job, record, "ENTEleveGroupes", "group", structure, memberships);

      guardians = g_array_new (FALSE, FALSE, sizeof (ChildRow));
      collect_guardians (job, record, guardians);
      for (guint i = 0; i < guardians->len; i++)
        {
          const char *parent = g_array_index (guardians, ChildRow, i).col[0];

          if (person_exists (job, parent))
            {
              link_created_parent (job, parent, structure);
              continue;
            }
          warn_record (job, sesame_aaf_record_get_value_line (record, "ENTElevePersRelEleve"),
                       _("the pupil %s (%s %s) names a parent %s who is neither in these files nor in the store; the link was left out"),
                       key, cols[COL_FIRST_NAME], cols[COL_LAST_NAME], parent);
          g_array_remove_index (guardians, i--);
        }
    }
  else if (kind == SESAME_AAF_KIND_STAFF)
    {
      const char * const *values = sesame_aaf_record_get_values (record, "ENTPersonFonctions");
      guint line = sesame_aaf_record_get_value_line (record, "ENTPersonFonctions");

      functions = g_array_new (FALSE, FALSE, sizeof (ChildRow));
      for (guint i = 0; values != NULL && values[i] != NULL; i++)
        {
          const char *f[5];

          if (*values[i] == '\0')
            continue;
          split_fields (job, values[i], f, 5);
          if (*f[1] == '\0')
            continue;
          note_structure (job, f[0], line);
          add_row (functions, 3, f[0], f[1], f[3], f[2], f[4]);
          if (g_str_equal (f[1], "ENS"))
            profile = SESAME_PROFILE_ENSEIGNANT;
          else if (g_str_equal (f[1], "DIR"))
            cols[COL_IS_HEAD] = digits[1];
        }

      teachings = g_array_new (FALSE, FALSE, sizeof (ChildRow));
      collect_codes (job, record, "ENTAuxEnsClasses", "class", structure, teachings);
      collect_codes (job, record, "ENTAuxEnsGroupes", "group", structure, teachings);
      collect_codes (job, record, "ENTAuxEnsClassesPrincipal", "principal", structure, teachings);

      values = sesame_aaf_record_get_values (record, "ENTAuxEnsMatiereEnseignEtab");
      subjects = g_array_new (FALSE, FALSE, sizeof (ChildRow));
      for (guint i = 0; values != NULL && values[i] != NULL; i++)
        {
          const char *f[2];

          if (*values[i] == '\0')
            continue;
          if (strchr (values[i], '$') == NULL)
            f[0] = structure, f[1] = values[i];
          else
            split_fields (job, values[i], f, 2);
          if (*f[1] != '\0')
            add_row (subjects, 2, f[0], f[1], NULL, NULL, NULL);
        }
    }
  cols[COL_PROFILE] = digits[profile];

  stmt = _sesame_store_prepare (job->store,
                                "SELECT p.kind, p.profile, p.title, p.last_name, p.first_name, p.birth_name, p.birth_date,"
                                " p.ine, p.structure, p.address, p.postal_code, p.city, p.country, p.email, p.home_phone,"
                                " p.work_phone, p.mobile, p.is_head,"
                                " p.left_at IS NOT NULL OR p.deleted_at IS NOT NULL, a.person_key IS NOT NULL"
                                " FROM persons p LEFT JOIN accounts a ON a.person_key = p.key WHERE p.key = ?1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      exists = TRUE;
      if (modify)
        for (guint c = 0; c < N_COLS; c++)
          {
            const char *attribute = column_attributes[c];

            /* Pupils and parents have their profile from their kind. */
            if (attribute == NULL || (c == COL_PROFILE && kind != SESAME_AAF_KIND_STAFF) ||
                sesame_aaf_record_get_values (record, attribute) != NULL)
              continue;
            cols[c] = g_string_chunk_insert (job->scratch, _sesame_column_text (stmt, c));
            if (c == COL_PROFILE)
              profile = cols[c][0] - '0';
          }
      for (guint c = 0; c < N_COLS && !row_changed; c++)
        row_changed = strcmp (_sesame_column_text (stmt, c), cols[c]) != 0;
      names_changed = strcmp (_sesame_column_text (stmt, COL_LAST_NAME), cols[COL_LAST_NAME]) != 0 ||
                      strcmp (_sesame_column_text (stmt, COL_FIRST_NAME), cols[COL_FIRST_NAME]) != 0 ||
                      strcmp (_sesame_column_text (stmt, COL_BIRTH_NAME), cols[COL_BIRTH_NAME]) != 0;
      returned = sqlite3_column_int (stmt, N_COLS) != 0;
      has_account = sqlite3_column_int (stmt, N_COLS + 1) != 0;
    }
  sqlite3_reset (stmt);

  if (!exists || row_changed || returned)
    {
      stmt = _sesame_store_prepare (job->store,
                                    exists
                                    ? "UPDATE persons SET kind = ?2, profile = ?3, title = ?4, last_name = ?5, first_name = ?6,"
                                      " birth_name = ?7, birth_date = ?8, ine = ?9, structure = ?10, address = ?11,"
                                      " postal_code = ?12, city = ?13, country = ?14, email = ?15, home_phone = ?16,"
                                      " work_phone = ?17, mobile = ?18, is_head = ?19, last_import = ?21,"
                                      " left_at = NULL, deleted_at = NULL WHERE key = ?1"
                                    : "INSERT INTO persons (key, kind, profile, title, last_name, first_name, birth_name,"
                                      " birth_date, ine, structure, address, postal_code, city, country, email, home_phone,"
                                      " work_phone, mobile, is_head, first_seen_at, last_import)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
                                      " ?18, ?19, ?20, ?21)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      for (guint c = 0; c < N_COLS; c++)
        {
          if (c == COL_PROFILE || c == COL_IS_HEAD)
            sqlite3_bind_int (stmt, c + 2, cols[c][0] - '0');
          else
            sqlite3_bind_text (stmt, c + 2, cols[c], -1, SQLITE_STATIC);
        }
      sqlite3_bind_int64 (stmt, N_COLS + 2, job->now);
      sqlite3_bind_text (stmt, N_COLS + 3, job->import_id, -1, SQLITE_STATIC);
      if (!_sesame_store_step_done (job->store, stmt, error))
        return FALSE;
    }

  /* A modifyRequest that names none of a set's attributes leaves it alone. */
  if (modify && exists)
    {
      if (!any_present (record, "ENTEleveClasses", "ENTEleveGroupes", NULL))
        g_clear_pointer (&memberships, g_array_unref);
      if (!any_present (record, "ENTElevePersRelEleve", "ENTElevePere", "ENTEleveMere") &&
          !any_present (record, "ENTEleveParents", "ENTEleveAutoriteParentale", NULL))
        g_clear_pointer (&guardians, g_array_unref);
      if (!any_present (record, "ENTPersonFonctions", NULL, NULL))
        g_clear_pointer (&functions, g_array_unref);
      if (!any_present (record, "ENTAuxEnsClasses", "ENTAuxEnsGroupes", "ENTAuxEnsClassesPrincipal"))
        g_clear_pointer (&teachings, g_array_unref);
      if (!any_present (record, "ENTAuxEnsMatiereEnseignEtab", NULL, NULL))
        g_clear_pointer (&subjects, g_array_unref);
    }

  if (memberships != NULL &&
      !sync_children (job, &memberships_table, key, memberships, exists, &children_changed, error))
    return FALSE;
  if (guardians != NULL &&
      !sync_children (job, &guardians_table, key, guardians, exists, &children_changed, error))
    return FALSE;
  if (functions != NULL &&
      !sync_children (job, &functions_table, key, functions, exists, &children_changed, error))
    return FALSE;
  if (teachings != NULL &&
      !sync_children (job, &teachings_table, key, teachings, exists, &children_changed, error))
    return FALSE;
  if (subjects != NULL &&
      !sync_children (job, &staff_subjects_table, key, subjects, exists, &children_changed, error))
    return FALSE;

  if (!exists)
    job->summary->persons_created++;
  else if (row_changed || children_changed || returned)
    job->summary->persons_updated++;

  if (returned && !_sesame_store_enable_account (job->store, key, error))
    return FALSE;

  if (!has_account)
    {
      gboolean created = FALSE;

      if (!_sesame_store_ensure_account (job->store, key, profile, cols[COL_FIRST_NAME], cols[COL_LAST_NAME],
                                         job->import_id, &created, error))
        return FALSE;
      if (created)
        {
          job->summary->accounts_created++;
          if (sesame_profile_is_distributable (profile))
            remember_created (job, kind, key, structure);
        }
    }

  /* The free-text index is brought up to date at the end. */
  if (exists && names_changed)
    g_ptr_array_add (job->renamed, (gpointer) _sesame_import_keep_string (job, key));

  return TRUE;
}

static const char *
record_key (const SesameAafRecord *record,
            SesameAafKind          kind)
{
  const char *id = sesame_aaf_record_get_id (record);

  if (*id != '\0')
    return id;
  switch (kind)
    {
    case SESAME_AAF_KIND_ESTABLISHMENT:
      return first_value (record, "ENTStructureJointure");
    case SESAME_AAF_KIND_SUBJECT:
      return first_value (record, "ENTMatJointure");
    case SESAME_AAF_KIND_PUPIL:
    case SESAME_AAF_KIND_PARENT:
    case SESAME_AAF_KIND_STAFF:
    case SESAME_AAF_KIND_UNKNOWN:
    default:
      return first_value (record, "ENTPersonJointure");
    }
}

/**
 * _sesame_import_apply_record:
 * @job: the import
 * @record: a record of the file being read
 * @error: return location for a #GError
 *
 * Writes what the record changes, inside the import's transaction.
 *
 * Returns: %FALSE if the store failed
 */
gboolean
_sesame_import_apply_record (SesameImportJob        *job,
                             const SesameAafRecord  *record,
                             GError                **error)
{
  SesameAafKind kind = sesame_aaf_record_get_kind (record);
  const char *key;
  gboolean ok;

  g_assert (job->file != NULL);

  if (kind == SESAME_AAF_KIND_UNKNOWN)
    {
      const char *category = sesame_aaf_record_get_category (record);

      /* The nomenclatures Sésame has no use for are skipped quietly. */
      if (!job->unknown_category_warned && !g_str_has_suffix (category, "EducNat"))
        {
          job->unknown_category_warned = TRUE;
          if (*category != '\0')
            warn_record (job, sesame_aaf_record_get_line (record),
                         _("records of the category “%s” are not imported"), category);
          else
            warn_record (job, sesame_aaf_record_get_line (record), "%s",
                         _("a record without category (categoriePersonne…) was skipped"));
        }
      return TRUE;
    }

  key = record_key (record, kind);
  if (*key == '\0')
    {
      warn_record (job, sesame_aaf_record_get_line (record), _("a record without identifier was skipped"));
      return TRUE;
    }

  switch (kind)
    {
    case SESAME_AAF_KIND_ESTABLISHMENT:
      ok = apply_establishment (job, record, key, error);
      break;
    case SESAME_AAF_KIND_SUBJECT:
      ok = apply_subject (job, record, key, error);
      break;
    case SESAME_AAF_KIND_PUPIL:
    case SESAME_AAF_KIND_PARENT:
    case SESAME_AAF_KIND_STAFF:
      if (sesame_aaf_record_get_operation (record) == SESAME_AAF_OPERATION_DELETE)
        ok = apply_person_delete (job, record, kind, key, error);
      else
        ok = apply_person (job, record, kind, key, error);
      break;
    case SESAME_AAF_KIND_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  g_string_chunk_clear (job->scratch);
  return ok;
}
