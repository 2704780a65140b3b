/* sesame-document-language.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sesame-types.h"

G_BEGIN_DECLS

/* The language of what leaves the office (letters, slips, emails, the
 * identifier file, the send report): a store setting, "fr" unless set. */
#define SESAME_SETTING_DOCUMENT_LANGUAGE "document-language"
#define SESAME_DOCUMENT_LANGUAGE_DEFAULT "fr"

const char * const *sesame_document_languages                  (void);
const char         *sesame_document_language_get_label         (const char *code);
gboolean            sesame_document_language_is_valid          (const char *code);

const char         *sesame_document_language_get_locale_dir    (void);
void                sesame_document_language_bind_text_domain  (void);

G_END_DECLS
