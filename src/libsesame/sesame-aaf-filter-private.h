/* sesame-aaf-filter-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Repairs the byte stream of an AAF file before libxml2 reads it. libxml2
 * gives up at some well-formedness errors, even with XML_PARSE_RECOVER, and
 * the rest of the file would be lost: this filter mends what real exports
 * get wrong, and says where.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SesameAafFilter SesameAafFilter;

typedef void (*SesameAafFilterWarning) (guint       line,
                                        const char *message,
                                        gpointer    user_data);

SesameAafFilter *_sesame_aaf_filter_new               (SesameAafFilterWarning  warning,
                                                       gpointer                user_data);
void             _sesame_aaf_filter_free              (SesameAafFilter        *self);
/* Appends the repaired form of @data to @out. */
void             _sesame_aaf_filter_feed              (SesameAafFilter        *self,
                                                       const guint8           *data,
                                                       gsize                   len,
                                                       GByteArray             *out);
/* Flushes what was held back at the end of the input. */
void             _sesame_aaf_filter_finish            (SesameAafFilter        *self,
                                                       GByteArray             *out);
/* The line of the next element start tag, in document order, as the XML
 * reader meets them; 0 when unknown. */
guint            _sesame_aaf_filter_pop_element_line  (SesameAafFilter        *self);
/* Whether the document's root element was closed. */
gboolean         _sesame_aaf_filter_root_closed       (SesameAafFilter        *self);
/* The element left open at the end (its name made valid UTF-8), or NULL. */
const char      *_sesame_aaf_filter_open_element      (SesameAafFilter        *self);
guint            _sesame_aaf_filter_get_line          (SesameAafFilter        *self);

G_END_DECLS
