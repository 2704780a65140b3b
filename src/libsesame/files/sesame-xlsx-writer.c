/* sesame-xlsx-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes identifier files as spreadsheets (.xlsx). A CSV opened in
 * LibreOffice or Excel loses the leading zeros of postcodes and turns a
 * login such as `007.12345` into a number; in an .xlsx written here every
 * cell is a string typed as text ("@"), so nothing is converted and no
 * cell runs as a formula. The header row is styled, frozen and filtered,
 * and columns are as wide as their contents. The workbook is written to a
 * private temporary file beside its destination, then renamed over it:
 * the destination is never readable by anyone but its owner, and is never
 * left half written.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-files"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "sesame-error.h"
#include "sesame-xlsx-writer-private.h"

/* Excel's limit is 255 characters; wider columns only hide their
 * neighbours. */
#define MAX_COLUMN_WIDTH 60
#define MIN_COLUMN_WIDTH 6

struct _SesameXlsxWriter
{
  char          *path;
  char          *tmp_path;
  lxw_workbook  *workbook;
  lxw_format    *text;
  lxw_format    *header;
  GHashTable    *sheet_names;

  /* The sheet being written */
  lxw_worksheet *sheet;
  guint          n_columns;
  guint          row;
  double        *widths;
};

/**
 * _sesame_xlsx_writer_new:
 * @path: where the workbook is to be written
 * @title: the document's title, in its properties
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a writer, or %NULL with @error set when its
 *   temporary file cannot be created beside @path
 */
SesameXlsxWriter *
_sesame_xlsx_writer_new (const char  *path,
                         const char  *title,
                         GError     **error)
{
  g_autoptr(SesameXlsxWriter) self = g_new0 (SesameXlsxWriter, 1);
  lxw_doc_properties properties = { 0, };
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  self->tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  self->sheet_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Created 0600 before libxlsxwriter opens it: it keeps the mode. */
  fd = g_mkstemp_full (self->tmp_path, O_RDWR, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&self->tmp_path, g_free);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot write %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }
  close (fd);

  self->workbook = workbook_new (self->tmp_path);
  if (self->workbook == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot write %s: the spreadsheet could not be started."), path);
      return NULL;
    }

  properties.title = (char *) title;
  properties.company = (char *) "Sésame";
  workbook_set_properties (self->workbook, &properties);

  self->text = workbook_add_format (self->workbook);
  format_set_num_format (self->text, "@");

  self->header = workbook_add_format (self->workbook);
  format_set_num_format (self->header, "@");
  format_set_bold (self->header);
  format_set_bg_color (self->header, 0xDEDDDA);
  format_set_bottom (self->header, LXW_BORDER_THIN);

  return g_steal_pointer (&self);
}

static void
finish_sheet (SesameXlsxWriter *self)
{
  if (self->sheet == NULL)
    return;

  for (guint c = 0; c < self->n_columns; c++)
    worksheet_set_column (self->sheet, c, c, self->widths[c], self->text);
  worksheet_freeze_panes (self->sheet, 1, 0);
  if (self->n_columns > 0)
    worksheet_autofilter (self->sheet, 0, 0, MAX (self->row, 1) - 1, self->n_columns - 1);

  self->sheet = NULL;
  g_clear_pointer (&self->widths, g_free);
}

/* A name Excel accepts: at most 31 characters, none of []:*?/\, unique
 * in the workbook whatever the case. */
static char *
sheet_name (SesameXlsxWriter *self,
            const char       *name)
{
  g_autoptr(GString) base = g_string_new (NULL);

  for (const char *p = name; *p != '\0' && g_utf8_strlen (base->str, -1) < 25; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c < 0x80 && strchr ("[]:*?/\\'", (int) c) != NULL))
        c = '_';
      g_string_append_unichar (base, c);
    }
  if (base->len == 0)
    g_string_assign (base, "Sheet");

  for (guint n = 1; ; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (base->str) : g_strdup_printf ("%s (%u)", base->str, n);
      g_autofree char *folded = g_utf8_casefold (candidate, -1);

      if (!g_hash_table_contains (self->sheet_names, folded))
        {
          g_hash_table_add (self->sheet_names, g_steal_pointer (&folded));
          return g_steal_pointer (&candidate);
        }
    }
}

