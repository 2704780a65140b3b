/* sesame-import-scope.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an import covers beyond its records: the establishments kept from
 * an academy-wide set, who left (a person missing from a complete export
 * that covers them), and the identifier files of the accounts it created.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-identifier-files-private.h"
#include "sesame-import-private.h"

/* --establishment */

typedef struct
{
  SesameImportJob *job;
  GHashTable      *uai_structures;  /* structures of the set: jointure → UAI */
} Selection;

static gboolean
select_structure (const SesameAafRecord *record,
                  gpointer               user_data,
                  GError               **error)
{
  Selection *selection = user_data;
  const char *uai = sesame_aaf_record_get_value (record, "ENTStructureUAI");
  const char *jointure = sesame_aaf_record_get_id (record);
  g_autofree char *upper = NULL;

  if (sesame_aaf_record_get_kind (record) != SESAME_AAF_KIND_ESTABLISHMENT)
    return TRUE;
  if (uai == NULL || *uai == '\0')
    uai = sesame_aaf_record_get_value (record, "ENTEtablissementUAI");
  if (*jointure == '\0')
    jointure = sesame_aaf_record_get_value (record, "ENTStructureJointure");
  if (uai == NULL || jointure == NULL || *jointure == '\0')
    return TRUE;
  upper = g_ascii_strup (uai, -1);
  g_hash_table_insert (selection->uai_structures,
                       (gpointer) _sesame_import_keep_string (selection->job, jointure),
                       (gpointer) _sesame_import_keep_string (selection->job, upper));
  return TRUE;
}

static void
keep_parent (SesameImportJob *job,
             const char      *value)
{
  const char *end = strchr (value, '$');
  g_autofree char *key = g_strstrip (end ? g_strndup (value, end - value) : g_strdup (value));

  if (*key != '\0')
    g_hash_table_add (job->keep_parents, (gpointer) _sesame_import_keep_string (job, key));
}

/* The parents of the pupils kept, whatever attribute names them. */
static gboolean
select_parents (const SesameAafRecord *record,
                gpointer               user_data,
                GError               **error)
{
  Selection *selection = user_data;
  SesameImportJob *job = selection->job;
  static const char * const attributes[] = {
    "ENTElevePersRelEleve", "ENTElevePere", "ENTEleveMere", "ENTEleveParents", "ENTEleveAutoriteParentale",
  };
  const char *structure;

  if (sesame_aaf_record_get_kind (record) != SESAME_AAF_KIND_PUPIL)
    return TRUE;
  structure = sesame_aaf_record_get_value (record, "ENTPersonStructRattach");
  if (structure == NULL || !g_hash_table_contains (job->keep_structures, structure))
    return TRUE;

  for (guint a = 0; a < G_N_ELEMENTS (attributes); a++)
    {
      const char * const *values = sesame_aaf_record_get_values (record, attributes[a]);

      for (guint i = 0; values != NULL && values[i] != NULL; i++)
        keep_parent (job, values[i]);
    }
  return TRUE;
}

