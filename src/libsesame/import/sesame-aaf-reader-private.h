/* sesame-aaf-reader-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A record's attributes by position, in the order the file gives them. The
 * import looks attributes up by name (sesame-aaf-reader.h); the tests and
 * fuzz targets walk them all, to check that a reading keeps every one and
 * that each name and value is valid UTF-8.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-aaf-reader-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-aaf-reader.h"

G_BEGIN_DECLS

guint               sesame_aaf_record_get_n_attributes (const SesameAafRecord *record);
const char         *sesame_aaf_record_get_attribute_name (const SesameAafRecord *record,
                                                          guint                  index);
const char * const *sesame_aaf_record_get_attribute_values (const SesameAafRecord *record,
                                                            guint                  index);

G_END_DECLS
