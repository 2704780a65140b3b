/* sesame-identifier-file-rows-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-identifier-file-rows-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-store-private.h"

G_BEGIN_DECLS

#define SESAME_IDENTIFIER_FILE_N_COLUMNS 19

/* The header of an identifier file: the columns GEPI expects, in its order. */
extern const char * const _sesame_identifier_file_rows_column_names[SESAME_IDENTIFIER_FILE_N_COLUMNS];

/* Receives the SESAME_IDENTIFIER_FILE_N_COLUMNS cells of one row. */
typedef void (*SesameIdentifierFileRowFunc) (const char * const *cells,
                                             gpointer            user_data);

gboolean _sesame_identifier_file_rows_render    (SesameStore                 *self,
                                                 const char                  *file_id,
                                                 const char                  *uai,
                                                 SesameIdentifierFileRowFunc  func,
                                                 gpointer                     user_data,
                                                 guint                       *n_accounts,
                                                 GError                     **error);
gboolean _sesame_identifier_file_rows_write_csv (SesameStore                 *self,
                                                 const char                  *file_id,
                                                 const char                  *uai,
                                                 GString                     *csv,
                                                 guint                       *n_accounts,
                                                 GError                     **error);

G_END_DECLS
