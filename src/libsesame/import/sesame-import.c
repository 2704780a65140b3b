/* sesame-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The directory import: reads AAF files and brings the store in line with
 * them, in one transaction (see sesame-import-pipeline.c for how the files
 * are read, sesame-import-apply.c for what a record changes). The summary,
 * and the import run in a thread for the application.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-import-private.h"
#include "sesame-search-index-private.h"


G_DEFINE_BOXED_TYPE (SesameImportSummary, sesame_import_summary,
                     sesame_import_summary_copy, sesame_import_summary_free)

/**
 * sesame_import_error_quark:
 *
 * The error domain of the import's decisions, with the codes of
 * #SesameImportError; the import's other failures are in %SESAME_ERROR.
 *
 * Returns: the #GQuark of %SESAME_IMPORT_ERROR
 */
G_DEFINE_QUARK (sesame-import-error-quark, sesame_import_error)

static SesameImportSummary *
summary_new (void)
{
  SesameImportSummary *summary = g_new0 (SesameImportSummary, 1);

  summary->warnings = g_ptr_array_new_with_free_func (g_free);
  summary->identifier_files = g_ptr_array_new_with_free_func (g_free);
  summary->incomplete_sets = g_ptr_array_new_with_free_func (g_free);
  summary->import_id = g_strdup ("");
  return summary;
}

static GPtrArray *
copy_strings (GPtrArray *strings)
{
  GPtrArray *copy = g_ptr_array_new_full (strings ? strings->len : 0, g_free);

  for (guint i = 0; strings != NULL && i < strings->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (strings, i)));
  return copy;
}

/**
 * sesame_import_summary_copy:
 * @summary: a summary
 *
 * Copies a summary with its strings and arrays.
 *
 * Returns: (transfer full): a copy of @summary, freed with
 *   sesame_import_summary_free()
 */
SesameImportSummary *
sesame_import_summary_copy (const SesameImportSummary *summary)
{
  SesameImportSummary *copy;

  g_return_val_if_fail (summary != NULL, NULL);

  copy = g_memdup2 (summary, sizeof *summary);
  copy->warnings = copy_strings (summary->warnings);
  copy->identifier_files = copy_strings (summary->identifier_files);
  copy->incomplete_sets = copy_strings (summary->incomplete_sets);
  copy->import_id = g_strdup (summary->import_id);
  return copy;
}

/* The members of the summary's JSON (`sesamectl import --json` and the
 * result of an import the server ran), in the order they are written. */
static const struct
{
  const char *name;
  gsize       offset;
} summary_counts[] = {
  { "files", G_STRUCT_OFFSET (SesameImportSummary, files) },
  { "establishments", G_STRUCT_OFFSET (SesameImportSummary, establishments) },
  { "subjects", G_STRUCT_OFFSET (SesameImportSummary, subjects) },
  { "pupils", G_STRUCT_OFFSET (SesameImportSummary, pupils) },
  { "parents", G_STRUCT_OFFSET (SesameImportSummary, parents) },
  { "staff", G_STRUCT_OFFSET (SesameImportSummary, staff) },
  { "persons_created", G_STRUCT_OFFSET (SesameImportSummary, persons_created) },
  { "persons_updated", G_STRUCT_OFFSET (SesameImportSummary, persons_updated) },
  { "persons_departed", G_STRUCT_OFFSET (SesameImportSummary, persons_departed) },
  { "accounts_created", G_STRUCT_OFFSET (SesameImportSummary, accounts_created) },
}, summary_strings[] = {
  { "warnings", G_STRUCT_OFFSET (SesameImportSummary, warnings) },
  { "identifier_files", G_STRUCT_OFFSET (SesameImportSummary, identifier_files) },
  { "incomplete_sets", G_STRUCT_OFFSET (SesameImportSummary, incomplete_sets) },
};

