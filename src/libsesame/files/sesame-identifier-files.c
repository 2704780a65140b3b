/* sesame-identifier-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Identifier files ("Fichiers des identifiants"): the record of which
 * accounts a file lists, for mail merge and for GEPI. An import records
 * one for the accounts it created; an administrator generates one for an
 * establishment, of all its accounts or of those created since a day. A
 * file records accounts, never passwords: its rows are rendered when it
 * is exported (sesame-identifier-file-rows.c), so that it never shows a
 * password that no longer works. This file lists, generates, measures
 * and deletes the records, and says in words what each one holds.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-files"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-establishments.h"
#include "sesame-identifier-file-rows-private.h"
#include "sesame-identifier-files-private.h"

G_DEFINE_BOXED_TYPE (SesameIdentifierFile, sesame_identifier_file,
                     sesame_identifier_file_copy, sesame_identifier_file_free)

/**
 * sesame_identifier_file_copy:
 * @file: a #SesameIdentifierFile
 *
 * Duplicates an identifier file record, every string included, so that it
 * outlives the list it came from.
 *
 * Returns: (transfer full): a copy of @file, to free with
 *   sesame_identifier_file_free()
 */
SesameIdentifierFile *
sesame_identifier_file_copy (const SesameIdentifierFile *file)
{
  SesameIdentifierFile *copy;

  g_return_val_if_fail (file != NULL, NULL);

  copy = g_memdup2 (file, sizeof *file);
  copy->id = g_strdup (file->id);
  copy->name = g_strdup (file->name);
  copy->establishment = g_strdup (file->establishment);
  copy->import_id = g_strdup (file->import_id);
  copy->establishment_name = g_strdup (file->establishment_name);
  return copy;
}

/**
 * sesame_identifier_file_free:
 * @file: (nullable): a #SesameIdentifierFile
 *
 * Frees @file and its strings.
 */
void
sesame_identifier_file_free (SesameIdentifierFile *file)
{
  if (file == NULL)
    return;
  g_free (file->id);
  g_free (file->name);
  g_free (file->establishment);
  g_free (file->import_id);
  g_free (file->establishment_name);
  g_free (file);
}

/* A day in the words of the files' table: the day, not the time. */
static char *
format_day (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  if (time == NULL)
    return g_strdup ("");
  /* TRANSLATORS: a date in the table of identifier files, see strftime(3) */
  return g_date_time_format (time, _("%Y-%m-%d"));
}

/**
 * sesame_identifier_file_dup_contents:
 * @file: a #SesameIdentifierFile
 *
 * Says which accounts a file lists: those an import created, those created
 * since a day, or all of an establishment's.
 *
 * Returns: (transfer full): e.g. "Accounts created by the import of
 *   2026-09-01"
 */
char *
sesame_identifier_file_dup_contents (const SesameIdentifierFile *file)
{
  g_autofree char *day = NULL;

  g_return_val_if_fail (file != NULL, NULL);

  if (file->import_id != NULL)
    {
      day = format_day (file->generated_at);
      return g_strdup_printf (_("Accounts created by the import of %s"), day);
    }
  if (file->since > 0)
    {
      day = format_day (file->since);
      return g_strdup_printf (_("Accounts created since %s"), day);
    }
  return g_strdup (_("All accounts"));
}

/**
 * sesame_identifier_file_dup_profiles:
 * @file: a #SesameIdentifierFile from sesame_identifier_files_list()
 *
 * Says whose accounts a file lists, profile by profile: files of one
 * establishment all bear the same name, and this tells a file of new
 * pupils from a file of their parents.
 *
 * Returns: (transfer full): e.g. "312 pupils, 540 parents", or an empty
 *   string for a file that lists no account
 */
char *
sesame_identifier_file_dup_profiles (const SesameIdentifierFile *file)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (file != NULL, NULL);

  for (SesameProfile profile = SESAME_PROFILE_NONE; profile < SESAME_N_PROFILES; profile++)
    {
      guint n = file->profile_accounts[profile];

      if (n == 0)
        continue;
      if (text->len > 0)
        /* Translators: between the counts of two profiles, "312 pupils, 540 parents" */
        g_string_append (text, _(", "));
      switch (profile)
        {
        case SESAME_PROFILE_ELEVE:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u pupil", "%u pupils", n), n);
          break;
        case SESAME_PROFILE_PARENT:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u parent", "%u parents", n), n);
          break;
        case SESAME_PROFILE_COLLECTIVITE:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u member of local authority staff",
                                                     "%u members of local authority staff", n), n);
          break;
        default:
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u other account", "%u other accounts", n), n);
          break;
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * sesame_identifier_file_path_is_spreadsheet:
 * @path: where a file is to be written
 *
 * Tells from its extension, in any case, which format an export to @path
 * must write.
 *
 * Returns: whether @path names a spreadsheet (`.xlsx`) rather than a CSV
 */
