/* sesame-import-scope.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an import covers beyond its records: the establishments kept from
 * an academy-wide set, who left (a person missing from a complete export
 * that covers them, and only that export's establishment), whether so many
 * left that someone must confirm it, and the identifier files of the
 * accounts it created.
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

/* Whether a parent's children are all in structures the exports cover.
 * The children who count are those of the establishments they were in
 * before this import (still there, or leaving with it); a parent whose
 * children all left earlier is judged by all of them. */
static gboolean
children_covered (SesameImportJob  *job,
                  const char       *parent_key,
                  GHashTable       *coverage,
                  gboolean         *has_children,
                  GError          **error)
{
  sqlite3_stmt *stmt;
  gboolean current_covered = TRUE, all_covered = TRUE, has_current = FALSE;

  stmt = _sesame_import_prepare (job,
                                 "SELECT c.key, c.structure, c.left_at IS NULL FROM guardians g"
                                 " JOIN persons c ON c.key = g.pupil_key"
                                 " WHERE g.parent_key = ?1 AND g.deleted_at IS NULL AND c.deleted_at IS NULL",
                                 error);
  if (stmt == NULL)
    return FALSE;
  *has_children = FALSE;
  sqlite3_bind_text (stmt, 1, parent_key, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gboolean covered = g_hash_table_contains (coverage, _sesame_column_text (stmt, 1));
      gboolean current = sqlite3_column_int (stmt, 2) != 0 ||
                         g_hash_table_contains (job->departed, _sesame_column_text (stmt, 0));

      *has_children = TRUE;
      all_covered &= covered;
      if (current)
        {
          has_current = TRUE;
          current_covered &= covered;
        }
    }
  sqlite3_reset (stmt);
  return has_current ? current_covered : all_covered;
}

/* Adds the structures of an establishment to a coverage. */
static void
cover_uai (SesameImportJob *job,
           GHashTable      *coverage,
           const char      *uai)
{
  GHashTableIter iter;
  gpointer jointure, value;

  g_hash_table_iter_init (&iter, job->structure_uai);
  while (g_hash_table_iter_next (&iter, &jointure, &value))
    if (g_str_equal (value, uai))
      g_hash_table_add (coverage, jointure);
}

/* Takes out of a coverage the structures of establishments whose set has
 * chunks missing. */
static void
uncover_incomplete (SesameImportJob *job,
                    GHashTable      *coverage,
                    GHashTable      *incomplete_uais)
{
  GHashTableIter iter;
  gpointer jointure;

  if (g_hash_table_size (incomplete_uais) == 0)
    return;
  g_hash_table_iter_init (&iter, coverage);
  while (g_hash_table_iter_next (&iter, &jointure, NULL))
    {
      const char *uai = g_hash_table_lookup (job->structure_uai, jointure);

      if (uai != NULL && g_hash_table_contains (incomplete_uais, uai))
        g_hash_table_iter_remove (&iter);
    }
}

/**
 * _sesame_import_mark_departures:
 * @job: the import, its files all read
 * @error: return location for a #GError
 *
 * A pupil or a member of staff missing from a complete export that lists
 * their structure in full has left: an establishment's export covers the
 * structures of that establishment, an academy-wide one those of the people
 * it lists. A parent missing from a complete export of parents has left
 * when their children are all in structures that export covers (an
 * establishment's export of parents covers its structures, an
 * academy-wide one those of the pupils read); a parent without children
 * leaves only with an academy-wide export read whole. Sets with chunks
 * missing cover nothing. Those who left are marked so and their accounts
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
  gboolean any = FALSE, academy_parents = FALSE;
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

      if (!file->info.complete || file->incomplete || file->kind < SESAME_AAF_KIND_STAFF)
        continue;
      if (file->info.uai[0] == '\0')
        {
          academy_parents |= file->kind == SESAME_AAF_KIND_PARENT;
          continue;
        }
      if (job->keep_uais != NULL && !g_hash_table_contains (job->keep_uais, file->info.uai))
        continue;
      cover_uai (job, job->covered[file->kind], file->info.uai);
    }
  for (SesameAafKind kind = SESAME_AAF_KIND_STAFF; kind <= SESAME_AAF_KIND_PUPIL; kind++)
    uncover_incomplete (job, job->covered[kind], job->incomplete_uais[kind]);

  g_hash_table_iter_init (&iter, job->covered[SESAME_AAF_KIND_PARENT]);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (parent_coverage, key);
  if (academy_parents)
    {
      g_hash_table_iter_init (&iter, job->covered[SESAME_AAF_KIND_PUPIL]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (parent_coverage, key);
      uncover_incomplete (job, parent_coverage, job->incomplete_uais[SESAME_AAF_KIND_PARENT]);
    }

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

      covered = children_covered (job, parent, parent_coverage, &has_children, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Without children, only an export of the whole academy's parents
       * says they left. */
      if (!covered || (!has_children && (!academy_parents || job->keep_structures != NULL)))
        continue;
      if (!_sesame_import_mark_left (job, parent, error))
        return FALSE;
    }
  return TRUE;
}