/**
 * sesame_import_summary_to_json:
 * @summary: a summary
 *
 * Writes @summary as the JSON object `sesamectl import --json` prints:
 * `dry_run`, the counts, `warnings`, `identifier_files`,
 * `incomplete_sets` and `import_id`. sesame_import_summary_new_from_json()
 * reads it back.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
sesame_import_summary_to_json (const SesameImportSummary *summary)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (summary != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, summary->dry_run);
  for (gsize i = 0; i < G_N_ELEMENTS (summary_counts); i++)
    {
      json_builder_set_member_name (builder, summary_counts[i].name);
      json_builder_add_int_value (builder, G_STRUCT_MEMBER (guint, summary, summary_counts[i].offset));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (summary_strings); i++)
    {
      GPtrArray *strings = G_STRUCT_MEMBER (GPtrArray *, summary, summary_strings[i].offset);

      json_builder_set_member_name (builder, summary_strings[i].name);
      json_builder_begin_array (builder);
      for (guint s = 0; strings != NULL && s < strings->len; s++)
        json_builder_add_string_value (builder, g_ptr_array_index (strings, s));
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "import_id");
  json_builder_add_string_value (builder, summary->import_id != NULL ? summary->import_id : "");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * sesame_import_summary_new_from_json:
 * @node: a JSON object written by sesame_import_summary_to_json()
 *
 * Reads a summary back from its JSON, as an import the server ran reports
 * it. A missing member counts as zero or empty; a count out of range is
 * clamped.
 *
 * Returns: (transfer full) (nullable): the summary, or %NULL when @node is
 *   not an object
 */
SesameImportSummary *
sesame_import_summary_new_from_json (JsonNode *node)
{
  SesameImportSummary *summary;
  const char *import_id;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  summary = summary_new ();
  summary->dry_run = json_object_get_boolean_member_with_default (object, "dry_run", FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (summary_counts); i++)
    {
      gint64 value = json_object_get_int_member_with_default (object, summary_counts[i].name, 0);

      G_STRUCT_MEMBER (guint, summary, summary_counts[i].offset) = (guint) CLAMP (value, 0, G_MAXUINT);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (summary_strings); i++)
    {
      GPtrArray *strings = G_STRUCT_MEMBER (GPtrArray *, summary, summary_strings[i].offset);
      JsonNode *member = json_object_get_member (object, summary_strings[i].name);
      JsonArray *array = member != NULL && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;

      for (guint e = 0; array != NULL && e < json_array_get_length (array); e++)
        {
          JsonNode *element = json_array_get_element (array, e);
          const char *value = JSON_NODE_HOLDS_VALUE (element) ? json_node_get_string (element) : NULL;

          g_ptr_array_add (strings, g_strdup (value != NULL ? value : ""));
        }
    }
  import_id = json_object_get_string_member_with_default (object, "import_id", "");
  g_free (summary->import_id);
  summary->import_id = g_strdup (import_id != NULL ? import_id : "");
  return summary;
}

/**
 * sesame_import_summary_free:
 * @summary: (nullable) (transfer full): a summary
 *
 * Frees @summary, its strings and arrays. %NULL is ignored.
 */
void
sesame_import_summary_free (SesameImportSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->warnings, g_ptr_array_unref);
  g_clear_pointer (&summary->identifier_files, g_ptr_array_unref);
  g_clear_pointer (&summary->incomplete_sets, g_ptr_array_unref);
  g_free (summary->import_id);
  g_free (summary);
}

/**
 * sesame_import_summary_describe:
 * @summary: a summary
 *
 * Writes the outcome of an import as sesamectl prints it and the window
 * shows it: the records read, the persons and accounts created, updated or
 * departed, the identifier files recorded and the warnings, in the language
 * of the interface.
 *
 * Returns: (transfer full): what the import did, in a few lines for people
 */