static double
cell_width (const char *text)
{
  return g_utf8_strlen (text, -1) + 2;
}

/**
 * _sesame_xlsx_writer_add_sheet:
 * @self: a #SesameXlsxWriter
 * @name: the sheet's name, made unique and valid if need be
 * @header: (array length=n_columns): the column names
 * @n_columns: how many columns
 *
 * Starts a sheet and writes its header row.
 */
void
_sesame_xlsx_writer_add_sheet (SesameXlsxWriter   *self,
                               const char         *name,
                               const char * const *header,
                               guint               n_columns)
{
  g_autofree char *valid = NULL;

  g_return_if_fail (self != NULL && self->workbook != NULL);

  finish_sheet (self);

  valid = sheet_name (self, name);
  self->sheet = workbook_add_worksheet (self->workbook, valid);
  self->n_columns = n_columns;
  self->widths = g_new0 (double, n_columns);
  self->row = 0;

  for (guint c = 0; c < n_columns; c++)
    self->widths[c] = MIN_COLUMN_WIDTH;
  _sesame_xlsx_writer_add_row (self, header);
}

/**
 * _sesame_xlsx_writer_add_row:
 * @self: a #SesameXlsxWriter
 * @cells: (array) (nullable): as many cells as the sheet has columns;
 *   %NULL or empty cells are left blank
 *
 * Writes a row of text cells.
 */
void
_sesame_xlsx_writer_add_row (SesameXlsxWriter   *self,
                             const char * const *cells)
{
  lxw_format *format;

  g_return_if_fail (self != NULL && self->sheet != NULL);

  format = self->row == 0 ? self->header : self->text;
  for (guint c = 0; c < self->n_columns; c++)
    {
      const char *text = cells[c];

      if (text == NULL || *text == '\0')
        {
          if (self->row == 0)
            worksheet_write_blank (self->sheet, self->row, c, format);
          continue;
        }
      worksheet_write_string (self->sheet, self->row, c, text, format);
      self->widths[c] = CLAMP (MAX (self->widths[c], cell_width (text)), MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH);
    }
  self->row++;
}

/**
 * _sesame_xlsx_writer_finish:
 * @self: a #SesameXlsxWriter
 * @error: return location for a #GError
 *
 * Writes the workbook and puts it in place, readable by its owner only.
 * The writer can only be freed afterwards.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_xlsx_writer_finish (SesameXlsxWriter  *self,
                            GError           **error)
{
  lxw_error status;

  g_return_val_if_fail (self != NULL && self->workbook != NULL, FALSE);

  finish_sheet (self);
  status = workbook_close (g_steal_pointer (&self->workbook));
  if (status != LXW_NO_ERROR)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot write %s: %s"), self->path, lxw_strerror (status));
      return FALSE;
    }

  if (g_chmod (self->tmp_path, 0600) != 0 || g_rename (self->tmp_path, self->path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot write %s: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }
  g_clear_pointer (&self->tmp_path, g_free);
  return TRUE;
}

/**
 * _sesame_xlsx_writer_free:
 * @self: (nullable): a #SesameXlsxWriter
 *
 * Frees the writer; an unfinished workbook is abandoned and its temporary
 * file removed.
 */
void
_sesame_xlsx_writer_free (SesameXlsxWriter *self)
{
  if (self == NULL)
    return;

  if (self->workbook != NULL)
    {
      /* libxlsxwriter has no way to abandon a workbook but to write it. */
      workbook_close (self->workbook);
    }
  if (self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_hash_table_unref (self->sheet_names);
  g_free (self->widths);
  g_free (self->tmp_path);
  g_free (self->path);
  g_free (self);
}