/* The people who left from one establishment, or from one structure that
 * no establishment claims. */
typedef struct
{
  char     *id;          /* the UAI, or the structure's jointure */
  gboolean  structure;
  guint     departed;
  guint     total;
} Departures;

static void
departures_free (gpointer data)
{
  Departures *departures = data;

  g_free (departures->id);
  g_free (departures);
}

static int
compare_departures (gconstpointer a,
                    gconstpointer b)
{
  const Departures *da = *(Departures * const *) a;
  const Departures *db = *(Departures * const *) b;

  if (da->structure != db->structure)
    return da->structure ? 1 : -1;
  return strcmp (da->id, db->id);
}

/* Everyone of some structures (?1) before this import (?2 its time): their
 * pupils and staff, and the parents of their pupils. */
#define PEOPLE_OF_STRUCTURES(structures) \
  "WITH s AS (" structures ")" \
  " SELECT (SELECT count(*) FROM s JOIN persons p ON p.structure = s.jointure" \
  "   WHERE p.kind <> 'PersRelEleve' AND p.deleted_at IS NULL AND (p.left_at IS NULL OR p.left_at = ?2))" \
  " + (SELECT count(DISTINCT g.parent_key) FROM s" \
  "   JOIN persons c ON c.structure = s.jointure JOIN guardians g ON g.pupil_key = c.key" \
  "   JOIN persons p ON p.key = g.parent_key" \
  "   WHERE c.deleted_at IS NULL AND (c.left_at IS NULL OR c.left_at = ?2)" \
  "   AND g.deleted_at IS NULL AND p.kind = 'PersRelEleve' AND p.deleted_at IS NULL" \
  "   AND (p.left_at IS NULL OR p.left_at = ?2))"

/* Counts the people who left by establishment: theirs, or for a parent
 * those of the children they had before this import; then everyone each
 * establishment had before it. Keys: "U" + UAI, or "S" + jointure. */
static gboolean
count_departures (SesameImportJob  *job,
                  GHashTable       *groups,
                  GError          **error)
{
  GHashTableIter iter;
  gpointer key, value;
  sqlite3_stmt *stmt;

  stmt = _sesame_import_prepare (job,
                                 "SELECT IFNULL (e.uai, ''), p.structure FROM persons p"
                                 " LEFT JOIN establishments e ON e.jointure = p.structure"
                                 " WHERE p.key = ?1 AND p.structure <> ''"
                                 " UNION SELECT IFNULL (e.uai, ''), c.structure FROM guardians g"
                                 " JOIN persons c ON c.key = g.pupil_key"
                                 " LEFT JOIN establishments e ON e.jointure = c.structure"
                                 " WHERE g.parent_key = ?1 AND g.deleted_at IS NULL AND c.deleted_at IS NULL"
                                 " AND (c.left_at IS NULL OR c.left_at = ?2) AND c.structure <> ''",
                                 error);
  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, job->departed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(GHashTable) counted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, job->now);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *uai = _sesame_column_text (stmt, 0);
          gboolean structure = *uai == '\0';
          char *id = g_strconcat (structure ? "S" : "U", structure ? _sesame_column_text (stmt, 1) : uai, NULL);
          Departures *departures;

          /* A parent of two children of one establishment counts once. */
          if (!g_hash_table_add (counted, id))
            continue;
          departures = g_hash_table_lookup (groups, id);
          if (departures == NULL)
            {
              departures = g_new0 (Departures, 1);
              departures->id = g_strdup (id + 1);
              departures->structure = structure;
              g_hash_table_insert (groups, g_strdup (id), departures);
            }
          departures->departed++;
        }
    }
  sqlite3_reset (stmt);

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Departures *departures = value;

      stmt = _sesame_import_prepare (job,
                                     departures->structure
                                     ? PEOPLE_OF_STRUCTURES ("SELECT ?1 AS jointure")
                                     : PEOPLE_OF_STRUCTURES ("SELECT jointure FROM establishments WHERE uai = ?1"),
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, departures->id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, job->now);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        departures->total = (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      departures->total = MAX (departures->total, departures->departed);
    }
  return TRUE;
}

static char *
establishment_name (SesameImportJob *job,
                    const char      *uai)
{
  sqlite3_stmt *stmt = _sesame_import_prepare (job,
                                               "SELECT name FROM establishments WHERE uai = ?1 AND name <> ''"
                                               " ORDER BY deleted_at IS NOT NULL LIMIT 1",
                                               NULL);
  char *name = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uai, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return name;
}

/* "COLLÈGE X (0741234A)", or the structure no establishment claims. */
static char *
departures_place (SesameImportJob  *job,
                  const Departures *departures)
{
  g_autofree char *name = NULL;

  if (departures->structure)
    return g_strdup_printf (_("the structure %s (no known establishment)"), departures->id);
  name = establishment_name (job, departures->id);
  return name != NULL ? g_strdup_printf ("%s (%s)", name, departures->id) : g_strdup (departures->id);
}