char *
sesame_import_summary_describe (const SesameImportSummary *summary)
{
  GString *text = g_string_new (NULL);
  guint n_warnings, n_files, n_incomplete;

  g_return_val_if_fail (summary != NULL, NULL);

  n_warnings = summary->warnings ? summary->warnings->len : 0;
  n_files = summary->identifier_files ? summary->identifier_files->len : 0;
  n_incomplete = summary->incomplete_sets ? summary->incomplete_sets->len : 0;

  if (summary->dry_run)
    g_string_append_printf (text, "%s\n", _("Dry run: nothing was written; this is what the import would do."));

  g_string_append_printf (text,
                          g_dngettext (GETTEXT_PACKAGE, "%'u file read.\n", "%'u files read.\n", summary->files),
                          summary->files);
  {
    g_autofree char *establishments = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u establishment",
                                                                    "%'u establishments", summary->establishments),
                                                       summary->establishments);
    g_autofree char *subjects = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u subject", "%'u subjects",
                                                              summary->subjects),
                                                 summary->subjects);
    g_autofree char *pupils = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u pupil", "%'u pupils", summary->pupils),
                                               summary->pupils);
    g_autofree char *parents = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u parent", "%'u parents",
                                                             summary->parents),
                                                summary->parents);
    g_autofree char *staff = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u staff member", "%'u staff members",
                                                           summary->staff),
                                              summary->staff);
    g_autofree char *created = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u new", "%'u new",
                                                             summary->persons_created),
                                                summary->persons_created);
    g_autofree char *updated = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u updated", "%'u updated",
                                                             summary->persons_updated),
                                                summary->persons_updated);
    g_autofree char *departed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u who left", "%'u who left",
                                                              summary->persons_departed),
                                                 summary->persons_departed);

    /* TRANSLATORS: counts of establishments, subjects, pupils, parents and staff */
    g_string_append_printf (text, _("Read: %s, %s, %s, %s, %s.\n"), establishments, subjects, pupils, parents, staff);
    /* TRANSLATORS: counts of people new, updated and who left */
    g_string_append_printf (text, _("People: %s, %s, %s.\n"), created, updated, departed);
  }
  for (guint i = 0; i < n_incomplete; i++)
    g_string_append_printf (text,
                            _("Nobody was marked as having left from %s: some of its chunks are missing. "
                              "Import the whole export to mark the departures.\n"),
                            (const char *) g_ptr_array_index (summary->incomplete_sets, i));
  g_string_append_printf (text,
                          g_dngettext (GETTEXT_PACKAGE, "%'u account created.\n", "%'u accounts created.\n",
                                       summary->accounts_created),
                          summary->accounts_created);
  if (!summary->dry_run)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE, "%'u identifier file recorded.\n",
                                         "%'u identifier files recorded.\n", n_files),
                            n_files);
  if (n_warnings == 0)
    g_string_append (text, _("No warning."));
  else
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE, "%'u warning: see the list.", "%'u warnings: see the list.",
                                         n_warnings),
                            n_warnings);
  return g_string_free (text, FALSE);
}

static char *
summary_json (const SesameImportSummary *summary)
{
  return g_strdup_printf ("{\"files\":%u,\"establishments\":%u,\"subjects\":%u,\"pupils\":%u,\"parents\":%u,"
                          "\"staff\":%u,\"persons_created\":%u,\"persons_updated\":%u,\"persons_departed\":%u,"
                          "\"accounts_created\":%u,\"warnings\":%u,\"identifier_files\":%u}",
                          summary->files, summary->establishments, summary->subjects, summary->pupils,
                          summary->parents, summary->staff, summary->persons_created, summary->persons_updated,
                          summary->persons_departed, summary->accounts_created, summary->warnings->len,
                          summary->identifier_files->len);
}

