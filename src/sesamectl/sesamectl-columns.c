/* sesamectl-columns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tables sesamectl prints line up on a terminal: columns are padded to
 * the width the text takes on screen, not to its length in bytes. printf's
 * "%-20s" counts bytes, so "État :" (7 bytes, 6 columns) or a name such as
 * "Hélène" pushed every following column one place to the left per accent;
 * a wide character (CJK) takes two columns, a combining accent none.
 */
#include "config.h"

#include <string.h>

#include "sesamectl.h"

/**
 * sesamectl_display_width:
 * @text: (nullable): UTF-8 text
 *
 * Returns: how many terminal columns @text takes (0 for %NULL)
 */
guint
sesamectl_display_width (const char *text)
{
  guint width = 0;

  if (text == NULL)
    return 0;
  if (!g_utf8_validate (text, -1, NULL))
    return strlen (text);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/**
 * sesamectl_append_padded:
 * @line: where to append
 * @text: (nullable): the cell
 * @width: the column's width, in terminal columns
 *
 * Appends @text and the spaces that bring it to @width columns; a longer
 * text is appended whole.
 */
void
sesamectl_append_padded (GString    *line,
                         const char *text,
                         guint       width)
{
  guint shown = sesamectl_display_width (text);

  g_string_append (line, text ? text : "");
  for (; shown < width; shown++)
    g_string_append_c (line, ' ');
}

/**
 * sesamectl_print_row:
 * @widths: the widths of the first @n_columns - 1 columns
 * @n_columns: how many cells follow
 * @...: the cells, UTF-8 strings (%NULL prints nothing)
 *
 * Prints one line of a table: each cell but the last padded to its
 * column's width by display width, cells separated by one space.
 */
void
sesamectl_print_row (const guint *widths,
                     guint        n_columns,
                     ...)
{
  g_autoptr(GString) line = g_string_new (NULL);
  va_list ap;

  va_start (ap, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      const char *cell = va_arg (ap, const char *);

      if (i > 0)
        g_string_append_c (line, ' ');
      if (i + 1 < n_columns)
        sesamectl_append_padded (line, cell, widths[i]);
      else
        g_string_append (line, cell ? cell : "");
    }
  va_end (ap);
  g_string_append_c (line, '\n');
  g_print ("%s", line->str);
}