gboolean
sesame_identifier_file_path_is_spreadsheet (const char *path)
{
  gsize length;

  g_return_val_if_fail (path != NULL, FALSE);

  length = strlen (path);
  return length >= 5 && g_ascii_strcasecmp (path + length - 5, ".xlsx") == 0;
}

/* Columns: id, name, establishment, generated_at, since, size, accounts,
 * import_id. */
static SesameIdentifierFile *
file_from_row (sqlite3_stmt *stmt)
{
  SesameIdentifierFile *file = g_new0 (SesameIdentifierFile, 1);

  file->id = g_strdup (_sesame_column_text (stmt, 0));
  file->name = g_strdup (_sesame_column_text (stmt, 1));
  file->establishment = g_strdup (_sesame_column_text (stmt, 2));
  file->generated_at = sqlite3_column_int64 (stmt, 3);
  file->since = sqlite3_column_int64 (stmt, 4);
  file->size = sqlite3_column_int64 (stmt, 5);
  file->accounts = sqlite3_column_int (stmt, 6);
  if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
    file->import_id = g_strdup (_sesame_column_text (stmt, 7));
  if (sqlite3_column_count (stmt) > 8 && sqlite3_column_type (stmt, 8) != SQLITE_NULL &&
      *_sesame_column_text (stmt, 8) != '\0')
    file->establishment_name = g_strdup (_sesame_column_text (stmt, 8));
  return file;
}

/* The establishment's name of a file, in the statements that read files:
 * every file of an establishment bears the same name, and a UAI alone
 * tells a secretary little. */
#define ESTABLISHMENT_NAME_SQL \
  "(SELECT e.name FROM establishments e WHERE e.uai = f.establishment" \
  " ORDER BY e.deleted_at IS NOT NULL, e.name = '' LIMIT 1)"

/* Counts, profile by profile, the accounts of the files of @by_id (id →
 * file) as an export renders them; only those of @only_id when not %NULL. */