static gboolean
record_import (SesameImportJob  *job,
               GError          **error)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *counts = summary_json (job->summary);
  sqlite3_stmt *stmt;
  gboolean complete = FALSE;

  for (guint i = 0; i < job->files->len; i++)
    {
      const SesameImportFile *file = g_ptr_array_index (job->files, i);

      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, file->name);
      complete |= file->info.complete;
    }

  stmt = _sesame_import_prepare (job,
                                 "INSERT INTO imports (id, started_at, finished_at, operator, files, complete, summary)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->import_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, job->now);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (job->store));
  sqlite3_bind_text (stmt, 4, _sesame_store_operator_name (job->store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, names->str, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, complete);
  sqlite3_bind_text (stmt, 7, counts, -1, SQLITE_STATIC);
  if (!_sesame_store_step_done (job->store, stmt, error))
    return FALSE;

  return _sesame_store_audit (job->store, "import", names->str, counts, error);
}

/* The free-text index, once all the rows are written. Inside the import's
 * transaction, every statement that follows a write to the FTS5 table makes
 * it flush what it holds: indexing person by person would cost more than
 * the rest of the import. The people this import created are indexed by
 * one statement that writes what _sesame_search_index_person() writes for
 * each; the people it renamed go through _sesame_search_index_person(). */
static gboolean
index_persons (SesameImportJob  *job,
               GError          **error)
{
  sqlite3_stmt *stmt;

  /* A dry run is rolled back: nobody will search it. */
  if (job->flags & SESAME_IMPORT_FLAGS_DRY_RUN)
    return TRUE;

  /* Rows are never deleted from persons: those above the largest rowid
   * before the import are the ones it created. */
  if (job->summary->persons_created > 0)
    {
      stmt = _sesame_import_prepare (job,
                                     "INSERT INTO persons_fts (rowid, first_name, last_name, other_names)"
                                     " SELECT rowid, first_name, last_name, birth_name FROM persons WHERE rowid > ?1",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, job->last_rowid);
      if (!_sesame_store_step_done (job->store, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < job->renamed->len; i++)
    if (!_sesame_search_index_person (job->store, g_ptr_array_index (job->renamed, i), error))
      return FALSE;
  return TRUE;
}

/* Bulk imports */

/* About the bytes of XML per person in an export. */
#define BYTES_PER_PERSON 2048

guint64 _sesame_import_bulk_min_bytes = 16 * 1024 * 1024;

/* The secondary indexes that no statement reads while the records are
 * applied: they serve searches, lists, departures, identifier files and
 * sign-in. While accounts_login is away, the bulk import's set of logins
 * keeps new logins unique; rebuilding the unique index checks it again. */
static const char * const deferrable_indexes[] = {
  "persons_structure",
  "persons_heads",
  "memberships_code",
  "teachings_code",
  "teachings_code_nocase",
  "guardians_parent",
  "accounts_created",
  "accounts_login",
  "credentials_live",
};

/* An import that brings more persons than the store holds (the first one
 * of an academy, or of a new school year) would spend most of its time
 * slotting rows into indexes at random places, and their pages would not
 * fit in the cache. It drops those indexes and builds each one at the end
 * in a single sorted pass, inside the same transaction: a failure or a
 * cancellation gives them back as they were. The store's logins are few
 * enough to be held in memory for the new accounts. */
static gboolean
begin_bulk_import (SesameImportJob  *job,
                   GError          **error)
{
  sqlite3_stmt *stmt;

  if (job->bytes_total < _sesame_import_bulk_min_bytes ||
      job->bytes_total / BYTES_PER_PERSON < (guint64) job->last_rowid)
    return TRUE;

  stmt = _sesame_import_prepare (job, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (deferrable_indexes); i++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *drop = NULL;

      sqlite3_bind_text (stmt, 1, deferrable_indexes[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        sql = g_strdup (_sesame_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (sql == NULL)
        continue;

      drop = g_strdup_printf ("DROP INDEX \"%s\"", deferrable_indexes[i]);
      if (!_sesame_store_exec (job->store, drop, error))
        return FALSE;
      g_ptr_array_add (job->deferred_indexes, g_steal_pointer (&sql));
    }
  g_debug ("Bulk import: %u indexes built at the end", job->deferred_indexes->len);

  /* The store holds fewer accounts than the import will create: their
   * logins fit in memory, and homonyms are found there. */
  job->logins = _sesame_login_set_load (job->store, error);
  return job->logins != NULL;
}

static gboolean
build_deferred_indexes (SesameImportJob  *job,
                        GError          **error)
{
  for (guint i = 0; i < job->deferred_indexes->len; i++)
    if (!_sesame_store_exec (job->store, g_ptr_array_index (job->deferred_indexes, i), error))
      return FALSE;
  g_ptr_array_set_size (job->deferred_indexes, 0);
  return TRUE;
}

static gboolean
run_import (SesameImportJob     *job,
            const char * const  *establishments,
            GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_import_prepare (job, "SELECT IFNULL (MAX (rowid), 0) FROM persons", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    job->last_rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!_sesame_import_load_structures (job, error) ||
      !_sesame_import_select (job, establishments, error))
    return FALSE;

  if (!_sesame_import_check_chunks (job, error))
    return FALSE;
  _sesame_import_report_progress (job, 0);

  if (!begin_bulk_import (job, error) ||
      !_sesame_import_run_pipeline (job, error) ||
      !build_deferred_indexes (job, error) ||
      !index_persons (job, error) ||
      !_sesame_import_mark_departures (job, error) ||
      !_sesame_import_check_departures (job, error) ||
      !_sesame_import_record_files (job, error))
    return FALSE;

  if (job->warnings_left_out > 0)
    g_ptr_array_add (job->summary->warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "… and %u more warning, not listed.",
                                                   "… and %u more warnings, not listed.",
                                                   job->warnings_left_out),
                                      job->warnings_left_out));

  if (job->flags & SESAME_IMPORT_FLAGS_DRY_RUN)
    return TRUE;
  return record_import (job, error);
}

/**
 * sesame_import_run:
 * @self: a #SesameStore
 * @paths: (array zero-terminated=1): AAF files and folders of AAF files
 * @establishments: (nullable) (array zero-terminated=1): the UAIs to keep
 *   from an academy-wide set, or %NULL for all
 * @flags: %SESAME_IMPORT_FLAGS_DRY_RUN to only tell what would change,
 *   %SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES once departures are confirmed
 * @progress: (nullable) (scope call): called from time to time, in the
 *   calling thread
 * @progress_data: (closure progress): data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Imports the academy directory: establishments, subjects, staff, parents
 * and pupils, with their classes, links and functions, then creates the
 * accounts of the people who have none and records an identifier file per
 * establishment for them. Administrators only: those of some
 * establishments import the records of those establishments only, the
 * others being left out as if @establishments named theirs.
 *
 * The import applies whole or not at all: a file that cannot be read, a
 * cancellation or a failure leaves the store as it was. Importing the same
 * files again changes nothing. People missing from a complete export that
 * covers them are marked as having left and their accounts disabled (not
 * purged: they come back as they were if a later import lists them); a
 * complete export with chunks missing marks nobody, and says so in
 * @incomplete_sets of the summary. An import that would mark more than the
 * store's %SESAME_SETTING_DEPARTURE_THRESHOLD of an establishment's people
 * fails with %SESAME_IMPORT_ERROR_DEPARTURES, changing nothing, unless
 * @flags accept the departures. A key read twice in one set, or held by a
 * person of another kind, overwrites nobody. Oddities of the files are
 * repaired or skipped with a warning naming the file and the line.
 *
 * It blocks for as long as the import takes (minutes for an academy) and
 * uses @self meanwhile: the window calls sesame_import_run_async(). It
 * fails with %SESAME_ERROR_PERMISSION_DENIED when the acting operator may
 * not import, %SESAME_ERROR_INVALID for a file that cannot be read (the
 * message names it and the line), %SESAME_ERROR_CANCELLED,
 * %SESAME_IMPORT_ERROR_DEPARTURES as said above, or with the store's errors
 * (%SESAME_ERROR_BUSY when another program holds it).
 *
 * Returns: (transfer full): what the import did, or %NULL with @error set
 */
SesameImportSummary *
sesame_import_run (SesameStore          *self,
                   const char * const   *paths,
                   const char * const   *establishments,
                   SesameImportFlags     flags,
                   SesameImportProgress  progress,
                   gpointer              progress_data,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_auto(GStrv) mine = NULL;
  SesameImportJob job = { 0 };
  gboolean ok;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (paths != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_IMPORT, NULL, error))
    return NULL;
  /* Administrators of some establishments import those only: the records
   * of any other establishment in the files are left out, as with
   * --establishment, and naming another one is refused. */
  mine = sesame_store_operator_dup_administered_establishments (self);
  if (mine != NULL)
    {
      for (guint i = 0; establishments != NULL && establishments[i] != NULL; i++)
        if (!sesame_store_operator_administers (self, establishments[i]))
          {
            g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                         _("You do not administer the establishment %s: you can import the records"
                           " of your own establishments only."), establishments[i]);
            return NULL;
          }
      if (establishments == NULL || establishments[0] == NULL)
        establishments = (const char * const *) mine;
    }

  files = _sesame_import_collect_files (paths, sesame_store_get_path (self), error);
  if (files == NULL)
    return NULL;

  summary = summary_new ();
  summary->dry_run = (flags & SESAME_IMPORT_FLAGS_DRY_RUN) != 0;

  _sesame_import_job_init (&job);
  job.store = self;
  job.flags = flags;
  job.cancellable = cancellable;
  job.progress = progress;
  job.progress_data = progress_data;
  job.summary = summary;
  job.files = files;
  job.now = sesame_store_now (self);
  job.import_id = _sesame_new_id ();
  for (guint i = 0; i < files->len; i++)
    job.bytes_total += ((SesameImportFile *) g_ptr_array_index (files, i))->size;

  /* An academy's import touches far more pages than a desk's work. */
  _sesame_store_exec (self, "PRAGMA cache_size = -65536", NULL);
  if (!_sesame_store_begin (self, error))
    {
      _sesame_store_exec (self, "PRAGMA cache_size = -32000", NULL);
      _sesame_import_job_clear (&job);
      g_free (job.import_id);
      return NULL;
    }

  ok = run_import (&job, establishments, error);

  /* A bulk import wrote much of the store: its pages reach the database
   * file in the background. */
  if (ok && !summary->dry_run)
    ok = job.logins != NULL ? _sesame_store_commit_large (self, error)
                            : _sesame_store_commit (self, error);
  else
    _sesame_store_rollback (self);

  if (ok && !summary->dry_run)
    {
      g_free (summary->import_id);
      summary->import_id = g_steal_pointer (&job.import_id);
    }
  if (ok && job.progress != NULL)
    job.progress (job.records, job.bytes_total, job.bytes_total, job.progress_data);

  _sesame_store_exec (self, "PRAGMA cache_size = -32000", NULL);
  _sesame_import_job_clear (&job);
  g_free (job.import_id);

  if (!ok)
    return NULL;
  return g_steal_pointer (&summary);
}

/* Asynchronous import */

/* Carries progress from the importing thread to the caller's main context,
 * at most one pending report at a time; progress_data is freed there. */
typedef struct
{
  gatomicrefcount       ref_count;
  GMainContext         *context;
  SesameImportProgress  progress;
  gpointer              progress_data;
  GDestroyNotify        progress_data_destroy;
  GMutex                lock;
  guint64               records;
  guint64               bytes_read;
  guint64               bytes_total;
  gboolean              pending;
  gboolean              done;
} ProgressRelay;

static ProgressRelay *
relay_ref (ProgressRelay *relay)
{
  g_atomic_ref_count_inc (&relay->ref_count);
  return relay;
}

static gboolean
relay_free_in_context (gpointer data)
{
  ProgressRelay *relay = data;

  if (relay->progress_data_destroy != NULL)
    relay->progress_data_destroy (relay->progress_data);
  g_mutex_clear (&relay->lock);
  g_main_context_unref (relay->context);
  g_free (relay);
  return G_SOURCE_REMOVE;
}

static void
relay_unref (gpointer data)
{
  ProgressRelay *relay = data;

  if (g_atomic_ref_count_dec (&relay->ref_count))
    g_main_context_invoke (relay->context, relay_free_in_context, relay);
}

static gboolean
relay_dispatch (gpointer data)
{
  ProgressRelay *relay = data;
  guint64 records, bytes_read, bytes_total;
  gboolean done;

  g_mutex_lock (&relay->lock);
  relay->pending = FALSE;
  records = relay->records;
  bytes_read = relay->bytes_read;
  bytes_total = relay->bytes_total;
  done = relay->done;
  g_mutex_unlock (&relay->lock);

  if (!done && relay->progress != NULL)
    relay->progress (records, bytes_read, bytes_total, relay->progress_data);
  return G_SOURCE_REMOVE;
}

static void
relay_progress (guint64  records,
                guint64  bytes_read,
                guint64  bytes_total,
                gpointer user_data)
{
  ProgressRelay *relay = user_data;
  gboolean schedule;

  g_mutex_lock (&relay->lock);
  relay->records = records;
  relay->bytes_read = bytes_read;
  relay->bytes_total = bytes_total;
  schedule = !relay->pending && !relay->done;
  relay->pending |= schedule;
  g_mutex_unlock (&relay->lock);

  if (schedule)
    g_main_context_invoke_full (relay->context, G_PRIORITY_DEFAULT, relay_dispatch,
                                relay_ref (relay), relay_unref);
}

typedef struct
{
  SesameStore       *store;   /* a connection of its own */
  char             **paths;
  char             **establishments;
  SesameImportFlags  flags;
  ProgressRelay     *relay;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_clear_object (&import->store);
  g_strfreev (import->paths);
  g_strfreev (import->establishments);
  relay_unref (import->relay);
  g_free (import);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *import = task_data;
  SesameImportSummary *summary;
  GError *error = NULL;

  summary = sesame_import_run (import->store,
                               (const char * const *) import->paths,
                               (const char * const *) import->establishments,
                               import->flags, relay_progress, import->relay,
                               cancellable, &error);

  /* No progress report after the result. */
  g_mutex_lock (&import->relay->lock);
  import->relay->done = TRUE;
  g_mutex_unlock (&import->relay->lock);

  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, (GDestroyNotify) sesame_import_summary_free);
}

/**
 * sesame_import_run_async:
 * @self: a #SesameStore
 * @paths: (array zero-terminated=1): AAF files and folders of AAF files
 * @establishments: (nullable) (array zero-terminated=1): the UAIs to keep,
 *   or %NULL for all
 * @flags: import flags
 * @progress: (nullable) (scope notified): called in the thread-default main
 *   context of the caller
 * @progress_data: (closure progress): data for @progress
 * @progress_data_destroy: (nullable): frees @progress_data, in the caller's
 *   main context, after the last report
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called in the thread-default main context when
 *   the import is over
 * @user_data: (closure): data for @callback
 *
 * Runs sesame_import_run() in a thread on a connection of its own to the
 * same store; the window does not freeze.
 */
void
sesame_import_run_async (SesameStore          *self,
                         const char * const   *paths,
                         const char * const   *establishments,
                         SesameImportFlags     flags,
                         SesameImportProgress  progress,
                         gpointer              progress_data,
                         GDestroyNotify        progress_data_destroy,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ImportData *import;
  ProgressRelay *relay;

  g_return_if_fail (SESAME_IS_STORE (self));
  g_return_if_fail (paths != NULL);

  relay = g_new0 (ProgressRelay, 1);
  g_atomic_ref_count_init (&relay->ref_count);
  g_mutex_init (&relay->lock);
  relay->context = g_main_context_ref_thread_default ();
  relay->progress = progress;
  relay->progress_data = progress_data;
  relay->progress_data_destroy = progress_data_destroy;

  import = g_new0 (ImportData, 1);
  import->paths = g_strdupv ((char **) paths);
  import->establishments = g_strdupv ((char **) establishments);
  import->flags = flags;
  import->relay = relay;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_import_run_async);
  g_task_set_task_data (task, import, import_data_free);
  /* The result says what happened: an import cancelled too late to stop
   * it did commit, and a cancelled one fails with SESAME_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);

  import->store = sesame_store_dup (self, &error);
  if (import->store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, import_thread);
}

/**
 * sesame_import_run_finish:
 * @self: a #SesameStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes sesame_import_run_async(), with the errors of sesame_import_run().
 * An import cancelled too late to be stopped has committed, and gives its
 * summary here.
 *
 * Returns: (transfer full): what the import did, or %NULL with @error set
 */
SesameImportSummary *
sesame_import_run_finish (SesameStore   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sesame_import_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
