/* sesame-csv-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-csv-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-csv.h"

G_BEGIN_DECLS

/* The byte-order mark that makes Excel read a CSV's accents as UTF-8. */
#define SESAME_CSV_BYTE_ORDER_MARK "\xEF\xBB\xBF"

/**
 * SesameCsvCell:
 * @SESAME_CSV_CELL_SEPARATORS_AS_COMMAS: a semicolon becomes a comma
 * @SESAME_CSV_CELL_NO_SEPARATORS: neither comma nor semicolon: both become
 *   " - ", as between address lines
 * @SESAME_CSV_CELL_ESCAPE_FORMULA: an apostrophe before a cell that a
 *   spreadsheet would run as a formula
 *
 * How strictly a cell is cleaned. Quotes, tabs and line breaks never
 * reach a cell.
 */
typedef enum
{
  SESAME_CSV_CELL_SEPARATORS_AS_COMMAS = 0,
  SESAME_CSV_CELL_NO_SEPARATORS        = 1 << 0,
  SESAME_CSV_CELL_ESCAPE_FORMULA       = 1 << 1,
} SesameCsvCell;

void _sesame_csv_append_clean_cell (GString            *line,
                                    const char         *value,
                                    SesameCsvCell       flags);
void _sesame_csv_append_row        (GString            *csv,
                                    const char * const *cells,
                                    guint               n_cells,
                                    SesameCsvCell       flags);

G_END_DECLS
