/* sesame-lock-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_LOCK_PAGE (sesame_lock_page_get_type ())

G_DECLARE_FINAL_TYPE (SesameLockPage, sesame_lock_page, SESAME, LOCK_PAGE, AdwBin)

void        sesame_lock_page_start          (SesameLockPage *self);
void        sesame_lock_page_set_passphrase (SesameLockPage *self,
                                             const char     *passphrase);
const char *sesame_lock_page_get_name       (SesameLockPage *self);
const char *sesame_lock_page_get_error      (SesameLockPage *self);
gboolean    sesame_lock_page_is_busy        (SesameLockPage *self);

G_END_DECLS
