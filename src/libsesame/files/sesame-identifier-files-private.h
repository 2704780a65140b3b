/* sesame-identifier-files-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-identifier-files-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-identifier-files.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* Records an identifier file of these accounts (directory keys) for the
 * establishment with this UAI, inside the caller's transaction. Used by the
 * import for the accounts it created. Returns the new file's id. */
char *_sesame_store_record_identifier_file (SesameStore        *self,
                                            const char         *uai,
                                            const char         *import_id,
                                            const char * const *person_keys,
                                            guint               n_keys,
                                            GError            **error);

/* The academy-prefixed directory key, e.g. "AC-GRENOBLE$2605692". */
char *_sesame_store_dup_prefixed_key       (SesameStore        *self,
                                            const char         *person_key);

/* A cell of the identifier file: no separator of any spreadsheet's CSV
 * import (`;`, `,`, tab), no line break, no formula. */
void  _sesame_identifier_file_append_cell  (GString            *line,
                                            const char         *value);

G_END_DECLS
