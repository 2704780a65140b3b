/* sesame-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cells of the CSV files Sésame writes: identifier files, send
 * reports, search results. School offices open them by double-clicking,
 * in LibreOffice or Excel, whose import splits on more than the `;` the
 * files use and runs any cell that looks like a formula, and GEPI reads
 * identifier files without quoting. One set of cleaning rules, here, keeps
 * every writer safe from both; the spreadsheet writer uses the same rules
 * so that a workbook says what the CSV says.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-files"

#include <string.h>

#include "sesame-csv-private.h"

/* Cleans one cell into @out: quotes, tabs and line breaks never reach a
 * cell. With @no_separators, neither does a comma or a semicolon: both
 * become " - ", as between address lines (LibreOffice's default import
 * splits on commas and tabs as well as semicolons, and GEPI splits on
 * semicolons without quoting); otherwise a semicolon becomes a comma.
 * With @escape_formula, a cell that a spreadsheet would run as a formula
 * is prefixed with an apostrophe (an xlsx string cell needs none). */
static void
append_clean_cell (GString    *out,
                   const char *value,
                   gboolean    no_separators,
                   gboolean    escape_formula)
{
  gsize start = out->len;
  gsize clean = 0;
  gboolean separator = FALSE;

  if (value == NULL)
    return;

  /* Most cells need no change: they are copied in one go. */
  if (value[0] != ' ' && strchr ("=+-@", value[0]) == NULL)
    {
      while (value[clean] != '\0' && value[clean] != ';' && (value[clean] != ',' || !no_separators) &&
             value[clean] != '"' && (unsigned char) value[clean] >= 0x20 && value[clean] != 0x7f)
        clean++;
      if (value[clean] == '\0' && (clean == 0 || value[clean - 1] != ' '))
        {
          g_string_append_len (out, value, clean);
          return;
        }
    }

  for (const char *p = value; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      if ((c == ';' || c == ',') && no_separators)
        {
          separator = out->len > start;
          continue;
        }
      if (c == ';')
        c = ',';
      else if (c == '"')
        c = '\'';
      else if (c < 0x20 || c == 0x7f)
        c = ' ';

      /* Leading blanks (where a tab or CR stood) are dropped, so that the
       * formula check sees the first real character; blanks around a
       * separator are folded into it. */
      if (c == ' ' && (out->len == start || separator))
        continue;
      if (separator)
        {
          while (out->len > start && out->str[out->len - 1] == ' ')
            g_string_truncate (out, out->len - 1);
          g_string_append (out, " - ");
          separator = FALSE;
        }
      g_string_append_c (out, (char) c);
    }

  while (out->len > start && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  if (escape_formula && out->len > start && strchr ("=+-@", out->str[start]) != NULL)
    g_string_insert_c (out, start, '\'');
}

/**
 * sesame_csv_append_cell:
 * @line: the line being written
 * @value: (nullable): the cell's text
 *
 * Appends one cell of a `;`-separated file that LibreOffice, Excel and GEPI
 * read without quoting: separators, quotes, tabs and line breaks become
 * commas or spaces, and a cell that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-` or `@`) is prefixed with an apostrophe.
 */
void
sesame_csv_append_cell (GString    *line,
                        const char *value)
{
  g_return_if_fail (line != NULL);

  append_clean_cell (line, value, FALSE, TRUE);
}

/**
 * _sesame_csv_append_clean_cell:
 * @line: the line being written
 * @value: (nullable): the cell's text
 * @flags: how strict the cleaning is
 *
 * Appends one cell cleaned as @flags asks: the rules of
 * sesame_csv_append_cell(), and with %SESAME_CSV_CELL_NO_SEPARATORS
 * neither comma nor semicolon, whichever separators a spreadsheet splits
 * on; without %SESAME_CSV_CELL_ESCAPE_FORMULA no apostrophe before a
 * formula (a string cell of an `.xlsx` is never run).
 */
void
_sesame_csv_append_clean_cell (GString       *line,
                               const char    *value,
                               SesameCsvCell  flags)
{
  g_assert (line != NULL);

  append_clean_cell (line, value,
                     (flags & SESAME_CSV_CELL_NO_SEPARATORS) != 0,
                     (flags & SESAME_CSV_CELL_ESCAPE_FORMULA) != 0);
}

/**
 * _sesame_csv_append_row:
 * @csv: the file being written
 * @cells: (array length=n_cells): the row's cells, %NULL for empty ones
 * @n_cells: how many
 * @flags: how strict the cleaning of each cell is
 *
 * Appends one line of a `;`-separated file: the cells, cleaned as
 * _sesame_csv_append_clean_cell() does, and a CRLF line end.
 */
void
_sesame_csv_append_row (GString            *csv,
                        const char * const *cells,
                        guint               n_cells,
                        SesameCsvCell       flags)
{
  g_assert (csv != NULL);

  for (guint c = 0; c < n_cells; c++)
    {
      if (c > 0)
        g_string_append_c (csv, ';');
      _sesame_csv_append_clean_cell (csv, cells[c], flags);
    }
  g_string_append (csv, "\r\n");
}
