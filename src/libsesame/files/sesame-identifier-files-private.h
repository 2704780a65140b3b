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

char                 *_sesame_identifier_files_record (SesameStore        *self,
                                                       const char         *uai,
                                                       const char         *import_id,
                                                       const char * const *person_keys,
                                                       guint               n_keys,
                                                       GError            **error);
SesameIdentifierFile *_sesame_identifier_files_load   (SesameStore        *self,
                                                       const char         *id,
                                                       GError            **error);

G_END_DECLS