static gboolean
is_uai (const char *text)
{
  if (strlen (text) != 8)
    return FALSE;
  for (guint i = 0; i < 7; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return g_ascii_isalpha (text[7]);
}

/**
 * _sesame_import_select:
 * @job: the import
 * @establishments: (nullable): the UAIs to keep, or %NULL for all
 * @error: return location for a #GError
 *
 * Resolves the UAIs to keep into structures (through the establishments of
 * the files and of the store) and collects the parents of their pupils:
 * parents have no structure of their own, and their files come before the
 * pupils'.
 *
 * Returns: %FALSE if a UAI is unknown or a file cannot be read
 */
gboolean
_sesame_import_select (SesameImportJob     *job,
                       const char * const  *establishments,
                       GError             **error)
{
  g_autoptr(GHashTable) uai_structures = g_hash_table_new (g_str_hash, g_str_equal);
  Selection selection = { job, uai_structures };
  GHashTableIter iter;
  gpointer key, value;

  if (establishments == NULL || establishments[0] == NULL)
    return TRUE;

  job->keep_uais = g_hash_table_new (g_str_hash, g_str_equal);
  job->keep_structures = g_hash_table_new (g_str_hash, g_str_equal);
  job->keep_parents = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; establishments[i] != NULL; i++)
    {
      g_autofree char *uai = g_ascii_strup (establishments[i], -1);

      g_strstrip (uai);
      if (!is_uai (uai))
        {
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                       _("“%s” is not a UAI: a UAI is 7 digits and a letter, e.g. 0740017S."), establishments[i]);
          return FALSE;
        }
      g_hash_table_add (job->keep_uais, (gpointer) _sesame_import_keep_string (job, uai));
    }

  g_hash_table_iter_init (&iter, job->structure_uai);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (uai_structures, key, value);

  for (guint i = 0; i < job->files->len; i++)
    {
      const SesameImportFile *file = g_ptr_array_index (job->files, i);

      if (file->kind == SESAME_AAF_KIND_ESTABLISHMENT &&
          !sesame_aaf_read_file (file->path, select_structure, NULL, &selection, NULL, job->cancellable, error))
        return FALSE;
    }

  g_hash_table_iter_init (&iter, uai_structures);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_hash_table_contains (job->keep_uais, value))
      g_hash_table_add (job->keep_structures, key);

  g_hash_table_iter_init (&iter, job->keep_uais);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GHashTableIter structures;
      gpointer uai;
      gboolean found = FALSE;

      g_hash_table_iter_init (&structures, uai_structures);
      while (!found && g_hash_table_iter_next (&structures, NULL, &uai))
        found = g_str_equal (uai, key);
      if (!found)
        {
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                       _("The establishment %s is neither in these files nor in the store: check its UAI."),
                       (const char *) key);
          return FALSE;
        }
    }

  for (guint i = 0; i < job->files->len; i++)
    {
      const SesameImportFile *file = g_ptr_array_index (job->files, i);

      if (file->kind == SESAME_AAF_KIND_PUPIL &&
          !sesame_aaf_read_file (file->path, select_parents, NULL, &selection, NULL, job->cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* Departures */

static gboolean
all_covered (SesameImportJob *job,
             const char      *parent_key,
             GHashTable      *coverage,
             gboolean        *has_children,
             GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean covered = TRUE;

  stmt = _sesame_import_prepare (job,
                                 "SELECT c.structure FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                 " WHERE g.parent_key = ?1 AND g.deleted_at IS NULL"
                                 " AND c.left_at IS NULL AND c.deleted_at IS NULL",
                                 error);
  if (stmt == NULL)
    return FALSE;
  *has_children = FALSE;
  sqlite3_bind_text (stmt, 1, parent_key, -1, SQLITE_STATIC);
  while (covered && sqlite3_step (stmt) == SQLITE_ROW)
    {
      *has_children = TRUE;
      covered = g_hash_table_contains (coverage, _sesame_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  return covered;
}

/**
 * _sesame_import_mark_departures:
 * @job: the import, its files all read
 * @error: return location for a #GError
 *
 * A pupil or a member of staff missing from a complete export that lists
 * their structure in full has left; so has a parent missing from a
 * complete export of parents whose children have all left or are listed by
 * the exports read. They are marked as having left and their accounts
 * disabled, never deleted.
 *
 * Returns: %FALSE if the store failed
 */
gboolean
_sesame_import_mark_departures (SesameImportJob  *job,
                                GError          **error)
{
  g_autoptr(GPtrArray) leaving = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) parents = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) parent_coverage = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean any = FALSE;
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key;

  for (SesameAafKind kind = SESAME_AAF_KIND_STAFF; kind <= SESAME_AAF_KIND_PUPIL; kind++)
    any |= job->complete_kind[kind] && !job->departures_off[kind];
  if (!any)
    return TRUE;

  /* An export of one establishment covers it even if nobody is left in it. */
  for (guint i = 0; i < job->files->len; i++)
    {
      const SesameImportFile *file = g_ptr_array_index (job->files, i);
      GHashTableIter structures;
      gpointer jointure, uai;

      if (!file->info.complete || file->info.uai[0] == '\0' || file->kind < SESAME_AAF_KIND_STAFF)
        continue;
      if (job->keep_uais != NULL && !g_hash_table_contains (job->keep_uais, file->info.uai))
        continue;
      g_hash_table_iter_init (&structures, job->structure_uai);
      while (g_hash_table_iter_next (&structures, &jointure, &uai))
        if (g_str_equal (uai, file->info.uai))
          g_hash_table_add (job->covered[file->kind], jointure);
    }

  g_hash_table_iter_init (&iter, job->covered[SESAME_AAF_KIND_PUPIL]);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (parent_coverage, key);
  g_hash_table_iter_init (&iter, job->covered[SESAME_AAF_KIND_PARENT]);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (parent_coverage, key);

  stmt = _sesame_import_prepare (job,
                                 "SELECT key, kind, structure FROM persons WHERE left_at IS NULL AND deleted_at IS NULL",
                                 error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *person = _sesame_column_text (stmt, 0);
      SesameAafKind kind = sesame_aaf_kind_from_category (_sesame_column_text (stmt, 1));

      if (kind < SESAME_AAF_KIND_STAFF || g_hash_table_contains (job->seen, person) ||
          !job->complete_kind[kind] || job->departures_off[kind])
        continue;
      if (kind == SESAME_AAF_KIND_PARENT)
        g_ptr_array_add (parents, g_strdup (person));
      else if (g_hash_table_contains (job->covered[kind], _sesame_column_text (stmt, 2)))
        g_ptr_array_add (leaving, g_strdup (person));
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < leaving->len; i++)
    if (!_sesame_import_mark_left (job, g_ptr_array_index (leaving, i), error))
      return FALSE;

  /* Parents are judged once the pupils who left are known. */
  for (guint i = 0; i < parents->len; i++)
    {
      const char *parent = g_ptr_array_index (parents, i);
      gboolean has_children = FALSE;
      gboolean covered;
      g_autoptr(GError) local_error = NULL;

      covered = all_covered (job, parent, parent_coverage, &has_children, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Without children, only an export of the whole set says they left. */
      if (!covered || (!has_children && job->keep_structures != NULL))
        continue;
      if (!_sesame_import_mark_left (job, parent, error))
        return FALSE;
    }
  return TRUE;
}

/* Identifier files */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_to_uai (SesameImportJob *job,
            const char      *uai,
            const char      *key)
{
  GPtrArray *keys = g_hash_table_lookup (job->created_by_uai, uai);

  if (keys == NULL)
    {
      keys = g_ptr_array_new ();
      g_hash_table_insert (job->created_by_uai, (gpointer) _sesame_import_keep_string (job, uai), keys);
    }
  g_ptr_array_add (keys, (gpointer) key);
}

/**
 * _sesame_import_record_files:
 * @job: the import, its records applied
 * @error: return location for a #GError
 *
 * Records one identifier file per establishment for the distributable
 * accounts this import created: pupils in their establishment's, parents
 * in the files of their children's establishments.
 *
 * Returns: %FALSE if the store failed
 */
gboolean
_sesame_import_record_files (SesameImportJob  *job,
                             GError          **error)
{
  g_autoptr(GPtrArray) uais = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, job->created_parents);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *parent_uais = value;

      /* Children met in earlier imports only. */
      if (parent_uais->len == 0)
        {
          sqlite3_stmt *stmt =
            _sesame_import_prepare (job,
                                    "SELECT DISTINCT e.uai FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                    " JOIN establishments e ON e.jointure = c.structure"
                                    " WHERE g.parent_key = ?1 AND g.deleted_at IS NULL AND c.left_at IS NULL"
                                    " AND e.uai <> ''",
                                    error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            g_ptr_array_add (parent_uais, (gpointer) _sesame_import_keep_string (job, _sesame_column_text (stmt, 0)));
          sqlite3_reset (stmt);
        }

      if (parent_uais->len == 0)
        job->created_without_uai++;
      for (guint i = 0; i < parent_uais->len; i++)
        add_to_uai (job, g_ptr_array_index (parent_uais, i), key);
    }

  if (job->created_without_uai > 0)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u account was created for someone without a known establishment: it is in no identifier file",
                                      "%u accounts were created for people without a known establishment: they are in no identifier file",
                                      job->created_without_uai),
                         job->created_without_uai);

      _sesame_import_warn (job, _("Identifier files"), 0, message);
    }

  if (job->flags & SESAME_IMPORT_FLAGS_DRY_RUN)
    return TRUE;

  g_hash_table_iter_init (&iter, job->created_by_uai);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (uais, key);
  g_ptr_array_sort (uais, compare_strings);

  for (guint i = 0; i < uais->len; i++)
    {
      const char *uai = g_ptr_array_index (uais, i);
      GPtrArray *keys = g_hash_table_lookup (job->created_by_uai, uai);
      char *id;

      id = _sesame_store_record_identifier_file (job->store, uai, job->import_id,
                                                 (const char * const *) keys->pdata, keys->len, error);
      if (id == NULL)
        return FALSE;
      g_ptr_array_add (job->summary->identifier_files, id);
    }
  return TRUE;
}
