/* sesame-document-language-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Include this header instead of <glib/gi18n-lib.h> in a file that renders
 * documents: its _(), C_(), NC_() with g_dpgettext2() and g_dngettext()
 * then translate into the document language while a rendering holds it
 * (_sesame_store_push_document_language() … _pop() on the same thread), and into
 * the desk's language everywhere else, error messages included. The strings
 * of such files stay plain _() calls, extracted by xgettext as usual.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-document-language-private.h belongs to the core and its tests: include sesame.h"
#endif

#include <glib/gi18n-lib.h>

#include "sesame-document-language.h"

G_BEGIN_DECLS

void         _sesame_document_language_push_code  (const char  *code);
void         _sesame_document_language_pop        (void);
const char  *_sesame_document_language_current    (void);

const char  *_sesame_document_dgettext   (const char *domain,
                                          const char *msgid) G_GNUC_FORMAT (2);
const char  *_sesame_document_dpgettext  (const char *domain,
                                          const char *msgctxtid,
                                          gsize       msgidoffset) G_GNUC_FORMAT (2);
const char  *_sesame_document_dpgettext2 (const char *domain,
                                          const char *context,
                                          const char *msgid) G_GNUC_FORMAT (3);
const char  *_sesame_document_dngettext  (const char *domain,
                                          const char *msgid,
                                          const char *msgid_plural,
                                          gulong      n) G_GNUC_FORMAT (3);

/* gi18n-lib.h's _() and C_() expand to these names: redirect them. */
#undef g_dgettext
#define g_dgettext(domain, msgid) _sesame_document_dgettext ((domain), (msgid))
#undef g_dpgettext
#define g_dpgettext(domain, msgctxtid, offset) _sesame_document_dpgettext ((domain), (msgctxtid), (offset))
#undef g_dpgettext2
#define g_dpgettext2(domain, context, msgid) _sesame_document_dpgettext2 ((domain), (context), (msgid))
#undef g_dngettext
#define g_dngettext(domain, msgid, plural, n) _sesame_document_dngettext ((domain), (msgid), (plural), (n))

G_END_DECLS
