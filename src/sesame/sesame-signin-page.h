/* sesame-signin-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_SIGNIN_PAGE (sesame_signin_page_get_type ())

G_DECLARE_FINAL_TYPE (SesameSigninPage, sesame_signin_page, SESAME, SIGNIN_PAGE, AdwBin)

void        sesame_signin_page_start          (SesameSigninPage *self,
                                               const char       *login);
void        sesame_signin_page_set_login      (SesameSigninPage *self,
                                               const char       *login);
const char *sesame_signin_page_get_login      (SesameSigninPage *self);
void        sesame_signin_page_set_passphrase (SesameSigninPage *self,
                                               const char       *passphrase);
void        sesame_signin_page_set_enrolment  (SesameSigninPage *self,
                                               const char       *login,
                                               const char       *code,
                                               const char       *passphrase,
                                               const char       *again);
const char *sesame_signin_page_get_step       (SesameSigninPage *self);
const char *sesame_signin_page_get_error      (SesameSigninPage *self);
gboolean    sesame_signin_page_is_busy        (SesameSigninPage *self);

G_END_DECLS
