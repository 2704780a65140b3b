/* sesame-import-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every step of an import shares: the job itself (its statements,
 * its strings, its warnings), the values of the record being applied, and
 * the structures a file names without defining them, reported once per
 * file. Each step (persons, links, establishments, departures) uses these
 * and none of the steps calls another through here, so that the steps
 * depend on this file and never on each other in a circle.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-import-private.h"

typedef struct
{
  const char *jointure;
  guint       first_line;
  guint       count;
} MissingStructure;

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
  job->seen_records = g_array_new (FALSE, FALSE, sizeof (SesameImportSeen));
  job->departed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint k = 0; k < SESAME_AAF_N_KINDS; k++)
    {
      job->covered[k] = g_hash_table_new (g_str_hash, g_str_equal);
      job->incomplete_uais[k] = g_hash_table_new (g_str_hash, g_str_equal);
    }
  job->created_by_uai = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_ptr_array);
  job->created_parents = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_ptr_array);
  job->missing_structures = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  job->renamed = g_ptr_array_new ();
  job->deferred_indexes = g_ptr_array_new_with_free_func (g_free);
  job->statements = g_hash_table_new (NULL, NULL);
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
  g_clear_pointer (&job->seen_records, g_array_unref);
  g_clear_pointer (&job->departed, g_hash_table_unref);
  for (guint k = 0; k < SESAME_AAF_N_KINDS; k++)
    {
      g_clear_pointer (&job->covered[k], g_hash_table_unref);
      g_clear_pointer (&job->incomplete_uais[k], g_hash_table_unref);
    }
  g_clear_pointer (&job->created_by_uai, g_hash_table_unref);
  g_clear_pointer (&job->created_parents, g_hash_table_unref);
  g_clear_pointer (&job->missing_structures, g_hash_table_unref);
  g_clear_pointer (&job->renamed, g_ptr_array_unref);
  g_clear_pointer (&job->deferred_indexes, g_ptr_array_unref);
  g_clear_pointer (&job->logins, _sesame_login_set_free);
  g_clear_pointer (&job->statements, g_hash_table_unref);
}

/* The store's statement cache, without hashing the SQL each time: the
 * import's statements are literals, told apart by their address. */
sqlite3_stmt *
_sesame_import_prepare (SesameImportJob  *job,
                        const char       *sql,
                        GError          **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (job->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  stmt = _sesame_store_prepare (job->store, sql, error);
  if (stmt != NULL)
    g_hash_table_insert (job->statements, (gpointer) sql, stmt);
  return stmt;
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

void
_sesame_import_warn_record (SesameImportJob *job,
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

  stmt = _sesame_import_prepare (job, "SELECT jointure, uai FROM establishments WHERE deleted_at IS NULL", error);
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

const char *
_sesame_import_value (const SesameAafRecord *record,
          const char            *name)
{
  const char *value = sesame_aaf_record_get_value (record, name);

  return value != NULL ? value : "";
}

/* The first value that is not empty. */
const char *
_sesame_import_first_value (const SesameAafRecord *record,
             const char            *name)
{
  const char * const *values = sesame_aaf_record_get_values (record, name);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (*values[i] != '\0')
      return values[i];
  return "";
}

/* Cuts a "$"-separated value into max fields, kept in scratch; parts
 * past the last field are left out, missing fields are "". Returns how
 * many parts the value holds, which may be fewer or more than max. */
guint
_sesame_import_split (SesameImportJob *job,
                      const char      *value,
                      const char     **fields,
                      guint            max)
{
  const char *p = value;
  guint parts = 1;

  g_assert (max > 0);

  for (const char *q = strchr (value, '$'); q != NULL; q = strchr (q + 1, '$'))
    parts++;

  for (guint i = 0; i < max; i++)
    {
      const char *end;

      if (p == NULL)
        {
          fields[i] = "";
          continue;
        }
      end = strchr (p, '$');
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
  return parts;
}

/**
 * _sesame_import_split_value:
 * @job: the import
 * @record: the record the value comes from, named in warnings
 * @attribute: the attribute the value comes from, e.g. "ENTPersonFonctions"
 * @value: a "$"-separated value
 * @form: the form the value should have, e.g. "structure$code", for warnings
 * @fields: (out caller-allocates) (array length=max): the fields
 * @max: how many fields the form has
 * @required: a mask of the fields that may not be empty (1 << index)
 *
 * Cuts a compound value as _sesame_import_split() does and says what is
 * wrong with it: a value without the fields it needs cannot be used and
 * is left out with a warning naming the record; parts past the last field
 * are ignored with a warning.
 *
 * Returns: %TRUE if the value can be used
 */
gboolean
_sesame_import_split_value (SesameImportJob       *job,
                            const SesameAafRecord *record,
                            const char            *attribute,
                            const char            *value,
                            const char            *form,
                            const char           **fields,
                            guint                  max,
                            guint                  required)
{
  guint parts = _sesame_import_split (job, value, fields, max);
  guint line = sesame_aaf_record_get_value_line (record, attribute);

  for (guint i = 0; i < max; i++)
    if ((required & (1u << i)) != 0 && *fields[i] == '\0')
      {
        _sesame_import_warn_record (job, line,
                                    _("the value “%s” of %s in the record %s is not of the form %s; it was left out"),
                                    value, attribute, sesame_aaf_record_get_id (record), form);
        return FALSE;
      }

  if (parts > max)
    _sesame_import_warn_record (job, line,
                                _("the value “%s” of %s in the record %s has more parts than %s; the extra ones were ignored"),
                                value, attribute, sesame_aaf_record_get_id (record), form);
  return TRUE;
}

/* dd/MM/yyyy → YYYY-MM-DD, or "" for a date that is not one. */
void
_sesame_import_note_structure (SesameImportJob *job,
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
      missing->jointure = _sesame_import_keep_string (job, structure);
      missing->first_line = line;
      g_hash_table_insert (job->missing_structures, (gpointer) missing->jointure, missing);
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

static int
compare_first_lines (gconstpointer a,
                     gconstpointer b)
{
  const MissingStructure *ma = *(MissingStructure * const *) a;
  const MissingStructure *mb = *(MissingStructure * const *) b;

  return ma->first_line < mb->first_line ? -1 : ma->first_line > mb->first_line;
}

void
_sesame_import_end_file (SesameImportJob *job)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  if (job->file == NULL)
    return;

  /* One warning per missing structure and file, not one per person, in
   * the order of the file. */
  g_hash_table_iter_init (&iter, job->missing_structures);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (missing, value);
  g_ptr_array_sort (missing, compare_first_lines);
  for (guint i = 0; i < missing->len; i++)
    {
      MissingStructure *structure = g_ptr_array_index (missing, i);

      _sesame_import_warn_record (job, structure->first_line,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "the structure %s is neither in these files nor in the store; %u link to it was kept",
                                               "the structure %s is neither in these files nor in the store; %u links to it were kept",
                                               structure->count),
                                  structure->jointure, structure->count);
    }
  g_hash_table_remove_all (job->missing_structures);
  job->bytes_done += job->file->size;
  job->file = NULL;
}