static gboolean
count_profiles (SesameStore  *self,
                GHashTable   *by_id,
                const char   *only_id,
                GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sesame_store_prepare (self, _sesame_profile_sql (
                                "SELECT f.file_id, p.profile, COUNT (*) FROM identifier_file_accounts f"
                                " JOIN identifier_files i ON i.id = f.file_id AND i.deleted_at IS NULL"
                                " JOIN persons p ON p.key = f.person_key AND p.deleted_at IS NULL"
                                " JOIN accounts a ON a.person_key = p.key AND a.deleted_at IS NULL"
                                " WHERE p.profile IN " SESAME_SQL_DISTRIBUTABLE
                                " AND (?1 IS NULL OR f.file_id = ?1)"
                                " GROUP BY f.file_id, p.profile"),
                                error);
  if (stmt == NULL)
    return FALSE;
  if (only_id != NULL)
    sqlite3_bind_text (stmt, 1, only_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SesameIdentifierFile *file = g_hash_table_lookup (by_id, _sesame_column_text (stmt, 0));
      int profile = sqlite3_column_int (stmt, 1);

      if (file != NULL && profile >= 0 && profile < SESAME_N_PROFILES)
        file->profile_accounts[profile] = (guint) sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * _sesame_identifier_files_load:
 * @self: a #SesameStore
 * @id: the file's id
 * @error: return location for a #GError
 *
 * Reads the record of a file that was not deleted, with its counts of
 * accounts by profile. Checks no permission.
 *
 * Returns: (transfer full): the file, or %NULL with @error set
 */
SesameIdentifierFile *
_sesame_identifier_files_load (SesameStore  *self,
                               const char   *id,
                               GError      **error)
{
  SesameIdentifierFile *file = NULL;
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "SELECT f.id, f.name, f.establishment, f.generated_at, f.since, f.size, f.accounts,"
                                " f.import_id, " ESTABLISHMENT_NAME_SQL
                                " FROM identifier_files f WHERE f.id = ? AND f.deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    file = file_from_row (stmt);
  sqlite3_reset (stmt);

  if (file != NULL)
    {
      g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

      g_hash_table_insert (by_id, file->id, file);
      if (!count_profiles (self, by_id, file->id, error))
        {
          sesame_identifier_file_free (file);
          return NULL;
        }
    }

  if (file == NULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                 _("No identifier file has the id “%s”. Run “sesamectl files list” to see them."), id);
  return file;
}

/**
 * sesame_identifier_files_list:
 * @self: a #SesameStore
 * @error: return location for a #GError
 *
 * Lists the identifier files that were not deleted, with their counts of
 * accounts by profile. Administrators of some establishments see the
 * files of those only. Administrators only.
 *
 * Returns: (transfer full) (element-type SesameIdentifierFile): the
 *   identifier files, newest first, or %NULL with @error set
 */
GPtrArray *
sesame_identifier_files_list (SesameStore  *self,
                              GError      **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_identifier_file_free);
  g_autoptr(GHashTable) by_id = NULL;
  g_auto(GStrv) mine = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  /* Administrators of some establishments see the files of those only. */
  mine = sesame_store_operator_dup_administered_establishments (self);

  stmt = _sesame_store_prepare (self,
                                "SELECT f.id, f.name, f.establishment, f.generated_at, f.since, f.size, f.accounts,"
                                " f.import_id, " ESTABLISHMENT_NAME_SQL
                                " FROM identifier_files f WHERE f.deleted_at IS NULL"
                                " ORDER BY f.generated_at DESC, f.rowid DESC",
                                error);
  if (stmt == NULL)
    return NULL;
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SesameIdentifierFile *file = file_from_row (stmt);

      if (mine == NULL || g_strv_contains ((const char * const *) mine, file->establishment))
        {
          g_ptr_array_add (files, file);
          g_hash_table_insert (by_id, file->id, file);
        }
      else
        sesame_identifier_file_free (file);
    }
  sqlite3_reset (stmt);

  if (!count_profiles (self, by_id, NULL, error))
    return NULL;
  return g_steal_pointer (&files);
}

static gboolean
update_size (SesameStore  *self,
             const char   *id,
             gsize         size,
             guint         accounts,
             GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self, "UPDATE identifier_files SET size = ?2, accounts = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_int (stmt, 3, accounts);
  return _sesame_store_step_done (self, stmt, error);
}

static char *
insert_file (SesameStore  *self,
             const char   *uai,
             gint64        since,
             const char   *import_id,
             GError      **error)
{
  g_autofree char *id = _sesame_new_id ();
  g_autofree char *name = g_strdup_printf ("ENT-Identifiants-%s.csv", uai);
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO identifier_files (id, name, establishment, generated_at, since, import_id, operator)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, uai, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, sesame_store_now (self));
  if (since > 0)
    sqlite3_bind_int64 (stmt, 5, since);
  if (import_id != NULL)
    sqlite3_bind_text (stmt, 6, import_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, _sesame_store_operator_name (self), -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
finish_file (SesameStore  *self,
             const char   *id,
             const char   *uai,
             GError      **error)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  guint accounts = 0;

  gboolean ok;

  if (!_sesame_identifier_file_rows_write_csv (self, id, uai, csv, &accounts, error))
    return FALSE;
  ok = update_size (self, id, csv->len, accounts, error);
  /* Only its size was needed: do not leave passwords lying in memory. */
  sodium_memzero (csv->str, csv->len);
  return ok;
}

/**
 * _sesame_identifier_files_record:
 * @self: a #SesameStore
 * @uai: the establishment's UAI
 * @import_id: the import that created the accounts
 * @person_keys: (array length=n_keys): the accounts' directory keys
 * @n_keys: how many
 * @error: return location for a #GError
 *
 * Records an identifier file of these accounts for the establishment with
 * this UAI, inside the caller's transaction, and audits it. Used by the
 * import for the accounts it created.
 *
 * Returns: (transfer full): the new file's id, or %NULL with @error set
 */
