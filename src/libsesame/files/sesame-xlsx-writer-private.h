/* sesame-xlsx-writer-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small writer of text-only spreadsheets over libxlsxwriter, for the
 * identifier files.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-xlsx-writer-private.h belongs to the core and its tests: include sesame.h"
#endif

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SesameXlsxWriter SesameXlsxWriter;

SesameXlsxWriter *_sesame_xlsx_writer_new       (const char          *path,
                                                 const char          *title,
                                                 GError             **error);
void              _sesame_xlsx_writer_add_sheet (SesameXlsxWriter    *self,
                                                 const char          *name,
                                                 const char * const  *header,
                                                 guint                n_columns);
void              _sesame_xlsx_writer_add_row   (SesameXlsxWriter    *self,
                                                 const char * const  *cells);
gboolean          _sesame_xlsx_writer_finish    (SesameXlsxWriter    *self,
                                                 GError             **error);
void              _sesame_xlsx_writer_free      (SesameXlsxWriter    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameXlsxWriter, _sesame_xlsx_writer_free)

G_END_DECLS
