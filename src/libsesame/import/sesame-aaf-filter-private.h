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

#if !defined (SESAME_COMPILATION)
# error "sesame-aaf-filter-private.h belongs to the core and its tests: include sesame.h"
#endif

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SesameAafFilter SesameAafFilter;

/* Elements nested deeper than this are not an AAF file (which nests five). */
#define SESAME_AAF_MAX_DEPTH 32
/* A start tag longer than this is not an AAF file's (a few dozen bytes). */
#define SESAME_AAF_MAX_TAG_BYTES (16 * 1024)

/**
 * SesameAafFault:
 * @SESAME_AAF_FAULT_NONE: nothing stops the reading
 * @SESAME_AAF_FAULT_AFTER_ROOT: content after the root element closed: a
 *   stray end tag of the root, or two documents in one file
 * @SESAME_AAF_FAULT_DEPTH: elements nested deeper than %SESAME_AAF_MAX_DEPTH
 * @SESAME_AAF_FAULT_TAG: a tag longer than %SESAME_AAF_MAX_TAG_BYTES
 * @SESAME_AAF_FAULT_BINARY: the file does not start with XML
 * @SESAME_AAF_FAULT_ZIP: the file is a ZIP archive
 * @SESAME_AAF_FAULT_GZIP: the file is compressed with gzip
 * @SESAME_AAF_FAULT_ENCODING: an encoding that cannot be read
 *
 * What makes a file impossible to import whole. Once the filter meets one,
 * it passes nothing more on: the file must be refused, not read in part.
 */
typedef enum
{
  SESAME_AAF_FAULT_NONE,
  SESAME_AAF_FAULT_AFTER_ROOT,
  SESAME_AAF_FAULT_DEPTH,
  SESAME_AAF_FAULT_TAG,
  SESAME_AAF_FAULT_BINARY,
  SESAME_AAF_FAULT_ZIP,
  SESAME_AAF_FAULT_GZIP,
  SESAME_AAF_FAULT_ENCODING,
} SesameAafFault;

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
/* Why the file cannot be read whole, and where; the root's end line for
 * %SESAME_AAF_FAULT_AFTER_ROOT, the encoding's name for
 * %SESAME_AAF_FAULT_ENCODING. */
SesameAafFault   _sesame_aaf_filter_get_fault         (SesameAafFilter        *self,
                                                       guint                  *line,
                                                       guint                  *root_end_line,
                                                       const char            **encoding);
/* The encoding the bytes were read in, e.g. "UTF-16LE"; NULL until known. */
const char      *_sesame_aaf_filter_get_encoding      (SesameAafFilter        *self);

G_END_DECLS