char *
_sesame_identifier_files_record (SesameStore        *self,
                                 const char         *uai,
                                 const char         *import_id,
                                 const char * const *person_keys,
                                 guint               n_keys,
                                 GError            **error)
{
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  g_assert (SESAME_IS_STORE (self));

  id = insert_file (self, uai, 0, import_id, error);
  if (id == NULL)
    return NULL;

  stmt = _sesame_store_prepare (self,
                                "INSERT OR IGNORE INTO identifier_file_accounts (file_id, person_key) VALUES (?, ?)",
                                error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < n_keys; i++)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, person_keys[i], -1, SQLITE_TRANSIENT);
      if (!_sesame_store_step_done (self, stmt, error))
        return NULL;
    }

  if (!finish_file (self, id, uai, error) ||
      !_sesame_store_audit (self, "generate-file", id, uai, error))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * sesame_identifier_files_generate:
 * @self: a #SesameStore
 * @uai: the establishment's UAI
 * @since: only accounts created since then (seconds since the Unix epoch),
 *   or 0 for all
 * @error: return location for a #GError
 *
 * Records a new identifier file of the establishment's accounts that Sésame
 * distributes: its pupils, their guardians and its other local accounts,
 * not the accounts of people who left. Administrators only.
 *
 * Returns: (transfer full): the new file, or %NULL with @error set
 */
SesameIdentifierFile *
sesame_identifier_files_generate (SesameStore  *self,
                                  const char   *uai,
                                  gint64        since,
                                  GError      **error)
{
  g_autoptr(SesameEstablishment) establishment = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (uai != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  /* No account was created in the future: such a file would be empty. */
  if (since > sesame_store_now (self))
    {
      g_autofree char *day = format_day (since);

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The search date %s is in the future: no account was created since then. "
                     "Choose today or an earlier day, or leave it empty for all accounts."), day);
      return NULL;
    }
  establishment = sesame_establishments_find (self, uai, error);
  if (establishment == NULL)
    return NULL;
  if (!_sesame_store_check_establishment (self, SESAME_PERMISSION_MANAGE_FILES, establishment->uai, error))
    return NULL;

  if (!_sesame_store_begin (self, error))
    return NULL;

  id = insert_file (self, establishment->uai, since, NULL, error);
  if (id == NULL)
    goto fail;

  /* Every structure with this UAI: an establishment may appear under
   * several directory keys across exports. */
  stmt = _sesame_store_prepare (self, _sesame_profile_sql (
                                "INSERT OR IGNORE INTO identifier_file_accounts (file_id, person_key)"
                                " SELECT ?1, p.key FROM persons p JOIN accounts a ON a.person_key = p.key"
                                " WHERE p.deleted_at IS NULL AND p.left_at IS NULL AND a.deleted_at IS NULL"
                                " AND a.disabled_at IS NULL AND a.created_at >= ?3 AND p.profile IN " SESAME_SQL_DISTRIBUTABLE
                                " AND (p.structure IN (SELECT jointure FROM establishments WHERE uai = ?2)"
                                "  OR (p.profile = " SESAME_SQL_PARENT " AND EXISTS (SELECT 1 FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                "   WHERE g.parent_key = p.key AND g.deleted_at IS NULL AND c.left_at IS NULL"
                                "   AND c.structure IN (SELECT jointure FROM establishments WHERE uai = ?2))))"),
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, establishment->uai, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, since);
  if (!_sesame_store_step_done (self, stmt, error))
    goto fail;

  if (!finish_file (self, id, establishment->uai, error) ||
      !_sesame_store_audit (self, "generate-file", id, establishment->uai, error))
    goto fail;
  if (!_sesame_store_commit (self, error))
    return NULL;
  return _sesame_identifier_files_load (self, id, error);

fail:
  _sesame_store_rollback (self);
  return NULL;
}

