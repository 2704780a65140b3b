/* sesame-login-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_LOGIN_DIALOG (sesame_login_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SesameLoginDialog, sesame_login_dialog, SESAME, LOGIN_DIALOG, AdwMessageDialog)

SesameLoginDialog *sesame_login_dialog_new       (GtkWindow         *parent,
                                                  SesameStore       *store,
                                                  SesamePerson      *person);
const char        *sesame_login_dialog_get_login (SesameLoginDialog *self);
void               sesame_login_dialog_set_login (SesameLoginDialog *self,
                                                  const char        *login);
gboolean           sesame_login_dialog_get_valid (SesameLoginDialog *self);
const char        *sesame_login_dialog_get_message (SesameLoginDialog *self);

G_END_DECLS
