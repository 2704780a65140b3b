/* sesame-identifier-files-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exporting identifier files: writing their rows to disk, as the CSV GEPI
 * reads or as a spreadsheet with one sheet per establishment. What is
 * written holds first passwords: it is readable by its owner only, and
 * every copy in memory is wiped once written. Each export is audited.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-files"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "sesame-csv-private.h"
#include "sesame-identifier-file-rows-private.h"
#include "sesame-identifier-files-private.h"
#include "sesame-xlsx-writer-private.h"

static gboolean
write_csv (SesameStore  *self,
           const char   *id,
           const char   *path,
           GError      **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data;

  bytes = sesame_identifier_files_render (self, id, error);
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &size);
  if (!g_file_set_contents_full (path, data, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      sodium_memzero ((char *) data, size);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }
  sodium_memzero ((char *) data, size);
  /* g_file_set_contents_full() keeps the mode of a file it replaces. */
  g_chmod (path, 0600);
  return TRUE;
}

typedef struct
{
  SesameXlsxWriter *writer;
  GString          *cells;
} XlsxRows;

static void
append_xlsx_row (const char * const *cells,
                 gpointer            user_data)
{
  XlsxRows *rows = user_data;
  gsize offsets[SESAME_IDENTIFIER_FILE_N_COLUMNS];
  const char *clean[SESAME_IDENTIFIER_FILE_N_COLUMNS];

  /* The same cells as the CSV's, but for the apostrophe before a formula:
   * a string cell of an .xlsx is never run. */
  g_string_truncate (rows->cells, 0);
  for (guint c = 0; c < SESAME_IDENTIFIER_FILE_N_COLUMNS; c++)
    {
      offsets[c] = rows->cells->len;
      _sesame_csv_append_clean_cell (rows->cells, cells[c], SESAME_CSV_CELL_NO_SEPARATORS);
      g_string_append_c (rows->cells, '\0');
    }
  for (guint c = 0; c < SESAME_IDENTIFIER_FILE_N_COLUMNS; c++)
    clean[c] = rows->cells->str + offsets[c];
  _sesame_xlsx_writer_add_row (rows->writer, clean);
  sodium_memzero (rows->cells->str, rows->cells->len);
}

static gboolean
write_xlsx (SesameStore        *self,
            const char * const *ids,
            const char         *path,
            GError            **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_identifier_file_free);
  g_autoptr(SesameXlsxWriter) writer = NULL;
  g_autoptr(GString) cells = g_string_new (NULL);
  SesameIdentifierFile *first;
  XlsxRows rows;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      SesameIdentifierFile *file = _sesame_identifier_files_load (self, ids[i], error);

      if (file == NULL)
        return FALSE;
      g_ptr_array_add (files, file);
    }

  first = g_ptr_array_index (files, 0);
  writer = _sesame_xlsx_writer_new (path, first->name, error);
  if (writer == NULL)
    return FALSE;
  rows.writer = writer;
  rows.cells = cells;

  /* One snapshot for the whole workbook. */
  if (!_sesame_store_begin_read (self, error))
    return FALSE;
  for (guint i = 0; i < files->len; i++)
    {
      SesameIdentifierFile *file = g_ptr_array_index (files, i);

      /* One sheet per establishment, named by its UAI. */
      _sesame_xlsx_writer_add_sheet (writer, file->establishment, _sesame_identifier_file_rows_column_names,
                                     SESAME_IDENTIFIER_FILE_N_COLUMNS);
      if (!_sesame_identifier_file_rows_render (self, file->id, file->establishment, append_xlsx_row, &rows, NULL, error))
        {
          _sesame_store_rollback (self);
          return FALSE;
        }
    }
  _sesame_store_commit (self, NULL);

  return _sesame_xlsx_writer_finish (writer, error);
}

/**
 * sesame_identifier_files_export_all:
 * @self: a #SesameStore
 * @ids: (array zero-terminated=1): the files' ids, at least one
 * @path: where to write them: a spreadsheet when it ends in `.xlsx`, a
 *   CSV otherwise
 * @error: return location for a #GError
 *
 * Writes identifier files, readable by their owner only: they hold
 * passwords. A spreadsheet holds one sheet per file (per establishment),
 * every cell a string typed as text, so that postcodes and logins keep
 * their leading zeros; a CSV holds one file. Administrators only.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_identifier_files_export_all (SesameStore        *self,
                                    const char * const *ids,
                                    const char         *path,
                                    GError            **error)
{
  gboolean ok;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL && ids[0] != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!sesame_store_operator_check_permission (self, SESAME_PERMISSION_MANAGE_FILES, NULL, error))
    return FALSE;

  if (sesame_identifier_file_path_is_spreadsheet (path))
    ok = write_xlsx (self, ids, path, error);
  else if (ids[1] != NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("A CSV file holds one identifier file. To write several in one file, "
                     "name a spreadsheet ending in .xlsx: it has one sheet per file."));
      return FALSE;
    }
  else
    ok = write_csv (self, ids[0], path, error);
  if (!ok)
    return FALSE;

  for (guint i = 0; ids[i] != NULL; i++)
    if (!_sesame_store_audit (self, "export-file", ids[i], path, error))
      return FALSE;
  return TRUE;
}

/**
 * sesame_identifier_files_export:
 * @self: a #SesameStore
 * @id: the file's id
 * @path: where to write it: a spreadsheet when it ends in `.xlsx`, a CSV
 *   otherwise
 * @error: return location for a #GError
 *
 * Writes a file, readable by its owner only: it holds passwords. See
 * sesame_identifier_files_export_all().
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_identifier_files_export (SesameStore  *self,
                                const char   *id,
                                const char   *path,
                                GError      **error)
{
  const char *ids[] = { id, NULL };

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return sesame_identifier_files_export_all (self, ids, path, error);
}