/**
 * sesame_identifier_files_measure:
 * @self: a #SesameStore
 * @files: (element-type SesameIdentifierFile): files from
 *   sesame_identifier_files_list()
 * @error: return location for a #GError
 *
 * Sets the size of each file to the size of the CSV that an export would
 * write now: a password used or regenerated since the file was generated
 * changes it. Reads only; administrators only.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_identifier_files_measure (SesameStore  *self,
                                 GPtrArray    *files,
                                 GError      **error)
{
  g_autoptr(GString) csv = g_string_new (NULL);

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (files != NULL, FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return FALSE;
  if (files->len == 0)
    return TRUE;

  if (!_sesame_store_begin_read (self, error))
    return FALSE;
  for (guint i = 0; i < files->len; i++)
    {
      SesameIdentifierFile *file = g_ptr_array_index (files, i);
      guint accounts = 0;

      if (!_sesame_identifier_file_rows_write_csv (self, file->id, file->establishment, csv, &accounts, error))
        {
          sodium_memzero (csv->str, csv->allocated_len);
          _sesame_store_rollback (self);
          return FALSE;
        }
      file->size = csv->len;
      file->accounts = accounts;
      sodium_memzero (csv->str, csv->len);
    }
  _sesame_store_commit (self, NULL);
  return TRUE;
}

/**
 * sesame_identifier_files_render:
 * @self: a #SesameStore
 * @id: the file's id
 * @error: return location for a #GError
 *
 * Renders the CSV as it stands now: UTF-8 with a byte-order mark, `;`
 * separated, CRLF line ends, no quoting, the header GEPI expects. Passwords
 * that no longer work are replaced by words saying why. Administrators only.
 *
 * Returns: (transfer full): the file's bytes, or %NULL with @error set
 */
GBytes *
sesame_identifier_files_render (SesameStore  *self,
                                const char   *id,
                                GError      **error)
{
  g_autoptr(SesameIdentifierFile) file = NULL;
  GString *csv;
  guint accounts = 0;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  file = _sesame_identifier_files_load (self, id, error);
  if (file == NULL)
    return NULL;
  if (!_sesame_store_check_establishment (self, SESAME_PERMISSION_MANAGE_FILES, file->establishment, error))
    return NULL;

  csv = g_string_new (NULL);
  /* One snapshot and one lock for the whole file. */
  if (!_sesame_store_begin_read (self, error))
    {
      g_string_free (csv, TRUE);
      return NULL;
    }
  if (!_sesame_identifier_file_rows_write_csv (self, id, file->establishment, csv, &accounts, error))
    {
      _sesame_store_rollback (self);
      g_string_free (csv, TRUE);
      return NULL;
    }
  _sesame_store_commit (self, NULL);
  if ((gint64) csv->len != file->size || accounts != file->accounts)
    update_size (self, id, csv->len, accounts, NULL);
  return g_string_free_to_bytes (csv);
}

/**
 * sesame_identifier_files_delete:
 * @self: a #SesameStore
 * @id: the file's id
 * @error: return location for a #GError
 *
 * Removes a file from the list: it is marked deleted, never erased, so that
 * the audit trail can still name it. Audited; administrators only.
 *
 * Returns: %TRUE on success, or %FALSE with @error set
 */
gboolean
sesame_identifier_files_delete (SesameStore  *self,
                                const char   *id,
                                GError      **error)
{
  g_autoptr(SesameIdentifierFile) file = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return FALSE;
  file = _sesame_identifier_files_load (self, id, error);
  if (file == NULL)
    return FALSE;
  if (!_sesame_store_check_establishment (self, SESAME_PERMISSION_MANAGE_FILES, file->establishment, error))
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  stmt = _sesame_store_prepare (self, "UPDATE identifier_files SET deleted_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  if (!_sesame_store_step_done (self, stmt, error) ||
      !_sesame_store_audit (self, "delete-file", id, file->name, error))
    goto fail;
  return _sesame_store_commit (self, error);

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

/**
 * sesame_identifier_files_list_keys:
 * @self: a #SesameStore
 * @id: the file's id
 * @error: return location for a #GError
 *
 * Lists the accounts of a file, to print their slips or letters.
 * Administrators only.
 *
 * Returns: (transfer full) (array zero-terminated=1): the directory keys,
 *   or %NULL with @error set
 */
char **
sesame_identifier_files_list_keys (SesameStore  *self,
                                   const char   *id,
                                   GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(SesameIdentifierFile) file = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return NULL;
  file = _sesame_identifier_files_load (self, id, error);
  if (file == NULL)
    return NULL;
  if (!_sesame_store_check_establishment (self, SESAME_PERMISSION_MANAGE_FILES, file->establishment, error))
    return NULL;

  stmt = _sesame_store_prepare (self, "SELECT person_key FROM identifier_file_accounts WHERE file_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, _sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return g_strv_builder_end (builder);
}