/**
 * _sesame_import_check_departures:
 * @job: the import, its departures marked
 * @error: return location for a #GError
 *
 * A cut file, a wrong folder or an export of the wrong year would disable
 * the accounts of a whole establishment. When the import marks more than
 * the store's threshold (%SESAME_SETTING_DEPARTURE_THRESHOLD, 10 % unless
 * set) of an establishment's people as having left, it stops with
 * %SESAME_IMPORT_ERROR_DEPARTURES naming the establishments and the counts,
 * and the caller rolls it back, unless the departures were accepted. A dry
 * run says it in a warning instead.
 *
 * Returns: %FALSE if the departures need a confirmation or the store failed
 */
gboolean
_sesame_import_check_departures (SesameImportJob  *job,
                                 GError          **error)
{
  g_autoptr(GHashTable) by_uai = NULL;
  g_autoptr(GPtrArray) over = NULL;
  g_autoptr(GString) text = NULL;
  GHashTableIter iter;
  gpointer value;
  int threshold;

  if (g_hash_table_size (job->departed) == 0 || (job->flags & SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES))
    return TRUE;

  threshold = CLAMP (sesame_store_settings_get_int (job->store, SESAME_SETTING_DEPARTURE_THRESHOLD, 10), 0, 100);
  by_uai = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, departures_free);
  if (!count_departures (job, by_uai, error))
    return FALSE;

  over = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, by_uai);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Departures *departures = value;

      if ((guint64) departures->departed * 100 > (guint64) threshold * departures->total)
        g_ptr_array_add (over, departures);
    }
  if (over->len == 0)
    return TRUE;
  g_ptr_array_sort (over, compare_departures);

  text = g_string_new (NULL);
  for (guint i = 0; i < over->len; i++)
    {
      Departures *departures = g_ptr_array_index (over, i);
      g_autofree char *establishment = departures_place (job, departures);
      g_autofree char *line =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%s: %u person of %u would be marked as having left (%u %%)",
                                      "%s: %u people of %u would be marked as having left (%u %%)",
                                      departures->departed),
                         establishment, departures->departed, departures->total,
                         departures->total > 0 ? departures->departed * 100 / departures->total : 100);

      if (job->flags & SESAME_IMPORT_FLAGS_DRY_RUN)
        {
          g_autofree char *warning =
            g_strdup_printf (_("more than %d %% of the people of the establishment would leave; the import will ask "
                               "for a confirmation"), threshold);

          _sesame_import_warn (job, line, 0, warning);
          continue;
        }
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, line);
    }
  if (job->flags & SESAME_IMPORT_FLAGS_DRY_RUN)
    return TRUE;

  g_set_error (error, SESAME_IMPORT_ERROR, SESAME_IMPORT_ERROR_DEPARTURES,
               _("This import would mark more than %d %% of an establishment’s people as having left, and "
                 "disable their accounts:\n\n%s\n\nNothing was changed. Check that the export is whole and recent; "
                 "if these people did leave, import it again accepting the departures."),
               threshold, text->str);
  return FALSE;
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

/* A parent's row in an identifier file names one of their children, for
 * the mail merge: warn when none of them has a name to give. */
static gboolean
warn_parent_without_child_names (SesameImportJob  *job,
                                 const char       *parent_key,
                                 GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *first_name = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *message = NULL;
  gboolean named = FALSE;

  stmt = _sesame_import_prepare (job,
                                 "SELECT p.first_name, p.last_name, EXISTS (SELECT 1 FROM guardians g"
                                 " JOIN persons c ON c.key = g.pupil_key WHERE g.parent_key = p.key"
                                 " AND g.pupil_key <> p.key AND g.deleted_at IS NULL AND c.deleted_at IS NULL"
                                 " AND c.first_name <> '' AND c.last_name <> '')"
                                 " FROM persons p WHERE p.key = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, parent_key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      first_name = g_strdup (_sesame_column_text (stmt, 0));
      last_name = g_strdup (_sesame_column_text (stmt, 1));
      named = sqlite3_column_int (stmt, 2) != 0;
    }
  else
    named = TRUE;
  sqlite3_reset (stmt);
  if (named)
    return TRUE;

  message = g_strdup_printf (_("the parent %s (%s %s) is the guardian of no pupil with a first and last name: "
                               "their row in the identifier file names no child; check the pupils' records"),
                             parent_key, first_name, last_name);
  _sesame_import_warn (job, _("Identifier files"), 0, message);
  return TRUE;
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
      else if (!warn_parent_without_child_names (job, key, error))
        return FALSE;
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

      id = _sesame_identifier_files_record (job->store, uai, job->import_id,
                                            (const char * const *) keys->pdata, keys->len, error);
      if (id == NULL)
        return FALSE;
      g_ptr_array_add (job->summary->identifier_files, id);
    }
  return TRUE;
}
