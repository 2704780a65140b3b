/* sesame-page-language.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

void        sesame_page_language_push     (SesameStore *store);
void        sesame_page_language_pop      (void);
const char *sesame_page_language_gettext  (const char  *msgid) G_GNUC_FORMAT (1);
const char *sesame_page_language_ngettext (const char  *msgid,
                                           const char  *msgid_plural,
                                           gulong       n) G_GNUC_FORMAT (2);

G_END_DECLS
